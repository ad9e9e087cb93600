"""Glossary enforcement on its own (mt.glossary_enforce); the engine's use of it is in test_mt_engine."""
from __future__ import annotations

from mt.glossary_enforce import ESCALATION, TermEnforcer
from tests.test_mt_engine import OneTermGlossary

TERM = OneTermGlossary("双创", "mass entrepreneurship and innovation")


def whole(text):
    return [("mt", text)]


def test_only_chinese_sources_have_terms_and_a_broken_glossary_finds_none():
    class Broken:
        def find_source_terms(self, text):
            raise RuntimeError("bad glossary file")

    assert len(TermEnforcer(TERM, "zh", "en", whole).find("双创平台")) == 1
    assert TermEnforcer(TERM, "en", "zh", whole).find("双创平台") == []
    assert TermEnforcer(None, "zh", "en", whole).find("双创平台") == []
    assert TermEnforcer(Broken(), "zh", "en", whole).find("双创平台") == []


def test_plain_needs_each_term_as_often_as_it_occurs():
    terms = TermEnforcer(TERM, "zh", "en", whole)
    hits = terms.find("双创平台，双创基地。")
    once = "A Mass Entrepreneurship and Innovation platform, a base."
    assert terms.settle(once, hits, "plain") == (once, False)
    twice = "mass entrepreneurship and innovation platform, mass entrepreneurship and innovation base."
    assert terms.settle(twice, hits, "plain") == (twice, True)


def test_a_placeholder_must_come_back_exactly_once():
    terms = TermEnforcer(TERM, "zh", "en", whole)
    hits = terms.find("双创平台。")
    assert terms.parts("双创平台。", hits, "placeholder") == [("mt", "ZXQA 平台。")]
    assert terms.settle("ZXQA platform ZXQA.", hits, "placeholder")[1] is False
    assert terms.settle("The platform.", hits, "placeholder")[1] is False
    assert terms.settle("The ZXQA platform.", hits, "placeholder") == (
        "The mass entrepreneurship and innovation platform.", True)


def test_split_puts_figures_in_as_they_are_and_each_fragment_goes_through_mt_parts():
    seen = []

    def pieces(text):
        seen.append(text)
        return [("mt", text)]

    terms = TermEnforcer(TERM, "zh", "en", pieces)
    text = "平台双创，2018。"
    assert terms.parts(text, terms.find(text), "split") == [
        ("mt", "平台"), ("fixed", "mass entrepreneurship and innovation"), ("fixed", ",2018.")]
    assert seen == ["平台"]  # the figures bypass the model, with English punctuation
    assert ESCALATION == ("placeholder", "split")  # the engine tries them in this order
