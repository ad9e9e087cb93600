#!/usr/bin/env bash
# GPU readiness check (see docs/gpu.md): under 5 minutes on a machine with one CUDA GPU.
#
# Builds a random-weight model of the opus-mt-zh-en architecture (config and tokenizer from
# ../shared/models/opus-mt-zh-en when present, else the same dimensions with a tokenizer trained
# on the seeds and a vocabulary padded to 65,001 pieces), converts it to CTranslate2, then:
#   1. runs the engine on CUDA and on CPU and prints sentences/s for each engine and compute type
#      (CTranslate2 float16, int8_float16, float32 on CUDA; int8, float32 on CPU; transformers
#      fp16 and fp32 on CUDA, fp32 on CPU), beam 4, on newstest2017 zh sentences;
#   2. checks that greedy outputs agree between CUDA and CPU on the same weights in float32
#      (CTranslate2 and transformers), and reports the agreement of float16 with them.
# Exit 0 when float32 greedy agreement is at least AGREE (default 0.95) for both engines,
# 1 when it is lower, 2 when no CUDA device is visible (GPU_CHECK_CPU_ONLY=1 runs the CPU rows
# only, to try the script itself on a machine without a GPU).
#
# Usage: bash bench/gpu_check.sh [N sentences, default 512]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-512}"
export GPU_CHECK_N="$N"
echo "gpu_check: $(date -u +%Y-%m-%dT%H:%M:%SZ) $(hostname)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
exec python - <<'PY'
import lzma
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("GPU_CHECK_N", "512"))
CPU_N = min(N, 64)  # the CPU rows translate fewer sentences (slower), the same first ones
AGREE = float(os.environ.get("AGREE", "0.95"))
WORK = Path(os.environ.get("GPU_CHECK_DIR", "/tmp/retranslate-gpu-check"))
cpu_only = os.environ.get("GPU_CHECK_CPU_ONLY") == "1"

import ctranslate2
import torch
from transformers import MarianConfig, MarianMTModel, MarianTokenizer

from mt.backends.base import Decoding
from mt.backends.ct2 import CT2Backend, convert
from mt.backends.hf import HFBackend

cuda_ct2 = ctranslate2.get_cuda_device_count()
cuda_torch = torch.cuda.device_count() if torch.cuda.is_available() else 0
print(f"CUDA devices: CTranslate2 {cuda_ct2}, torch {cuda_torch} (torch {torch.__version__}, "
      f"ctranslate2 {ctranslate2.__version__})")
if not cpu_only and (cuda_ct2 == 0 or cuda_torch == 0):
    print("no CUDA device visible to CTranslate2 and torch: this check needs a GPU machine "
          "(GPU_CHECK_CPU_ONLY=1 runs the CPU rows only)")
    sys.exit(2)

# ------------------------------------------------------------------ the model
t0 = time.perf_counter()
hf_dir = WORK / "opus-mt-zh-en-random"
shared = ROOT.parent / "shared" / "models" / "opus-mt-zh-en"
if not shared.is_dir():
    shared = ROOT / "shared" / "models" / "opus-mt-zh-en"
if not (hf_dir / "model.safetensors").is_file():
    shutil.rmtree(hf_dir, ignore_errors=True)
    hf_dir.mkdir(parents=True)
    if (shared / "config.json").is_file():
        config = MarianConfig.from_pretrained(shared)
        for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
            shutil.copyfile(shared / name, hf_dir / name)
        origin = f"config and tokenizer of {shared}"
    else:
        import json

        from tests.tiny_marian import build_tiny_marian

        tiny = build_tiny_marian(WORK / "tiny-tokenizer", "zh-en")
        vocab = json.loads((tiny / "vocab.json").read_text(encoding="utf-8"))
        pad = vocab.pop("<pad>")
        while len(vocab) < 65000:  # the real vocabulary's size: the output layer dominates decoding
            vocab[f"<fill{len(vocab)}>"] = len(vocab)
        vocab["<pad>"] = len(vocab)
        (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        for name in ("source.spm", "target.spm", "tokenizer_config.json"):
            shutil.copyfile(tiny / name, hf_dir / name)
        config = MarianConfig(vocab_size=65001, decoder_vocab_size=65001, pad_token_id=65000,
                              decoder_start_token_id=65000, eos_token_id=0, bos_token_id=0, forced_eos_token_id=0,
                              d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                              decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                              max_position_embeddings=512, activation_function="swish", scale_embedding=True,
                              static_position_embeddings=True, share_encoder_decoder_embeddings=True,
                              tie_word_embeddings=True, bad_words_ids=[[65000]], max_length=512)
        origin = "opus-mt-zh-en dimensions, tokenizer trained on the seeds (../shared absent)"
    torch.manual_seed(0)
    MarianMTModel(config).eval().save_pretrained(hf_dir)
    MarianTokenizer.from_pretrained(hf_dir)
else:
    origin = "built before"
ct2_dir = convert(hf_dir, WORK / "opus-mt-zh-en-random-ct2", quantization=None)  # compute type chosen at load
n_params = sum(p.numel() for p in MarianMTModel.from_pretrained(hf_dir).parameters())
print(f"model: random weights, {n_params / 1e6:.1f} M parameters ({origin}); built and converted in "
      f"{time.perf_counter() - t0:.0f} s")

# ------------------------------------------------------------------ sentences
src = ROOT / "tests" / "data" / "wmt" / "newstest2017.zh-en.zho.xz"
lines = [x.strip() for x in lzma.open(src, "rt", encoding="utf-8") if x.strip()][:N]
print(f"input: {len(lines)} newstest2017 zh sentences (CPU rows: the first {CPU_N})")

BEAM = Decoding(beam_size=4, max_new_tokens=64, no_repeat_ngram_size=0, repetition_penalty=1.0)
GREEDY = Decoding(beam_size=1, max_new_tokens=48, no_repeat_ngram_size=0, repetition_penalty=1.0)


def run(backend, texts, decoding):
    backend.translate(texts[:8], decoding)  # warm-up
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    t = time.perf_counter()
    outs = []
    step = backend.batch_size
    for i in range(0, len(texts), step):
        outs.extend(backend.translate(texts[i:i + step], decoding))
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return outs, len(texts) / (time.perf_counter() - t)


rows = []
if not cpu_only:
    for ct in ("float16", "int8_float16", "float32"):
        if ct in ctranslate2.get_supported_compute_types("cuda"):
            rows.append(("ctranslate2", "cuda", ct, lambda ct=ct: CT2Backend(ct2_dir, device="cuda", compute_type=ct)))
    for ct in ("float16", "float32"):
        rows.append(("transformers", "cuda", ct, lambda ct=ct: HFBackend(hf_dir, device="cuda", compute_type=ct)))
for ct in ("int8", "float32"):
    rows.append(("ctranslate2", "cpu", ct, lambda ct=ct: CT2Backend(ct2_dir, device="cpu", compute_type=ct)))
rows.append(("transformers", "cpu", "float32", lambda: HFBackend(hf_dir, device="cpu", compute_type="float32")))

greedy = {}
print(f"\n{'engine':<13} {'device':<6} {'compute type':<13} {'sentences/s (beam 4)':>21}")
for engine, device, ct, make in rows:
    backend = make()
    texts = lines if device == "cuda" else lines[:CPU_N]
    _, speed = run(backend, texts, BEAM)
    print(f"{engine:<13} {device:<6} {ct:<13} {speed:>21.1f}", flush=True)
    greedy[(engine, device, ct)], _ = run(backend, lines[:CPU_N], GREEDY)
    del backend
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def agreement(a, b):
    return sum(x == y for x, y in zip(a, b)) / max(1, len(a))


print(f"\ngreedy agreement with CPU float32 on the same weights ({CPU_N} sentences, 48 tokens):")
failed = False
for engine in ("ctranslate2", "transformers"):
    ref = greedy[(engine, "cpu", "float32")]
    for (e, device, ct), outs in greedy.items():
        if e != engine or (device, ct) == ("cpu", "float32"):
            continue
        share = agreement(outs, ref)
        gate = device == "cuda" and ct == "float32"
        mark = (" ok" if share >= AGREE else f" BELOW {AGREE}") if gate else " (reported)"
        failed |= gate and share < AGREE
        print(f"  {engine:<13} {device:<5} {ct:<13} {share:.3f}{mark}")
print(f"\ngpu_check: {'FAILED' if failed else 'passed'} ({time.perf_counter() - t0:.0f} s)")
sys.exit(1 if failed else 0)
PY
