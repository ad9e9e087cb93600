"""Segmentation: sentences, long-segment splitting, bypass, paragraph structure."""
from __future__ import annotations

from pathlib import Path

import pytest

from mt.segment import (
    bypass_output,
    is_bypass,
    join_paragraphs,
    segment_paragraphs,
    split_long,
    split_sentences,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def chars(texts):
    return [len(t) for t in texts]


def test_chinese_sentences_keep_closing_quotes_and_ellipses():
    text = "“海创周引入的人才建立了产业集群。”原驰说。春播一粒粟，秋收万颗种……目前有1100余家！对吗？是的；好"
    assert split_sentences(text, "zh") == [
        "“海创周引入的人才建立了产业集群。”", "原驰说。", "春播一粒粟，秋收万颗种……", "目前有1100余家！", "对吗？", "是的；", "好",
    ]


def test_english_sentences_respect_abbreviations_decimals_and_quotes():
    text = ('Dr. Smith met J. Doe in the U.S. Office at 3 p.m. today. Growth was 21.68%. '
            '"Fine!" he said. Why? Because... it works.')
    assert split_sentences(text, "en") == [
        "Dr. Smith met J. Doe in the U.S. Office at 3 p.m. today.", "Growth was 21.68%.",
        '"Fine!" he said.', "Why?", "Because... it works.",
    ]


def test_split_long_without_punctuation_is_cut_into_pieces_never_truncated():
    text = "创新驱动发展" * 500  # 3,000 characters, no punctuation
    pieces = split_long(text, "zh", chars, 100)
    assert len(pieces) >= 30
    assert max(map(len, pieces)) <= 100
    assert "".join(pieces) == text


def test_split_long_prefers_clause_boundaries():
    clauses = [f"第{i}项工作稳步推进" for i in range(40)]
    text = "，".join(clauses) + "。"
    pieces = split_long(text, "zh", chars, 60)
    assert "".join(pieces) == text
    assert all(len(p) <= 60 for p in pieces)
    assert all(p.endswith("，") for p in pieces[:-1])  # every cut sits after a comma


def test_split_long_english_cuts_at_commas_or_conjunctions_and_keeps_words():
    text = ", ".join(f"the zone built platform number {i} for talent" for i in range(30)) + " and it grew."
    words = lambda ts: [len(t.split()) for t in ts]  # noqa: E731
    pieces = split_long(text, "en", words, 20)
    assert " ".join(pieces) == text
    assert max(words(pieces)) <= 20
    no_punct = " ".join(["word"] * 500)
    pieces = split_long(no_punct, "en", words, 64)
    assert " ".join(pieces) == no_punct and max(words(pieces)) <= 64


def test_bypass_lines():
    assert is_bypass("2018-07-09 14:35:39") and is_bypass("21.68%") and is_bypass("— 3 —")
    assert not is_bypass("2018年") and not is_bypass("In 2015")
    assert bypass_output("2018年7月9日", "zh", "en") == "July 9, 2018"
    assert bypass_output("Dalian Software Park", "zh", "en") == "Dalian Software Park"  # nothing Chinese to translate
    assert bypass_output("创新", "zh", "en") is None
    assert bypass_output("1,786", "en", "zh") == "1,786"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")) or [None], ids=lambda p: getattr(p, "stem", "none"))
def test_every_seed_keeps_paragraphs_and_lines(seed):
    if seed is None:
        pytest.skip("seeds/ not present")
    paragraphs = seed.read_text(encoding="utf-8").split("\n\n")
    lang = "zh" if seed.name.startswith("001") else "en"
    units = segment_paragraphs(paragraphs, lang)
    rebuilt = join_paragraphs(paragraphs, units, [u.text for u in units], lang)
    assert len(rebuilt) == len(paragraphs)
    for before, after in zip(paragraphs, rebuilt):
        assert after.count("\n") == before.count("\n")
        # every non-space character survives, in order
        assert "".join(after.split()) == "".join(" ".join(before.split()).split())
