"""The one interface every MarianMT backend implements.

The engine (mt.engine) does segmentation, de-duplication, caching, length sorting,
token-budget batching and guards; a backend only turns a list of already-bounded
source segments into the same number of target strings, in the same order.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class Decoding:
    """Decoding options shared by all backends (and part of the cache key)."""

    beam_size: int = 4
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 4
    repetition_penalty: float = 1.1
    length_penalty: float = 1.0

    def key(self) -> str:
        """Stable text form, e.g. for cache keys."""
        return json.dumps(asdict(self), sort_keys=True)

    def stronger(self) -> "Decoding":
        """Options for the one retry after a guard fails: harder on loops."""
        return replace(
            self,
            no_repeat_ngram_size=3 if self.no_repeat_ngram_size in (0, 4) else min(self.no_repeat_ngram_size, 3),
            repetition_penalty=max(self.repetition_penalty, 1.3),
        )


class Backend(ABC):
    """A loaded model that translates bounded segments."""

    #: short backend name, e.g. "transformers" or "ctranslate2"
    name: str = "base"
    #: fingerprint of the weights (hash of the model files), part of the cache key
    model_id: str = ""
    #: longest source segment (in tokens) the model handles well
    max_input_tokens: int = 512

    @property
    def identity(self) -> str:
        """What makes two backends give identical output: backend, weights, numeric type."""
        return f"{self.name}:{self.model_id}:{getattr(self, 'compute_type', 'default')}"

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-side token counts (used for splitting and token-budget batching)."""

    @abstractmethod
    def translate(self, texts: list[str], decoding: Decoding) -> list[str]:
        """Translate ``texts`` (one batch), returning one string per input, in order."""
