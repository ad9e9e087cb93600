"""The Python API: mt.retranslate."""
from __future__ import annotations

from pathlib import Path

import pytest

import mt
from mt.api import Result
from mt.errors import UserError
from mt.pipeline import Engines

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = ROOT / "seeds" / "003_cded1adef65ac78b.txt"

ZH = "大连高新区搭建国际化双创平台。\n\n2015年以来，新设立企业1089家，增长21.68%。"


class EchoEngine:
    def translate_paragraphs(self, paragraphs, glossary=None):
        from mt.engine import TranslationResult

        out = [f"Translated paragraph {i}: 1089 firms, 21.68% in 2015." for i in range(len(paragraphs))]
        return TranslationResult(out, [{"src": p, "out": o} for p, o in zip(paragraphs, out)], {"segments": len(out)})


def test_english_without_mt_returns_a_full_result():
    text = "Markets rose on Monday after the report.\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *"
    r = mt.retranslate(text, mt=False)
    assert isinstance(r, Result)
    assert r.route in ("light", "normalise")
    assert r.text.startswith("Markets rose on Monday")
    assert r.record.id == "doc" and r.record.status == "ok"
    assert r.checks and all(hasattr(c, "ok") for c in r.checks)
    assert r.record.timings["total"] >= 0


@pytest.mark.skipif(not SEED_003.is_file(), reason="seeds/ not in this checkout")
def test_seed_boilerplate_is_removed_with_reasons():
    r = mt.retranslate(SEED_003.read_text(encoding="utf-8"), mt=False)
    assert "All Rights Reserved" not in r.text
    assert any("All Rights Reserved" in x.text and x.reason for x in r.removed)


def test_chinese_with_fake_engine_and_source_routing():
    r = mt.retranslate(ZH, engines=Engines(zh_en=EchoEngine()))
    assert r.route == "retranslate" and r.record.mt == "done"
    assert r.text.splitlines()[0].startswith("Translated paragraph 0")
    r2 = mt.retranslate("Some garbled English about the double era.", source=ZH, engines=Engines(zh_en=EchoEngine()))
    assert r2.route == "retranslate" and r2.record.source_pairing == "explicit"
    assert "Translated paragraph 1" in r2.text


def test_chinese_without_mt_is_flagged_untranslated():
    r = mt.retranslate(ZH, mt=False)
    assert r.route == "retranslate" and r.record.mt == "skipped"
    assert any("untranslated" in f for f in r.flags)


def test_references_are_scored_through_eval(monkeypatch):
    import mt.pipeline as pipeline_mod

    seen = {}

    def fake_score(output, passages):
        seen["args"] = (output, passages)
        return {"chrF++": 12.5}

    monkeypatch.setattr(pipeline_mod, "score_document", fake_score)
    r = mt.retranslate("The city held a meeting on employment.", mt=False, references=["The city met."])
    assert r.scores == {"chrF++": 12.5}
    assert seen["args"] == (r.text, ["The city met."])
    assert mt.retranslate("The city held a meeting.", mt=False).scores == {}


def test_bad_calls_are_user_errors():
    with pytest.raises(UserError, match="unknown option"):
        mt.retranslate("text", mt=False, modle="x")
    with pytest.raises(UserError):
        mt.retranslate(b"bytes", mt=False)
    with pytest.raises(UserError, match="line of"):
        mt.retranslate("x" * 200_001, mt=False)


def test_references_given_as_text_are_scored_for_real():
    text = "The city held a meeting on employment on Monday.\n\nIt supported 138 incubators in 2020."
    r = mt.retranslate(text, mt=False, references=["It supported 138 incubators in 2020."])
    assert r.scores["chrF2"] > 50 and "signatures" in r.scores
    r2 = mt.retranslate(text, mt=False, references=["Completely different words about rivers and weather."])
    assert r2.scores["chrF2"] < r.scores["chrF2"]


def test_engines_are_reused_only_with_the_same_decoding_options(tiny_zh_en, tmp_path, monkeypatch):
    # The per-process engine cache used to ignore the decoding options: a second call with
    # other options was translated with the first call's.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    text = "大连高新区搭建国际化双创平台。"
    common = dict(model=str(tiny_zh_en), cache_path=str(tmp_path / "cache.sqlite"), glossary=None)
    for n in (5, 7):
        rec = mt.retranslate(text, decoding={"beam_size": 1, "max_new_tokens": n}, **common).record
        assert f'"max_new_tokens": {n}' in rec.metadata["mt_engines"][0]["decoding"]
