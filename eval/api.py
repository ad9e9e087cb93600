"""Front doors of the eval package (the names the pipeline codes against)."""
from __future__ import annotations

from eval.checks import run_checks
from eval.garble import GARBLED_AT, garble_score
from eval.references import Passage, load_references
from eval.scoring import score_document

__all__ = ["GARBLED_AT", "Passage", "garble_score", "load_references", "run_checks", "score_document"]
