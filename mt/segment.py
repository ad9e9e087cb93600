"""Segmentation that keeps a document's paragraphs and lines exactly.

A paragraph is split into lines, each line into sentences; a sentence longer
than the model takes well is split further at clause boundaries and, as a last
resort, at token-count boundaries.  Nothing is ever dropped or truncated:
``"".join`` of a line's sentence texts (with the whitespace recorded beside them)
gives the line back.

Examples::

    >>> split_sentences("创新是第一动力。人才是第一资源！", "zh")
    ['创新是第一动力。', '人才是第一资源！']
    >>> split_sentences('He said "Go." Then he left. It cost 3.5 m.', "en")
    ['He said "Go."', 'Then he left.', 'It cost 3.5 m.']
    >>> is_bypass("2018-07-09 14:35:39")
    True
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable

from cleanup.script import HAN

_CLOSERS = "”’」』）)》〉】\"'"

# ---------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """The form of a segment that is translated and cached: NFC, single spaces, stripped.

    >>> normalise("  大连\\u3000高新区  ")
    '大连 高新区'
    """
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- sentences

_ZH_END = re.compile(r"(?:[。！？；!?;]|…+|\.{3,})+[" + re.escape(_CLOSERS) + r"]*")

#: Abbreviations after which a full stop does not end an English sentence.
EN_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt no nos vs etc e.g i.e cf al approx dept est fig figs inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec gov gen col lt sgt rep sen hon rev u.s u.k u.n e.u
    a.m p.m ph.d b.a m.a vol pp ed eds op art sec ch para no.""".split()
)
_EN_END = re.compile(r"([.!?]+|…+)([" + re.escape(_CLOSERS) + r"]*)(\s+)(?=\S)")


def _split_zh(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _ZH_END.finditer(text):
        end = m.end()
        # An ASCII '.', '!' or '?' inside a run of Latin text (e.g. "3.5", "U.S.") is not an end.
        if text[m.start()] in "!?;" and end < len(text) and not HAN.search(text[end : end + 1] or "x"):
            if not text[end:end + 1].isspace():
                continue
        if text[start:end].strip():
            out.append(text[start:end])
            start = end
    if text[start:].strip():
        out.append(text[start:])
    elif out and text[start:]:
        out[-1] += text[start:]
    return out


def _en_boundary(before: str, punct: str, after: str) -> bool:
    """Does ``before + punct`` end a sentence, given the text ``after`` it?"""
    nxt = after.lstrip()[:1]
    if nxt.islower():
        return False
    if punct != ".":
        return True
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", before)
    if word:
        w = word.group(1).lower()
        if w in EN_ABBREVIATIONS or w.rstrip(".") in EN_ABBREVIATIONS:
            return False
        if len(w) == 1 and w.isalpha() and before[-2:-1] in ("", " ", "."):  # initials: "J. Smith"
            return False
    if not nxt:
        return True
    # Next sentence starts with an upper-case letter, a digit, a quote/bracket or a CJK character.
    return nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(«[" or bool(HAN.match(nxt))


def _split_en(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _EN_END.finditer(text):
        if not _en_boundary(text[start:m.start(1)], m.group(1)[-1], text[m.end():]):
            continue
        end = m.end(2)
        out.append(text[start:end])
        start = m.end(3)
    rest = text[start:]
    if rest.strip():
        out.append(rest)
    return out


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one line into sentences (``lang`` "zh" or "en"); whitespace between sentences is dropped.

    Chinese ends on 。！？；… (closing quotes and brackets stay with their sentence);
    English on . ! ? followed by space and a capital, digit or quote, except after
    common abbreviations and initials.
    """
    if not text.strip():
        return []
    parts = _split_zh(text) if lang.startswith("zh") else _split_en(text)
    return [p.strip() for p in parts if p.strip()]


# ---------------------------------------------------------------- bypass

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_ZH_DATE = re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?$")
_NO_WORDS = re.compile(r"^[\W\d_]+$")


def zh_date_to_en(text: str) -> str | None:
    """English form of a bare Chinese date, else None.

    >>> zh_date_to_en("2018年7月9日")
    'July 9, 2018'
    """
    m = _ZH_DATE.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    if not month:
        return year
    if not day:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return f"{_MONTHS[int(month) - 1]} {int(day)}, {year}"


def is_bypass(text: str) -> bool:
    """True for a segment of only numbers, dates, times and symbols (no words to translate)."""
    t = text.strip()
    if not t:
        return True
    return bool(_NO_WORDS.match(t)) and not HAN.search(t)


def bypass_output(text: str, src_lang: str, tgt_lang: str) -> str | None:
    """The output of a segment that does not need the model, or None when it does."""
    t = text.strip()
    if is_bypass(t):
        return t
    if src_lang.startswith("zh") and tgt_lang.startswith("en"):
        if not HAN.search(t):  # Latin text inside a Chinese document: nothing to translate
            return t
        return zh_date_to_en(t)
    return None


# ---------------------------------------------------------------- long segments

_ZH_CLAUSE = re.compile(r"(?<=[，、：:,；;—])")
_EN_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=(?:and|but|or|while|which|whereas|because|so that|as well as)\s)|\s+(?=[–—-]\s)")


def _cut_points(text: str, lang: str) -> list[int]:
    """Positions where ``text`` may be cut at a clause boundary."""
    rx = _ZH_CLAUSE if lang.startswith("zh") else _EN_CLAUSE
    return sorted({m.end() if lang.startswith("zh") else m.start() for m in rx.finditer(text)} - {0, len(text)})


def _space_near(text: str, pos: int, lo: int, hi: int) -> int | None:
    """The whitespace position in ``text[lo:hi]`` nearest ``pos``, if any."""
    best = None
    for m in re.finditer(r"\s+", text[lo:hi]):
        p = lo + m.start()
        if best is None or abs(p - pos) < abs(best - pos):
            best = p
    return best


def split_long(
    text: str,
    lang: str,
    count_tokens: Callable[[list[str]], list[int]],
    max_tokens: int,
) -> list[str]:
    """Split ``text`` into pieces of at most ``max_tokens`` model tokens, never dropping anything.

    The text is cut into about equal pieces; each cut goes to the clause boundary
    nearest its ideal place (，、；： for Chinese; commas, semicolons, dashes and
    before conjunctions for English), else to the nearest space (English), else
    at that character.  A piece still too long is split again.  Short text comes
    back as ``[text]``; the cost is linear in the length of the text.
    """
    return _split_long(text, lang, count_tokens, max_tokens, count_tokens([text])[0])


def _split_long(text, lang, count_tokens, max_tokens, n) -> list[str]:
    if n <= max_tokens or len(text) <= 1:
        return [text]
    k = max(2, -(-n // max(1, int(max_tokens * 0.85))))
    size = len(text) / k
    cuts = _cut_points(text, lang)
    positions: list[int] = []
    last = 0
    for i in range(1, k):
        target = i * size
        lo, hi = max(last + 1, int(target - size / 2)), min(len(text) - 1, int(target + size / 2))
        if lo > hi:
            continue
        j = bisect_left(cuts, lo)
        near = [c for c in cuts[max(0, j - 1): bisect_right(cuts, hi) + 1] if lo <= c <= hi]
        if near:
            pos = min(near, key=lambda c: abs(c - target))
        elif not lang.startswith("zh") and (sp := _space_near(text, int(target), lo, hi + 1)) is not None:
            pos = sp
        else:
            pos = int(target)
        if pos > last:
            positions.append(pos)
            last = pos
    bounds = [0] + positions + [len(text)]
    parts = [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        parts = [text[: len(text) // 2], text[len(text) // 2 :]]
    out: list[str] = []
    for part, m in zip(parts, count_tokens(parts)):
        out.extend(_split_long(part, lang, count_tokens, max_tokens, m))
    return out


# ---------------------------------------------------------------- documents


@dataclass
class Unit:
    """One sentence of a document: where it sits and what is translated."""

    para: int
    line: int
    text: str

    @property
    def key(self) -> tuple[int, int]:
        return (self.para, self.line)


def segment_paragraphs(paragraphs: Iterable[str], lang: str) -> list[Unit]:
    """Sentences of every line of every paragraph, in order, each with its paragraph and line index.

    A blank line inside a paragraph yields no unit; :func:`join_paragraphs` puts it back.
    """
    units: list[Unit] = []
    for p, para in enumerate(paragraphs):
        for li, line in enumerate(para.split("\n")):
            for sent in split_sentences(normalise(line), lang):
                units.append(Unit(p, li, sent))
    return units


def join_sentences(sentences: list[str], lang: str) -> str:
    """Join translated sentences of one line: with spaces for English, directly for Chinese."""
    sentences = [s.strip() for s in sentences if s and s.strip()]
    if lang.startswith("zh"):
        return "".join(sentences)
    return " ".join(sentences)


def join_paragraphs(paragraphs: list[str], units: list[Unit], outputs: list[str], tgt_lang: str) -> list[str]:
    """Rebuild one output paragraph per input paragraph (same line structure) from unit outputs."""
    by_line: dict[tuple[int, int], list[str]] = {}
    for u, out in zip(units, outputs):
        by_line.setdefault(u.key, []).append(out)
    result: list[str] = []
    for p, para in enumerate(paragraphs):
        lines = para.split("\n")
        result.append("\n".join(join_sentences(by_line.get((p, li), []), tgt_lang) for li in range(len(lines))))
    return result
