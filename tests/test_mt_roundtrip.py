"""Round-trip normalisation decisions, on scripted fake models and on the tiny Marian models."""
from __future__ import annotations

from pathlib import Path

import pytest

from mt.backends.base import Backend
from mt.engine import Engine
from mt.roundtrip import names, normalise

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class Scripted(Backend):
    """Translates from a fixed table; anything else becomes ``default``."""

    name = "scripted"

    def __init__(self, table: dict[str, str], default: str, model_id: str):
        self.table, self.default, self.model_id = table, default, model_id

    def count_tokens(self, texts):
        return [len(t) for t in texts]

    def translate(self, texts, decoding):
        return [self.table.get(t, self.default) for t in texts]


GARBLE_WORDS = {"fall", "double", "arouse", "record"}


def score(text: str) -> float:
    """Share of words from a list of tell-tale garbled words (a stand-in for eval's garble score)."""
    words = text.lower().replace(".", " ").replace(",", " ").split()
    return sum(w in GARBLE_WORDS for w in words) / max(1, len(words))


CASES = {
    # original -> (Chinese, back-translation)
    "Dalian high tech Zone fall again and again.": ("大连高新区屡创佳绩，再创新高。", "Dalian High-tech Zone succeeded again and again."),
    "In 2015, 1786 patents fall to the double Zone.": ("2015年，双区获得专利1786件，再创新高。", "In 2016, the Zone received many patents."),
    "The city of Neijiang arouse the double talent.": ("内江市激发了人才活力，再创新高。", "The city stimulated the vitality of talent."),
    "The record of spatial organization force works.": ("空间组织力量的记录有效，再创新高。", "Again again again again again again."),
    "Innovation is the first driving force.": ("创新是第一动力，再创新高。", "Innovation arouse the double fall record."),
}


@pytest.fixture
def engines():
    en_zh = Engine.from_backend(Scripted({k: v[0] for k, v in CASES.items()}, "未知内容。", "s-en-zh"), direction="en-zh")
    zh_en = Engine.from_backend(Scripted({v[0]: v[1] for v in CASES.values()}, "Unknown.", "s-zh-en"), direction="zh-en")
    return en_zh, zh_en


def test_each_sentence_is_decided_on_its_own(engines):
    paragraphs = [" ".join(list(CASES)[:2]), "\n".join(list(CASES)[2:]), "2018-07-09"]
    result = normalise(paragraphs, *engines, score=score)
    by_src = {d["src"]: d for d in result.decisions}
    accepted = by_src["Dalian high tech Zone fall again and again."]
    assert accepted["kept"] == "roundtrip" and accepted["reasons"] == []
    assert accepted["score_after"] < accepted["score_before"]
    assert "figures differ" in by_src["In 2015, 1786 patents fall to the double Zone."]["reasons"]
    assert "names lost: Neijiang" in by_src["The city of Neijiang arouse the double talent."]["reasons"]
    assert any(r.startswith("guards: zh-en loop") for r in by_src["The record of spatial organization force works."]["reasons"])
    assert by_src["Innovation is the first driving force."]["reasons"] == ["not less garbled"]
    assert by_src["2018-07-09"]["kept"] == "original" and by_src["2018-07-09"]["zh"] is None
    assert result.paragraphs == [
        "Dalian High-tech Zone succeeded again and again. In 2015, 1786 patents fall to the double Zone.",
        "\n".join(list(CASES)[2:]),
        "2018-07-09",
    ]
    assert result.stats == {"segments": 6, "accepted": 1, "kept": 5, "round_trips": 5, "translated": 10, "cached": 0}
    for d in result.decisions:
        assert d["out"] == (d["candidate"] if d["kept"] == "roundtrip" else d["src"])


def test_names_ignore_sentence_openers_and_function_words():
    assert names("The Dalian High-tech Zone and Neijiang met in June.") == {"Dalian", "High-tech", "Zone", "Neijiang", "June"}


def test_tiny_models_round_trip_keeps_structure_and_records_every_sentence(tiny_en_zh, tiny_zh_en, tmp_path):
    seed = SEEDS / "000_93d24b2d31ac7832.txt"
    if not seed.is_file():
        pytest.skip("seeds/ not present")
    fast = dict(beam_size=1, max_new_tokens=16, no_repeat_ngram_size=0, repetition_penalty=1.0)
    en_zh = Engine.load("en-zh", model=tiny_en_zh, backend="transformers", cache_path=tmp_path / "c.sqlite3", **fast)
    zh_en = Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=tmp_path / "c.sqlite3", **fast)
    paragraphs = seed.read_text(encoding="utf-8").split("\n\n")[:4]
    result = normalise(paragraphs, en_zh, zh_en, score=score)
    assert len(result.paragraphs) == len(paragraphs)
    assert len(result.decisions) == result.stats["segments"] > 0
    for d in result.decisions:
        assert (d["kept"] == "roundtrip") == (d["reasons"] == [])
        assert d["out"] == (d["candidate"] if d["kept"] == "roundtrip" else d["src"])
    again = normalise(paragraphs, en_zh, zh_en, score=score)
    assert again.stats["translated"] == 0 and again.stats["cached"] == 2 * again.stats["round_trips"]
    assert again.paragraphs == result.paragraphs
