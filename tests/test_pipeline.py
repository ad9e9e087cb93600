"""Pipeline stages and routing, with fake engines and with the tiny Marian models."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import mt.pipeline as pipeline_mod
from mt.batch import run_batch
from mt.engine import TranslationResult
from mt.cli import main
from mt.pipeline import Engines, Options, finish, needed_directions, prepare
from mt.record import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
needs_seeds = pytest.mark.skipif(not (SEEDS / "manifest.jsonl").is_file(), reason="seeds/ not in this checkout")

ZH = "大连高新区搭建国际化双创平台。\n\n2015年以来，新设立企业1089家，增长21.68%。"
CLEAN_EN = "The city held a meeting on employment.\n\nIt supported 138 incubators in 2020."
GARBLED_EN = "GARBLED the double era how find steady road.\n\nGARBLED 1786 patents fall again and again."


class FakeEngine:
    """Stands in for mt.engine.Engine: one English line per paragraph, counts its calls."""

    def __init__(self, tag: str):
        self.tag, self.calls = tag, []

    def translate_paragraphs(self, paragraphs, glossary=None):
        self.calls.append(list(paragraphs))
        out = [f"{self.tag} paragraph {i} of {len(paragraphs)} with 1089 firms and 21.68% growth in 2015."
               for i, _ in enumerate(paragraphs)]
        segs = [{"src": p, "out": o, "flags": ["length-ratio"] if i == 0 else []}
                for i, (p, o) in enumerate(zip(paragraphs, out))]
        return TranslationResult(out, segs, {"segments": len(out), "translated": len(out)})


def fake_normalise(paragraphs, en_zh, zh_en, score):
    return TranslationResult([p.replace("GARBLED ", "") for p in paragraphs],
                      [{"sentence": p, "kept": "new"} for p in paragraphs], {"accepted": len(paragraphs)})


@pytest.fixture
def garble_by_marker(monkeypatch):
    """Routing must not depend on eval's tuning here: texts containing GARBLED are garbled."""
    monkeypatch.setattr(pipeline_mod, "garble_score", lambda text: 0.99 if "GARBLED" in text else 0.01)
    monkeypatch.setattr(pipeline_mod, "GARBLED_AT", 0.5)


def _docs():
    src = Document(id="en_with_src", raw=CLEAN_EN, source_text=ZH, source_pairing="explicit")
    return [Document(id="zh", raw=ZH), Document(id="clean", raw=CLEAN_EN),
            Document(id="garbled", raw=GARBLED_EN), src]


def test_routes_and_needed_models(garble_by_marker):
    docs = _docs()
    prepare(docs, Options())
    assert {d.id: d.route for d in docs} == {
        "zh": "retranslate", "clean": "light", "garbled": "normalise", "en_with_src": "retranslate"}
    assert {d.id: d.lang for d in docs}["zh"] == "zh"
    assert needed_directions(docs, Options()) == {"zh-en", "en-zh"}
    assert needed_directions(docs[:2], Options()) == {"zh-en"}
    assert needed_directions(docs[1:2], Options()) == set()
    assert needed_directions(docs, Options(mt=False)) == set()


def test_stages_with_fake_engines(garble_by_marker):
    docs = _docs()
    opts = Options()
    prepare(docs, opts)
    zh_en, en_zh = FakeEngine("EN"), FakeEngine("ZH")
    engines = Engines(zh_en=zh_en, en_zh=en_zh, normaliser=fake_normalise)
    for d in docs:
        finish(d, engines, opts)
    by = {d.id: d for d in docs}
    assert all(d.status in ("ok", "flagged") for d in docs), [(d.id, d.reason) for d in docs]
    # flagged exactly when a check failed or the MT guards flagged a segment, which the reason names
    for d in docs:
        failed = [c.name for c in d.checks if not c.ok] + (["mt_guards"] if any(s.get("flags") for s in d.segments) else [])
        assert (d.status, d.reason) == (("flagged", "failed checks: " + ", ".join(failed)) if failed else ("ok", ""))
    assert by["zh"].status == "flagged" and "mt_guards" in by["zh"].reason
    assert by["zh"].mt == "done" and by["zh"].output.startswith("EN paragraph 0 of 2")
    assert by["zh"].mt_stats["segments"] == 2 and len(by["zh"].segments) == 2
    assert any("flagged" in f for f in by["zh"].flags)
    # English with a source: the *source* is translated, not the English
    assert by["en_with_src"].route == "retranslate" and zh_en.calls[1] == by["en_with_src"].source_paragraphs
    assert "GARBLED" not in by["garbled"].output and by["garbled"].mt == "done"
    assert by["garbled"].segments == [{"sentence": p, "kept": "new"} for p in by["garbled"].paragraphs]
    assert by["clean"].mt == "not-needed" and by["clean"].output.startswith("The city held")
    for d in docs:
        assert {"detect", "clean", "route", "mt", "clean_english", "checks", "total"} <= set(d.timings)
        assert d.checks, d.id


def test_no_mt_keeps_every_other_stage(garble_by_marker):
    docs = _docs()
    opts = Options(mt=False)
    prepare(docs, opts)
    for d in docs:
        finish(d, None, opts)
    by = {d.id: d for d in docs}
    assert {d.id: d.mt for d in docs} == {"zh": "skipped", "clean": "not-needed", "garbled": "skipped",
                                          "en_with_src": "skipped"}
    assert any(f.startswith("untranslated") for f in by["zh"].flags)
    assert by["en_with_src"].output.startswith("The city held")  # the given English, cleaned


def test_a_failing_stage_marks_only_that_document(garble_by_marker, tmp_path):
    class Broken(FakeEngine):
        def translate_paragraphs(self, paragraphs, glossary=None):
            if any("1089" in p for p in paragraphs):
                raise RuntimeError("decoder exploded\nsecond line")
            return super().translate_paragraphs(paragraphs, glossary)

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ZH, encoding="utf-8")
    (src / "b.txt").write_text("创新是引领发展的第一动力，人才是第一资源。", encoding="utf-8")
    (src / "c.txt").write_text(CLEAN_EN, encoding="utf-8")
    r = run_batch([src], tmp_path / "out", Options(quiet=True), engines=Engines(zh_en=Broken("EN")))
    man = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()}
    assert man["a"]["status"] == "error" and "decoder exploded second line" in man["a"]["reason"]
    assert man["b"]["status"] in ("ok", "flagged") and man["b"]["mt"] == "done" and man["c"]["status"] == "ok"
    assert r.exit_code == 1


#: the tiny models have random weights: keep decoding short, they only test plumbing
FAST = {"beam_size": 1, "max_new_tokens": 8}


@needs_seeds
def test_seeds_with_tiny_models_route_as_expected(tiny_zh_en, tiny_en_zh, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "out"
    # the seeds and a short clean English document (no English seed is clean: 002 is mildly garbled)
    src = tmp_path / "src"
    src.mkdir()
    for f in sorted(SEEDS.glob("*.txt")) + [SEEDS / "manifest.jsonl"]:
        shutil.copy(f, src / f.name)
    (src / "005_clean.txt").write_text(CLEAN_EN, encoding="utf-8")
    with open(src / "manifest.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "005_clean", "file": "005_clean.txt", "language": "en", "kind": "clean-en"}) + "\n")
    opts = Options(model=str(tiny_zh_en), model_en_zh=str(tiny_en_zh), cache_path=str(tmp_path / "cache.sqlite"),
                   decoding=FAST, quiet=True)
    r = run_batch([src], out, opts)
    man = {json.loads(x)["id"]: json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()}
    assert {i: (m["route"], m["mt"]) for i, m in man.items()} == {
        "000_93d24b2d31ac7832": ("normalise", "done"),
        "001_3003b70348e16070": ("retranslate", "done"),
        "002_a925a762f2fa1f6b": ("normalise", "done"),
        "003_cded1adef65ac78b": ("normalise", "done"),
        "004_a3e962ce704494b6": ("normalise", "done"),
        "005_clean": ("light", "not-needed"),
    }
    # random weights: whatever the checks say, the status says too (flagged is not a failure)
    for m in man.values():
        failed = [k for k, ok in m["checks"].items() if not ok] + (["mt_guards"] if m["mt_stats"].get("flagged") else [])
        assert m["status"] == ("flagged" if failed else "ok"), m
    assert r.exit_code == 0
    rec = json.loads((out / "records" / "001_3003b70348e16070.json").read_text(encoding="utf-8"))
    assert rec["segments"] and rec["mt_stats"]["segments"] > 0 and rec["timings"]["mt"] > 0
    assert [e["direction"] for e in rec["metadata"]["mt_engines"]] == ["zh-en"]
    assert "mt_engines" not in json.dumps(man["001_3003b70348e16070"])  # record only, manifest stays small
    # one output paragraph per source paragraph
    assert len([p for p in rec["output"].split("\n\n") if p.strip()]) == len(rec["paragraphs"])
    for i in ("000_93d24b2d31ac7832", "003_cded1adef65ac78b"):
        assert json.loads((out / "records" / f"{i}.json").read_text(encoding="utf-8"))["segments"]
    # a rerun with the same models and options redoes nothing
    r2 = run_batch([src], out, opts)
    assert r2.processed == [] and len(r2.resumed) == 6
    # other decoding options (as another model would): the translated documents are redone
    other = Options(model=str(tiny_zh_en), model_en_zh=str(tiny_en_zh), cache_path=str(tmp_path / "cache.sqlite"),
                    decoding={**FAST, "max_new_tokens": 6}, quiet=True)
    r3 = run_batch([src], out, other)
    assert sorted(r3.processed) == ["000_93d24b2d31ac7832", "001_3003b70348e16070", "002_a925a762f2fa1f6b",
                                    "003_cded1adef65ac78b", "004_a3e962ce704494b6"]
    assert r3.resumed == ["005_clean"]
    rec = json.loads((out / "records" / "001_3003b70348e16070.json").read_text(encoding="utf-8"))
    assert '"max_new_tokens": 6' in rec["metadata"]["mt_engines"][0]["decoding"]
    assert [json.loads(x)["id"] for x in (out / "manifest.jsonl").read_text().splitlines()] == sorted(man)


def test_doc_command_with_tiny_model(tiny_zh_en, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RETRANSLATE_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "a.zh.txt"
    src.write_text("2015年以来，新设立企业1089家。", encoding="utf-8")
    assert main(["doc", str(src), "--model", str(tiny_zh_en), "--explain"]) == 0
    cap = capsys.readouterr()
    assert cap.out.strip() and "route retranslate" in cap.err and "mt done" in cap.err
