"""Statuses that say what happened (ok / flagged / untranslated), output permissions and final newlines."""
from __future__ import annotations

import json
import os
import stat

import pytest

from mt.atomic import atomic_write_text
from mt.batch import BatchResult, run_batch
from mt.cli import main
from mt.pipeline import Options

CLEAN_EN = ("The city opened a new library on Monday. It holds 120,000 books and a reading room for children.\n\n"
            "Officials said the project cost 35 million yuan and took two years to build.")
ZH = "创新是引领发展的第一动力，人才是第一资源。\n\n2015年以来，新设立企业1089家，增长21.68%。"
#: English that the garble check fails, still word salad after light cleanup (calques, Chinese word order; a
#: line of repeated words would be cut to a short fragment, too little evidence to rate)
GARBLED = ("The whole county cadres and masses went deep into the grassroots to do a good job of the work style "
           "construction.\n\nIn the new era the county gives full play to the carrier role of the double creation "
           "platform docking.\n\nThe masses sense of gain is steadily enhanced by the solidly promoted talent work.")


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_write_honours_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.txt", "x\n")
        assert _mode(tmp_path / "a.txt") == 0o644
        os.umask(0o027)
        atomic_write_text(tmp_path / "a.txt", "y\n")  # replacing a file gives the new file the umask's mode too
        assert _mode(tmp_path / "a.txt") == 0o640
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".*.tmp"))


def test_batch_statuses_modes_and_newlines(tmp_path, umask022):
    src = tmp_path / "in"
    src.mkdir()
    (src / "clean.txt").write_text(CLEAN_EN, encoding="utf-8")
    (src / "zh.txt").write_text(ZH, encoding="utf-8")
    (src / "garbled.txt").write_text(GARBLED, encoding="utf-8")
    out = tmp_path / "out"
    r = run_batch([src], out, Options(mt=False, quiet=True))
    man = {json.loads(x)["id"]: json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()}

    assert man["clean"]["status"] == "ok" and all(man["clean"]["checks"].values()) and man["clean"]["reason"] == ""
    assert man["zh"]["status"] == "untranslated" and "--no-mt" in man["zh"]["reason"]
    failed = [k for k, ok in man["garbled"]["checks"].items() if not ok]
    assert "garble" in failed
    assert man["garbled"]["status"] == "flagged" and man["garbled"]["reason"] == "failed checks: " + ", ".join(failed)

    # flagged and untranslated are not failures; the summary line counts each status and names the checks
    assert r.exit_code == 0 and r.counts == {"ok": 1, "untranslated": 1, "flagged": 1}
    line = r.line()
    assert line.startswith("3 documents: 1 ok, 1 flagged, 1 untranslated, 0 skipped, 0 error")
    assert "failed checks: " in line and "garble 1" in line
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "1 flagged" in report and "1 untranslated" in report and "1 ok" in report

    # every finished document has its output; every file is 0644 under umask 022 and ends with a newline
    for i in ("clean", "zh", "garbled"):
        assert (out / f"{i}.en.txt").is_file()
    files = [p for p in out.rglob("*") if p.is_file() and p.name != ".lock"]
    assert {p.name for p in files} >= {"manifest.jsonl", "pairs.jsonl", "report.md", "report.html", "clean.json"}
    for p in files:
        assert _mode(p) == 0o644, p
        data = p.read_bytes()
        assert not data or data.endswith(b"\n"), p

    # a rerun resumes flagged and untranslated documents like ok ones
    r2 = run_batch([src], out, Options(mt=False, quiet=True))
    assert r2.processed == [] and sorted(r2.resumed) == ["clean", "garbled", "zh"]
    assert r2.counts == r.counts


def test_summary_line_lists_every_status():
    r = BatchResult(out_dir="OUT", counts={"ok": 2, "error": 1})
    assert r.line() == "3 documents: 2 ok, 0 flagged, 0 untranslated, 0 skipped, 1 error -> OUT"
    assert r.exit_code == 1


def test_doc_command_exits_0_for_a_flagged_document(tmp_path, capsys):
    f = tmp_path / "garbled.txt"
    f.write_text(GARBLED, encoding="utf-8")
    assert main(["doc", str(f), "--no-mt", "--explain"]) == 0
    captured = capsys.readouterr()
    assert captured.out.endswith("\n") and "status flagged" in captured.err
