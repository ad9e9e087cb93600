"""Proposing English-Chinese document pairs from the figures they share.

A garbled English article and its Chinese original share numbers, percentages and
dates (1786, 21.68%, 2015) even when the English is unreadable.  Figures are
normalised on both sides (``1,786`` = ``1786``; ``6890万`` = ``68.9 million``;
``2015年`` = ``2015``; ``百分之三十`` = ``30%``) and weighted by how distinctive they
are: a percentage or a decimal is strong evidence, a year or a small number weak.

Proposals are recorded for every batch; they are used only with ``--auto-pair``.

>>> sorted(f.value for f in figures("增长21.68%，新设企业1089家，2015年"))
['1089', '2015', '21.68%']
>>> sorted(f.value for f in figures("an increase of 21.68%; 1,089 new firms in 2015"))
['1089', '2015', '21.68%']
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable

from mt.record import Document

#: minimum total weight of the shared figures for a proposal
MIN_SCORE = 6.0
#: minimum number of shared figures that are not years or small numbers
MIN_DISTINCTIVE = 3
#: shared weight over the smaller side's total weight
MIN_COVERAGE = 0.2


@dataclass(frozen=True)
class Figure:
    """A normalised figure: ``value`` such as "1786", "21.68%"; ``kind`` year/percent/decimal/number/small."""

    value: str
    kind: str

    @property
    def weight(self) -> float:
        return {"percent": 3.0, "decimal": 2.5, "number": 2.0, "year": 0.5, "small": 0.5}.get(self.kind, 0.0)


@dataclass
class Proposal:
    """A proposed pair: English document ``en_id`` has Chinese source ``zh_id``."""

    en_id: str
    zh_id: str
    score: float
    shared: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


_NUM = re.compile(
    r"(?<![0-9A-Za-z.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"  # 1,786 / 1786 / 21.68
    r"\s*(%|％|percent\b|per cent\b|万亿|万|亿|千|million\b|billion\b|thousand\b)?",
    re.I,
)
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)")
_MULT = {
    "万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12), "千": Decimal(1000),
    "thousand": Decimal(1000), "million": Decimal(10**6), "billion": Decimal(10**9),
}


def _zh_small_number(s: str) -> Decimal | None:
    """Chinese numerals below 1000, with an optional 点 decimal part: 三十 -> 30, 十二点五 -> 12.5."""
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = _zh_small_number(whole) if whole else Decimal(0)
        if w is None or not frac or any(c not in _ZH_DIGITS for c in frac):
            return None
        return Decimal(f"{int(w)}.{''.join(str(_ZH_DIGITS[c]) for c in frac)}")
    total, cur = 0, 0
    for c in s:
        if c in _ZH_DIGITS:
            cur = _ZH_DIGITS[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return Decimal(total + cur)


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _figure(value: Decimal, percent: bool, had_decimal: bool) -> Figure | None:
    v = _fmt(value)
    if percent:
        return Figure(v + "%", "percent")
    if value != value.to_integral_value():
        return Figure(v, "decimal")
    n = int(value)
    if 1900 <= n <= 2100 and not had_decimal:
        return Figure(v, "year")
    if n < 10:
        return None
    if n < 100:
        return Figure(v, "small")
    return Figure(v, "number")


def figures(text: str) -> set[Figure]:
    """Distinct normalised figures in an English or Chinese text (see module doc)."""
    text = unicodedata.normalize("NFKC", (text or "").replace("，", "; "))  # a Chinese comma separates
    found: set[Figure] = set()
    for m in _ZH_PERCENT.finditer(text):
        v = _zh_small_number(m.group(1))
        if v is not None:
            found.add(Figure(_fmt(v) + "%", "percent"))
    for m in _NUM.finditer(text):
        whole, frac, unit = m.group(1), m.group(2) or "", (m.group(3) or "").lower()
        try:
            value = Decimal(whole.replace(",", "") + frac)
        except InvalidOperation:  # pragma: no cover - the regex only lets digits through
            continue
        percent = unit in ("%", "％", "percent", "per cent")
        if unit in _MULT:
            value *= _MULT[unit]
        f = _figure(value, percent, bool(frac) or unit in _MULT)
        if f is not None:
            found.add(f)
    return found


def _text_of(doc: Document) -> str:
    return "\n".join(doc.paragraphs) if doc.paragraphs else doc.raw


def _eligible(docs: Iterable[Document]) -> tuple[list[Document], list[Document]]:
    en, zh = [], []
    for d in docs:
        if d.status != "ok":
            continue
        if d.lang == "zh":
            zh.append(d)
        elif d.lang == "en" and not d.source_text:
            en.append(d)
    return en, zh


def score_pair(en_figs: set[Figure], zh_figs: set[Figure]) -> tuple[float, list[str]]:
    """Evidence that two documents are translations of each other: (score, shared values).

    The score is 0 unless the shared figures are distinctive enough (see ``MIN_*``).
    """
    shared = en_figs & zh_figs
    if not shared:
        return 0.0, []
    weight = sum(f.weight for f in shared)
    distinctive = sum(1 for f in shared if f.kind in ("percent", "decimal", "number"))
    smaller = min(sum(f.weight for f in en_figs), sum(f.weight for f in zh_figs)) or 1.0
    values = sorted(f.value for f in shared)
    if weight < MIN_SCORE or distinctive < MIN_DISTINCTIVE or weight / smaller < MIN_COVERAGE:
        return 0.0, values
    return round(weight, 2), values


def propose_pairs(docs: Iterable[Document]) -> list[Proposal]:
    """Propose (English without source, Chinese) pairs, one-to-one, strongest evidence first.

    Uses the cleaned paragraphs when present (so figures in boilerplate such as phone
    numbers do not count), the raw text otherwise.
    """
    en, zh = _eligible(docs)
    if not en or not zh:
        return []
    zf = {d.id: figures(_text_of(d)) for d in zh}
    candidates: list[Proposal] = []
    for e in en:
        ef = figures(_text_of(e))
        for z in zh:
            s, shared = score_pair(ef, zf[z.id])
            if s > 0:
                candidates.append(Proposal(e.id, z.id, s, shared))
    candidates.sort(key=lambda p: (-p.score, p.en_id, p.zh_id))
    taken_en: set[str] = set()
    taken_zh: set[str] = set()
    out: list[Proposal] = []
    for p in candidates:
        if p.en_id in taken_en or p.zh_id in taken_zh:
            continue
        taken_en.add(p.en_id)
        taken_zh.add(p.zh_id)
        out.append(p)
    return out


def apply_pairs(docs: list[Document], proposals: Iterable[Proposal]) -> int:
    """Attach each proposed Chinese document as the source of its English one; returns how many."""
    by_id = {d.id: d for d in docs}
    n = 0
    for p in proposals:
        e, z = by_id.get(p.en_id), by_id.get(p.zh_id)
        if e is None or z is None or e.source_text:
            continue
        e.source_text = z.raw
        e.source_origin = z.origin or z.id
        e.source_pairing = "auto"
        n += 1
    return n
