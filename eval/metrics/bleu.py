"""BLEU (sacrebleu defaults: 13a tokenizer, exponential smoothing, mixed case)."""
from __future__ import annotations

import sacrebleu

from eval import sacrebleu_compat as sb
from eval.metrics.base import Metric, MetricScore
from eval.ngram_stats import bleu_stats

_BLEU = sacrebleu.BLEU()


class Bleu(Metric):
    name = "BLEU"
    stats = "bleu"
    width = 1  # sacrebleu's default single decimal, as leaderboards publish it

    def extract(self, hyps, refs, jobs):
        return bleu_stats(hyps, refs, max_order=_BLEU.max_ngram_order)

    def score(self, total):
        b = sb.score_from_stats(_BLEU, total)
        return MetricScore(self.name, b.score, sb.signature(_BLEU, b.name), b.format(width=2, score_only=False))
