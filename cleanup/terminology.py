"""Terminology: a user-extendable glossary of Chinese terms and garbled English renderings.

The glossary is a TSV file (see ``cleanup/data/glossary.tsv`` for the format and
the shipped starter entries): ``SOURCE<TAB>TARGET[<TAB>if:WORD]``.  Chinese
sources are protected before MT (the engine asks :meth:`Glossary.find_source_terms`
where they are) and English sources are garbled renderings that
:meth:`Glossary.fix_english` replaces by the standard English, each replacement
recorded as a :class:`cleanup.record.Change`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cleanup.script import HAN
from cleanup.errors import UserError
from cleanup.record import Change

SHIPPED = Path(__file__).parent / "data" / "glossary.tsv"
_WORDS = re.compile(r"[a-z0-9]+")
_SEPS = re.compile(r"[\s-]+")
_NEXT_LETTER = re.compile(r"\s+([A-Za-z])")
# Characters that IGNORECASE matching or lower() relate to ASCII letters ("K" Kelvin, long s,
# dotted and dotless i): a text with one of them is matched against the whole glossary.
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a Chinese text: ``text[start:end] == source``."""

    start: int
    end: int
    source: str
    target: str


def read_tsv(path: str | Path) -> list[tuple[str, str, str | None]]:
    """Read glossary entries ``(source, target, condition)`` from a TSV file."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise UserError(f"cannot read glossary {p}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise UserError(f"glossary {p} is not UTF-8 text; save it as UTF-8 TSV (SOURCE<TAB>TARGET)") from None
    entries = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise UserError(f"glossary {p} line {n}: expected SOURCE<TAB>TARGET, got {line.strip()!r}")
        cond = None
        if len(cols) > 2 and cols[2]:
            if not cols[2].startswith("if:") or len(cols[2]) <= 3:
                raise UserError(f"glossary {p} line {n}: third column must be if:WORD, got {cols[2]!r}")
            cond = cols[2][3:]
        entries.append((cols[0], cols[1], cond))
    return entries


def _norm_en(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower()).strip()


def _match_case(found: str, target: str, text: str, end: int, start: int) -> str:
    """Carry the capitalisation of the replaced words over to a lower-case target."""
    if target != target.lower():
        return target  # the target has its own capitals (names): keep them
    if not found[:1].isupper():
        return target
    nxt = _NEXT_LETTER.match(text, end)
    before = text[:start].rstrip()
    if nxt and nxt.group(1).isupper() and not before.endswith((".", "!", "?")):
        return " ".join(w if w in ("and", "of", "the") else w[:1].upper() + w[1:] for w in target.split(" "))
    if not before or before.endswith((".", "!", "?", '"', "“", ":")):
        return target[:1].upper() + target[1:]
    return target


def _sub_at_words(pattern: re.Pattern[str], repl, text: str, lower: str, first_words: set[str]) -> str:
    """``pattern.sub(repl, text)`` for an ASCII text where every match starts with one of ``first_words``.

    Only the places where such a word starts (found with ``str.find`` in the
    lower-cased text) are tried, from left to right, as ``sub`` would find them.
    """
    starts = set()
    for word in first_words:
        at = lower.find(word)
        while at >= 0:
            starts.add(at)
            at = lower.find(word, at + 1)
    pieces: list[str] = []
    last = 0
    for at in sorted(starts):
        if at < last:
            continue
        m = pattern.match(text, at)
        if m is not None:
            pieces.append(text[last:at])
            pieces.append(repl(m))
            last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


class Glossary:
    """Chinese terms (``zh_en``) and English fixes (``en_fixes``, with optional conditions)."""

    def __init__(self, zh_en: dict[str, str] | None = None, en_fixes: dict[str, str] | None = None,
                 conditions: dict[str, str] | None = None):
        self.zh_en = dict(zh_en or {})
        self.en_fixes = dict(en_fixes or {})
        self.conditions = dict(conditions or {})  # english source (lower) -> word that must occur
        self._zh_re: re.Pattern[str] | None = None
        self._en_re: re.Pattern[str] | None = None
        self._en_lookup: dict[str, str] = {}
        self._en_first: dict[str, list[str]] = {}
        self._en_alts: list[tuple[str, str]] = []  # (lookup key, regex alternative), in match order
        self._en_always: frozenset[str] = frozenset()  # keys a word scan cannot rule out
        self._en_subsets: dict[frozenset[str], re.Pattern[str]] = {}
        self._en_needles: tuple[str, ...] = ()  # the longest word of each entry
        self._en_by_needle: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # needle -> (key, its words)

    @classmethod
    def load(cls, path: str | Path | None = None, *, shipped: bool = True) -> "Glossary":
        """The shipped starter glossary, extended (and overridden) by the TSV file at ``path``.

        >>> g = Glossary.load()
        >>> g.zh_en["双创"]
        'mass entrepreneurship and innovation'
        """
        entries = read_tsv(SHIPPED) if shipped else []
        if path is not None:
            entries += read_tsv(path)
        g = cls()
        for src, tgt, cond in entries:
            if HAN.search(src):
                g.zh_en[src] = tgt
            else:
                norm = _norm_en(src)
                for other in [k for k in g.en_fixes if _norm_en(k) == norm]:
                    del g.en_fixes[other]  # a later entry (the user's) replaces the same rendering
                g.en_fixes[src] = tgt
                if cond:
                    g.conditions[src.lower()] = cond
                else:
                    g.conditions.pop(src.lower(), None)
        return g

    # ---------------------------------------------------------------- Chinese side

    def find_source_terms(self, text: str) -> list[TermHit]:
        """Non-overlapping glossary terms in a Chinese text, longest first at each place.

        >>> [(h.source, h.target) for h in Glossary.load().find_source_terms("大连高新区双创平台")]
        [('大连高新区', 'Dalian High-tech Zone'), ('双创', 'mass entrepreneurship and innovation')]
        """
        if not self.zh_en:
            return []
        if self._zh_re is None:
            alts = sorted(self.zh_en, key=len, reverse=True)
            self._zh_re = re.compile("|".join(map(re.escape, alts)))
        return [TermHit(m.start(), m.end(), m.group(0), self.zh_en[m.group(0)]) for m in self._zh_re.finditer(text)]

    # ---------------------------------------------------------------- English side

    def _english_re(self) -> re.Pattern[str] | None:
        if self._en_re is None and self.en_fixes:
            self._en_lookup = {}
            alts = []
            self._en_alts = []
            for src in sorted(self.en_fixes, key=len, reverse=True):
                key = _SEPS.sub(" ", src.lower())
                self._en_lookup[key] = src
                words = [re.escape(w) for w in _SEPS.split(src)]
                sep = r"[\s-]+" if "-" in src else r"\s+"
                alts.append(sep.join(words))
                self._en_alts.append((key, alts[-1]))
            self._en_re = self._compile_alts(alts)
            self._en_first = {}
            for key in self._en_lookup:
                self._en_first.setdefault(key.split(" ")[0], []).append(key)
            self._en_always = frozenset(k for k in self._en_lookup if " ".join(_WORDS.findall(k)) != k)
            # The longest word ("needle") of each entry that the word scan of fix_english can find
            # (the others never pass it) -> those entries, each with all its words.
            self._en_by_needle = {}
            for k in self._en_lookup:
                if k not in self._en_always:
                    words = k.split(" ")
                    self._en_by_needle.setdefault(max(words, key=len), []).append((k, tuple(set(words))))
            self._en_needles = tuple(sorted(self._en_by_needle))
            self._en_subsets = {}
        return self._en_re

    @staticmethod
    def _compile_alts(alts: list[str]) -> re.Pattern[str]:
        return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)

    def _pattern_for(self, keys: frozenset[str]) -> re.Pattern[str]:
        """The English pattern restricted to the entries ``keys`` (and those a word scan cannot rule out).

        An entry left out cannot match: its words do not occur in a row in the text.
        The alternatives keep their order, so the matches are those of the whole pattern.
        """
        keys = keys | self._en_always
        pattern = self._en_subsets.get(keys)
        if pattern is None:
            if len(self._en_subsets) > 1000:
                self._en_subsets.clear()
            pattern = self._compile_alts([alt for key, alt in self._en_alts if key in keys])
            self._en_subsets[keys] = pattern
        return pattern

    def fix_english(self, text: str) -> tuple[str, list[Change]]:
        """Replace garbled renderings by the standard English; every replacement recorded.

        >>> Glossary.load().fix_english("Dalian high tech Zone promotes double creation.")[0]
        'Dalian High-tech Zone promotes mass entrepreneurship and innovation.'
        """
        pattern = self._english_re()
        if pattern is None:
            return text, []
        lower = text.lower()
        hit = [w for w in self._en_needles if w in lower]
        if not hit and not self._en_always:
            return text, []  # quick exit: every entry misses its longest word
        fast = text.isascii() and not self._en_always
        if fast:
            # An entry can match only where all its words occur in the lower-cased text.
            candidates = frozenset(k for w in hit for k, words in self._en_by_needle[w] if all(x in lower for x in words))
            if not candidates:
                return text, []  # quick exit: no entry can match
            pattern = self._pattern_for(candidates)
        else:
            # Entries whose first word is one of the text's words and whose words follow in a
            # row; the entries a word scan cannot see (``_en_always``) are always tried.
            words = _WORDS.findall(lower)
            flat = " ".join(words)
            present = self._en_first.keys() & set(words)
            candidates = frozenset(k for w in present for k in self._en_first[w] if k in flat)
            if not candidates and not self._en_always:
                return text, []  # quick exit: no entry can match
            if text.isascii() or not _ODD_CASE.search(text):  # (else the word scan may miss a match)
                pattern = self._pattern_for(candidates)
        changes: list[Change] = []

        def repl(m: re.Match[str]) -> str:
            found = m.group(0)
            src = self._en_lookup.get(_SEPS.sub(" ", found.lower()))
            if src is None:
                return found
            cond = self.conditions.get(src.lower())
            if cond and cond.lower() not in lower:
                return found
            target = self.en_fixes[src]
            if found == target:
                return found
            new = _match_case(found, target, text, m.end(), m.start())
            if new != found:
                changes.append(Change("terminology", found, new, f"glossary: {src!r} is rendered {target!r}"))
            return new

        if fast:
            out = _sub_at_words(pattern, repl, text, lower, {k.split(" ")[0] for k in candidates})
        else:
            out = pattern.sub(repl, text)
        return out, changes
