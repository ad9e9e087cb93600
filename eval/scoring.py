"""Score one document's output against its reference passages.

The passages are aligned to output sentence windows first (:mod:`eval.align`);
BLEU, chrF2, chrF++ and TER are then computed through sacrebleu over the
aligned (window, passage) pairs, with their signatures.  A passage with no
matching window is scored against an empty hypothesis (a missing passage is
a real loss) and listed under ``unmatched``.  Sentence-level chrF of each pair
marks the weak passages.
"""
from __future__ import annotations

from typing import Sequence

from eval.align import align_text
from eval.checks import checks_running
from eval.metrics import (MetricScore, check_aligned, corpus_scores, scores_from_stats,
                          segment_stats, sentence_chrf_from_stats)
from eval.references import Passage

#: sentence-level chrF2 under which an aligned passage is called weak.
WEAK_CHRF = 35.0


def score_document(output: str, passages: Sequence[Passage | str], *, ter: bool = True) -> dict:
    """Aligned scores of ``output`` against ``passages``.

    ``passages`` are :class:`Passage` objects, their dict form, or plain strings.
    Returns ``{"BLEU", "chrF2", "chrF++", "TER": float, "signatures": {metric: sig},
    "passages": [...], "unmatched": [ids], "weak": [ids], "coverage": matched/total}``;
    ``{}`` when there are no passages.
    """
    if not passages:
        return {}
    texts, ids = [], []
    for i, p in enumerate(passages):
        if isinstance(p, Passage):
            texts.append(p.text), ids.append(p.id)
        elif isinstance(p, dict):  # the JSON form of a Passage
            texts.append(str(p.get("text", ""))), ids.append(str(p.get("id", i)))
        else:
            texts.append(str(p)), ids.append(str(i))
    _, aligned = align_text(output or "", texts)
    hyps = [a.hypothesis for a in aligned]
    st = segment_stats(hyps, texts, ter=ter)
    scores = scores_from_stats(st)
    chrf = sentence_chrf_from_stats(st)
    rows = []
    for pid, a, c in zip(ids, aligned, chrf):
        rows.append({"id": pid, "sentences": [a.start, a.end] if a.matched else None,
                     "similarity": a.similarity, "matched": a.matched, "chrF2": round(c, 2)})
    out: dict = {k: round(v.score, 2) for k, v in scores.items()}
    out["signatures"] = {k: v.signature for k, v in scores.items()}
    out["passages"] = rows
    out["unmatched"] = [r["id"] for r in rows if not r["matched"]]
    out["weak"] = [r["id"] for r in rows if r["matched"] and r["chrF2"] < WEAK_CHRF]
    out["coverage"] = round(sum(r["matched"] for r in rows) / len(rows), 3)
    return out


def score_corpus(hyps: Sequence[str], refs: Sequence[str], *, sources: Sequence[str] | None = None,
                 source_lang: str | None = "zh", checks: bool = True, garble: bool = True, ter: bool = False,
                 jobs: int | None = 1) -> tuple[dict[str, MetricScore], list | None]:
    """Corpus BLEU/chrF2/chrF++ (and TER) of line-aligned segments, plus the reference-free checks of each.

    Returns ``(scores, checks)``: ``scores`` as :func:`eval.metrics.corpus_scores`
    (sacrebleu's numbers and signatures), ``checks`` one list of
    :class:`eval.record.Check` per hypothesis (against its source when ``sources``
    are given), or None with ``checks=False``.  With ``jobs`` > 1 (None: the CPU
    count) the checks of long inputs run in forked worker processes while this
    process computes the metrics (when forking is safe, see
    :func:`eval.parallel.fork_pool`); the results are those of a serial run.  The
    default is one process: on a busy 2-core machine the workers cost more than
    they save (``bench/eval_speed.py`` prints both).
    """
    check_aligned(hyps, refs)
    if not checks:
        return corpus_scores(hyps, refs, ter=ter), None
    with checks_running(hyps, sources=sources, source_lang=source_lang, garble=garble, jobs=jobs) as results:
        scores = corpus_scores(hyps, refs, ter=ter)  # while the workers (if any) run the checks
        return scores, results()

