"""The optional CTranslate2 vocabulary map: building it, using it (--vmap), and its clear errors.

The tiny random-weight model translates nonsense; what is tested is that a map is
built in CTranslate2's format from parallel text, that decoding with it only emits
pieces the map allows, that it is off unless asked for, and that the cache keeps
results made with and without it apart.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2", reason="ctranslate2 is not installed (optional 'fast' extra)")

from mt.backends.base import Decoding  # noqa: E402
from mt.backends.ct2 import CT2Backend, convert  # noqa: E402
from mt.cli import main  # noqa: E402
from mt.errors import ModelUnavailable, UserError  # noqa: E402
from mt.vmap import build_vmap  # noqa: E402

WMT = Path(__file__).resolve().parent / "data" / "wmt"
GREEDY = Decoding(beam_size=2, max_new_tokens=12)


@pytest.fixture(scope="module")
def ct2_model(tiny_zh_en, tmp_path_factory):
    return convert(tiny_zh_en, tmp_path_factory.mktemp("ct2-vmap") / "f32", quantization="float32")


@pytest.fixture
def model_with_map(ct2_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(ct2_model, model)
    zho = (WMT / "newstest2017.zh-en.head200.zho").read_text(encoding="utf-8").splitlines()
    eng = (WMT / "newstest2017.zh-en.head200.eng").read_text(encoding="utf-8").splitlines()
    build_vmap(model, zho, eng, per_source=5, always=20, min_count=2)
    return model


def _read_map(model: Path) -> tuple[list[str], dict[str, list[str]]]:
    lines = (model / "vmap.txt").read_text(encoding="utf-8").splitlines()
    always = lines[0].split("\t")[1].split()
    rules = {src: tgt.split() for src, tgt in (line.split("\t") for line in lines[1:])}
    return always, rules


def test_map_is_built_in_ctranslate2_format_from_parallel_text(model_with_map):
    always, rules = _read_map(model_with_map)
    vocab = set(json.loads((model_with_map / "shared_vocabulary.json").read_text(encoding="utf-8")))
    assert 0 < len(always) <= 20 and rules
    assert all(1 <= len(t) <= 5 for t in rules.values())
    assert set(always) | {t for ts in rules.values() for t in ts} <= vocab
    assert "▁the" in always  # the most frequent English piece is allowed everywhere


def test_decoding_with_the_map_emits_only_allowed_pieces(model_with_map):
    import sentencepiece as spm

    always, rules = _read_map(model_with_map)
    mapped = CT2Backend(model_with_map, device="cpu", compute_type="float32", use_vmap=True)
    plain = CT2Backend(model_with_map, device="cpu", compute_type="float32")
    texts = (WMT / "newstest2017.zh-en.head200.zho").read_text(encoding="utf-8").splitlines()[:6]
    sp = spm.SentencePieceProcessor(model_file=str(model_with_map / "source.spm"))
    allowed = set(always)
    for pieces in sp.encode(texts, out_type=str):
        for p in pieces:
            allowed.update(rules.get(p, ()))
    tokens = [mapped._translator.translate_batch(mapped.tokenize([t]), **{**mapped.options(GREEDY), "max_batch_size": 0})
              [0].hypotheses[0] for t in texts]
    assert all(tok in allowed for hyp in tokens for tok in hyp)
    assert len(mapped.translate(texts, GREEDY)) == len(texts)
    # off unless asked for, and kept apart in the cache; the map does not change the model's identity
    assert plain.options(GREEDY)["use_vmap"] is False and mapped.options(GREEDY)["use_vmap"] is True
    assert plain.model_id == mapped.model_id and plain.identity != mapped.identity
    (model_with_map / "vmap.txt").write_text("\t▁the ▁a\n", encoding="utf-8")
    other = CT2Backend(model_with_map, device="cpu", compute_type="float32", use_vmap=True)
    assert other.identity != mapped.identity  # another map, another cache key


def test_doc_command_with_vmap_and_the_error_without_a_map(model_with_map, ct2_model, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("RETRANSLATE_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "zh.txt"
    src.write_text("大连高新区搭建国际化双创平台。\n\n创新是引领发展的第一动力。\n", encoding="utf-8")
    assert main(["doc", str(src), "--model", str(model_with_map), "--vmap"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["doc", str(src), "--model", str(ct2_model), "--vmap"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "retranslate models vmap" in err[0]


def test_models_vmap_command_and_its_errors(ct2_model, tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(ct2_model, model)
    zho, eng = WMT / "newstest2017.zh-en.head200.zho", WMT / "newstest2017.zh-en.head200.eng"
    assert main(["models", "vmap", str(model), "--source", str(zho), "--target", str(eng)]) == 0
    assert capsys.readouterr().out.strip() == str(model / "vmap.txt")
    assert main(["models", "vmap", str(model), "--source", str(tmp_path / "none"), "--target", str(eng)]) == 2
    assert main(["models", "vmap", str(tmp_path), "--source", str(zho), "--target", str(eng)]) == 2
    err = capsys.readouterr().err
    assert "is not a file" in err and "not a CTranslate2 model" in err
    with pytest.raises(UserError, match="no usable sentence pairs"):
        build_vmap(model, ["", "x"], ["y", ""])


def test_a_converted_model_without_its_tokenizer_is_named_as_such(ct2_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(ct2_model, model)
    (model / "source.spm").unlink()
    zho = (WMT / "newstest2017.zh-en.head200.zho").read_text(encoding="utf-8").splitlines()
    eng = (WMT / "newstest2017.zh-en.head200.eng").read_text(encoding="utf-8").splitlines()
    for make in (lambda: CT2Backend(model, device="cpu"), lambda: build_vmap(model, zho, eng)):
        with pytest.raises(ModelUnavailable, match="lacks source.spm; convert the Marian directory again"):
            make()
