"""CTranslate2 backend: the fast path (int8 on CPU, float16 on CUDA).

A converted model directory is self-contained: ``model.bin``, CTranslate2's
``config.json`` and ``shared_vocabulary.json`` plus copies of the Marian
tokenizer files (``source.spm``, ``target.spm``, ``vocab.json``,
``tokenizer_config.json``), so it loads without the original Hugging Face
directory and without transformers.

Example::

    from mt.backends.ct2 import CT2Backend, convert
    from mt.backends.base import Decoding

    ct2_dir = convert("opus-mt-zh-en", "opus-mt-zh-en-ct2")      # int8 by default
    backend = CT2Backend(ct2_dir)                                  # int8 on CPU
    backend.translate(["我们走吧。", "你好。"], Decoding())        # two strings, same order

Speed settings (chosen with ``bench/mt_speed.py`` on a 2-core CPU; none of
them changes the output):

- on CPU, one single-threaded translator replica per usable core
  (``inter_threads`` = cores up to 4, ``intra_threads`` = the rest): the
  sub-batches of one call run side by side.  CTranslate2's intra-op threads
  scale poorly on these small matrices (on 2 cores two threads in one replica
  were no faster than one), two replicas were the fastest setting measured;
- inside one ``translate`` call the segments are length-sorted and cut into
  sub-batches of at most ``max_batch_size`` source tokens
  (:data:`DEFAULT_MAX_BATCH_TOKENS`) and :data:`DEFAULT_MAX_BATCH_EXAMPLES`
  segments, all queued at once;
- the engine hands over batches of up to :data:`ENGINE_BATCH_TOKENS` padded
  tokens / :data:`ENGINE_BATCH_SIZE` segments (``batch_tokens``/``batch_size``
  attributes) through :meth:`CT2Backend.submit`, every batch of a chunk queued
  before the first is read, so no replica waits while the engine checks a
  batch's outputs or while the last sub-batch of a batch finishes.

The vocabulary-map lever (``use_vmap=True``) restricts the output layer to the
target candidates listed in a ``vmap.txt`` in the model directory.  It is
faster but *can change the output*, so it is off by default and never used
unless asked for (``retranslate run --vmap``); the file format is CTranslate2's
(one line per source token or n-gram: ``source<TAB>target1 target2 ...``, and a
line with an empty source for the targets always allowed).  ``retranslate models
vmap DIR --source F --target F`` builds one from parallel text (:mod:`mt.vmap`).
The map's content is part of :attr:`CT2Backend.identity`, so cached results made
with and without it, or with another map, are kept apart.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from mt.backends.base import (
    HF_WEIGHT_FILES, TOKENIZER_FILES, Backend, Decoding, cpu_threads, fingerprint,
)
from mt.errors import ModelUnavailable

#: Files that make up a converted CTranslate2 model.
CT2_MODEL_FILES = ("model.bin", "config.json", "shared_vocabulary.json",
                   "source_vocabulary.json", "target_vocabulary.json")
#: Written last into a converted directory: what it was made from.
CONVERT_META = "retranslate-convert.json"

#: Source-token budget of one CTranslate2 sub-batch on CPU (``batch_type="tokens"``):
#: ~10 news sentences, 40 beam hypotheses.  Engine path, 256 newstest2017 sentences,
#: beam 4, 48 tokens, 2 replicas, medians of interleaved runs in three sessions
#: (sentences/s): 384 tokens 9.29 / 8.21 / 7.44; 512 tokens 8.70 / 7.91 / 6.71;
#: 1024 tokens 6.92; 256 tokens 7.29.  Smaller sub-batches keep each step's
#: attention cache closer to the core; larger ones amortise the 65k-word output layer.
DEFAULT_MAX_BATCH_TOKENS = 384
#: Most segments in one sub-batch: a token budget of very short lines (headlines)
#: would otherwise mean hundreds of beam hypotheses, each with 65k logits per step.
DEFAULT_MAX_BATCH_EXAMPLES = 24
#: On CUDA bigger sub-batches pay.
CUDA_MAX_BATCH_TOKENS = 4096
#: Most CPU replicas (``inter_threads``) chosen by default.
MAX_CPU_REPLICAS = 4
#: What the engine should hand to one ``translate`` call (padded source tokens,
#: segments); CTranslate2 length-sorts and re-batches inside the call.
ENGINE_BATCH_TOKENS = 4096
ENGINE_BATCH_SIZE = 128

#: The optional vocabulary map of a converted model (see mt.vmap).
VMAP_FILE = "vmap.txt"
#: Marian's special tokens: never part of a text, dropped from outputs.
SPECIAL_TOKENS = frozenset({"</s>", "<unk>", "<pad>", "<s>"})


def _split_language_code(text: str) -> tuple[str | None, str]:
    """(">>cmn_Hans<<", "rest") for a text that starts with a language token, else (None, text)."""
    m = re.match(r"\s*(>>[A-Za-z_]+<<)\s*", text)
    return (m.group(1), text[m.end():]) if m else (None, text)


def ct2_available() -> bool:
    """True when the ``ctranslate2`` package can be imported."""
    try:
        import ctranslate2  # noqa: F401
    except Exception:  # ImportError, or a broken native library
        return False
    return True


def is_ct2_dir(path) -> bool:
    """True when ``path`` holds a converted CTranslate2 model (its tokenizers may still be missing)."""
    path = Path(path)
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def check_ct2_dir(model_dir: Path) -> None:
    """Raise ModelUnavailable, naming the way out, unless ``model_dir`` holds a converted model and its tokenizers."""
    if not is_ct2_dir(model_dir):
        raise ModelUnavailable(
            f"{model_dir} is not a CTranslate2 model; convert it with `retranslate models convert {model_dir}`."
        )
    missing = [n for n in ("source.spm", "target.spm") if not (model_dir / n).is_file()]
    if missing:
        raise ModelUnavailable(
            f"{model_dir} lacks {', '.join(missing)}; convert the Marian directory again with `retranslate models convert`."
        )


def convert(hf_dir, out_dir, quantization: str | None = "int8", force: bool = False) -> Path:
    """Convert a Hugging Face Marian directory to CTranslate2 in ``out_dir``.

    ``quantization`` is a CTranslate2 weight type ("int8", "float16",
    "float32", or None to keep the original).  The conversion is written to a
    temporary directory beside ``out_dir`` and renamed into place, so a reader
    never sees half a model.  It is idempotent: when ``out_dir`` already holds a
    conversion of the same files with the same quantization it is returned
    untouched (``force=True`` converts again).  Returns ``Path(out_dir)``.

    Raises ``ModelUnavailable`` when ``hf_dir`` is not a Marian model directory
    or ctranslate2 is missing.
    """
    hf_dir, out_dir = Path(hf_dir), Path(out_dir)
    if not (hf_dir / "config.json").is_file() or not any((hf_dir / n).is_file() for n in HF_WEIGHT_FILES[:2]):
        raise ModelUnavailable(
            f"{hf_dir} is not a MarianMT model directory (config.json and weights); "
            "pass the directory made by `retranslate models pull` or a Hugging Face Marian model."
        )
    missing = [n for n in ("source.spm", "target.spm", "vocab.json") if not (hf_dir / n).is_file()]
    if missing:
        raise ModelUnavailable(f"{hf_dir} lacks the tokenizer files {', '.join(missing)}; copy the full model directory.")
    if not ct2_available():
        raise ModelUnavailable("CTranslate2 is not installed; run `pip install 'retranslate[fast]'` or use --backend transformers.")

    source_id = fingerprint(hf_dir, HF_WEIGHT_FILES + TOKENIZER_FILES)
    wanted = {"source": source_id, "quantization": quantization or "none"}
    if not force and _read_meta(out_dir) == wanted:
        return out_dir

    import ctranslate2

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        converter = ctranslate2.converters.TransformersConverter(str(hf_dir))
        converter.convert(str(tmp), quantization=quantization, force=True)
        for name in TOKENIZER_FILES:
            if (hf_dir / name).is_file():
                shutil.copyfile(hf_dir / name, tmp / name)
        (tmp / CONVERT_META).write_text(json.dumps(wanted, indent=1) + "\n", encoding="utf-8")
        _swap_into_place(tmp, out_dir, wanted)
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, ModelUnavailable):
            raise
        raise ModelUnavailable(f"Could not convert {hf_dir} to CTranslate2 ({exc}); check that it is a complete Marian model.") from exc
    return out_dir


def _read_meta(out_dir: Path):
    try:
        meta = json.loads((out_dir / CONVERT_META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if is_ct2_dir(out_dir) else None


def _swap_into_place(tmp: Path, out_dir: Path, wanted: dict) -> None:
    """Rename ``tmp`` to ``out_dir``, replacing an older conversion if any."""
    try:
        os.rename(tmp, out_dir)
        return
    except OSError:
        if not out_dir.exists():
            raise
    if _read_meta(out_dir) == wanted:  # another process finished the same conversion first
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


class CT2Backend(Backend):
    """Marian model run by CTranslate2.

    ``model_dir`` is a converted directory (see :func:`convert`).
    ``device`` is "auto" (CUDA when CTranslate2 sees a GPU, else CPU), "cpu"
    or "cuda"; ``compute_type`` "auto" means int8 on CPU and float16 on CUDA,
    or any CTranslate2 compute type ("float32" gives results identical to the
    transformers backend on the same weights under greedy decoding).
    On CPU ``inter_threads`` (replicas working in parallel) defaults to the
    usable cores (RETRANSLATE_THREADS or the CPU affinity, at most
    :data:`MAX_CPU_REPLICAS`) and ``intra_threads`` to the cores left per
    replica; ``max_batch_size``/``batch_type`` bound the sub-batches CTranslate2
    cuts a ``translate`` call into (length-sorted).  ``use_vmap`` enables the
    optional vocabulary map (may change the output; off by default).
    """

    name = "ctranslate2"
    kind = "ct2"
    install = "run `pip install 'retranslate[fast]'` or use --backend transformers"
    converts_from = "hf"
    supports_vmap = True
    available = staticmethod(ct2_available)
    is_model_dir = staticmethod(is_ct2_dir)
    convert = staticmethod(convert)

    def __init__(self, model_dir, device: str = "auto", compute_type: str = "auto", *,
                 inter_threads: int | None = None, intra_threads: int | None = None,
                 max_batch_size: int | None = None, batch_type: str = "tokens",
                 max_batch_examples: int | None = None,
                 max_input_tokens: int = 512, use_vmap: bool = False):
        model_dir = Path(model_dir)
        if not ct2_available():
            raise ModelUnavailable("CTranslate2 is not installed; run `pip install 'retranslate[fast]'` or use --backend transformers.")
        check_ct2_dir(model_dir)
        if use_vmap and not (model_dir / VMAP_FILE).is_file():
            raise ModelUnavailable(f"--vmap needs a vocabulary map (vmap.txt) in {model_dir}; build one with "
                                   f"`retranslate models vmap {model_dir} --source FILE --target FILE`, or leave out --vmap.")
        import ctranslate2
        import sentencepiece as spm

        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        supported = ctranslate2.get_supported_compute_types(device)
        if compute_type == "auto":
            preferred = "float16" if device == "cuda" else "int8"
            compute_type = preferred if preferred in supported else "default"
        elif compute_type != "default" and compute_type not in supported:
            raise ModelUnavailable(f"compute type {compute_type} is not supported on {device} by CTranslate2 "
                                   f"(supported: {', '.join(sorted(supported))}); choose one of those or auto.")
        if device == "cpu":
            cores = cpu_threads()
            inter_threads = inter_threads or min(cores, MAX_CPU_REPLICAS)
            intra_threads = intra_threads or max(1, cores // inter_threads)
        else:
            inter_threads, intra_threads = inter_threads or 1, intra_threads or 0
        self.model_dir = model_dir
        self.device = device
        self.compute_type = compute_type
        if max_batch_size is None:
            max_batch_size = CUDA_MAX_BATCH_TOKENS if device == "cuda" else DEFAULT_MAX_BATCH_TOKENS
        self.max_batch_size = max_batch_size
        self.max_batch_examples = max_batch_examples or (256 if device == "cuda" else DEFAULT_MAX_BATCH_EXAMPLES)
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.batch_tokens = ENGINE_BATCH_TOKENS
        self.batch_size = ENGINE_BATCH_SIZE
        self.batch_type = batch_type
        self.max_input_tokens = max_input_tokens
        self.use_vmap = use_vmap
        self.model_id = fingerprint(model_dir, CT2_MODEL_FILES + TOKENIZER_FILES)
        self._vmap_id = fingerprint(model_dir, (VMAP_FILE,)) if use_vmap else ""
        try:
            self._translator = ctranslate2.Translator(
                str(model_dir), device=device, compute_type=compute_type,
                inter_threads=inter_threads, intra_threads=intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelUnavailable(f"CTranslate2 could not load {model_dir} ({exc}); convert the model again.") from exc
        self._source = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
        self._target = spm.SentencePieceProcessor(model_file=str(model_dir / "target.spm"))

    @property
    def identity(self) -> str:
        """As :attr:`Backend.identity`, plus the vocabulary map when it is on (it can change the output)."""
        return super().identity + (f":vmap-{self._vmap_id}" if self.use_vmap else "")

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        """Source pieces of each text, ending with the end-of-sentence token.

        A leading target-language token (">>cmn_Hans<< ...", multi-target models)
        stays one token, as in transformers' MarianTokenizer.
        """
        codes, bodies = zip(*(_split_language_code(t) for t in texts)) if texts else ((), ())
        pieces = self._source.encode(list(bodies), out_type=str)
        return [([c] if c else []) + p + ["</s>"] for c, p in zip(codes, pieces)]

    def detokenize(self, tokens: list[str]) -> str:
        """Text of target pieces, special tokens dropped (as transformers' skip_special_tokens)."""
        return self._target.decode_pieces([t for t in tokens if t not in SPECIAL_TOKENS]).strip()

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-side token counts, end-of-sentence token included."""
        return [len(pieces) for pieces in self.tokenize(list(texts))]

    def options(self, decoding: Decoding) -> dict:
        """``translate_batch`` keyword arguments for ``decoding`` and this backend's batching."""
        return dict(
            beam_size=decoding.beam_size,
            max_decoding_length=decoding.max_new_tokens,
            min_decoding_length=decoding.min_new_tokens,
            no_repeat_ngram_size=decoding.no_repeat_ngram_size,
            repetition_penalty=decoding.repetition_penalty,
            length_penalty=decoding.length_penalty,
            max_batch_size=self.max_batch_size,
            batch_type=self.batch_type,
            max_input_length=0,  # never truncate: the engine bounds segment length
            use_vmap=self.use_vmap,
        )

    def translate(self, texts: list[str], decoding: Decoding) -> list[str]:
        """Translate ``texts``; one output per input, same order (empty stays empty)."""
        return self.submit(texts, decoding)()

    def submit(self, texts: list[str], decoding: Decoding):
        """Queue ``texts`` on the replicas now; the returned function waits for the outputs.

        Length-sorted sub-batches (:meth:`sub_batches`) are all queued at once, so
        the replicas work side by side, also on the sub-batches of later calls
        while an earlier call's outputs are being read.
        """
        texts = list(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        tokens = self.tokenize([texts[i] for i in todo])
        options = self.options(decoding)
        options.pop("max_batch_size"), options.pop("batch_type")
        groups = self.sub_batches([len(t) for t in tokens])
        pending = [self._translator.translate_batch([tokens[k] for k in g], asynchronous=True, **options)
                   for g in groups]

        def wait() -> list[str]:
            out = [""] * len(texts)
            for group, results in zip(groups, pending):
                for k, result in zip(group, results):
                    out[todo[k]] = self.detokenize(result.result().hypotheses[0])
            return out

        return wait

    def sub_batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices grouped into length-sorted sub-batches.

        Bounded by ``max_batch_size`` (source tokens, or segments when
        ``batch_type`` is "examples") and by ``max_batch_examples`` segments,
        which keeps memory flat when many short lines share a token budget.
        """
        groups: list[list[int]] = []
        current: list[int] = []
        used = 0
        by_tokens = self.batch_type == "tokens"
        for k in sorted(range(len(lengths)), key=lambda k: lengths[k]):
            cost = lengths[k] if by_tokens else 1
            if current and (used + cost > self.max_batch_size or len(current) >= self.max_batch_examples):
                groups.append(current)
                current, used = [], 0
            current.append(k)
            used += cost
        if current:
            groups.append(current)
        return groups
