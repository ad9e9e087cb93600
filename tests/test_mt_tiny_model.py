"""The tiny test model loads through the real Marian loading code and is deterministic."""
from __future__ import annotations

import json


def test_tiny_model_is_a_normal_marian_directory(tiny_zh_en):
    for name in ("config.json", "vocab.json", "source.spm", "target.spm", "tokenizer_config.json"):
        assert (tiny_zh_en / name).is_file(), name
    config = json.loads((tiny_zh_en / "config.json").read_text())
    assert config["model_type"] == "marian"
    vocab = json.loads((tiny_zh_en / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 and vocab["<pad>"] == config["pad_token_id"] == len(vocab) - 1


def test_tiny_models_translate_both_directions(tiny_zh_en, tiny_en_zh):
    from transformers import MarianMTModel, MarianTokenizer

    for model_dir, texts in (
        (tiny_zh_en, ["创新是引领发展的第一动力。", "人才是第一资源。"]),
        (tiny_en_zh, ["Innovation drives development.", "Talent is the first resource."]),
    ):
        tok = MarianTokenizer.from_pretrained(model_dir)
        model = MarianMTModel.from_pretrained(model_dir)
        batch = tok(texts, return_tensors="pt", padding=True)
        out = tok.batch_decode(model.generate(**batch, num_beams=1, max_new_tokens=12), skip_special_tokens=True)
        again = tok.batch_decode(model.generate(**batch, num_beams=1, max_new_tokens=12), skip_special_tokens=True)
        assert len(out) == 2 and all(o.strip() for o in out)
        assert out == again  # fixed weights, greedy: deterministic
        assert out[0] != out[1]  # the output depends on the input


def test_builder_is_reproducible(tmp_path, tiny_zh_en):
    from tests.tiny_marian import build_tiny_marian

    other = build_tiny_marian(tmp_path / "again", direction="zh-en")
    assert (other / "vocab.json").read_bytes() == (tiny_zh_en / "vocab.json").read_bytes()
    assert (other / "model.safetensors").read_bytes() == (tiny_zh_en / "model.safetensors").read_bytes()
