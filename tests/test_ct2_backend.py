"""CTranslate2 backend on the tiny random-weight Marian model.

The model translates nonsense; these tests check plumbing: conversion, order,
agreement with transformers on the same weights, and the model fingerprint.
"""
from __future__ import annotations

import json

import shutil

import pytest

pytest.importorskip("ctranslate2", reason="ctranslate2 is not installed (optional 'fast' extra)")

from mt.backends.base import Decoding  # noqa: E402
from mt.backends.ct2 import CONVERT_META, TOKENIZER_FILES, CT2Backend, convert  # noqa: E402
from mt.errors import ModelUnavailable  # noqa: E402

SENTENCES = [
    "大连高新区搭建国际化双创平台激活发展新动能。",
    "创新是引领发展的第一动力。",
    "2015年以来，新设立企业1089家，增长21.68%。",
    "人才是第一资源！",
    "他说：“我们要继续优化创新环境、完善服务体系。”",
    "春播一粒粟，秋收万颗种……",
    "目前，区内科技企业1100余家；30%的生物医药企业由海归人才创办。",
    "海创工程",
]
GREEDY = Decoding(beam_size=1, max_new_tokens=24)


@pytest.fixture(scope="module")
def ct2_f32(tiny_zh_en, tmp_path_factory):
    return convert(tiny_zh_en, tmp_path_factory.mktemp("ct2") / "f32", quantization="float32")


@pytest.fixture(scope="module")
def f32_backend(ct2_f32):
    return CT2Backend(ct2_f32, device="cpu", compute_type="float32")


def _reference_greedy(model_dir, texts, decoding):
    """transformers' output on the same weights (the project's backend when present)."""
    try:
        from mt.backends.hf import HFBackend
    except ImportError:
        HFBackend = None
    if HFBackend is not None:
        return HFBackend(model_dir, device="cpu").translate(texts, decoding)
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tok = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    batch = tok(texts, return_tensors="pt", padding=True)
    with torch.inference_mode():
        ids = model.generate(**batch, num_beams=1, do_sample=False, max_new_tokens=decoding.max_new_tokens,
                             min_new_tokens=decoding.min_new_tokens or None,
                             no_repeat_ngram_size=decoding.no_repeat_ngram_size or None,
                             repetition_penalty=decoding.repetition_penalty, forced_eos_token_id=None)
    return [t.strip() for t in tok.batch_decode(ids, skip_special_tokens=True)]


def test_converted_dir_is_self_contained(ct2_f32):
    for name in ("model.bin", "config.json", "shared_vocabulary.json", CONVERT_META, *TOKENIZER_FILES):
        assert (ct2_f32 / name).is_file(), name
    assert not [p for p in ct2_f32.parent.iterdir() if p.name.startswith(".")], "temporary directory left behind"


def test_defaults_are_int8_on_cpu_and_outputs_keep_order(ct2_f32):
    backend = CT2Backend(ct2_f32, device="cpu")
    assert backend.name == "ctranslate2" and backend.compute_type == "int8" and backend.device == "cpu"
    outs = backend.translate(SENTENCES, Decoding(max_new_tokens=16))
    assert len(outs) == len(SENTENCES) and all(outs)


def test_order_preserved_when_batches_are_sorted_and_split(f32_backend, ct2_f32):
    one_by_one = [f32_backend.translate([s], GREEDY)[0] for s in SENTENCES]
    assert len(set(one_by_one)) > 1, "the tiny model should give different outputs for different inputs"
    # A tiny token budget makes CTranslate2 length-sort and cut the call into many sub-batches.
    small = CT2Backend(ct2_f32, device="cpu", compute_type="float32", max_batch_size=24, batch_type="tokens")
    shuffled = SENTENCES[::-1] + ["", "  "]
    assert small.translate(shuffled, GREEDY) == one_by_one[::-1] + ["", ""]
    assert f32_backend.translate(SENTENCES, GREEDY) == one_by_one
    # several calls queued before any is read give the same outputs, blanks kept in place
    waits = [small.submit(shuffled, GREEDY), small.submit(SENTENCES, GREEDY), small.submit([" "], GREEDY)]
    assert [w() for w in waits] == [one_by_one[::-1] + ["", ""], one_by_one, [""]]


@pytest.mark.parametrize("decoding", [
    Decoding(beam_size=1, max_new_tokens=24),  # the default guards: no-repeat 4-grams, repetition penalty
    Decoding(beam_size=1, max_new_tokens=24, no_repeat_ngram_size=0, repetition_penalty=1.0),
    Decoding(beam_size=1, max_new_tokens=12, min_new_tokens=12, no_repeat_ngram_size=0, repetition_penalty=1.0),
], ids=["guarded", "plain", "forced-length"])
def test_float32_greedy_output_equals_transformers(tiny_zh_en, f32_backend, decoding):
    expected = _reference_greedy(tiny_zh_en, SENTENCES, decoding)
    assert any(expected), "reference produced only empty strings"
    assert f32_backend.translate(SENTENCES, decoding) == expected


def test_token_counts_match_the_marian_tokenizer(tiny_zh_en, f32_backend):
    from transformers import MarianTokenizer

    tok = MarianTokenizer.from_pretrained(tiny_zh_en)
    assert f32_backend.count_tokens(SENTENCES) == [len(ids) for ids in tok(SENTENCES)["input_ids"]]


def test_conversion_is_idempotent(tiny_zh_en, ct2_f32):
    before = (ct2_f32 / "model.bin").stat().st_mtime_ns
    assert convert(tiny_zh_en, ct2_f32, quantization="float32") == ct2_f32
    assert (ct2_f32 / "model.bin").stat().st_mtime_ns == before


def test_failed_conversion_leaves_nothing_half_written(tiny_zh_en, tmp_path, monkeypatch):
    import ctranslate2

    good = convert(tiny_zh_en, tmp_path / "m", quantization="float32")
    model_id = CT2Backend(good, device="cpu", compute_type="float32").model_id

    class Broken:
        def __init__(self, *a, **k):
            pass

        def convert(self, out, **k):
            (__import__("pathlib").Path(out) / "model.bin").write_bytes(b"half")
            raise RuntimeError("disk full")

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", Broken)
    with pytest.raises(ModelUnavailable, match="Could not convert"):
        convert(tiny_zh_en, tmp_path / "new")
    with pytest.raises(ModelUnavailable):
        convert(tiny_zh_en, good, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
    assert CT2Backend(good, device="cpu", compute_type="float32").model_id == model_id


def test_model_id_follows_the_weights(tiny_zh_en, ct2_f32, tmp_path):
    import torch
    from transformers import MarianMTModel

    same = convert(tiny_zh_en, tmp_path / "same", quantization="float32")
    base_id = CT2Backend(ct2_f32, device="cpu", compute_type="float32").model_id
    assert CT2Backend(same, device="cpu", compute_type="float32").model_id == base_id

    changed_hf = tmp_path / "changed-hf"
    shutil.copytree(tiny_zh_en, changed_hf)
    model = MarianMTModel.from_pretrained(changed_hf)
    with torch.no_grad():
        model.model.encoder.layers[0].fc1.weight.mul_(1.5)
    model.save_pretrained(changed_hf)
    # Converting the changed weights into an existing directory replaces the old conversion.
    out = convert(changed_hf, same, quantization="float32")
    assert out == same
    changed = CT2Backend(same, device="cpu", compute_type="float32")
    assert changed.model_id != base_id
    assert changed.identity != CT2Backend(ct2_f32, device="cpu", compute_type="float32").identity


def test_clear_errors_for_wrong_directories(tiny_zh_en, tmp_path):
    with pytest.raises(ModelUnavailable, match="models convert"):
        CT2Backend(tiny_zh_en)  # a Hugging Face directory, not converted
    with pytest.raises(ModelUnavailable, match="not a MarianMT model directory"):
        convert(tmp_path, tmp_path / "out")


def test_cpu_threads_follow_the_usable_cores(ct2_f32, monkeypatch):
    monkeypatch.setenv("RETRANSLATE_THREADS", "2")
    two = CT2Backend(ct2_f32, device="cpu", compute_type="float32")
    assert (two.inter_threads, two.intra_threads) == (2, 1)
    monkeypatch.setenv("RETRANSLATE_THREADS", "1")
    one = CT2Backend(ct2_f32, device="cpu", compute_type="float32")
    assert (one.inter_threads, one.intra_threads) == (1, 1)
    assert one.translate(SENTENCES, GREEDY) == two.translate(SENTENCES, GREEDY)


def test_vocabulary_map_is_off_unless_asked_for(ct2_f32, f32_backend):
    assert f32_backend.options(GREEDY)["use_vmap"] is False
    with pytest.raises(ModelUnavailable, match="vmap.txt"):
        CT2Backend(ct2_f32, device="cpu", use_vmap=True)


def test_vocabulary_map_is_part_of_the_cache_identity(ct2_f32, tmp_path):
    # The map can change the output, so a cache must not serve one setting's results to the other.
    model = tmp_path / "with-vmap"
    shutil.copytree(ct2_f32, model)
    vocab = json.loads((model / "shared_vocabulary.json").read_text(encoding="utf-8"))
    words = [w for w in vocab if w.startswith("▁")][:20]
    (model / "vmap.txt").write_text("\t" + " ".join(words) + "\n", encoding="utf-8")
    plain = CT2Backend(model, device="cpu", compute_type="float32")
    mapped = CT2Backend(model, device="cpu", compute_type="float32", use_vmap=True)
    assert plain.identity != mapped.identity
    assert len(mapped.translate(SENTENCES, GREEDY)) == len(SENTENCES)


def test_sub_batches_respect_token_and_segment_bounds(ct2_f32):
    backend = CT2Backend(ct2_f32, device="cpu", compute_type="float32", max_batch_size=40, max_batch_examples=3)
    lengths = [5, 30, 2, 2, 2, 2, 12, 25, 9]
    groups = backend.sub_batches(lengths)
    assert sorted(k for g in groups for k in g) == list(range(len(lengths)))
    assert all(len(g) <= 3 and (sum(lengths[k] for k in g) <= 40 or len(g) == 1) for g in groups)
    flat = [lengths[k] for g in groups for k in g]
    assert flat == sorted(flat)
