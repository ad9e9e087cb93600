"""Batch runs: layout, manifest, resume after a crash, bad inputs, workers, no model."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mt.batch import MANIFEST, read_manifest, run_batch
from mt.cli import main
from mt.errors import ModelUnavailable
from mt.pipeline import Options

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_IDS = [
    "000_93d24b2d31ac7832", "001_3003b70348e16070", "002_a925a762f2fa1f6b",
    "003_cded1adef65ac78b", "004_a3e962ce704494b6",
]
needs_seeds = pytest.mark.skipif(not (SEEDS / "manifest.jsonl").is_file(), reason="seeds/ not in this checkout")


def manifest_lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()]


def write_docs(d: Path, n: int, words: int = 60) -> list[str]:
    d.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(n):
        # plain news English (the garble score rates it clean, so these documents route light)
        body = " ".join(f"The company said on Monday that it had hired {1000 + i * 7 + j} new workers, article {i} "
                        f"reported in paragraph {j}." for j in range(words // 8))
        (d / f"doc{i:03d}.txt").write_text(f"Article {i}\n\n{body}\n\n{body}\n", encoding="utf-8")
        ids.append(f"doc{i:03d}")
    return ids


@needs_seeds
def test_seeds_without_mt(tmp_path):
    out = tmp_path / "out"
    rc = main(["run", str(SEEDS), "-o", str(out), "--no-mt", "--quiet"])
    assert rc == 0
    lines = manifest_lines(out)
    assert [x["id"] for x in lines] == SEED_IDS
    assert all(x["mt"] in ("skipped", "not-needed") for x in lines)
    assert {x["id"]: x["mt"] for x in lines}["001_3003b70348e16070"] == "skipped"
    # each status says what happened: the Chinese seed is untranslated, the others ok or flagged by their checks
    for x in lines:
        failed = sorted(k for k, ok in x["checks"].items() if not ok)
        if x["lang"] == "zh":
            assert x["status"] == "untranslated", x
        elif failed:
            assert x["status"] == "flagged" and x["reason"] == "failed checks: " + ", ".join(
                k for k, ok in x["checks"].items() if not ok), x
        else:
            assert x["status"] == "ok" and not x["reason"], x
    assert {x["id"]: x["status"] for x in lines}["001_3003b70348e16070"] == "untranslated"
    for i in SEED_IDS:
        text = (out / f"{i}.en.txt").read_text(encoding="utf-8")
        assert text.strip()
        for chrome in ("Leave a Reply", "版权与免责声明", "All Rights Reserved", "Your email address will not be published"):
            assert chrome not in text, (i, chrome)
        rec = json.loads((out / "records" / f"{i}.json").read_text(encoding="utf-8"))
        assert rec["id"] == i and rec["output"].strip() == text.strip()
        assert {"detect", "clean", "route", "checks"} <= set(rec["timings"])
    removed = {x["id"]: x["removed_lines"] for x in lines}
    assert removed["001_3003b70348e16070"] >= 5 and removed["003_cded1adef65ac78b"] >= 1


def test_rerun_resumes_and_redoes_only_changed_or_failed(tmp_path):
    src = tmp_path / "in"
    ids = write_docs(src, 4)
    (src / "bad.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    r1 = run_batch([src], out, Options(mt=False, quiet=True))
    assert r1.exit_code == 1 and r1.counts == {"ok": 4, "error": 1}
    mtimes = {i: (out / f"{i}.en.txt").stat().st_mtime_ns for i in ids}

    r2 = run_batch([src], out, Options(mt=False, quiet=True))
    assert r2.processed == ["bad"]  # only the failed one is retried
    assert sorted(r2.resumed) == ids
    assert {i: (out / f"{i}.en.txt").stat().st_mtime_ns for i in ids} == mtimes

    (src / "bad.txt").write_text("Now a readable article about 1,786 patents.", encoding="utf-8")
    (src / "doc001.txt").write_text("A changed article.", encoding="utf-8")
    r3 = run_batch([src], out, Options(mt=False, quiet=True))
    assert sorted(r3.processed) == ["bad", "doc001"] and r3.exit_code == 0
    assert "changed article" in (out / "doc001.en.txt").read_text()
    lines = manifest_lines(out)
    assert sorted(x["id"] for x in lines) == sorted(ids + ["bad"])  # each id exactly once
    assert all(x["status"] in ("ok", "flagged") for x in lines)


def test_torn_manifest_line_and_orphan_record_are_repaired(tmp_path):
    src = tmp_path / "in"
    ids = write_docs(src, 3)
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))
    lines = (out / MANIFEST).read_text().splitlines(keepends=True)
    # doc001 has its files but lost its line; doc002's line is torn and its output is gone
    (out / MANIFEST).write_text(lines[0] + lines[2][: len(lines[2]) // 2])
    (out / "doc002.en.txt").unlink()
    assert list(read_manifest(out / MANIFEST)[0]) == ["doc000"]
    r = run_batch([src], out, Options(mt=False, quiet=True))
    assert r.processed == ["doc002"] and sorted(r.resumed) == ["doc000", "doc001"]
    assert (out / "doc002.en.txt").is_file()
    got = [x["id"] for x in manifest_lines(out)]
    assert sorted(got) == ids and len(got) == len(set(got))


def test_sigkill_halfway_then_rerun_gives_each_document_once(tmp_path):
    src = tmp_path / "in"
    ids = write_docs(src, 120, words=400)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mt", "run", str(src), "-o", str(out), "--no-mt", "--quiet"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if (out / MANIFEST).exists():
            seen = (out / MANIFEST).read_bytes().count(b"\n")
            if seen >= 3:
                break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    done_before = (out / MANIFEST).read_bytes().count(b"\n")
    assert 0 < done_before < len(ids), "the kill should land in the middle of the batch"
    finished = list(read_manifest(out / MANIFEST)[0])  # complete lines only: the kill may tear the last one
    files = [out / f"{i}.en.txt" for i in finished] + [out / "records" / f"{i}.json" for i in finished]
    stamps = {f: (f.stat().st_ino, f.stat().st_mtime_ns) for f in files}

    loud = [a for a in cmd if a != "--quiet"]  # its summary line says how many documents were already done
    rerun = subprocess.run(loud, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    # the finished documents were skipped, not redone: their files are the very same (every write replaces the
    # file), and the summary counts them (or more: a record written just before the kill is taken up too)
    assert {f: (f.stat().st_ino, f.stat().st_mtime_ns) for f in files} == stamps
    resumed = int(re.search(r"\((\d+) already done\)", rerun.stderr).group(1))
    assert len(finished) <= resumed < len(ids)
    got = [x["id"] for x in manifest_lines(out)]
    assert sorted(got) == ids and len(set(got)) == len(got)
    on_disk = sorted(p.name[: -len(".en.txt")] for p in out.glob("*.en.txt"))
    assert on_disk == ids
    assert sorted(p.stem for p in (out / "records").glob("*.json")) == ids
    assert not list(out.rglob("*.tmp"))


def test_bad_inputs_are_recorded_and_good_ones_done(tmp_path):
    from tests.test_io import make_bad_inputs

    expected = make_bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    try:
        rc = main(["run", str(tmp_path / "in"), "-o", str(out), "--no-mt", "--quiet"])
    finally:
        (tmp_path / "in" / "noperm.txt").chmod(0o644)
    assert rc == 1  # some documents failed
    lines = {x["id"]: x for x in manifest_lines(out)}
    assert set(lines) == set(expected)
    for doc_id, status in expected.items():
        if status == "ok":  # readable: finished (ok, or flagged / untranslated under --no-mt)
            assert lines[doc_id]["status"] in ("ok", "flagged", "untranslated"), (doc_id, lines[doc_id])
        else:
            assert lines[doc_id]["status"] == status, (doc_id, lines[doc_id])
        if status == "ok":
            assert (out / f"{doc_id}.en.txt").read_text(encoding="utf-8").strip()
        else:
            assert lines[doc_id]["reason"] and not (out / f"{doc_id}.en.txt").exists()
    assert lines["gb18030"]["encoding"].lower().replace("-", "") in ("gb18030", "gbk", "gb2312")
    assert lines["big5"]["route"] == "retranslate" and lines["good"]["route"] in ("light", "normalise")


def test_workers_give_the_same_manifest_order(tmp_path):
    src = tmp_path / "in"
    ids = write_docs(src, 6)
    r = run_batch([src], tmp_path / "out", Options(mt=False, quiet=True, workers=2))
    assert r.exit_code == 0
    assert [x["id"] for x in manifest_lines(tmp_path / "out")] == ids
    one = run_batch([src], tmp_path / "out1", Options(mt=False, quiet=True))
    assert one.exit_code == 0
    for i in ids:
        assert (tmp_path / "out" / f"{i}.en.txt").read_text() == (tmp_path / "out1" / f"{i}.en.txt").read_text()


@pytest.mark.parametrize("given, expected", [("", "2"), ("3", "3")])
def test_workers_share_the_cores_instead_of_each_taking_all(monkeypatch, given, expected):
    # Each worker's backend sizes its threads by RETRANSLATE_THREADS or the CPU affinity;
    # N workers on C cores get C // N threads each unless the user set the variable.
    from mt.backends.base import cpu_threads
    from mt.batch import _init_worker

    monkeypatch.setenv("RETRANSLATE_THREADS", given)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    _init_worker(Options(mt=False, workers=2), set(), None)
    assert os.environ["RETRANSLATE_THREADS"] == expected
    assert cpu_threads() == int(expected)


def test_no_model_stops_before_writing_anything(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("RETRANSLATE_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    (src / "zh.txt").write_text("大连高新区搭建国际化双创平台激活发展新动能。", encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["run", str(src), "-o", str(out), "--model", str(tmp_path / "no-such-model")])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1 and err.startswith("retranslate: error:")
    assert "--no-mt" in err or "models pull" in err or "--model" in err
    assert not out.exists()
    with pytest.raises(ModelUnavailable):
        run_batch([src], out, Options(quiet=True))
    assert not out.exists()


def test_resumed_batch_needs_no_model(tmp_path, monkeypatch):
    """Everything already done: no document needs MT, so no model is loaded."""
    src = tmp_path / "in"
    write_docs(src, 2)
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))

    def boom(*a, **k):
        raise AssertionError("no model should be loaded")

    monkeypatch.setattr("mt.pipeline.load_engines", boom)
    monkeypatch.setattr("mt.batch.load_engines", boom)
    r = run_batch([src], out, Options(mt=True, quiet=True))
    assert r.processed == [] and r.exit_code == 0


def test_output_that_is_a_file_is_a_usage_error(tmp_path):
    src = tmp_path / "in"
    write_docs(src, 1)
    (tmp_path / "out").write_text("x")
    assert main(["run", str(src), "-o", str(tmp_path / "out"), "--no-mt", "-q"]) == 2


def test_manifest_ends_in_input_order_after_resume(tmp_path):
    src = tmp_path / "in"
    ids = write_docs(src, 4)
    out = tmp_path / "out"
    run_batch([src / "doc002.txt", src / "doc003.txt"], out, Options(mt=False, quiet=True))
    r = run_batch([src], out, Options(mt=False, quiet=True))
    assert r.processed == ["doc000", "doc001"]
    assert [x["id"] for x in manifest_lines(out)] == ids


def test_a_second_run_into_the_same_out_is_refused(tmp_path, capsys):
    import fcntl

    src = tmp_path / "in"
    write_docs(src, 1)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 2
        assert "another retranslate run" in capsys.readouterr().err
    assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 0


def test_document_that_is_all_boilerplate_is_skipped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "chrome.txt").write_text(
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\n"
        "All Rights Reserved Theme by 404 THEME.\n", encoding="utf-8")
    write_docs(src, 1)
    r = run_batch([src], tmp_path / "out", Options(mt=False, quiet=True))
    lines = {x["id"]: x for x in manifest_lines(tmp_path / "out")}
    assert lines["chrome"]["status"] == "skipped" and "no text left" in lines["chrome"]["reason"]
    assert lines["doc000"]["status"] == "ok" and r.exit_code == 0


def test_rerun_with_mt_redoes_what_was_done_without_it(tmp_path):
    from mt.engine import TranslationResult
    from mt.pipeline import Engines

    class Echo:
        def translate_paragraphs(self, paragraphs, glossary=None):
            return TranslationResult([f"English {i}." for i in range(len(paragraphs))], [], {"segments": len(paragraphs)})

    src = tmp_path / "in"
    src.mkdir()
    (src / "zh.txt").write_text("大连高新区搭建国际化双创平台。\n\n新设立企业1089家。", encoding="utf-8")
    (src / "en.txt").write_text("The city held a meeting on employment.", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))
    assert {x["id"]: x["mt"] for x in manifest_lines(out)}["zh"] == "skipped"
    r = run_batch([src], out, Options(quiet=True), engines=Engines(zh_en=Echo()))
    assert r.processed == ["zh"] and r.resumed == ["en"]
    assert {x["id"]: x["mt"] for x in manifest_lines(out)}["zh"] == "done"
    assert (out / "zh.en.txt").read_text(encoding="utf-8").startswith("English 0.")
