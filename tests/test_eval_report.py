"""Reports and the eval command over a batch output built from the seeds."""
import json
from pathlib import Path

from eval import run_checks
from mt.outdir import write_reports
from eval.checks import boilerplate_reason
from eval.garble import garble_score
from mt.cli import main
from mt.record import Change, Document, Removed

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def make_batch(out: Path) -> list[str]:
    """A batch OUT as the pipeline writes it, from the seeds processed without MT.

    English seeds: boilerplate lines removed, output = the remaining text (what
    ``--no-mt`` produces).  The Chinese seed stays untranslated (flagged).
    """
    (out / "records").mkdir(parents=True, exist_ok=True)
    ids = []
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as man:
        for line in (SEEDS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            meta = json.loads(line)
            raw = (SEEDS / meta["file"]).read_text(encoding="utf-8")
            lang = meta["language"]
            doc = Document(id=meta["id"], raw=raw, origin=f"seeds/{meta['file']}", encoding="utf-8", lang=lang,
                           script="Hans" if lang == "zh" else "Latn", metadata={"title": meta["title"]})
            for i, text in enumerate(raw.splitlines()):
                reason = boilerplate_reason(text.strip(), lang) if text.strip() else None
                if lang == "zh" and (i < 6 or i >= 44):
                    reason = "site chrome (test fixture)"
                if reason:
                    doc.removed.append(Removed(i, text, reason))
            gone = {r.line for r in doc.removed}
            doc.paragraphs = [t.strip() for i, t in enumerate(raw.splitlines()) if t.strip() and i not in gone]
            doc.metadata["garble_score"] = garble_score("\n".join(doc.paragraphs)) if lang == "en" else None
            doc.route = "retranslate" if lang == "zh" else "normalise"
            doc.mt = "skipped"
            doc.output = "\n\n".join(doc.paragraphs)
            if lang == "zh":
                doc.flags.append("untranslated: MT skipped (--no-mt), output is the cleaned Chinese")
            else:
                first = doc.paragraphs[1] if len(doc.paragraphs) > 1 else doc.paragraphs[0]
                doc.segments = [{"src": first, "out": first, "flags": ["length ratio"]}]
                doc.changes.append(Change("punctuation", " ,", ",", "space before comma"))
            doc.checks = run_checks(doc.output, source="\n".join(doc.paragraphs), source_lang=lang)
            (out / "records" / f"{doc.id}.json").write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
            man.write(json.dumps(doc.summary(), ensure_ascii=False) + "\n")
            ids.append(doc.id)
    return ids


def test_reports_written_and_escaped(tmp_path):
    ids = make_batch(tmp_path)
    rec = json.loads((tmp_path / "records" / f"{ids[0]}.json").read_text())
    rec["output"] += "\n\n<script>alert('x')</script> & <b>bold</b>"
    (tmp_path / "records" / f"{ids[0]}.json").write_text(json.dumps(rec))
    paths = write_reports(tmp_path)
    assert [p.name for p in paths] == ["report.md", "report.html"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert" in page and "&lt;b&gt;bold" in page
    assert page.count("<section") == len(ids) and "<svg" in page
    assert 'class="removed"' in page and "Leave a Reply" in page  # removed boilerplate shown greyed
    assert '<mark class="flagged"' in page and '<mark class="garbled"' in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # self-contained
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert all(f"| {i} |" in md for i in ids) and "no_chinese" in md


def test_reports_survive_missing_and_torn_records(tmp_path):
    ids = make_batch(tmp_path)
    (tmp_path / "records" / f"{ids[1]}.json").unlink()
    with open(tmp_path / "manifest.jsonl", "a") as f:
        f.write('{"id": "torn", "stat')
    write_reports(tmp_path)
    assert "record not found" in (tmp_path / "report.html").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(write_reports(empty)) == 2


def test_eval_command_scores_records_manifest_and_reports(tmp_path, capsys):
    ids = make_batch(tmp_path)
    assert main(["eval", str(tmp_path), "--refs", str(SEEDS / "references"), "--no-ter"]) == 0
    printed = capsys.readouterr().out
    rows = [json.loads(x) for x in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ids
    for r in rows:
        rec = json.loads((tmp_path / "records" / f"{r['id']}.json").read_text())
        assert rec["scores"] == r["scores"]
        assert rec["scores"]["signatures"]["chrF2"].startswith("chrF2|")
        assert r["id"] in printed
    by_id = {r["id"]: r["scores"] for r in rows}
    # light edits of 002 stay close to the original; garbled 004 is far from its rewrite; 001 is untranslated
    assert by_id["002_a925a762f2fa1f6b"]["chrF2"] > by_id["004_a3e962ce704494b6"]["chrF2"]
    assert by_id["001_3003b70348e16070"]["coverage"] == 0
    page = (tmp_path / "report.html").read_text()
    assert "chrF2|nrefs:1" in page
    assert not list(tmp_path.glob("**/.*.tmp*")) and not list(tmp_path.glob(".report*"))


def test_eval_command_on_missing_batch_exits_2(tmp_path):
    assert main(["eval", str(tmp_path / "nope"), "--refs", str(SEEDS / "references")]) == 2
