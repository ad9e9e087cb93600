"""Guarded round-trip normalisation of English without a source: en -> zh -> en per sentence.

A sentence is replaced by its round trip only when all of these hold:

- both legs pass the guards (no loop, no length outlier, no dropped number, no Chinese left);
- the figures match (the same numbers written with digits as the original);
- the capitalised names of the original are all still there;
- it reads less garbled than the original (``score``, lower is better).

Otherwise the original sentence is kept.  Every decision is recorded with its reasons.

Example::

    result = normalise(["Dalian high tech Zone fall again and again."], en_zh, zh_en)
    result.paragraphs        # one paragraph per input paragraph
    result.decisions[0]      # Decision(para=0, line=0, src=..., candidate=..., kept='original', reasons=['not less garbled'], ...)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from eval import garble_score
from mt.guards import numbers
from mt.record import Decision
from mt.segment import bypass_output, join_paragraphs, segment_paragraphs

#: Capitalised words that are not names (sentence openers, function words).
_NOT_NAMES = frozenset("""A An The This That These Those It Its In On At Of For To By With From As And But Or If
When While Since After Before During We Our You Your He She They Their There Here What Which Who How Why I
Mr Mrs Ms Dr Up Now Then So Also However Moreover Meanwhile According Just""".split())


@dataclass
class RoundTripResult:
    """``paragraphs`` (one per input), ``decisions`` (one :class:`mt.record.Decision` per sentence), ``stats``."""

    paragraphs: list[str]
    decisions: list[Decision] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def names(text: str) -> set[str]:
    """Capitalised words that look like names (not the first word of the sentence, not function words).

    >>> sorted(names("In 2015, Dalian High-tech Zone and the Communist Youth League met."))
    ['Communist', 'Dalian', 'High-tech', 'League', 'Youth', 'Zone']
    """
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", text)
    return {w for i, w in enumerate(words) if i > 0 and w[0].isupper() and w not in _NOT_NAMES}


def _translate(engine, texts: list[str]) -> list[tuple[str, list[str], bool]]:
    """(output, flags, from cache) per text, with an Engine or anything offering translate_paragraphs."""
    if not texts:
        return []
    if hasattr(engine, "translate_segments"):
        return [(s.out, list(s.flags), s.cached) for s in engine.translate_segments(texts)]
    res = engine.translate_paragraphs(texts)
    flags: dict[int, list[str]] = {}
    cached: dict[int, bool] = {}
    for s in getattr(res, "segments", []) or []:
        p = int(s.get("para", 0))
        flags.setdefault(p, []).extend(s.get("flags", []))
        cached[p] = cached.get(p, True) and bool(s.get("cached"))
    return [(out, flags.get(i, []), cached.get(i, False)) for i, out in enumerate(res.paragraphs)]


def decide(original: str, candidate: str, flags: list[str], score: Callable[[str], float]) -> tuple[bool, list[str], float, float]:
    """Whether ``candidate`` replaces ``original``: (accept, reasons against, score before, score after)."""
    reasons = []
    if flags:
        reasons.append("guards: " + ", ".join(flags))
    if not candidate.strip():
        reasons.append("empty round trip")
    if numbers(original, words=False) != numbers(candidate, words=False):
        reasons.append("figures differ")
    lost = names(original) - names(candidate)
    if lost:
        reasons.append("names lost: " + ", ".join(sorted(lost)))
    before, after = float(score(original)), float(score(candidate)) if candidate.strip() else 1.0
    if not after < before:
        reasons.append("not less garbled")
    return not reasons, reasons, before, after


def normalise(paragraphs: list[str], en_zh, zh_en, score: Callable[[str], float] | None = None) -> RoundTripResult:
    """Normalise English paragraphs sentence by sentence through a guarded en->zh->en round trip.

    ``en_zh`` and ``zh_en`` are :class:`mt.engine.Engine` objects (or anything with
    ``translate_paragraphs``); ``score`` is the garble score (default
    ``eval.garble_score``).  Paragraph and line structure are kept exactly.
    ``stats``: segments, accepted, kept, round_trips, translated (model
    translations run, both legs), cached (served from the cache).
    """
    if score is None:
        score = garble_score
    paragraphs = list(paragraphs)
    units = segment_paragraphs(paragraphs, "en")
    todo = [i for i, u in enumerate(units) if bypass_output(u.text, "en", "zh") is None]
    forward = _translate(en_zh, [units[i].text for i in todo])
    back = _translate(zh_en, [zh for zh, _, _ in forward])
    outputs = [u.text for u in units]
    decisions = [
        Decision(para=u.para, line=u.line, src=u.text, zh=None, candidate=None, out=u.text, kept="original",
                 reasons=["nothing to translate"], score_before=None, score_after=None)
        for u in units
    ]
    for i, (zh, f1, _), (cand, f2, _) in zip(todo, forward, back):
        flags = [f"en-zh {f}" for f in f1] + [f"zh-en {f}" for f in f2]
        u = units[i]
        ok, reasons, before, after = decide(u.text, cand, flags, score)
        if ok:
            outputs[i] = cand
        decisions[i] = Decision(para=u.para, line=u.line, src=u.text, zh=zh, candidate=cand, out=outputs[i],
                                kept="roundtrip" if ok else "original", reasons=reasons,
                                score_before=before, score_after=after)
    accepted = sum(1 for d in decisions if d.kept == "roundtrip")
    from_cache = sum(c for _, _, c in forward) + sum(c for _, _, c in back)
    stats = {"segments": len(units), "accepted": accepted, "kept": len(units) - accepted, "round_trips": len(todo),
             "translated": 2 * len(todo) - from_cache, "cached": from_cache}
    return RoundTripResult(join_paragraphs(paragraphs, units, outputs, "en"), decisions, stats)
