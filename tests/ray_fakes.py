"""Stand-in translators for the Ray batch tests (importable by Ray workers, which get the project root on their path)."""
from __future__ import annotations

import os

from mt.engine import TranslationResult


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
        return TranslationResult([p.upper() for p in paragraphs], [{"src": p, "out": p.upper(), "flags": []} for p in paragraphs])
