"""Corpus, document and sentence scores through sacrebleu, each with its signature.

BLEU (13a), chrF2, chrF++ and TER are sacrebleu's metrics.  The BLEU and
chrF statistics of every segment are counted by :mod:`eval.ngram_stats`
(numpy, all segments at once; the same integers as sacrebleu's own pure-Python
extraction, which the tests check), the scores and signatures come from
sacrebleu's metric classes, and TER statistics from sacrebleu's TER with a
faster edit-distance table (:mod:`eval.ter_fast`, same statistics).
Statistics are extracted once per segment and summed, so one pass
gives the corpus score, any per-document score (sum over that document's
segments) and sentence-level chrF for highlighting weak sentences.  chrF2 is
read from the character part of the chrF++ statistics (the layout sacrebleu
uses: 6 character orders first, then 2 word orders), so the characters are
counted once for both.

>>> s = corpus_scores(["The cat sat on the mat."], ["The cat sat on the mat."], ter=False)
>>> round(s["BLEU"].score, 1), round(s["chrF2"].score, 1)
(100.0, 100.0)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

import os
import sys

import sacrebleu

from eval.ngram_stats import bleu_stats, chrf_stats

try:  # the faster TER table builds on sacrebleu's lib_ter internals; without them, sacrebleu's own TER
    from eval import ter_fast
except (ImportError, AttributeError, AssertionError):  # pragma: no cover - another sacrebleu layout
    ter_fast = sacrebleu.metrics  # provides TER
from cleanup.errors import UserError

METRICS = ("BLEU", "chrF2", "chrF++", "TER")


@dataclass
class MetricScore:
    """One score with the sacrebleu signature that makes it reproducible."""

    name: str
    score: float
    signature: str
    detail: str = ""  # sacrebleu's own verbose string, e.g. "53.7/25.7/... (BP = ...)"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentStats:
    """Per-segment sufficient statistics; sums of any subset give that subset's scores."""

    bleu: list[list[int]] = field(default_factory=list)
    chrfpp: list[list[int]] = field(default_factory=list)
    ter: list[list[float]] | None = None

    def __len__(self) -> int:
        return len(self.bleu)


def sum_of_lists(rows: Sequence[Sequence[float]]) -> list:
    """Element-wise sum of equally long statistic rows."""
    return [sum(col) for col in zip(*rows)]


def _metrics() -> tuple:
    bleu = sacrebleu.BLEU()  # tok 13a, smooth exp, mixed case
    chrf = sacrebleu.CHRF()  # chrF2: char order 6, beta 2
    chrfpp = sacrebleu.CHRF(word_order=2)  # chrF++
    ter = sacrebleu.TER()
    return bleu, chrf, chrfpp, ter


_BLEU, _CHRF, _CHRFPP, _TER = _metrics()
_TER_STATS = ter_fast.TER()  # same options as _TER, faster statistics
_N_CHAR = 3 * _CHRF.char_order


def _warn_tokenized(hyps: Sequence[str]) -> None:
    """sacrebleu's warning about tokenized input (100 or more lines ending in " .")."""
    if sum(h.endswith(" .") for h in hyps) >= 100:
        sacrebleu.utils.sacrelogger.warning(
            "That's 100 lines that end in a tokenized period ('.'); it looks like the data is not "
            "detokenized, which may hurt the score.")


def _check(hyps: Sequence[str], refs: Sequence[str]) -> None:
    if len(hyps) != len(refs):
        raise UserError(
            f"hypothesis has {len(hyps)} lines but reference has {len(refs)}; "
            "give line-aligned files (one segment per line)."
        )


#: TER over at least this many segments is spread over worker processes
PARALLEL_TER_FROM = 400
#: ... and so are a few long segments (document passages) of at least this many hypothesis characters
PARALLEL_TER_CHARS = 1500


def default_jobs(jobs: int | None = None) -> int:
    """``jobs`` or, when None, the CPU count (at most 8)."""
    return jobs if jobs is not None else min(os.cpu_count() or 1, 8)


def fork_pool(jobs: int | None = None):
    """A pool of ``jobs`` forked worker processes (default: the CPU count), or None where forking is unsafe.

    Forking is used only on Linux, with more than one worker, and while torch
    is not loaded (its threads do not survive a fork).  Callers run serially on None.
    """
    jobs = default_jobs(jobs)
    if jobs <= 1 or "torch" in sys.modules or sys.platform != "linux":
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    except (OSError, RuntimeError, ValueError):
        return None


def _ter_chunk(pairs: list[tuple[str, str]]) -> list:
    hyps = [h for h, _ in pairs]
    return _TER_STATS._extract_corpus_statistics(hyps, [[r for _, r in pairs]])


def _ter_stats(hyps: list[str], refs: list[str], jobs: int | None) -> list:
    """TER statistics per segment; sacrebleu's TER is pure Python, so long inputs use processes.

    Workers are forked only when that is safe (no torch threads in this process);
    the statistics are identical to a serial run, in order.
    """
    jobs = default_jobs(jobs)
    big = len(hyps) >= PARALLEL_TER_FROM or (len(hyps) > 1 and sum(map(len, hyps)) >= PARALLEL_TER_CHARS)
    pool = fork_pool(min(jobs, len(hyps))) if big else None
    if pool is None:
        return _TER_STATS._extract_corpus_statistics(hyps, [refs])
    pairs = list(zip(hyps, refs))
    if len(pairs) < PARALLEL_TER_FROM:  # a few long segments: one task each, longest first
        order = sorted(range(len(pairs)), key=lambda i: -len(hyps[i]) * max(len(refs[i]), 1))
        chunks = [[pairs[i]] for i in order]
    else:
        size = -(-len(pairs) // (jobs * 4))
        order, chunks = None, [pairs[i:i + size] for i in range(0, len(pairs), size)]
    try:
        with pool:
            parts = list(pool.map(_ter_chunk, chunks))
    except (OSError, RuntimeError):  # no processes here: do it serially
        return _TER_STATS._extract_corpus_statistics(hyps, [refs])
    if order is None:
        return [row for part in parts for row in part]
    rows: list = [None] * len(pairs)
    for i, part in zip(order, parts):
        rows[i] = part[0]
    return rows


def segment_stats(hyps: Sequence[str], refs: Sequence[str], *, ter: bool = True,
                  jobs: int | None = None) -> SegmentStats:
    """Extract sacrebleu statistics for every (hyp, ref) pair, once.

    ``jobs`` worker processes for TER on long inputs (default: the CPU count; 1 = serial).
    """
    _check(hyps, refs)
    hyps, refs = list(hyps), list(refs)
    _warn_tokenized(hyps)
    st = SegmentStats(
        bleu=bleu_stats(hyps, refs, max_order=_BLEU.max_ngram_order),
        chrfpp=chrf_stats(hyps, refs, char_order=_CHRFPP.char_order, word_order=_CHRFPP.word_order),
    )
    if ter:
        st.ter = _ter_stats(hyps, refs, jobs)
    return st


def _signature(metric, name: str) -> str:
    """sacrebleu's signature with the metric name in front, as its CLI prints it."""
    metric.num_refs = 1  # every score here is against a single reference
    return f"{name}|{metric.get_signature()}"


def scores_from_stats(st: SegmentStats, idx: Sequence[int] | None = None) -> dict[str, MetricScore]:
    """Scores of the segments ``idx`` (all when None) from extracted statistics."""
    rows = range(len(st)) if idx is None else idx
    out: dict[str, MetricScore] = {}
    if not len(rows):
        return out
    b = _BLEU._compute_score_from_stats(sum_of_lists([st.bleu[i] for i in rows]))
    out["BLEU"] = MetricScore("BLEU", b.score, _signature(_BLEU, b.name), b.format(width=2, score_only=False))
    cpp_sum = sum_of_lists([st.chrfpp[i] for i in rows])
    c = _CHRF._compute_score_from_stats(cpp_sum[:_N_CHAR])
    out["chrF2"] = MetricScore("chrF2", c.score, _signature(_CHRF, c.name))
    cpp = _CHRFPP._compute_score_from_stats(cpp_sum)
    out["chrF++"] = MetricScore("chrF++", cpp.score, _signature(_CHRFPP, cpp.name))
    if st.ter is not None:
        t = _TER._compute_score_from_stats(sum_of_lists([st.ter[i] for i in rows]))
        out["TER"] = MetricScore("TER", t.score, _signature(_TER, t.name))
    return out


def corpus_scores(hyps: Sequence[str], refs: Sequence[str], *, ter: bool = True) -> dict[str, MetricScore]:
    """Corpus-level BLEU, chrF2, chrF++ (and TER) of line-aligned segments.

    Identical to ``sacrebleu.BLEU().corpus_score(hyps, [refs])`` and friends.
    """
    if not hyps:
        return {}
    return scores_from_stats(segment_stats(hyps, refs, ter=ter))


def sentence_chrf(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
    """Sentence-level chrF2 (sacrebleu ``sentence_score``) of each pair, for highlighting."""
    _check(hyps, refs)
    if not hyps:
        return []
    stats = chrf_stats(hyps, refs, char_order=_CHRF.char_order, word_order=0)
    return [_CHRF._compute_f_score(s) for s in stats]


def sentence_chrf_from_stats(st: SegmentStats) -> list[float]:
    """Sentence-level chrF2 from already extracted statistics (no second pass)."""
    return [_CHRF._compute_f_score(s[:_N_CHAR]) for s in st.chrfpp]


def score_line(scores: dict[str, MetricScore], *, bleu_width: int = 1, width: int = 2) -> str:
    """The one-line summary ``BLEU x chrF2 y chrF++ z`` (TER appended when present).

    BLEU keeps sacrebleu's default single decimal (as published in
    leaderboards); chrF2/chrF++/TER use two.

    >>> score_line({"BLEU": MetricScore("BLEU", 19.847, ""), "chrF2": MetricScore("chrF2", 49.408, ""),
    ...             "chrF++": MetricScore("chrF++", 46.7486, "")})
    'BLEU 19.8 chrF2 49.41 chrF++ 46.75'
    """
    parts = [f"BLEU {scores['BLEU'].score:.{bleu_width}f}",
             f"chrF2 {scores['chrF2'].score:.{width}f}",
             f"chrF++ {scores['chrF++'].score:.{width}f}"]
    if "TER" in scores:
        parts.append(f"TER {scores['TER'].score:.{width}f}")
    return " ".join(parts)


def signatures(scores: dict[str, MetricScore]) -> dict[str, str]:
    """``{metric: signature}`` for storing beside the numbers."""
    return {k: v.signature for k, v in scores.items()}
