"""Where MarianMT models come from, and which backend runs them.

Resolution for a direction ("zh-en" or "en-zh"), first hit wins:

1. ``--model PATH``: a Hugging Face Marian directory or a converted CTranslate2 one;
2. the converted cache: ``<cache root>/models/opus-mt-<direction>-<quant>`` (made by
   ``retranslate models pull``), or the conversion of the ``--model`` directory made by
   ``retranslate models convert``;
3. the Hugging Face cache (``huggingface_hub``, local files only, honours HF_HOME
   and HF_HUB_CACHE); a snapshot that lacks a file (an interrupted download) is not used;
4. the Hub itself (``HF_ENDPOINT``), unless HF_HUB_OFFLINE is set or the caller asks
   for no download (``--offline``): the model is downloaded on first use with a
   progress bar (:mod:`mt.hub`: bounded timeouts, one download at a time), converted
   to CTranslate2 int8 when CTranslate2 is installed, and kept in the caches.

Every failure raises :class:`mt.errors.ModelUnavailable` with one sentence that
names the ways out.  The cache root is RETRANSLATE_CACHE, else ``$HF_HOME/retranslate``,
else ``~/.cache/huggingface/retranslate`` (XDG_CACHE_HOME honoured).

Example::

    resolved = resolve("zh-en")                 # ResolvedModel(path=..., kind="ct2", origin="converted cache")
    backend = load_backend(resolved, "auto")    # CT2Backend or HFBackend
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mt import backends
from mt.backends.base import HF_WEIGHT_FILES, TOKENIZER_FILES, fingerprint
from mt.errors import ModelUnavailable, UserError

DIRECTIONS = ("zh-en", "en-zh")
HUB_IDS = {"zh-en": "Helsinki-NLP/opus-mt-zh-en", "en-zh": "Helsinki-NLP/opus-mt-en-zh"}
BACKENDS = backends.CHOICES
DEVICES = ("auto", "cpu", "cuda")
#: Files fetched from the Hub for a Marian model (weights in one format are enough).
HUB_FILES = ["config.json", "generation_config.json", "vocab.json", "source.spm", "target.spm",
             "tokenizer_config.json", "pytorch_model.bin", "model.safetensors"]


def model_flag(direction: str) -> str:
    """The command-line option that names a model directory for ``direction``."""
    return "--model-en-zh" if direction == "en-zh" else "--model"


def _ways_out(direction: str) -> str:
    return (f"run `retranslate models pull {direction}` on a connected machine, "
            f"pass {model_flag(direction)} DIR (a MarianMT directory), or use --no-mt")


#: Files a downloaded snapshot must hold before it is used (besides one weights file).
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")


def is_complete_snapshot(path) -> bool:
    """True when ``path`` holds every file a Marian model needs (never a half-finished download)."""
    path = Path(path)
    return all((path / n).is_file() for n in REQUIRED_FILES) and any(
        (path / n).is_file() for n in ("model.safetensors", "pytorch_model.bin")) and _is_hf(path)


def check_direction(direction: str) -> str:
    """Return ``direction`` if it is "zh-en" or "en-zh", else raise UserError."""
    if direction not in DIRECTIONS:
        raise UserError(f"unknown translation direction {direction!r}; use zh-en or en-zh")
    return direction


def _hf_home() -> Path:
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface"


def cache_root() -> Path:
    """The retranslate cache directory (converted models, translation cache); not created here."""
    if os.environ.get("RETRANSLATE_CACHE"):
        return Path(os.environ["RETRANSLATE_CACHE"]).expanduser()
    return _hf_home() / "retranslate"


def hf_hub_cache() -> Path:
    """The Hugging Face hub cache directory, read from the environment at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    return _hf_home() / "hub"


def hub_offline() -> bool:
    """True when HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) asks for no network."""
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def converted_dir(direction: str, quantization: str = "int8") -> Path:
    """Where ``models pull`` keeps the CTranslate2 conversion of a direction's model."""
    return cache_root() / "models" / f"opus-mt-{check_direction(direction)}-{quantization}"


def _pulled_conversion(direction: str) -> Path:
    """The int8 conversion made by ``models pull``, else one of another weight type, else the int8 path."""
    preferred = converted_dir(direction)
    if backends.kind_of(preferred):
        return preferred
    others = sorted(p for p in preferred.parent.glob(f"opus-mt-{direction}-*") if backends.kind_of(p))
    return others[0] if others else preferred


def conversion_of(hf_dir, quantization: str = "int8") -> Path:
    """Where ``models convert DIR`` keeps the conversion of a given HF directory (by content hash)."""
    hf_dir = Path(hf_dir)
    key = fingerprint(hf_dir, HF_WEIGHT_FILES + TOKENIZER_FILES)
    return cache_root() / "converted" / f"{hf_dir.name}-{key}-{quantization}"


def _is_hf(path: Path) -> bool:
    return backends.kind_of(path) == "hf"


def _converted(path: Path) -> Path | None:
    """``path`` when it holds a converted model (of any backend's format), else None."""
    return path if backends.kind_of(path) not in (None, "hf") else None


@dataclass(frozen=True)
class ResolvedModel:
    """A model found for a direction: its directory, kind (a backend's ``kind``: "hf", "ct2") and where it came from."""

    direction: str
    path: Path
    kind: str
    origin: str
    #: a conversion of ``path`` into another backend's format when one exists (for an "hf" model)
    converted: Path | None = None


def hf_cached(direction: str) -> Path | None:
    """The direction's model snapshot in the Hugging Face cache, or None (never touches the network)."""
    try:
        from huggingface_hub import snapshot_download

        path = Path(snapshot_download(HUB_IDS[direction], cache_dir=str(hf_hub_cache()), local_files_only=True,
                                      allow_patterns=HUB_FILES))
    except Exception:
        return None
    return path if is_complete_snapshot(path) else None


def download(direction: str) -> Path:
    """Download the direction's model from the Hub into the HF cache; raises ModelUnavailable (one line)."""
    from mt import hub

    check_direction(direction)
    repo = HUB_IDS[direction]
    if hub_offline():
        raise ModelUnavailable(
            f"HF_HUB_OFFLINE is set, so {repo} cannot be downloaded; unset it on a connected machine, "
            f"or pass {model_flag(direction)} DIR"
        )
    hub.say(f"downloading {repo} from {hub.endpoint()} into {hf_hub_cache()} (once; later runs use the cache)")
    try:
        return hub.snapshot(repo, hf_hub_cache(), HUB_FILES, required=is_complete_snapshot)
    except hub.HubError as exc:
        raise ModelUnavailable(
            f"could not download {repo} ({exc}); check the network (HF_ENDPOINT, proxy) and run again, or run "
            f"`retranslate models pull {direction}` on a connected machine and copy {cache_root()} and "
            f"{hf_hub_cache()} here, or pass {model_flag(direction)} DIR, or use --no-mt"
        ) from None


def resolve(direction: str, model=None, backend: str = "auto", allow_download: bool = False) -> ResolvedModel:
    """Find a model for ``direction`` (see the module doc for the order); raises ModelUnavailable.

    ``allow_download``: fetch it from the Hub (and convert it) when it is nowhere on this
    machine and HF_HUB_OFFLINE is not set.
    """
    check_direction(direction)
    wanted = None if backend == "auto" else backends.get(backend)
    if model:
        path = Path(model).expanduser()
        if not path.is_dir():
            raise ModelUnavailable(f"model directory {path} does not exist; pass a MarianMT model directory with --model, "
                                   f"run `retranslate models pull {direction}`, or use --no-mt")
        kind = backends.kind_of(path)
        if kind == "hf":
            return ResolvedModel(direction, path, "hf", "--model", _converted(conversion_of(path)))
        if kind is not None:
            return ResolvedModel(direction, path, kind, "--model")
        raise ModelUnavailable(f"{path} is not a MarianMT model directory (config.json, weights, source.spm, target.spm, "
                               f"vocab.json); pass the right one with --model, or use --no-mt")
    conv = _converted(_pulled_conversion(direction))
    cached = hf_cached(direction)
    conv_kind = backends.kind_of(conv) if conv else None
    if conv and (wanted is None or wanted.kind == conv_kind or cached is None):
        if wanted is not None and wanted.kind != conv_kind:
            raise ModelUnavailable(f"only a {conv_kind} model is available for {direction} ({conv}), which the "
                                   f"{wanted.name} backend cannot run; use --backend auto, or {_ways_out(direction)}")
        return ResolvedModel(direction, conv, conv_kind, "converted cache")
    if cached is not None:
        return ResolvedModel(direction, cached, "hf", "HF cache", conv)
    if allow_download and not hub_offline():
        hf_dir, conv = pull(direction, convert_model=wanted is None or wanted.kind != "hf")
        return ResolvedModel(direction, hf_dir, "hf", "hub", conv)
    offline = " (HF_HUB_OFFLINE is set)" if hub_offline() else ""
    raise ModelUnavailable(f"no {direction} MarianMT model is available on this machine{offline}; {_ways_out(direction)}")


def _dir_for(cls, resolved: ResolvedModel) -> Path | None:
    """The directory of ``resolved`` that backend ``cls`` can open as it is, or None."""
    if cls.kind == resolved.kind:
        return resolved.path
    if resolved.converted is not None and backends.kind_of(resolved.converted) == cls.kind:
        return resolved.converted
    return None


def load_backend(resolved: ResolvedModel, backend: str = "auto", device: str = "auto", compute_type: str = "auto",
                 use_vmap: bool = False):
    """Open ``resolved`` with the chosen backend (a name in ``mt.backends.REGISTRY``, or "auto").

    "auto" takes the first registered backend (CTranslate2, then transformers)
    that is installed and has a directory of its format: the model itself or its
    conversion.  A named backend on a directory it cannot run converts it first
    (into the cache) when it can (CTranslate2 from a Hugging Face directory).
    ``use_vmap`` needs a backend that supports a vocabulary map (CTranslate2) and
    a ``vmap.txt`` in the converted model.  Raises ModelUnavailable with the way out.
    """
    if device not in DEVICES:
        raise UserError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    if backend == "auto":
        cls = next((c for c in backends.REGISTRY.values() if c.available() and _dir_for(c, resolved) is not None),
                   None) or next(c for c in backends.REGISTRY.values() if c.kind == resolved.kind)
    else:
        cls = backends.get(backend)
    if use_vmap and not cls.supports_vmap:
        raise ModelUnavailable("--vmap needs the CTranslate2 backend; install it with `pip install 'retranslate[fast]'` "
                               "and convert the model, or leave out --vmap.")
    if not cls.available():
        raise ModelUnavailable(f"the {cls.name} backend is not installed; {cls.install}")
    if device == "cuda" and not cuda_devices().get(cls.name):
        raise ModelUnavailable(f"--device cuda, but the {cls.name} backend sees no CUDA device (no GPU, or a CPU-only "
                               f"build); use --device auto or cpu")
    model_dir = _dir_for(cls, resolved)
    if model_dir is None:
        if cls.converts_from != resolved.kind:
            raise ModelUnavailable(f"{resolved.path} is a {resolved.kind} model, which the {cls.name} backend cannot run; "
                                   f"use --backend auto or pass a Hugging Face Marian directory with --model")
        model_dir = cls.convert(resolved.path, conversion_of(resolved.path))
    options = {"use_vmap": use_vmap} if cls.supports_vmap else {}
    return cls(model_dir, device=device, compute_type=compute_type, **options)


def cuda_devices() -> dict[str, int]:
    """CUDA devices each backend can use, by backend name: {"ctranslate2": n, "transformers": n} (0: none, or not installed)."""
    found = {"ctranslate2": 0, "transformers": 0}
    try:
        import ctranslate2

        found["ctranslate2"] = int(ctranslate2.get_cuda_device_count())
    except Exception:  # not installed, or a build without CUDA
        pass
    try:
        import torch

        found["transformers"] = int(torch.cuda.device_count()) if torch.cuda.is_available() else 0
    except Exception:
        pass
    return found


def pull(direction: str, convert_model: bool = True, quantization: str = "int8") -> tuple[Path, Path | None]:
    """Download a direction's model and (when CTranslate2 is installed) convert it into the cache.

    Holds a file lock under the cache root meanwhile, so processes starting at once
    download once: the others wait and then find the model.  Returns (Hugging Face
    directory, converted directory or None).  Raises ModelUnavailable (one line).
    """
    from mt import hub

    check_direction(direction)
    try:
        with hub.download_lock(f"opus-mt-{direction}", cache_root(), notify=hub.say):
            hf_dir = hf_cached(direction) or download(direction)
            conv = None
            conv_cls = backends.converter()
            if convert_model and conv_cls is not None:
                target = converted_dir(direction, quantization)
                if backends.kind_of(target) is None:
                    hub.say(f"converting {HUB_IDS[direction]} for {conv_cls.name} ({quantization}) in {target}")
                conv = conv_cls.convert(hf_dir, target, quantization=quantization)
    except hub.HubError as exc:
        raise ModelUnavailable(f"{exc}; wait for it to finish, or pass {model_flag(direction)} DIR") from None
    except OSError as exc:  # the cache directory cannot be written
        raise ModelUnavailable(f"cannot write the model cache {cache_root()} ({exc.strerror or exc}); "
                               f"set RETRANSLATE_CACHE and HF_HOME to a writable directory") from None
    return hf_dir, conv


def describe(direction: str) -> dict:
    """What is available locally for ``direction`` (for ``models list``); never touches the network."""
    conv = _pulled_conversion(direction)
    cached = hf_cached(direction)
    return {
        "direction": direction,
        "hub_id": HUB_IDS[direction],
        "converted": str(conv) if _converted(conv) else None,
        "hf_cache": str(cached) if cached else None,
    }
