"""Scoring: sacrebleu metrics with signatures, passage alignment, reference-free
checks, garble score and reports.

Front doors used by the pipeline (stable names; modules behind them may change):

- ``garble_score(text, grammar=None) -> float`` in [0, 1]: higher means more garbled;
  works offline (LanguageTool matches add to it when a server is given);
  ``GARBLED_AT`` is the threshold the pipeline routes on.
- ``run_checks(output, *, source=None, source_lang=None) -> list[eval.record.Check]``.
- ``load_references(dir) -> dict[doc_id, list[Passage]]``.
- ``score_document(output, passages) -> dict``: aligned BLEU/chrF2/chrF++/TER with signatures.
- ``eval.report.render_markdown(docs)`` / ``render_html(docs)``: the batch reports, rendered
  from records passed in (``mt.outdir`` reads and writes the output folder).

One module per concern: ``metrics`` (sacrebleu scores and signatures), ``figures``
(numbers, amounts, dates in Chinese and English), ``checks``, ``garble``,
``references``, ``align``, ``scoring``, ``report``, ``cli`` (``score``).
"""
from eval.api import GARBLED_AT, Passage, garble_score, load_references, run_checks, score_document

__all__ = ["GARBLED_AT", "Passage", "garble_score", "load_references", "run_checks", "score_document"]
