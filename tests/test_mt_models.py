"""Model resolution and the `models` subcommands, with no network and no real model."""
from __future__ import annotations

import shutil

import pytest

from mt.cli import main
from mt.engine import Engine
from mt.errors import ModelUnavailable, UserError
from mt.models import HUB_IDS, conversion_of, converted_dir, resolve


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty HF_HOME, the Hub marked offline, no retranslate cache override."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for var in ("RETRANSLATE_CACHE", "HF_HUB_CACHE", "TRANSFORMERS_CACHE"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "hf"


def _one_clear_line(message: str, direction: str) -> None:
    assert "\n" not in message
    assert f"retranslate models pull {direction}" in message
    flag = "--model-en-zh" if direction == "en-zh" else "--model"
    assert f"{flag} DIR" in message and "--no-mt" in message


@pytest.mark.parametrize("direction", ["zh-en", "en-zh"])
def test_no_model_reachable_is_one_clear_sentence(offline, direction):
    with pytest.raises(ModelUnavailable) as err:
        Engine.load(direction)
    _one_clear_line(str(err.value), direction)
    assert "HF_HUB_OFFLINE" in str(err.value)


def test_bad_model_paths_name_the_way_out(offline, tmp_path):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        Engine.load("zh-en", model=tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelUnavailable, match="not a MarianMT model directory") as err:
        Engine.load("zh-en", model=tmp_path / "empty")
    assert "--no-mt" in str(err.value)


def test_bad_options_are_user_errors(offline, tiny_zh_en):
    with pytest.raises(UserError):
        Engine.load("fr-en")
    with pytest.raises(UserError):
        Engine.load("zh-en", model=tiny_zh_en, backend="onnx")
    with pytest.raises(UserError, match="beam_width"):
        Engine.load("zh-en", model=tiny_zh_en, beam_width=3)


def test_pull_offline_fails_with_one_line_and_exit_2(offline, capsys):
    assert main(["models", "pull", "zh-en"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("retranslate: error:") and "HF_HUB_OFFLINE" in err
    assert "Traceback" not in err


def test_models_list_shows_what_is_missing(offline, capsys):
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "zh-en" in out and "en-zh" in out and "missing" in out and str(offline) in out


def test_explicit_model_dir_loads_with_transformers(offline, tiny_zh_en):
    engine = Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=False)
    assert engine.backend.name == "transformers" and engine.cache is None
    assert engine.info["model_dir"] == str(tiny_zh_en) and engine.info["device"] == "cpu"
    assert engine.translate_paragraphs(["人才是第一资源。"]).paragraphs[0].strip()


def _install_in_hf_cache(model_dir, hub_cache, direction="zh-en"):
    repo = hub_cache / ("models--" + HUB_IDS[direction].replace("/", "--"))
    snap = repo / "snapshots" / "0123abcd"
    shutil.copytree(model_dir, snap)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0123abcd")
    return snap


def test_model_in_the_hf_cache_is_found_offline(offline, tiny_zh_en):
    snap = _install_in_hf_cache(tiny_zh_en, offline / "hub")
    found = resolve("zh-en", backend="transformers")
    assert found.origin == "HF cache" and found.path == snap and found.kind == "hf"
    engine = Engine.load("zh-en", backend="transformers", cache_path=False)
    assert engine.backend.name == "transformers"
    with pytest.raises(ModelUnavailable):  # the other direction is still missing
        Engine.load("en-zh")


def test_converted_cache_comes_first_and_auto_picks_ctranslate2(offline, tiny_zh_en):
    pytest.importorskip("ctranslate2")
    from mt.backends.ct2 import convert

    convert(tiny_zh_en, converted_dir("zh-en"))
    found = resolve("zh-en")
    assert found.origin == "converted cache" and found.kind == "ct2"
    engine = Engine.load("zh-en", cache_path=False)
    assert engine.backend.name == "ctranslate2"
    assert engine.translate_paragraphs(["人才是第一资源。"]).paragraphs[0].strip()


def test_models_convert_makes_auto_use_ctranslate2_for_that_dir(offline, tiny_zh_en, capsys):
    pytest.importorskip("ctranslate2")
    assert Engine.load("zh-en", model=tiny_zh_en, cache_path=False).backend.name == "transformers"
    assert main(["models", "convert", str(tiny_zh_en)]) == 0
    assert capsys.readouterr().out.strip() == str(conversion_of(tiny_zh_en))
    assert Engine.load("zh-en", model=tiny_zh_en, cache_path=False).backend.name == "ctranslate2"
    assert Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=False).backend.name == "transformers"


def test_models_help_explains_itself(capsys):
    with pytest.raises(SystemExit):
        main(["models", "pull", "--help"])
    out = capsys.readouterr().out
    assert "Hugging Face" in out and "HF_HUB_OFFLINE" in out


def test_fingerprint_follows_content_and_hashes_a_model_once(tmp_path, monkeypatch):
    import os

    from mt.backends import base

    d = tmp_path / "m"
    d.mkdir()
    (d / "config.json").write_text('{"a": 1}')
    (d / "model.safetensors").write_bytes(b"\x00" * 1000)
    (d / ".lock").write_text("x")
    first = base.fingerprint(d)
    assert first == base.fingerprint(d, ["config.json", "model.safetensors", "absent.bin"])
    (d / ".lock").write_text("changed")  # hidden files are not model files
    assert base.fingerprint(d) == first

    reads = []
    real_open = open
    monkeypatch.setattr(base, "open", lambda *a, **k: reads.append(a[0]) or real_open(*a, **k), raising=False)
    assert base.fingerprint(d) == first and reads == []  # same files, same sizes and times: not read again

    st = (d / "model.safetensors").stat()
    (d / "model.safetensors").write_bytes(b"\x01" + b"\x00" * 999)  # same size, other content
    os.utime(d / "model.safetensors", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert base.fingerprint(d) != first and reads


def test_resolving_and_loading_an_hf_dir_hashes_it_once(offline, tiny_zh_en, monkeypatch):
    from mt.backends import base

    base._FINGERPRINTS.clear()
    hashed = []
    real = base.hashlib.blake2b
    monkeypatch.setattr(base.hashlib, "blake2b", lambda **k: hashed.append(1) or real(**k))
    Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=None)
    assert conversion_of(tiny_zh_en).name.startswith(tiny_zh_en.name)
    assert len(hashed) == 1
