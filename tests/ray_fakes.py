"""Stand-in translators for the Ray batch tests (importable by Ray workers, which get the project root on their path)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class _Result:
    paragraphs: list[str]
    segments: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


class WorkerKillingTranslator:
    """Uppercases paragraphs; kills its own process on any paragraph holding ``marker``.

    A document that takes its worker down on every try, as a native crash in a backend would.
    """

    def __init__(self, marker: str):
        self.marker = marker

    def translate_paragraphs(self, paragraphs, glossary=None, progress=None):
        paragraphs = list(paragraphs)
        if any(self.marker in p for p in paragraphs):
            os._exit(9)
        return _Result([p.upper() for p in paragraphs], [{"src": p, "out": p.upper(), "flags": []} for p in paragraphs])
