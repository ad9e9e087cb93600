"""chrF2 and chrF++ (sacrebleu defaults: character order 6, beta 2; chrF++ adds word order 2).

Both read one extraction, the chrF++ statistics: chrF2 is the character part
(the layout sacrebleu uses: 6 character orders first, then 2 word orders), so
characters are counted once for both.
"""
from __future__ import annotations

from typing import Sequence

import sacrebleu

from eval import sacrebleu_compat as sb
from eval.metrics.base import Metric, MetricScore, check_aligned
from eval.ngram_stats import chrf_stats

_CHRF = sacrebleu.CHRF()  # chrF2
_CHRFPP = sacrebleu.CHRF(word_order=2)  # chrF++
_N_CHAR = 3 * _CHRF.char_order


class ChrF(Metric):
    """chrF from the chrF++ statistics: all of them (chrF++), or the first ``n_stats`` (chrF2's characters)."""

    stats = "chrfpp"

    def __init__(self, name: str, metric: sacrebleu.CHRF, n_stats: int | None = None):
        self.name, self._metric, self._n = name, metric, n_stats

    def extract(self, hyps, refs, jobs):
        return chrf_stats(hyps, refs, char_order=_CHRFPP.char_order, word_order=_CHRFPP.word_order)

    def score(self, total):
        c = sb.score_from_stats(self._metric, total[:self._n] if self._n else total)
        return MetricScore(self.name, c.score, sb.signature(self._metric, c.name))


CHRF2 = ChrF("chrF2", _CHRF, _N_CHAR)
CHRFPP = ChrF("chrF++", _CHRFPP)


def sentence_chrf(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
    """Sentence-level chrF2 (sacrebleu ``sentence_score``) of each pair, for highlighting."""
    check_aligned(hyps, refs)
    if not hyps:
        return []
    stats = chrf_stats(hyps, refs, char_order=_CHRF.char_order, word_order=0)
    return [sb.chrf_f_score(_CHRF, s) for s in stats]


def sentence_chrf_from_rows(chrfpp_rows: list) -> list[float]:
    """Sentence-level chrF2 from already extracted chrF++ rows (no second pass)."""
    return [sb.chrf_f_score(_CHRF, s[:_N_CHAR]) for s in chrfpp_rows]
