"""Models fetched on first use, for real: the Hugging Face client against a local Hub on 127.0.0.1.

A tiny random-weight Marian model is served in the Hub's URL layout (tests/local_hub.py)
under the id of the real zh-en model, with HF_ENDPOINT pointed at it.  The first run
downloads it (progress on stderr), converts it to CTranslate2 and translates; a second
run uses the cache with the server gone; a server that stalls or dies part way through a
file ends the run with one line, exit 2, nothing written, and the partial download unused.
"""
from __future__ import annotations

import json
import threading
import time

import pytest

from mt.cli import main
from mt.models import HUB_IDS, converted_dir, hf_cached
from tests.local_hub import LocalHub

pytest.importorskip("ctranslate2")

ZH = "创新是引领发展的第一动力，人才是第一资源。\n\n2015年以来，新设立企业1089家，增长21.68%。\n"
#: per-request timeout for the failure tests (seconds); the client retries 5 times, 1 s apart
TIMEOUT = 1
#: what a stalled or dead server may cost at most: 6 timed-out attempts, 5 pauses, slack for a busy machine
BOUND = 6 * TIMEOUT + 5 + 20


@pytest.fixture
def online(tmp_path, monkeypatch):
    """Empty caches under tmp_path, HF_HUB_OFFLINE lifted, no progress bars switched off."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("RETRANSLATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", str(TIMEOUT))
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_CACHE", "HF_HUB_DISABLE_PROGRESS_BARS"):
        monkeypatch.delenv(var, raising=False)
    src = tmp_path / "in"
    src.mkdir()
    (src / "zh.txt").write_text(ZH, encoding="utf-8")
    return tmp_path


def _run(args, capsys):
    t0 = time.monotonic()
    rc = main(args)
    captured = capsys.readouterr()
    return rc, captured.err, time.monotonic() - t0


def test_first_run_downloads_converts_and_translates_then_uses_the_cache(online, tiny_zh_en, monkeypatch, capsys):
    import sys

    import huggingface_hub.utils  # noqa: F401

    # the client read HF_HUB_DISABLE_PROGRESS_BARS (set for the test run) at import: show the bars here
    monkeypatch.setattr(sys.modules["huggingface_hub.utils.tqdm"], "HF_HUB_DISABLE_PROGRESS_BARS", False)
    with LocalHub({HUB_IDS["zh-en"]: tiny_zh_en}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        rc, err, _ = _run(["run", str(online / "in"), "-o", str(online / "out")], capsys)
        served = list(hub.requests)
    assert rc == 0, err
    assert f"downloading {HUB_IDS['zh-en']} from {hub.url}" in err
    assert "Fetching 7 files" in err and "100%" in err  # the client's progress bar
    assert "converting" in err and (converted_dir("zh-en") / "model.bin").is_file()
    assert any(r.endswith("/model.safetensors") and r.startswith("GET") for r in served)
    assert hf_cached("zh-en") is not None
    line = json.loads((online / "out" / "manifest.jsonl").read_text(encoding="utf-8"))
    assert line["mt"] == "done" and line["status"] in ("ok", "flagged")
    rec = json.loads((online / "out" / "records" / "zh.json").read_text(encoding="utf-8"))
    assert rec["metadata"]["mt_engines"][0]["backend"] == "ctranslate2"
    assert rec["metadata"]["mt_engines"][0]["model_dir"] == str(converted_dir("zh-en"))
    assert rec["output"].strip() and rec["output"] != ZH.strip()

    # the server is gone: a second run finds everything in the cache and never asks the network
    rc, err, _ = _run(["run", str(online / "in"), "-o", str(online / "out2")], capsys)
    assert rc == 0, err
    assert "downloading" not in err and "converting" not in err
    assert json.loads((online / "out2" / "manifest.jsonl").read_text(encoding="utf-8"))["mt"] == "done"


@pytest.mark.parametrize("failure", ["stall", "die"])
def test_a_server_that_stalls_or_dies_mid_file_gives_one_line_and_exit_2(online, tiny_zh_en, monkeypatch, capsys,
                                                                            failure):
    with LocalHub({HUB_IDS["zh-en"]: tiny_zh_en}, **{failure: "model.safetensors"}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        rc, err, took = _run(["run", str(online / "in"), "-o", str(online / "out")], capsys)
        assert any(r == f"GET /{HUB_IDS['zh-en']}/resolve/" + r.split("/resolve/")[1] and r.endswith("model.safetensors")
                   for r in hub.requests if "/resolve/" in r)
    assert rc == 2
    assert took < BOUND, took
    lines = [x for x in err.splitlines() if x.startswith("retranslate: error:")]
    assert len(lines) == 1 and "Traceback" not in err and "Trying to resume" not in err
    assert f"could not download {HUB_IDS['zh-en']}" in lines[0] and "--no-mt" in lines[0]
    if failure == "stall":
        assert f"{hub.url} did not answer within 1 s" in lines[0]
    else:  # the connection broke, and the retries found nobody listening
        assert "broke off during the download" in lines[0] or f"cannot connect to {hub.url}" in lines[0]
    assert not (online / "out").exists()  # no document touched
    # the half-downloaded model is never used: not found in the cache, not converted
    assert hf_cached("zh-en") is None and not converted_dir("zh-en").exists()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc, err, _ = _run(["run", str(online / "in"), "-o", str(online / "out")], capsys)
    assert rc == 2 and "no zh-en MarianMT model is available" in err and not (online / "out").exists()


def test_an_unreachable_hub_is_one_line_with_the_ways_out(online, monkeypatch, capsys):
    hub = LocalHub({})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    hub.close()  # nothing listens on that port any more
    rc, err, took = _run(["run", str(online / "in"), "-o", str(online / "out")], capsys)
    assert rc == 2 and took < BOUND
    line = err.strip().splitlines()[-1]
    assert line.startswith("retranslate: error: could not download") and "cannot connect to" in line
    assert "retranslate models pull zh-en" in line and "--model DIR" in line and "--no-mt" in line
    assert not (online / "out").exists()


def test_offline_flag_never_downloads(online, tiny_zh_en, monkeypatch, capsys):
    with LocalHub({HUB_IDS["zh-en"]: tiny_zh_en}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        rc, err, _ = _run(["run", str(online / "in"), "-o", str(online / "out"), "--offline"], capsys)
        assert hub.requests == []
    assert rc == 2 and "no zh-en MarianMT model is available" in err


def test_processes_starting_at_once_download_once(online, tiny_zh_en, monkeypatch, capsys):
    from mt import models

    results, errors = [], []
    with LocalHub({HUB_IDS["zh-en"]: tiny_zh_en}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)

        def pull():
            try:
                results.append(models.pull("zh-en"))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=pull) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        gets = [r for r in hub.requests if r.startswith("GET") and r.endswith("/model.safetensors")]
    assert not errors and len(results) == 2 and results[0] == results[1]
    assert len(gets) == 1
    err = capsys.readouterr().err
    assert err.count("retranslate: downloading ") == 1 and "waiting for another retranslate process" in err, err
