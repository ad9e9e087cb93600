"""What every metric shares: its score with a signature, per-segment statistics, the metric interface.

A metric is one small class (one module each: :mod:`eval.metrics.bleu`,
:mod:`eval.metrics.chrf`, :mod:`eval.metrics.ter`) listed once in
:data:`eval.metrics.ALL`.  It names the statistics it reads (``stats``; two
metrics may share one extraction, as chrF2 and chrF++ do), extracts them per
segment, and turns their sum over any set of segments into a
:class:`MetricScore`.  Statistics are extracted once per segment, so one pass
gives the corpus score and any per-document score.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

from cleanup.errors import UserError


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
    """Per-segment sufficient statistics by extraction name; sums of any subset give that subset's scores."""

    rows: dict[str, list] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(next(iter(self.rows.values()), []))


class Metric:
    """One metric: ``name`` as printed, ``stats`` the extraction it reads, ``optional`` if computed only on request."""

    name: str = ""
    stats: str = ""
    optional: bool = False  # e.g. TER: slow, so only when asked for
    width: int = 2  # decimals in the one-line summary

    def extract(self, hyps: list[str], refs: list[str], jobs: int | None) -> list:
        """Statistics rows, one per (hyp, ref) pair."""
        raise NotImplementedError

    def score(self, total: list) -> MetricScore:
        """The score of the summed statistics rows."""
        raise NotImplementedError


def sum_of_lists(rows: Sequence[Sequence[float]]) -> list:
    """Element-wise sum of equally long statistic rows."""
    return [sum(col) for col in zip(*rows)]


def check_aligned(hyps: Sequence[str], refs: Sequence[str]) -> None:
    if len(hyps) != len(refs):
        raise UserError(
            f"hypothesis has {len(hyps)} lines but reference has {len(refs)}; "
            "give line-aligned files (one segment per line)."
        )
