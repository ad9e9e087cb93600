"""sacrebleu's TER with a faster edit-distance table, giving the same statistics.

sacrebleu computes TER (tercom-style shifts) in pure Python; nearly all of its
time goes to ``lib_ter.BeamEditDistance._edit_distance``, evaluated once per
shift candidate.  :class:`BeamEditDistance` here is the same algorithm (same
beam, same row cache keyed by hypothesis prefixes, same tie-breaking between
substitution, deletion and insertion, same trace) with the cost and operation
of each cell held in two flat lists instead of tuples, which makes it several
times faster.  The shift search itself is sacrebleu's own ``lib_ter._shift``.
The tests compare the statistics with ``sacrebleu.TER()`` on real and random text.

>>> sb.extract_stats(TER(), ["the cat sat on mat the"], ["the cat sat on the mat"])
[[1, 6.0]]
"""
from __future__ import annotations

import math
from typing import Sequence

from eval import sacrebleu_compat as sb

if not sb.TER_INTERNALS:  # pragma: no cover - another sacrebleu layout: eval.metrics.ter falls back
    raise ImportError("this sacrebleu lacks the TER internals eval.ter_fast builds on")
_INF = sb.TER_INF
_BEAM = sb.TER_BEAM_WIDTH
_NOP, _SUB, _INS, _DEL, _UNDEF = sb.TER_OPS
# the algorithm below assumes sacrebleu's unit costs
assert sb.TER_COSTS == (1, 1, 1)


class BeamEditDistance:
    """Drop-in for ``sacrebleu.metrics.lib_ter.BeamEditDistance`` (same results, flat rows)."""

    def __init__(self, words_ref: Sequence[str]):
        self._ref = list(words_ref)
        self._n = len(self._ref)
        self._initial = (list(range(self._n + 1)), [_INS] * (self._n + 1))
        self._cache: dict = {}
        self._cache_size = 0

    def __call__(self, words_hyp: Sequence[str]) -> tuple[int, str]:
        """Edit distance to the reference and the trace of operations, as sacrebleu returns them."""
        # rows already computed for a prefix of this hypothesis
        node = self._cache
        costs, ops = [self._initial[0]], [self._initial[1]]
        for word in words_hyp:
            if word not in node:
                break
            node, (c, o) = node[word]
            costs.append(c)
            ops.append(o)
        start = len(costs) - 1
        n_h, n_r, ref = len(words_hyp), self._n, self._ref
        ratio = n_r / n_h if n_h else 1
        beam = math.ceil(ratio / 2 + _BEAM) if _BEAM < ratio / 2 else _BEAM
        inf, undef, nop, sub, ins, dele = _INF, _UNDEF, _NOP, _SUB, _INS, _DEL
        for i in range(start + 1, n_h + 1):
            prev = costs[i - 1]
            cur = [inf] * (n_r + 1)
            cur_op = [undef] * (n_r + 1)
            diag = math.floor(i * ratio)
            lo = max(0, diag - beam)
            hi = n_r + 1 if i == n_h else min(n_r + 1, diag + beam)
            word = words_hyp[i - 1]
            if lo == 0 and hi > 0:
                cur[0] = prev[0] + 1
                cur_op[0] = dele
                lo = 1
            left = cur[lo - 1] if lo > 0 else inf  # cost of the cell to the left
            for j, r, diag_cost, up_cost in zip(range(lo, hi), ref[lo - 1:hi - 1], prev[lo - 1:hi - 1], prev[lo:hi]):
                # substitution (or match) first, then deletion, then insertion; only a strictly lower cost wins
                if word == r:
                    c, o = diag_cost, nop
                else:
                    c, o = diag_cost + 1, sub
                if c >= inf:
                    c, o = inf, undef
                if up_cost + 1 < c:
                    c, o = up_cost + 1, dele
                if left + 1 < c:
                    c, o = left + 1, ins
                cur[j] = left = c
                cur_op[j] = o
            costs.append(cur)
            ops.append(cur_op)
        trace = []
        i, j = n_h, n_r
        while i > 0 or j > 0:
            op = ops[i][j]
            trace.append(op)
            if op == _SUB or op == _NOP:
                i -= 1
                j -= 1
            elif op == _INS:
                j -= 1
            elif op == _DEL:
                i -= 1
            else:
                raise Exception(f"unknown operation {op!r}")
        self._add_cache(words_hyp, start, costs, ops)
        return costs[n_h][n_r], "".join(reversed(trace))

    def _add_cache(self, words_hyp: Sequence[str], start: int, costs: list, ops: list) -> None:
        if self._cache_size >= sb.TER_MAX_CACHE_SIZE:
            return
        node = self._cache
        for i in range(start):
            node = node[words_hyp[i]][0]
        for i in range(start, len(words_hyp)):
            word = words_hyp[i]
            if word not in node:
                node[word] = ({}, (costs[i + 1], ops[i + 1]))
                self._cache_size += 1
            node = node[word][0]


def translation_edit_rate(words_hyp: list[str], words_ref: list[str]) -> tuple[int, int]:
    """``sacrebleu.metrics.lib_ter.translation_edit_rate`` with the faster :class:`BeamEditDistance`."""
    n_words_ref = len(words_ref)
    if n_words_ref == 0:
        return len(words_hyp), 0
    cached_ed = BeamEditDistance(words_ref)
    shifts = 0
    input_words = words_hyp
    checked = 0
    while True:
        delta, new_input_words, checked = sb.ter_shift(input_words, words_ref, cached_ed, checked)
        if checked >= sb.TER_MAX_SHIFT_CANDIDATES:
            break
        if delta <= 0:
            break
        shifts += 1
        input_words = new_input_words
    edit_distance, _ = cached_ed(input_words)
    return shifts + edit_distance, n_words_ref


class TER(sb.TER):
    """``sacrebleu.TER`` whose segment statistics use :func:`translation_edit_rate` above."""

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict) -> list:  # sb.TER_SEGMENT_HOOK
        ref_lengths = 0
        best_num_edits = int(1e16)
        words_hyp = hypothesis.split()
        ref_words = ref_kwargs["ref_words"]
        for words_ref in ref_words:
            num_edits, ref_len = translation_edit_rate(words_hyp, words_ref)
            ref_lengths += ref_len
            if num_edits < best_num_edits:
                best_num_edits = num_edits
        return [best_num_edits, ref_lengths / len(ref_words)]
