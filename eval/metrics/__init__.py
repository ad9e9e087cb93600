"""Corpus, document and sentence scores through sacrebleu, each with its signature.

BLEU (13a), chrF2, chrF++ and TER are sacrebleu's metrics, one module each
(:mod:`eval.metrics.bleu`, :mod:`eval.metrics.chrf`, :mod:`eval.metrics.ter`)
over the small interface in :mod:`eval.metrics.base`, and listed once in
:data:`ALL`, which scoring, reports and the CLI read.  The BLEU and chrF
statistics of every segment are counted by :mod:`eval.ngram_stats` (numpy,
all segments at once; the same integers as sacrebleu's own pure-Python
extraction, which the tests check), the scores and signatures come from
sacrebleu's metric classes (through :mod:`eval.sacrebleu_compat`, the one
place that touches sacrebleu's private API), and TER statistics from
sacrebleu's TER with a faster edit-distance table (:mod:`eval.ter_fast`).
Statistics are extracted once per segment and summed, so one pass gives the
corpus score, any per-document score (sum over that document's segments) and
sentence-level chrF for highlighting weak sentences.

Adding a metric: a module with a :class:`~eval.metrics.base.Metric` subclass
and one entry in :data:`ALL`.

>>> s = corpus_scores(["The cat sat on the mat."], ["The cat sat on the mat."], ter=False)
>>> round(s["BLEU"].score, 1), round(s["chrF2"].score, 1)
(100.0, 100.0)
"""
from __future__ import annotations

from typing import Sequence

import sacrebleu

from eval.metrics.base import Metric, MetricScore, SegmentStats, check_aligned, sum_of_lists
from eval.metrics.bleu import Bleu
from eval.metrics.chrf import CHRF2, CHRFPP, sentence_chrf, sentence_chrf_from_rows
from eval.metrics.ter import Ter
from eval.parallel import default_jobs, fork_pool

#: every metric, in the order scores are printed; ``optional`` ones only on request
ALL: tuple[Metric, ...] = (Bleu(), CHRF2, CHRFPP, Ter())
#: their names
METRICS = tuple(m.name for m in ALL)


def _warn_tokenized(hyps: Sequence[str]) -> None:
    """sacrebleu's warning about tokenized input (100 or more lines ending in " .")."""
    if sum(h.endswith(" .") for h in hyps) >= 100:
        sacrebleu.utils.sacrelogger.warning(
            "That's 100 lines that end in a tokenized period ('.'); it looks like the data is not "
            "detokenized, which may hurt the score.")


def selected(optional: bool) -> list[Metric]:
    """The metrics to compute: all of them, or only the non-optional ones."""
    return [m for m in ALL if optional or not m.optional]


def segment_stats(hyps: Sequence[str], refs: Sequence[str], *, ter: bool = True,
                  jobs: int | None = None) -> SegmentStats:
    """Extract sacrebleu statistics for every (hyp, ref) pair, once per extraction.

    ``ter`` also extracts the optional metrics' statistics (TER); ``jobs`` worker
    processes for them on long inputs (default: the CPU count; 1 = serial).
    """
    check_aligned(hyps, refs)
    hyps, refs = list(hyps), list(refs)
    _warn_tokenized(hyps)
    st = SegmentStats()
    for m in selected(ter):
        if m.stats not in st.rows:
            st.rows[m.stats] = m.extract(hyps, refs, jobs)
    return st


def scores_from_stats(st: SegmentStats, idx: Sequence[int] | None = None) -> dict[str, MetricScore]:
    """Scores of the segments ``idx`` (all when None) from extracted statistics."""
    rows = range(len(st)) if idx is None else idx
    out: dict[str, MetricScore] = {}
    if not len(rows):
        return out
    sums: dict[str, list] = {}
    for m in ALL:
        if m.stats in st.rows:
            if m.stats not in sums:
                sums[m.stats] = sum_of_lists([st.rows[m.stats][i] for i in rows])
            out[m.name] = m.score(sums[m.stats])
    return out


def corpus_scores(hyps: Sequence[str], refs: Sequence[str], *, ter: bool = True) -> dict[str, MetricScore]:
    """Corpus-level BLEU, chrF2, chrF++ (and TER) of line-aligned segments.

    Identical to ``sacrebleu.BLEU().corpus_score(hyps, [refs])`` and friends.
    """
    if not hyps:
        return {}
    return scores_from_stats(segment_stats(hyps, refs, ter=ter))


def sentence_chrf_from_stats(st: SegmentStats) -> list[float]:
    """Sentence-level chrF2 from already extracted statistics (no second pass)."""
    return sentence_chrf_from_rows(st.rows["chrfpp"])


def score_line(scores: dict[str, MetricScore], *, bleu_width: int = 1, width: int = 2) -> str:
    """The one-line summary ``BLEU x chrF2 y chrF++ z`` (optional metrics appended when present).

    BLEU keeps sacrebleu's default single decimal (as published in
    leaderboards); chrF2/chrF++/TER use two.

    >>> score_line({"BLEU": MetricScore("BLEU", 19.847, ""), "chrF2": MetricScore("chrF2", 49.408, ""),
    ...             "chrF++": MetricScore("chrF++", 46.7486, "")})
    'BLEU 19.8 chrF2 49.41 chrF++ 46.75'
    """
    return " ".join(f"{m.name} {scores[m.name].score:.{bleu_width if m.name == 'BLEU' else width}f}"
                    for m in ALL if m.name in scores)


def signatures(scores: dict[str, MetricScore]) -> dict[str, str]:
    """``{metric: signature}`` for storing beside the numbers."""
    return {k: v.signature for k, v in scores.items()}


__all__ = ["ALL", "METRICS", "Metric", "MetricScore", "SegmentStats", "check_aligned", "corpus_scores",
           "default_jobs", "fork_pool", "score_line", "scores_from_stats", "segment_stats", "selected",
           "sentence_chrf", "sentence_chrf_from_stats", "signatures", "sum_of_lists"]
