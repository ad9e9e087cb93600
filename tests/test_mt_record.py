"""mt's record types: the engine's segments and the round trip's decisions, typed and written as before."""
from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from mt.engine import Engine
from mt.record import Decision, Document, Segment, TermUse, guard_flags
from mt.roundtrip import normalise
from tests.test_mt_engine import FakeBackend, OneTermGlossary

#: The keys of a segment and a decision in OUT/records/<id>.json, in their order.
SEGMENT_KEYS = ["para", "line", "src", "out", "bypass", "cached", "flags", "retried", "pieces", "terms"]
DECISION_KEYS = ["para", "line", "src", "zh", "candidate", "out", "kept", "reasons", "score_before", "score_after"]


def _translated():
    glossary = OneTermGlossary("双创", "mass entrepreneurship and innovation")
    return Engine.from_backend(FakeBackend()).translate_paragraphs(["大连搭建双创平台。2018年7月9日"], glossary=glossary)


def test_engine_segments_are_typed_and_serialise_with_the_record_keys():
    segs = _translated().segments
    assert [type(s) for s in segs] == [Segment, Segment]
    first, date = segs
    assert first.terms == [TermUse("双创", "mass entrepreneurship and innovation", "placeholder")]
    assert date.bypass and not first.bypass and first.pieces == 1
    assert list(first.to_dict()) == SEGMENT_KEYS
    assert first.to_dict()["terms"] == [{"source": "双创", "target": "mass entrepreneurship and innovation",
                                         "how": "placeholder"}]
    # read by key as well, as callers did when segments were dicts
    assert first["out"] == first.out and first["terms"][0]["how"] == "placeholder" and first.get("nope") is None
    with pytest.raises(KeyError):
        first["nope"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.out = "changed"


def test_translate_segments_returns_segments():
    segs = Engine.from_backend(FakeBackend()).translate_segments(["人才是第一资源。", "2018年7月9日"])
    assert [type(s) for s in segs] == [Segment, Segment]
    assert [(s.para, s.line, s.bypass) for s in segs] == [(0, 0, False), (1, 0, True)]


class Table(FakeBackend):
    def __init__(self, table: dict[str, str]):
        super().__init__(lambda t, d: table.get(t, "Unknown."))


def test_round_trip_decisions_are_typed_and_serialise_with_the_record_keys():
    en_zh = Engine.from_backend(Table({"Dalian zone fall again.": "大连区再创新高。"}), direction="en-zh")
    zh_en = Engine.from_backend(Table({"大连区再创新高。": "Dalian zone rose again."}), direction="zh-en")
    result = normalise(["Dalian zone fall again. 2018-07-09"], en_zh, zh_en, score=lambda t: t.count("fall"))
    kept, date = result.decisions
    assert (type(kept), type(date)) == (Decision, Decision)
    assert (kept.kept, kept.reasons, kept.zh, kept.out) == ("roundtrip", [], "大连区再创新高。", "Dalian zone rose again.")
    assert (date.kept, date.reasons, date.zh, date.score_before) == ("original", ["nothing to translate"], None, None)
    assert list(kept.to_dict()) == DECISION_KEYS


def test_record_json_is_the_dict_form_and_reads_back_typed():
    segs = _translated().segments
    decision = Decision(para=0, line=1, src="a", zh="乙", candidate="b", out="b", kept="roundtrip", reasons=[],
                        score_before=0.5, score_after=0.25)
    stand_in = {"src": "x", "out": "y"}  # what a stand-in translator returns stays as it is
    doc = Document(id="d", segments=[*segs, decision, stand_in])
    written = json.dumps(doc.to_dict(), ensure_ascii=False)
    as_dicts = Document(id="d", segments=[*(s.to_dict() for s in segs), decision.to_dict(), stand_in])
    assert written == json.dumps(dataclasses.asdict(as_dicts), ensure_ascii=False)
    back = Document.from_dict(json.loads(written))
    assert back == doc and [type(s) for s in back.segments] == [Segment, Segment, Decision, dict]
    assert pickle.loads(pickle.dumps(doc)) == doc  # worker processes send documents back


def test_guard_flags_of_each_kind_of_segment():
    seg = Segment(para=0, line=0, src="甲", out="a", bypass=False, cached=False, flags=["loop"], retried=True,
                  pieces=1, terms=[])
    decision = Decision(para=0, line=0, src="a", zh="甲", candidate="b", out="a", kept="original",
                        reasons=["guards: zh-en loop"], score_before=0.1, score_after=0.2)
    assert guard_flags(seg) == ["loop"]
    assert guard_flags(decision) == []  # the original was kept; the guards' finding is a reason
    assert guard_flags({"flags": ["length_ratio"]}) == ["length_ratio"] and guard_flags({}) == []
