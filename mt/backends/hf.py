"""Transformers backend: ``MarianMTModel.generate`` on torch (CUDA when present).

Example::

    from mt.backends.hf import HFBackend
    from mt.backends.base import Decoding

    backend = HFBackend("opus-mt-zh-en")              # a Hugging Face Marian directory
    backend.translate(["我们走吧。", "你好。"], Decoding())   # two strings, same order
"""
from __future__ import annotations

from pathlib import Path

from mt.backends.base import (
    HF_WEIGHT_FILES, TOKENIZER_FILES, Backend, Decoding, cpu_threads, fill_nonempty, fingerprint,
)
from mt.errors import ModelUnavailable


#: Below this many parameters a model runs on one CPU thread (test-sized models).
SMALL_MODEL_PARAMS = 5_000_000


def is_hf_dir(path) -> bool:
    """True when ``path`` looks like a Hugging Face Marian model directory."""
    p = Path(path)
    return (p / "config.json").is_file() and (
        (p / "model.safetensors").is_file() or (p / "pytorch_model.bin").is_file()
    ) and (p / "source.spm").is_file()


class HFBackend(Backend):
    """A Marian model run by transformers.

    ``device`` is "auto" (CUDA when torch sees a GPU, else CPU), "cpu" or "cuda".
    On CPU, torch uses ``threads`` intra-op threads (default: the usable cores,
    or RETRANSLATE_THREADS; one for test-sized models).  ``compute_type`` is "float32" (default) or, on
    CUDA, "float16".
    """

    name = "transformers"
    kind = "hf"
    install = "run `pip install transformers torch`"
    is_model_dir = staticmethod(is_hf_dir)

    def __init__(self, model_dir, device: str = "auto", compute_type: str = "auto", threads: int | None = None,
                 max_input_tokens: int | None = None):
        model_dir = Path(model_dir)
        if not is_hf_dir(model_dir):
            raise ModelUnavailable(
                f"{model_dir} is not a MarianMT model directory (config.json, weights, source.spm); "
                "pass one with --model DIR or fetch one with `retranslate models pull zh-en`."
            )
        import torch
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if compute_type == "auto":
            compute_type = "float16" if device == "cuda" else "float32"
        if compute_type not in ("float32", "float16"):
            raise ModelUnavailable(f"compute type {compute_type} is not one the transformers backend runs "
                                   f"(float32, or float16 on CUDA); choose one of those or auto.")
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
            dtype = torch.float16 if compute_type == "float16" else torch.float32
            self.model = MarianMTModel.from_pretrained(str(model_dir), dtype=dtype).to(device).eval()
        except Exception as exc:  # corrupt files, wrong architecture, ...
            raise ModelUnavailable(f"Could not load the MarianMT model in {model_dir} ({exc}); fetch it again.") from exc
        if device == "cpu":
            # Small models lose time to thread synchronisation: one thread is faster.
            n_params = sum(p.numel() for p in self.model.parameters())
            torch.set_num_threads(threads or (1 if n_params < SMALL_MODEL_PARAMS else cpu_threads()))
        self.model_dir = model_dir
        self.device = device
        self.compute_type = compute_type
        self.model_id = fingerprint(model_dir, HF_WEIGHT_FILES + TOKENIZER_FILES)
        limit = int(getattr(self.model.config, "max_position_embeddings", 512) or 512)
        self.max_input_tokens = min(max_input_tokens or limit, limit)
        self.batch_tokens = 4096 if device == "cuda" else 1024
        self.batch_size = 128 if device == "cuda" else 32
        self._torch = torch

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-side token counts (end-of-sentence token included)."""
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]]

    def translate(self, texts: list[str], decoding: Decoding) -> list[str]:
        """Translate one batch; one output per input, same order (empty stays empty)."""
        return fill_nonempty(texts, lambda todo: self._translate(todo, decoding))

    def _translate(self, texts: list[str], decoding: Decoding) -> list[str]:
        batch = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise ValueError(
                f"segment of {batch['input_ids'].shape[1]} tokens exceeds the model's {self.max_input_tokens}; "
                "the engine must split it first"
            )
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with self._torch.inference_mode():
            generated = self.model.generate(
                **batch,
                num_beams=decoding.beam_size,
                max_new_tokens=decoding.max_new_tokens,
                min_new_tokens=decoding.min_new_tokens or None,
                no_repeat_ngram_size=decoding.no_repeat_ngram_size or None,
                repetition_penalty=decoding.repetition_penalty,
                length_penalty=decoding.length_penalty,
                do_sample=False,
                early_stopping=True,
                # A cut-off output ends where the length limit is, as in CTranslate2
                # (no end-of-sentence token forced into the last position).
                forced_eos_token_id=None,
            )
        return [text.strip() for text in self.tokenizer.batch_decode(generated, skip_special_tokens=True)]
