"""The one interface every MarianMT backend implements.

The engine (mt.engine) does segmentation, de-duplication, caching, length sorting,
token-budget batching and guards; a backend only turns a list of already-bounded
source segments into the same number of target strings, in the same order.
"""
from __future__ import annotations

import hashlib
import json
import os
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable


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


#: Tokenizer files of a Marian directory (they travel with a converted model).
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json")
#: Files that make up the weights of a Hugging Face Marian directory.
HF_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "config.json", "generation_config.json")
#: A model file up to this size is hashed whole; a larger one by its size and its first and last MiB.
WHOLE_HASH_BYTES = 512 << 20

_FINGERPRINTS: dict[tuple, str] = {}


def fingerprint(directory, names=None) -> str:
    """Short stable hash of model files: the files ``names`` that exist in ``directory``,
    or, with ``names=None``, every file below it (hidden ones left out).

    Each file counts with its name, size and content; a file over
    :data:`WHOLE_HASH_BYTES` with its first and last MiB.  The result is kept
    per process while the files' sizes and times stay the same, so resolving a
    model and loading it hash it once.

    Example: ``fingerprint(d, ["model.bin", "config.json"])`` -> ``"3f1a09c2b7d4e5e2"``
    (16 hex digits); it changes whenever one of those files changes.
    """
    root = Path(directory)
    if names is None:
        rels = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        rels = [r for r in rels if not (r.startswith(".") or "/." in r)]
    else:
        rels = sorted(n for n in set(names) if (root / n).is_file())
    stats = []
    for rel in rels:
        st = (root / rel).stat()
        stats.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
    key = (str(root.resolve()), tuple(stats))
    if key in _FINGERPRINTS:
        return _FINGERPRINTS[key]
    h = hashlib.blake2b(digest_size=8)
    for rel, size, _, _ in stats:
        h.update(f"{rel}\0{size}\0".encode())
        with open(root / rel, "rb") as f:
            if size <= WHOLE_HASH_BYTES:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            else:
                h.update(f.read(1 << 20))
                f.seek(size - (1 << 20))
                h.update(f.read(1 << 20))
    _FINGERPRINTS[key] = h.hexdigest()
    return _FINGERPRINTS[key]


def cpu_threads() -> int:
    """Threads for CPU inference: RETRANSLATE_THREADS, else the CPUs this process may use."""
    env = os.environ.get("RETRANSLATE_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def fill_nonempty(texts: list[str], run) -> list[str]:
    """``run`` over the non-blank ``texts`` only, results put back in place; blank stays "".

    >>> fill_nonempty(["a", " ", "b"], lambda xs: [x.upper() for x in xs])
    ['A', '', 'B']
    """
    texts = list(texts)
    out = [""] * len(texts)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if todo:
        for i, text in zip(todo, run([texts[i] for i in todo])):
            out[i] = text
    return out


class Backend(ABC):
    """A loaded model that translates bounded segments."""

    #: short backend name, e.g. "transformers" or "ctranslate2"
    name: str = "base"
    #: fingerprint of the weights (hash of the model files), part of the cache key
    model_id: str = ""
    #: longest source segment (in tokens) the model handles well
    max_input_tokens: int = 512
    #: source-token budget of one ``translate`` call (the engine's batches);
    #: a backend that re-batches internally (CTranslate2) may ask for more
    batch_tokens: int = 2048
    #: most segments in one ``translate`` call
    batch_size: int = 64

    # What the registry (``mt.backends.REGISTRY``) reads to choose and prepare a backend:
    #: the model-directory format this backend runs ("hf": a Hugging Face Marian directory)
    kind: str = "hf"
    #: how a user gets the backend's package, for the one-line error when it is missing
    install: str = ""
    #: the directory format it can convert into its own (``convert``), or None
    converts_from: str | None = None
    #: whether it decodes with a vocabulary map (``use_vmap``)
    supports_vmap: bool = False

    @staticmethod
    def available() -> bool:
        """True when the backend's package can be imported here."""
        return True

    @staticmethod
    def is_model_dir(path) -> bool:
        """True when ``path`` holds a model in this backend's format."""
        return False

    @staticmethod
    def convert(src_dir, out_dir, quantization: str | None = "int8", force: bool = False):
        """Convert a ``converts_from`` directory into ``out_dir``; returns ``out_dir``."""
        raise NotImplementedError

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

    def submit(self, texts: list[str], decoding: Decoding) -> Callable[[], list[str]]:
        """Start translating ``texts``; returns a function that waits for the outputs and returns them.

        A backend that works in the background (CTranslate2's replicas) queues the
        work and returns at once, so the engine can queue its next batches before
        waiting for the first: no replica idles between batches.  The default
        translates now.  Same outputs as :meth:`translate`.
        """
        outs = self.translate(texts, decoding)
        return lambda: outs
