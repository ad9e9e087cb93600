"""Front-door functions of the cleanup package (stub contract; to be filled in)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from mt.record import Change, Removed


@dataclass
class CleanResult:
    paragraphs: list[str]
    removed: list[Removed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)


class CorpusLines:
    """Counts of normalised lines across the documents of a batch."""

    def __init__(self, texts: Iterable[str] = ()):
        self.counts: dict[str, int] = {}
        self.ndocs = 0
        for t in texts:
            self.add(t)

    def add(self, text: str) -> None:
        self.ndocs += 1
        for line in {ln.strip() for ln in text.splitlines() if ln.strip()}:
            self.counts[line] = self.counts.get(line, 0) + 1


def clean_source(text: str, *, lang: str, corpus: CorpusLines | None = None) -> CleanResult:
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    return CleanResult(paragraphs=paras)


def clean_english(paragraphs: list[str], *, glossary=None, grammar=None):
    return list(paragraphs), [], []


def clean_mt_line(line: str) -> str:
    return line
