"""Every use of sacrebleu's private API, in one place, for the sacrebleu versions we support.

The metrics compute sacrebleu's own numbers and signatures, but faster: they
count segment statistics themselves (:mod:`eval.ngram_stats`, :mod:`eval.ter_fast`)
and hand the sums to sacrebleu's metric objects.  That needs a few names that
are not part of sacrebleu's public API; they are reached only through this
module, so a new sacrebleu release is checked here (``tests/test_sacrebleu_compat.py``
pins :data:`SUPPORTED` and probes each name) rather than found broken elsewhere.

>>> supported()
True
"""
from __future__ import annotations

from typing import Any, Sequence

import sacrebleu
from sacrebleu.metrics import lib_ter
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

#: sacrebleu versions this adapter is tested with: ``[low, high)`` as (major, minor)
SUPPORTED = ((2, 3), (2, 7))


def version() -> tuple[int, int]:
    major, minor = sacrebleu.__version__.split(".")[:2]
    return int(major), int(minor)


def supported() -> bool:
    """True when the installed sacrebleu lies in :data:`SUPPORTED`."""
    return SUPPORTED[0] <= version() < SUPPORTED[1]


def extract_stats(metric: Any, hyps: Sequence[str], refs: Sequence[str]) -> list:
    """Per-segment sufficient statistics, sacrebleu's own pure-Python extraction (single reference)."""
    return metric._extract_corpus_statistics(list(hyps), [list(refs)])


def score_from_stats(metric: Any, stats: Sequence[float]) -> Any:
    """sacrebleu's score object (``.score``, ``.name``, ``.format()``) from summed statistics."""
    return metric._compute_score_from_stats(list(stats))


def chrf_f_score(metric: Any, stats: Sequence[float]) -> float:
    """The chrF F-score of one segment's statistics (sacrebleu's ``sentence_score`` value)."""
    return metric._compute_f_score(stats)


def signature(metric: Any, name: str) -> str:
    """sacrebleu's signature with the metric name in front, as its CLI prints it (one reference)."""
    metric.num_refs = 1
    return f"{name}|{metric.get_signature()}"


#: sacrebleu's TER class; :class:`eval.ter_fast.TER` overrides its per-segment hook
TER = sacrebleu.TER
TER_SEGMENT_HOOK = "_compute_segment_statistics"

# lib_ter internals that eval.ter_fast re-implements the edit distance around; without them
# (another sacrebleu layout) TER_INTERNALS is False and the metrics use sacrebleu's own TER
try:
    TER_INF = lib_ter._INT_INFINITY
    TER_BEAM_WIDTH = lib_ter._BEAM_WIDTH
    TER_OPS = (lib_ter._OP_NOP, lib_ter._OP_SUB, lib_ter._OP_INS, lib_ter._OP_DEL, lib_ter._OP_UNDEF)
    TER_COSTS = (lib_ter._COST_INS, lib_ter._COST_DEL, lib_ter._COST_SUB)
    TER_MAX_CACHE_SIZE = lib_ter._MAX_CACHE_SIZE
    TER_MAX_SHIFT_CANDIDATES = lib_ter._MAX_SHIFT_CANDIDATES
    ter_shift = lib_ter._shift
    TER_INTERNALS = hasattr(TER, TER_SEGMENT_HOOK)
except AttributeError:  # pragma: no cover - another sacrebleu layout
    TER_INTERNALS = False

__all__ = ["SUPPORTED", "TER", "TER_INTERNALS", "TER_SEGMENT_HOOK", "Tokenizer13a", "chrf_f_score", "extract_stats", "score_from_stats",
           "signature", "supported", "version"]
