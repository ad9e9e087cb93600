"""Proposing the Chinese source of English documents, in a batch or from an indexed collection.

Every English document without a source is looked up in a :class:`mt.sources.SourceIndex`:
one built in memory from the batch's own Chinese documents, or a collection indexed on
disk beforehand (``retranslate sources index``, then ``retranslate run --sources DIR``).
The evidence is the English-side terms the two documents share (dictionary
translations of words, names and their pinyin, figures with their magnitudes; see
:mod:`mt.sources`): the best candidate's idf-weighted share of the English terms
(``coverage``), and the share of the English figures it lacks (``figures_missing``).  A
logistic calibration, fitted on newstest2017 by ``bench/pairing.py --fit``, turns the two
into the probability that the pair is right; a proposal needs :data:`MIN_PROBABILITY`, and
evidence of another kind than dictionary words: a distinctive name, figure or date the two
share (``specific``).  Two articles on one subject share its vocabulary (innovation,
upgrading, talent workstation), and where the collection is small (a batch with one Chinese
document) nothing tells that vocabulary from rare words but the dictionary's prior; a
translation also keeps its source's names, figures or dates.
A best candidate whose runner-up comes close (:data:`MAX_AMBIGUITY`) is not proposed; how
far it leads (``margin``) is recorded.

Proposals are recorded for every batch; they are used only with ``--auto-pair``.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from mt import sources
from mt.record import Document

#: logistic calibration (coverage, figures missing, intercept), fitted by ``bench/pairing.py --fit``
CALIBRATION = (24.217, -2.271, -6.579)
#: the calibrated probability a proposal needs, and the runner-up's coverage relative to the
#: best one from which on the best is not told apart (set with bench/pairing.py on newstest2017
#: and 2018: every wrong proposal and false pair there had a probability under 0.82 or a
#: runner-up at 0.74 of the best or more; the few right ones that close cost under 1 % recall)
MIN_PROBABILITY = 0.82
MAX_AMBIGUITY = 0.74
#: a translation states the figures of its source: with most English figures absent from it
#: (of three or more), a Chinese document is not proposed whatever else it shares (2 of 1,562
#: right proposals on newstest had more missing)
MAX_FIGURES_MISSING = 0.8


@dataclass
class Proposal:
    """A proposed pair: English document ``en_id`` has Chinese source ``zh_id``, with the evidence."""

    en_id: str
    zh_id: str
    score: float  # calibrated probability that the pair is right
    coverage: float = 0.0  # idf-weighted share of the English terms the Chinese document has
    margin: float = 0.0  # coverage lead over the next best Chinese document
    shared: list[str] = field(default_factory=list)  # the rarest shared terms
    origin: str = ""  # where the Chinese document came from
    figures_missing: float = 0.0  # share of the English figures the Chinese document lacks
    specific: list[str] = field(default_factory=list)  # the shared distinctive names, figures and dates

    def to_dict(self) -> dict:
        return asdict(self)


def features(cands: Sequence[sources.Candidate]) -> list[float]:
    """What the calibration weighs: the best candidate's coverage of the English terms and the
    share of the English figures it lacks.

    The lead over the runner-up is recorded but not weighed: a batch with one Chinese document
    has no runner-up, and a collection may hold the same article twice.
    """
    if not cands:
        return [0.0, 0.0]
    return [cands[0].score, cands[0].figures_missing]


def probability(cands: Sequence[sources.Candidate]) -> float:
    """Calibrated probability that the best candidate is the source."""
    if not cands:
        return 0.0
    z = sum(w * x for w, x in zip(CALIBRATION, features(cands))) + CALIBRATION[-1]
    return 1 / (1 + math.exp(-z))


def ambiguity(cands: Sequence[sources.Candidate]) -> float:
    """The runner-up's coverage over the best one's (0: no runner-up, 1: a tie)."""
    if len(cands) < 2 or cands[0].score <= 0:
        return 0.0
    return cands[1].score / cands[0].score


def verdict(cands: Sequence[sources.Candidate]) -> tuple[sources.Candidate | None, str]:
    """The best candidate when it is likely enough to be the source and stands out (else None),
    and why, in words."""
    if not cands:
        return None, "no Chinese document shares a distinctive term"
    best, p = cands[0], probability(cands)
    if p < MIN_PROBABILITY:
        return None, f"probability {p:.2f} under {MIN_PROBABILITY}"
    if ambiguity(cands) >= MAX_AMBIGUITY:
        return None, f"the runner-up {cands[1].key} comes close ({ambiguity(cands):.2f} of the best coverage)"
    if best.figures_missing > MAX_FIGURES_MISSING:
        missing = round(best.figures_missing * best.figures)
        return None, f"{missing} of the {best.figures} English figures are not in {best.key}"
    if not best.specific:
        return None, f"{best.key} shares only dictionary words (no distinctive name, figure or date)"
    return best, f"probability {p:.2f}"


def decide(cands: Sequence[sources.Candidate]) -> sources.Candidate | None:
    """The best candidate when it is likely enough to be the source and stands out, else None."""
    return verdict(cands)[0]


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


def _proposal(en_id: str, cands: Sequence[sources.Candidate]) -> Proposal | None:
    best = decide(cands)
    if best is None:
        return None
    margin = best.score - (cands[1].score if len(cands) > 1 else 0.0)
    return Proposal(en_id, best.key, round(probability(cands), 4), best.score, round(margin, 4),
                    [sources.describe(t) for t in best.shared], best.origin, best.figures_missing,
                    [sources.describe(t) for t in best.specific])


def propose_pairs(docs: Iterable[Document], index: sources.SourceIndex | None = None) -> list[Proposal]:
    """Propose a Chinese source for each English document without one, strongest evidence first.

    Candidates come from the batch's own Chinese documents (paired one-to-one) and, when
    ``index`` is given, from that collection (a collection document may be the source of
    several reposts).  Uses the cleaned paragraphs when present (so boilerplate such as
    phone numbers does not count), the raw text otherwise.
    """
    en, zh = _eligible(docs)
    if not en or not (zh or index is not None and len(index)):
        return []
    batch = None
    if zh:
        batch = sources.SourceIndex(None)
        batch.add_terms((d.id, d.origin or d.id, sources.zh_terms(_text_of(d)), None) for d in zh)
    in_batch: list[Proposal] = []
    from_index: dict[str, Proposal] = {}
    for e in en:
        terms = sources.en_terms(_text_of(e))
        if batch is not None:
            p = _proposal(e.id, batch.search(terms))
            if p is not None:
                in_batch.append(p)
        if index is not None:
            p = _proposal(e.id, index.search(terms))
            if p is not None:
                from_index[e.id] = p
    if batch is not None:
        batch.close()
    in_batch.sort(key=lambda p: (-p.score, p.en_id, p.zh_id))
    taken_en: set[str] = set()
    taken_zh: set[str] = set()
    out: list[Proposal] = []
    for p in in_batch:
        if p.en_id in taken_en or p.zh_id in taken_zh:
            continue
        other = from_index.get(p.en_id)
        if other is not None and other.score > p.score:
            continue
        taken_en.add(p.en_id)
        taken_zh.add(p.zh_id)
        out.append(p)
    out.extend(p for e, p in from_index.items() if e not in taken_en)
    order = {d.id: i for i, d in enumerate(en)}
    return sorted(out, key=lambda p: order[p.en_id])


def apply_pairs(docs: list[Document], proposals: Iterable[Proposal], index: sources.SourceIndex | None = None) -> int:
    """Attach each proposed Chinese document as the source of its English one; returns how many.

    A proposal from the batch takes the batch document's text; one from ``index`` the text
    stored there.
    """
    by_id = {d.id: d for d in docs}
    n = 0
    for p in proposals:
        e = by_id.get(p.en_id)
        if e is None or e.source_text:
            continue
        z = by_id.get(p.zh_id)
        if z is not None and z.lang == "zh" and p.origin == (z.origin or z.id):
            text, origin = z.raw, z.origin or z.id
        elif index is not None and (text := index.text(p.zh_id)) is not None:
            origin = p.origin or p.zh_id
        else:
            continue
        e.source_text = text
        e.source_origin = origin
        e.source_pairing = "auto"
        n += 1
    return n
