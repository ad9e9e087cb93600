"""Glossary (stub contract; to be filled in).

Interface used by the MT engine and the pipeline:

- ``Glossary.load(path=None)``: the shipped starter glossary, or a user file.
- ``Glossary.find_source_terms(zh_text) -> list[TermHit]``: non-overlapping hits,
  sorted by start, each with ``start``, ``end``, ``source``, ``target``.
- ``Glossary.fix_english(text) -> (text, list[Change])``: garbled renderings replaced.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermHit:
    start: int
    end: int
    source: str
    target: str


class Glossary:
    def __init__(self, zh_en: dict[str, str] | None = None, en_fixes: dict[str, str] | None = None):
        self.zh_en = dict(zh_en or {})
        self.en_fixes = dict(en_fixes or {})

    @classmethod
    def load(cls, path=None) -> "Glossary":
        return cls({"双创": "mass entrepreneurship and innovation"}, {})

    def find_source_terms(self, text: str) -> list[TermHit]:
        hits: list[TermHit] = []
        for src in sorted(self.zh_en, key=len, reverse=True):
            start = 0
            while (i := text.find(src, start)) >= 0:
                if all(i >= h.end or i + len(src) <= h.start for h in hits):
                    hits.append(TermHit(i, i + len(src), src, self.zh_en[src]))
                start = i + len(src)
        return sorted(hits, key=lambda h: h.start)

    def fix_english(self, text: str):
        return text, []
