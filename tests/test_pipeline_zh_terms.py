"""Chinese source through the whole API with the tiny zh-en model: Traditional script is
made Simplified before MT, and glossary terms come out in their standard English."""
from __future__ import annotations

import pytest

import mt

FAST = {"beam_size": 1, "max_new_tokens": 16, "no_repeat_ngram_size": 0, "repetition_penalty": 1.0}

TRADITIONAL = "內江市推進雙創工作，建設眾創空間和孵化器。\n\n引進千人計劃專家十位，全市高新區發展迅速。"


@pytest.fixture()
def result(tiny_zh_en, tmp_path):
    return mt.retranslate(TRADITIONAL, model=tiny_zh_en, backend="transformers",
                          cache_path=tmp_path / "cache.sqlite3", decoding=FAST)


def test_traditional_source_is_made_simplified_before_mt(result):
    doc = result.record
    assert result.route == "retranslate"
    source = "\n".join(doc.source_paragraphs or doc.paragraphs)
    assert "内江" in source and "双创" in source and "众创空间" in source
    assert "內江" not in source and "雙創" not in source
    assert any(c.stage == "script" for c in doc.changes)


def test_glossary_terms_survive_the_tiny_model_intact(result):
    # the random-weight model translates nonsense, but protected terms must come through as written
    for target in ("Neijiang", "mass entrepreneurship and innovation", "maker space", "incubator",
                   "Thousand Talents Plan", "high-tech zone"):
        assert target.lower() in result.text.lower(), target
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in result.text)
