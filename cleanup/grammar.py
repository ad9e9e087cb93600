"""Grammar repair with LanguageTool (language-tool-python), safe categories only.

``open_grammar(url=None, language="en-US") -> Grammar`` connects to a LanguageTool
server at ``url`` (``--languagetool URL``) or starts a local one from an existing
LanguageTool installation (language-tool-python's download folder, ``LTP_PATH``).
It never downloads anything and never raises: when no server can be had, the
returned object is unavailable, says why in ``message``, and ``correct`` leaves
text as it is.

Only safe corrections are applied (``select_safe``): spelling of lower-case
words (names and acronyms are left alone), agreement, articles (a/an), doubled
words, punctuation and whitespace; each applied correction is a
:class:`cleanup.record.Change`, every other match a finding (a dict) for the record.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable

from cleanup.record import Change

SAFE_CATEGORIES = {"PUNCTUATION", "TYPOGRAPHY"}
SAFE_RULES = re.compile(
    r"^(EN_A_VS_AN|ENGLISH_WORD_REPEAT_RULE|WORD_REPEAT_RULE|DOUBLE_PUNCTUATION|COMMA_PARENTHESIS_WHITESPACE|"
    r"WHITESPACE_RULE|UPPERCASE_SENTENCE_START|.*AGREEMENT.*|.*_AGR(_|$).*|HE_VERB_AGR|NON3PRS_VERB|THIS_NNS|"
    r"DT_NNS|A_NNS|MANY_NN|MUCH_NNS|PERS_PRONOUN_AGREEMENT|SINGULAR_AGREEMENT_SENT_START|EN_CONTRACTION_SPELLING)$"
)
SAFE_ISSUE_TYPES = {"duplication", "whitespace", "typographical"}
SPELLING_RULES = re.compile(r"^(MORFOLOGIK_RULE_EN_\w+|HUNSPELL_RULE\w*)$")


def _attr(match: Any, *names: str, default: Any = None) -> Any:
    for n in names:
        v = getattr(match, n, None)
        if v is not None:
            return v
    return default


def _is_safe(match: Any, text: str) -> bool:
    rule = _attr(match, "rule_id", "ruleId", default="")
    category = _attr(match, "category", default="")
    issue = _attr(match, "rule_issue_type", "ruleIssueType", default="")
    replacements = _attr(match, "replacements", default=[]) or []
    if not replacements:
        return False
    offset = _attr(match, "offset", default=0)
    length = _attr(match, "error_length", "errorLength", default=0)
    found = text[offset: offset + length]
    if SPELLING_RULES.match(rule) or (category == "TYPOS" and issue == "misspelling"):
        # only plain lower-case words: names, acronyms and pinyin are not typos
        repl = replacements[0]
        return bool(re.fullmatch(r"[a-z]{3,}", found)) and bool(re.fullmatch(r"[a-z]+", repl)) and _close(found, repl)
    if category == "TYPOS":
        return bool(SAFE_RULES.match(rule))
    return bool(SAFE_RULES.match(rule)) or category in SAFE_CATEGORIES or issue in SAFE_ISSUE_TYPES


def _close(a: str, b: str) -> bool:
    """Edit distance at most 2 (a typo, not a different word)."""
    if abs(len(a) - len(b)) > 2:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


def select_safe(matches: Iterable[Any], text: str) -> tuple[list[Any], list[Any]]:
    """Split LanguageTool matches into (safe to apply, findings only).

    Safe matches do not overlap each other; the first replacement is the one applied.
    """
    safe, rest = [], []
    last_end = -1
    for m in sorted(matches, key=lambda m: _attr(m, "offset", default=0)):
        off = _attr(m, "offset", default=0)
        if _is_safe(m, text) and off >= last_end:
            safe.append(m)
            last_end = off + _attr(m, "error_length", "errorLength", default=0)
        else:
            rest.append(m)
    return safe, rest


def apply_matches(text: str, matches: list[Any]) -> tuple[str, list[Change]]:
    """Apply the first replacement of each match (non-overlapping), recording each change."""
    changes: list[Change] = []
    out = text
    for m in sorted(matches, key=lambda m: _attr(m, "offset", default=0), reverse=True):
        off = _attr(m, "offset", default=0)
        length = _attr(m, "error_length", "errorLength", default=0)
        repl = _attr(m, "replacements", default=[])[0]
        before = out[off: off + length]
        out = out[:off] + repl + out[off + length:]
        rule = _attr(m, "rule_id", "ruleId", default="?")
        changes.append(Change("grammar", before, repl, f"LanguageTool {rule}: {_attr(m, 'message', default='')}"))
    changes.reverse()
    return out, changes


def finding(match: Any) -> dict[str, Any]:
    """A match that was not applied, as a small JSON-able dict."""
    return {
        "rule": _attr(match, "rule_id", "ruleId", default=""),
        "category": _attr(match, "category", default=""),
        "message": _attr(match, "message", default=""),
        "context": _attr(match, "context", default=""),
        "replacements": list(_attr(match, "replacements", default=[]) or [])[:3],
    }


def _local_installation() -> Path | None:
    """An existing LanguageTool installation that language-tool-python can start, if any."""
    if os.environ.get("LTP_JAR_DIR_PATH"):
        return Path(os.environ["LTP_JAR_DIR_PATH"])
    try:
        from language_tool_python.utils import find_existing_language_tool_downloads, get_language_tool_download_path

        found = find_existing_language_tool_downloads(get_language_tool_download_path())
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return None
    return found[0] if found else None


class Grammar:
    """A LanguageTool connection, or the reason there is none (``available`` False)."""

    def __init__(self, tool: Any = None, message: str = ""):
        self.tool = tool
        self.message = message

    @property
    def available(self) -> bool:
        return self.tool is not None

    def correct(self, text: str) -> tuple[str, list[Change], list[dict[str, Any]]]:
        """Apply safe corrections to ``text``; return (text, changes, findings)."""
        if self.tool is None or not text.strip():
            return text, [], []
        try:
            matches = self.tool.check(text)
        except Exception as e:  # noqa: BLE001 - a grammar failure must never stop a batch
            return text, [], [{"rule": "LANGUAGETOOL_ERROR", "message": f"LanguageTool check failed: {e}"}]
        safe, rest = select_safe(matches, text)
        out, changes = apply_matches(text, safe)
        return out, changes, [finding(m) for m in rest]

    def close(self) -> None:
        if self.tool is not None:
            try:
                self.tool.close()
            except Exception:  # noqa: BLE001
                pass
            self.tool = None


def open_grammar(url: str | None = None, language: str = "en-US") -> Grammar:
    """Connect to LanguageTool at ``url`` or start a local server; never raises.

    Without ``url`` and without a local installation the result is unavailable
    with a message saying how to get one (nothing is downloaded here).
    """
    try:
        import language_tool_python
    except ImportError:
        return Grammar(None, "LanguageTool skipped: language-tool-python is not installed (pip install language-tool-python)")
    if url:
        try:
            tool = language_tool_python.LanguageTool(language, remote_server=url)
            tool.check("This is a test.")
            return Grammar(tool, f"LanguageTool at {url}")
        except Exception as e:  # noqa: BLE001
            return Grammar(None, f"LanguageTool skipped: server {url} did not answer ({type(e).__name__}: {str(e)[:120]})")
    if _local_installation() is None:
        return Grammar(None, "LanguageTool skipped: no local LanguageTool installation (run "
                             "`python -c \"import language_tool_python as l; l.LanguageTool('en-US')\"` once on a "
                             "connected machine, or pass --languagetool URL of a running server)")
    try:
        tool = language_tool_python.LanguageTool(language)
        return Grammar(tool, "LanguageTool (local server)")
    except Exception as e:  # noqa: BLE001
        return Grammar(None, f"LanguageTool skipped: the local server did not start ({type(e).__name__}: {str(e)[:120]})")
