"""Hostile input and faults: nothing stops a batch, nothing leaks out of OUT, every failure is one line.

``test_the_whole_matrix_in_one_batch`` runs one batch over every bad input at once,
beside three good seeds; the tests after it each inject one fault (a dead worker, an
unwritable OUT, SIGTERM, a corrupt cache...).
"""
from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mt import io, outdir
from mt.batch import run_batch
from mt.cli import main
from mt.pipeline import Engines, Options
from mt.record import FINISHED

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOOD_SEEDS = ["000_93d24b2d31ac7832", "003_cded1adef65ac78b", "004_a3e962ce704494b6"]
needs_seeds = pytest.mark.skipif(not (SEEDS / "manifest.jsonl").is_file(), reason="seeds/ not in this checkout")

LIMIT = 200_000  # the per-document limit for these tests (20 MiB in use), so oversized inputs stay cheap
EN = "The Dalian high-tech zone held a meeting on innovation. It reported 1,089 new firms this year.\n"
ZH = "大连高新区搭建国际化双创平台。创新是引领发展的第一动力，新设立企业1089家。\n"


def tree(path: Path, skip: Path) -> set[str]:
    """Every path under ``path`` (links not followed), OUT left out."""
    found = set()
    for root, dirs, files in os.walk(path):
        if Path(root) == skip or skip in Path(root).parents:
            continue
        for name in dirs + files:
            if Path(root) / name != skip:
                found.add(os.path.join(root, name))
    return found


def build_matrix(base: Path) -> tuple[list[str], dict[str, str]]:
    """The bad inputs: ``(inputs to give, {id: expected status})``; "ok" stands for any finished status."""
    d = base / "in"
    d.mkdir()
    expect: dict[str, str] = {}

    def put(name: str | bytes, data: bytes, status: str, doc_id: str | None = None):
        p = os.path.join(os.fsencode(d), name) if isinstance(name, bytes) else d / name
        with open(p, "wb") as f:
            f.write(data)
        expect[doc_id or io.doc_id_for(os.fsdecode(p))] = status

    put("empty.txt", b"", "error")
    put("blank.txt", b"  \n\t\n", "error")
    put("binary.txt", bytes(range(256)) * 40, "error")
    put("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(200) + b"IHDR" + os.urandom(500), "error")
    put("nul.txt", EN.encode() + b"\x00\x00" + EN.encode(), "error")
    put("oneline.txt", b"x" * (io.MAX_LINE_CHARS + 10), "error")
    put("huge.txt", EN.encode() * (LIMIT // len(EN) + 10), "error")
    put("japanese.txt", "東京都は新しい計画を発表しました。経済の成長が続いています。\n".encode(), "skipped")
    put("korean.txt", "서울시는 새로운 계획을 발표했다. 경제 성장이 계속되고 있다.\n".encode(), "skipped")
    # odd but valid: decoded, finished
    put("gb18030.txt", ZH.encode("gb18030"), "ok")
    put("big5.txt", "大連高新區搭建國際化雙創平臺。創新是引領發展的第一動力。\n".encode("big5"), "ok")
    put("cp1252.txt", "He said \u201cit works\u201d \u2013 and it did.\n".encode("cp1252"), "ok")
    put("cr.txt", EN.replace("\n", "\r").encode() * 2, "ok")
    put("crlf.txt", EN.replace("\n", "\r\n").encode() * 2, "ok")
    put("strayutf8.txt", ("He said \u201cthe zone\u201d grew \u201cfast\u201d and \u201cwell\u201d. " * 2).encode()
        + b"\xff" + EN.encode(), "ok")
    put("utf16.txt", EN.encode("utf-16-le"), "ok")
    put("nopunct.txt", ("大连高新区搭建国际化双创平台创新是引领发展的第一动力" * 20 + "\n").encode() * 30, "ok")
    put("page.html", b"<html><body><article><p>" + EN.encode() * 3
        + b"<script>alert('x')</script><img src=x onerror=alert(1)></p></article></body></html>", "ok")
    put(b"bad\xffname.txt", EN.encode(), "ok", doc_id=io.doc_id_for(os.fsdecode(b"bad\xffname.txt")))
    put("大" * 80 + ".txt", EN.encode(), "ok")  # 80 characters, 240 bytes: a legal name
    # special files and links
    os.mkfifo(d / "fifo.txt")
    expect["fifo"] = "error"
    os.symlink("loop.txt", d / "loop.txt")
    expect["loop"] = "error"
    os.symlink("missing.txt", d / "dangling.txt")
    expect["dangling"] = "error"
    os.symlink("/dev/zero", d / "zero.txt")
    expect["zero"] = "error"
    os.symlink("/dev/urandom", d / "urandom.txt")
    expect["urandom"] = "error"
    (d / "folder.txt").mkdir()
    expect["folder"] = "error"

    # a JSONL file of scraped records
    (base / "outside.zh.txt").write_text(ZH, encoding="utf-8")  # must never be read
    (d / "beside.zh.txt").write_text(ZH, encoding="utf-8")
    j = base / "batch.jsonl"
    rows: list[tuple[str | None, str, str]] = [  # (id, line, status)
        ("../../etc/x", json.dumps({"id": "../../etc/x", "text": EN}), "ok"),
        ("/abs", json.dumps({"id": "/abs", "text": EN}), "ok"),
        ("a/b", json.dumps({"id": "a/b", "text": EN}), "ok"),
        ("..", json.dumps({"id": "..", "text": EN}), "ok"),
        ("nul\x00id", json.dumps({"id": "nul\x00id", "text": EN}), "ok"),
        ("长" * 300, json.dumps({"id": "长" * 300, "text": EN}, ensure_ascii=False), "ok"),
        ("42", json.dumps({"id": 42, "text": EN}), "ok"),
        ("batch-8", "{not json", "error"),
        ("batch-9", "[1, 2, 3]", "error"),
        ("notext", json.dumps({"id": "notext", "text": 5}), "error"),
        ("etcpasswd", json.dumps({"id": "etcpasswd", "text": EN, "source": "/etc/passwd"}), "error"),
        ("goesup", json.dumps({"id": "goesup", "text": EN, "source": "../outside.zh.txt"}), "error"),
        ("srcfolder", json.dumps({"id": "srcfolder", "text": EN, "source": "in/folder.txt"}), "error"),
        ("beside", json.dumps({"id": "beside", "text": EN, "source": "in/beside.zh.txt"}), "ok"),
        ("inline", json.dumps({"id": "inline", "text": EN, "source": ZH}, ensure_ascii=False), "ok"),
        ("notchinese", json.dumps({"id": "notchinese", "text": EN, "source": "An English text, not a source."}), "ok"),
        ("bigrecord", json.dumps({"id": "bigrecord", "text": EN * (LIMIT // len(EN) + 10)}), "error"),
        ("batch-18", "[" * 100_000 + "]" * 100_000, "error"),
        ("dup", json.dumps({"id": "dup", "text": EN}), "ok"),
        ("dup-2", json.dumps({"id": "dup", "text": EN + EN}), "ok"),
    ]
    lines = [r[1] for r in rows]
    cp = "He said \u201cit works\u201d.".encode("cp1252")
    with open(j, "wb") as f:
        f.write("\n".join(lines).encode("utf-8") + b"\n")
        f.write(b'{"id": "cp1252line", "text": "' + cp + b'"}\n')  # a line that is not UTF-8
    for doc_id, _, status in rows:
        expect[doc_id] = status
    expect["bigrecord"] = "error"
    expect["cp1252line"] = "ok"
    # the big record's id is in the line that is skipped unread: it is named by its line number
    expect.pop("bigrecord")
    expect["batch-17"] = "error"
    return [str(d), str(j)] + [str(SEEDS / f"{s}.txt") for s in GOOD_SEEDS], expect


@needs_seeds
def test_the_whole_matrix_in_one_batch(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", LIMIT)
    inputs, expect = build_matrix(tmp_path)
    out = tmp_path / "out"
    before = tree(tmp_path, out)
    t0 = time.monotonic()
    code = main(["run", *inputs, "-o", str(out), "--no-mt", "-q"])
    took = time.monotonic() - t0
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    rows = {r["id"]: r for r in map(json.loads, (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}
    for s in GOOD_SEEDS:
        assert rows[s]["status"] in FINISHED, rows[s]
    for doc_id, status in expect.items():
        assert doc_id in rows, (doc_id, sorted(rows))
        r = rows[doc_id]
        got = "ok" if r["status"] in FINISHED else r["status"]
        assert got == status, (doc_id, r["status"], r["reason"])
        if status != "ok":
            assert r["reason"] and "\n" not in r["reason"] and len(r["reason"]) <= 500, r
    # what each bad input is called
    why = {k: rows[k]["reason"] for k in rows}
    assert "FIFO" in why["fifo"] and "character device" in why["zero"] and "character device" in why["urandom"]
    assert "over the" in why["huge"] and "over the" in why["batch-17"]
    assert "not a path relative" in why["etcpasswd"] and "outside the JSONL" in why["goesup"]
    assert "Japanese" in why["japanese"] and "Korean" in why["korean"]
    # decoded right, nothing else lost
    assert rows["strayutf8"]["encoding"] == "utf-8" and rows["strayutf8"]["metadata"]["replaced_bytes"] == 1
    assert rows["utf16"]["encoding"] == "utf-16-le" and rows["gb18030"]["encoding"] == "gb18030"
    assert any("source not used" in f for f in rows["notchinese"]["flags"])
    assert rows["beside"]["route"] == "retranslate" and rows["inline"]["route"] == "retranslate"
    bad_name = io.doc_id_for(os.fsdecode(b"bad\xffname.txt"))
    assert rows[bad_name]["origin"].endswith("bad\\xffname.txt")
    # no source outside the JSONL's folder went anywhere
    for f in out.rglob("*"):
        assert f.is_dir() or b"root:x:0:0" not in f.read_bytes(), f
    # nothing written outside OUT; every name in OUT is short and safe
    assert tree(tmp_path, out) == before
    for root, dirs, files in os.walk(out):
        for name in dirs + files:
            assert len(os.fsencode(name)) <= 255 and "/" not in name
            assert (Path(root) / name).resolve().is_relative_to(out.resolve())
    # every ok document has its English; the report escapes what the page carried
    for doc_id, r in rows.items():
        assert outdir.has_output(out, doc_id) == (r["status"] in FINISHED), doc_id
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert took < 60
    # a rerun resumes: the failures are tried again (and fail again), nothing is redone or lost
    code2 = main(["run", *inputs, "-o", str(out), "--no-mt", "-q"])
    assert code2 == 1
    rows2 = {r["id"]: r for r in map(json.loads, (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}
    assert {k: v["status"] for k, v in rows2.items()} == {k: v["status"] for k, v in rows.items()}


# --------------------------------------------------------------------------- names


def test_file_stems_are_safe_unique_and_bounded():
    ids = ["../../etc/x", "/abs", "a/b", "a_b", "..", ".", "nul\x00", "大" * 300, "大" * 299, "x" * 500, "ok-id_1.2"]
    stems = [outdir.file_stem(i) for i in ids]
    assert len(set(stems)) == len(stems)
    for s in stems:
        assert s and "/" not in s and not s.startswith(".") and "\x00" not in s
        assert len(s.encode()) + len(".en.txt") + 80 <= 255  # room for the temporary name too
    assert outdir.file_stem("ok-id_1.2") == "ok-id_1.2" and outdir.file_stem("a_b") == "a_b"


def test_long_chinese_file_name_and_id_finish(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / ("大" * 80 + ".txt")).write_text(EN, encoding="utf-8")  # 244 bytes with .txt
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "长" * 300, "text": EN}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    r = run_batch([src, tmp_path / "b.jsonl"], tmp_path / "out", Options(mt=False, quiet=True))
    assert sum(r.counts.get(k, 0) for k in FINISHED) == 2, r.counts
    assert "长" * 300 in outdir.manifest_entries(tmp_path / "out")  # the id as given


# --------------------------------------------------------------------------- output folder faults


def test_unwritable_output_is_one_line_and_exit_3(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    assert main(["run", str(src), "-o", "/proc/retranslate-out", "--no-mt", "-q"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("retranslate: error: cannot write the output /proc/retranslate-out")


def test_disk_full_mid_batch_is_exit_3_and_the_rerun_finishes(tmp_path, monkeypatch, capsys):
    import errno

    from mt import atomic

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(f"Article {i}. " + EN, encoding="utf-8")
    real = os.fsync
    calls = {"n": 0}

    def full(fd):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "free some space" in err[0]
    assert not [p for p in out.rglob("*.tmp")]
    monkeypatch.setattr(atomic.os, "fsync", real)
    assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 0
    assert len(outdir.manifest_entries(out)) == 4


def test_complete_batch_in_read_only_out_is_reported_complete(tmp_path, monkeypatch, capsys):
    import errno

    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 0
    capsys.readouterr()

    def read_only(*a, **k):  # as a read-only mount answers (root may write any folder, so it is simulated)
        raise outdir.OutputError(f"cannot write the output {out}: {os.strerror(errno.EROFS)}")

    monkeypatch.setattr(outdir, "lock", read_only)
    assert main(["run", str(src), "-o", str(out), "--no-mt", "-q"]) == 0
    assert "already complete" in capsys.readouterr().err
    (tmp_path / "b.txt").write_text(EN + EN, encoding="utf-8")  # not complete: the write is needed
    assert main(["run", str(src), str(tmp_path / "b.txt"), "-o", str(out), "--no-mt", "-q"]) == 3


def test_stale_output_goes_when_its_input_turns_into_an_error(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))
    assert (out / "a.en.txt").is_file()
    src.write_bytes(b"\x00\x01\x02" * 50)
    assert run_batch([src], out, Options(mt=False, quiet=True)).exit_code == 1
    assert not (out / "a.en.txt").exists()


def test_leftover_temporary_files_are_removed_by_the_next_run(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))
    (out / ".a.en.txt.x1y2.tmp").write_text("torn")
    (out / "records" / ".a.json.z9.tmp").write_text("torn")
    run_batch([src], out, Options(mt=False, quiet=True))
    assert not list(out.rglob("*.tmp"))


def test_eval_holds_the_lock_and_writes_only_into_a_batch_output(tmp_path, capsys):
    import fcntl

    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([src], out, Options(mt=False, quiet=True))
    refs = tmp_path / "refs"
    refs.mkdir()
    with open(out / ".lock", "a+") as held:  # a run is writing OUT
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert main(["eval", str(out), "--refs", str(refs)]) == 2
        assert "another retranslate run is writing" in capsys.readouterr().err
    assert main(["eval", str(out), "--refs", str(refs)]) == 0
    corpus = tmp_path / "corpus"  # a folder with a corpus manifest (like seeds/) is not an OUT
    corpus.mkdir()
    (corpus / "manifest.jsonl").write_text(json.dumps({"file": "a.txt"}) + "\n")
    (corpus / "records").mkdir()
    before = sorted(p.name for p in corpus.iterdir())
    assert main(["eval", str(corpus), "--refs", str(refs)]) == 2
    assert "not a batch output" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_sigterm_stops_like_ctrl_c_and_the_rerun_resumes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(80):
        (src / f"d{i:03d}.txt").write_text(f"Article {i} of the zone. " + EN * 30, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mt", "run", str(src), "-o", str(out), "--no-mt", "-q"]
    p = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ((out / "manifest.jsonl").is_file()
                                                and (out / "manifest.jsonl").stat().st_size > 0):
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    if p.returncode == 0:
        pytest.skip("the batch finished before SIGTERM arrived")
    assert p.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("retranslate: terminated (SIGTERM)") and "Traceback" not in err
    r = run_batch([src], out, Options(mt=False, quiet=True))
    assert sum(r.counts.get(k, 0) for k in FINISHED) == 80 and r.resumed


# --------------------------------------------------------------------------- workers


class KillingEngine:
    """A stand-in translator whose worker process dies on a marked document (always, or only the first time)."""

    def __init__(self, marker_dir: str):
        self.marker_dir = marker_dir

    def translate_paragraphs(self, paragraphs, glossary=None, progress=None):
        from mt.engine import TranslationResult

        text = "\n".join(paragraphs)
        if "致命" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "一次" in text:
            flag = Path(self.marker_dir) / "killed-once"
            if not flag.exists():
                flag.write_text("1")
                os.kill(os.getpid(), signal.SIGKILL)
        return TranslationResult([f"English {i}." for i in range(len(paragraphs))], [], {"segments": len(paragraphs)})


def test_a_dead_worker_is_replaced_and_its_document_retried_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = [f"d{i}" for i in range(6)]
    for i, n in enumerate(names):
        extra = {2: "致命", 4: "一次"}.get(i, "")
        (src / f"{n}.txt").write_text(f"大连高新区第{i}篇文章{extra}。创新是引领发展的第一动力。\n", encoding="utf-8")
    r = run_batch([src], tmp_path / "out", Options(quiet=True, workers=2, cache_path=False),
                  engines=Engines(zh_en=KillingEngine(str(tmp_path))))
    rows = outdir.manifest_entries(tmp_path / "out")
    assert list(rows) == names
    assert rows["d2"]["status"] == "error" and "killed by SIGKILL" in rows["d2"]["reason"], rows["d2"]
    assert "twice" in rows["d2"]["reason"]
    assert all(rows[n]["status"] in FINISHED for n in names if n != "d2"), rows  # d4 died once, then finished
    assert r.exit_code == 1


# --------------------------------------------------------------------------- decoding, memory, cache, score


def test_decoding_of_damaged_and_bomless_text():
    from cleanup.encoding import decode_bytes_counted

    en = ("He said \u201cthe zone\u201d grew \u201cfast\u201d. " * 3).encode()
    assert decode_bytes_counted(en[:20] + b"\x9d" + en[20:])[1:] == ("utf-8", 1)  # was mac_iceland
    zh = ZH.encode() * 3
    assert decode_bytes_counted(zh[:30] + b"\xff" + zh[30:])[1:] == ("utf-8", 1)  # was rejected whole
    assert decode_bytes_counted((ZH * 3).encode("utf-16-le"))[1] == "utf-16-le"  # was "binary"
    assert decode_bytes_counted(EN.encode("utf-16-be"))[1] == "utf-16-be"
    assert decode_bytes_counted("“quoted” text".encode("cp1252"))[1] == "cp1252"  # a real code page stays one


def test_joined_lines_are_recorded_once_not_quadratically():
    from cleanup.repair import repair_paragraphs

    lines = ["the zone grew fast and the city said that it would grow more"] * 3000  # hard-wrapped, no stop
    paras, changes = repair_paragraphs(lines, "en")
    assert len(paras) == 1
    size = sum(len(c.before) + len(c.after) for c in changes)
    assert size <= 3 * sum(len(x) + 1 for x in lines)  # was ~ n^2 / 2 lines: 15,000 x the text


def test_corrupt_cache_is_moved_aside_and_rebuilt(tmp_path, capsys):
    from mt.cache import TranslationCache

    path = tmp_path / "translations.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    c = TranslationCache(path)
    c.put_many("id", "k", {"你好。": ("Hello.", [])})
    assert c.get_many("id", "k", ["你好。"]) == {"你好。": ("Hello.", [])}
    c.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was corrupt" in err[0] and "Traceback" not in err[0]
    assert len(list(tmp_path.glob("translations.sqlite3.corrupt-*"))) == 1
    TranslationCache(path).close()  # the rebuilt cache opens without a word
    assert capsys.readouterr().err == ""


def test_read_only_cache_is_still_read(tmp_path, monkeypatch):
    import sqlite3

    from mt import cache as cache_mod

    path = tmp_path / "translations.sqlite3"
    c = cache_mod.TranslationCache(path)
    c.put_many("id", "k", {"你好。": ("Hello.", [])})
    c.close()
    real = sqlite3.connect

    def no_write(target, *a, **k):  # a read-only disk: only read-only opens succeed (root ignores file modes)
        if not k.get("uri"):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(target, *a, **k)

    monkeypatch.setattr(cache_mod.sqlite3, "connect", no_write)
    ro = cache_mod.TranslationCache(path)
    assert ro.read_only and ro.get_many("id", "k", ["你好。"]) == {"你好。": ("Hello.", [])}
    ro.put_many("id", "k", {"再见。": ("Bye.", [])})  # ignored, not an error


def test_score_json_with_source_keeps_the_check_counts(tmp_path, capsys):
    (tmp_path / "h").write_text("The zone has 1089 firms.\n汉字 left\n", encoding="utf-8")
    (tmp_path / "r").write_text("The zone has 1,089 firms.\nNothing left.\n", encoding="utf-8")
    (tmp_path / "s").write_text("高新区有1089家企业。\n没有剩下。\n", encoding="utf-8")
    assert main(["score", str(tmp_path / "h"), "--ref", str(tmp_path / "r"), "--json",
                 "--source", str(tmp_path / "s")]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["checks_fired"]["segments"] == 2 and got["checks_fired"].get("no_chinese") == 1


def test_jsonl_over_the_old_file_limit_is_read_record_by_record(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 5_000)
    j = tmp_path / "many.jsonl"
    with open(j, "w", encoding="utf-8") as f:
        for i in range(200):  # 200 records of ~200 bytes: 8 x the limit in all
            f.write(json.dumps({"id": f"r{i}", "text": f"Article {i}. " + EN}) + "\n")
    docs = io.read_inputs([j])
    assert len(docs) == 200 and all(d.status == "ok" for d in docs)


def test_utf8_bom_and_jsonl_codecs(tmp_path):
    j = tmp_path / "bom.jsonl"
    j.write_bytes(codecs.BOM_UTF8 + json.dumps({"id": "a", "text": EN}).encode() + b"\n")
    assert [d.status for d in io.read_jsonl_file(j)] == ["ok"]
