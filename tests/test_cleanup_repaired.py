"""clean_english(repaired=True) skips only work clean_source already did: same output."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleanup import clean_english, clean_source, detect_language
from cleanup.terminology import Glossary

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "cleanup").glob("*.txt"))
# English documents only: a Chinese document's English comes from MT, not from clean_source
EN_FILES = [p for p in FILES if detect_language(p.read_text(encoding="utf-8"))[0] == "en"]


def test_there_are_english_documents_to_compare():
    assert len(EN_FILES) >= 5


@pytest.mark.parametrize("path", EN_FILES, ids=lambda p: p.name)
def test_repaired_paragraphs_clean_the_same(path):
    text = path.read_text(encoding="utf-8")
    paragraphs = clean_source(text, lang="en").paragraphs
    glossary = Glossary.load()
    full = clean_english(paragraphs, glossary=glossary)
    quick = clean_english(paragraphs, glossary=glossary, repaired=True)
    assert quick[0] == full[0]
    assert [c for c in full[1] if c.stage not in ("unicode", "whitespace")] == quick[1]


def test_unrepaired_text_still_gets_the_repair():
    raw = ["Ｄａｌｉａｎ，the  plan\tis good ."]
    assert clean_english(raw)[0] == ["Dalian, the plan is good."]
    assert clean_english(raw, repaired=True)[0] != ["Dalian, the plan is good."]
