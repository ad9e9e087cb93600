"""What the cleanup stages report: lines they removed and replacements they made.

The pipeline's document record (``mt.record.Document``) holds lists of these.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Removed:
    """A line taken out of a document, with the reason a user can read."""

    line: int  # 0-based line number in the raw text
    text: str
    reason: str


@dataclass
class Change:
    """One replacement made by a repair stage (terminology, grammar, punctuation...)."""

    stage: str  # e.g. "unicode", "paragraphs", "terminology", "grammar", "postmt"
    before: str
    after: str
    reason: str
