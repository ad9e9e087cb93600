"""Translation engine (stub contract; to be filled in).

Interface used by the pipeline:

- ``Engine.load(direction, model=None, backend="auto", cache_path=None, **decoding)``:
  resolves and loads a model, raises ``mt.errors.ModelUnavailable`` with a message
  that names the way out.
- ``engine.translate_paragraphs(paragraphs, glossary=None) -> TranslationResult``:
  one output paragraph per input paragraph, in order.
- ``TranslationResult.paragraphs``, ``.segments`` (list of dicts per segment: src, out,
  cached, bypass, flags, ...), ``.stats`` (segments, translated, cached, bypassed, flagged).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TranslationResult:
    paragraphs: list[str]
    segments: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
