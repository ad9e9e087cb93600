"""TER (sacrebleu's tercom algorithm), the slowest metric: computed only on request.

Statistics come from :mod:`eval.ter_fast` (sacrebleu's TER with a faster
edit-distance table, the same numbers) and, for long inputs, from forked worker
processes (the same rows as a serial run, in order).
"""
from __future__ import annotations

from eval import sacrebleu_compat as sb
from eval.metrics.base import Metric, MetricScore
from eval.parallel import default_jobs, fork_pool

try:  # the faster TER table builds on sacrebleu's lib_ter internals; without them, sacrebleu's own TER
    from eval.ter_fast import TER as _FastTER
except (ImportError, AttributeError, AssertionError):  # pragma: no cover - another sacrebleu layout
    _FastTER = sb.TER

_TER = sb.TER()
_TER_STATS = _FastTER()  # same options as _TER, faster statistics

#: TER over at least this many segments is spread over worker processes
PARALLEL_TER_FROM = 400
#: ... and so are a few long segments (document passages) of at least this many hypothesis characters
PARALLEL_TER_CHARS = 1500


def _ter_chunk(pairs: list[tuple[str, str]]) -> list:
    return sb.extract_stats(_TER_STATS, [h for h, _ in pairs], [r for _, r in pairs])


def ter_stats(hyps: list[str], refs: list[str], jobs: int | None) -> list:
    """TER statistics per segment; sacrebleu's TER is pure Python, so long inputs use processes.

    Workers are forked only when that is safe (no torch threads in this process);
    the statistics are identical to a serial run, in order.
    """
    jobs = default_jobs(jobs)
    big = len(hyps) >= PARALLEL_TER_FROM or (len(hyps) > 1 and sum(map(len, hyps)) >= PARALLEL_TER_CHARS)
    pool = fork_pool(min(jobs, len(hyps))) if big else None
    if pool is None:
        return sb.extract_stats(_TER_STATS, hyps, refs)
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
        return sb.extract_stats(_TER_STATS, hyps, refs)
    if order is None:
        return [row for part in parts for row in part]
    rows: list = [None] * len(pairs)
    for i, part in zip(order, parts):
        rows[i] = part[0]
    return rows


class Ter(Metric):
    name = "TER"
    stats = "ter"
    optional = True

    def extract(self, hyps, refs, jobs):
        return ter_stats(hyps, refs, jobs)

    def score(self, total):
        t = sb.score_from_stats(_TER, total)
        return MetricScore(self.name, t.score, sb.signature(_TER, t.name))
