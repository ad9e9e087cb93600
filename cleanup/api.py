"""Front-door functions of the cleanup package.

``clean_source`` runs the source-side stages in order (boilerplate, Unicode,
whitespace, Chinese script, paragraphs); ``clean_english`` the English-side ones
(post-MT repair, width/punctuation, terminology, grammar).  Each stage returns
what it changed, so the caller can show a user every removal and replacement.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from cleanup.boilerplate import _norm_key, strip_boilerplate
from cleanup.postmt import clean_mt_line, repair_english_line
from cleanup.repair import fix_unicode, fix_whitespace, repair_paragraphs
from cleanup.script import detect_language, detect_script, to_simplified
from cleanup.record import Change, Removed

__all__ = ["CleanResult", "CorpusLines", "clean_source", "clean_english", "clean_mt_line", "clean_html"]


@dataclass
class CleanResult:
    """What :func:`clean_source` kept, removed (with reasons), lifted out and changed."""

    paragraphs: list[str]
    removed: list[Removed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The cleaned text, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


class CorpusLines:
    """Counts of normalised lines across the documents of a batch.

    A line that recurs in many documents of a batch is chrome of the site
    (menus, footers, slogans).  Build one over the raw texts of the batch and
    pass it to :func:`clean_source`:

    >>> corpus = CorpusLines(["A story.\\nShare this page", "Another.\\nShare this page", "Third.\\nShare this page"])
    >>> corpus.count("share this page "), corpus.threshold()
    (3, 3)
    """

    def __init__(self, texts: Iterable[str] = ()):
        self.counts: dict[str, int] = {}
        self.ndocs = 0
        for t in texts:
            self.add(t)

    def add(self, text: str) -> None:
        """Count the distinct lines of one more document."""
        self.ndocs += 1
        keys = set(map(_norm_key, text.splitlines()))
        keys.discard("")  # blank lines
        counts = self.counts
        for line in keys:
            counts[line] = counts.get(line, 0) + 1

    def count(self, line: str) -> int:
        """In how many documents the (normalised) line occurs."""
        return self.counts.get(_norm_key(line), 0)

    def threshold(self) -> int:
        """Documents a line must occur in to count as chrome: 3, or 2% of a large batch."""
        return max(3, math.ceil(0.02 * self.ndocs))


def clean_source(text: str, *, lang: str | None = None, corpus: CorpusLines | None = None,
                 script_config: str | None = "t2s") -> CleanResult:
    """Strip boilerplate and repair a source document (Chinese or English).

    ``lang`` is "zh" or "en" (detected when None or "mixed"/"unknown");
    ``script_config`` is the OpenCC conversion applied to Traditional Chinese
    (t2s, tw2s, hk2s; None keeps the script).  Removed lines keep their raw line
    numbers; metadata (date, source, author, editor) is lifted from them.

    >>> r = clean_source("首页>新闻 > 正文\\n大连高新区\\n来源:导报 作者:叶伟\\n创新是引领发展的第一动力。", lang="zh")
    >>> r.paragraphs, r.metadata
    (['大连高新区', '创新是引领发展的第一动力。'], {'source': '导报', 'author': '叶伟', 'title': '大连高新区'})
    """
    if lang not in ("zh", "en"):
        detected, _ = detect_language(text)
        lang = "zh" if detected == "zh" else "en"
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    stripped = strip_boilerplate(text.split("\n"), lang, corpus)
    changes: list[Change] = list(stripped.changes)
    paragraphs: list[str] = []
    standalone: set[int] = set()  # paragraphs never joined to a neighbour: headline, dateline, byline
    title_at = None
    for i, line in stripped.kept:
        line, ch = fix_unicode(line, lang)
        changes += ch
        line, ch = fix_whitespace(line, lang)
        changes += ch
        if line:
            if i in stripped.standalone:
                standalone.add(len(paragraphs))
            if i == stripped.title_line:
                title_at = len(paragraphs)
            paragraphs.append(line)
    if lang == "zh" and script_config and paragraphs:
        joined = "\n".join(paragraphs)
        if detect_script(joined) == "Hant":
            converted = to_simplified(joined, script_config).split("\n")
            for before, after in zip(paragraphs, converted):
                if before != after:
                    changes.append(Change("script", before, after, f"Traditional Chinese converted to Simplified (OpenCC {script_config})"))
            paragraphs = converted
    metadata = dict(stripped.metadata)
    if title_at is not None:
        metadata["title"] = paragraphs[title_at]
    paragraphs, ch = repair_paragraphs(paragraphs, lang, standalone=standalone)
    changes += ch
    return CleanResult(paragraphs=paragraphs, removed=stripped.removed, metadata=metadata, changes=changes)


def clean_html(html: str, *, lang: str | None = None, corpus: CorpusLines | None = None,
               script_config: str | None = "t2s") -> CleanResult:
    """Main text of an HTML page (trafilatura), then the plain-text stage of :func:`clean_source`."""
    from cleanup.htmltext import html_to_text

    return clean_source(html_to_text(html), lang=lang, corpus=corpus, script_config=script_config)


_GRAMMARS: dict[str, Any] = {}


def _grammar_for(url: str):
    """One LanguageTool connection per URL ("local": a local server) for the whole process."""
    if url not in _GRAMMARS:
        from cleanup.grammar import open_grammar

        _GRAMMARS[url] = open_grammar(None if url == "local" else url)
    return _GRAMMARS[url]


def clean_english(paragraphs: list[str], *, glossary=None, grammar=None,
                  repaired: bool = False) -> tuple[list[str], list[Change], list[dict[str, Any]]]:
    """Repair English paragraphs after MT or normalisation.

    Repetition loops, spacing and punctuation (:mod:`cleanup.postmt`), full-width
    forms, whitespace, then the glossary's English fixes (``glossary``: a
    :class:`cleanup.terminology.Glossary`, or True for the shipped one) and safe
    LanguageTool corrections (``grammar``: a :class:`cleanup.grammar.Grammar`, a
    server URL, or "local"; opened once per process and reused).  ``repaired=True`` says
    the paragraphs come unchanged from :func:`clean_source` (light route, or no MT), whose
    Unicode and whitespace repair is then not done a second time.  Returns ``(paragraphs, changes, findings)``; findings are
    grammar matches not applied, and a note when LanguageTool was skipped.

    >>> clean_english(["Xinjiang Xinjiang Xinjiang is large ."])[0]
    ['Xinjiang is large.']
    """
    if glossary is True:
        from cleanup.terminology import Glossary

        glossary = Glossary.load()
    if isinstance(grammar, str):
        grammar = _grammar_for(grammar)
    changes: list[Change] = []
    findings: list[dict[str, Any]] = []
    if grammar is not None and not getattr(grammar, "available", True):
        findings.append({"rule": "LANGUAGETOOL_SKIPPED", "message": grammar.message})
        grammar = None
    out: list[str] = []
    for para in paragraphs:
        text = para
        if not repaired:
            text, ch = fix_unicode(text, "en")
            changes += ch
            text, ch = fix_whitespace(text, "en")
            changes += ch
        text, ch = repair_english_line(text)
        changes += ch
        if glossary is not None:
            text, ch = glossary.fix_english(text)
            changes += ch
        if grammar is not None:
            text, ch, found = grammar.correct(text)
            changes += ch
            findings += found
        if text:
            out.append(text)
    return out, changes, findings
