"""Proposing English-Chinese pairs from shared figures."""
from __future__ import annotations

import json

from mt import pairing
from mt.record import Document

EN_GARBLED = (
    "1 who was elected to the national people plan, 22 people selected; 1,786 patents, 988 patents; "
    "newly established enterprises 1089, an increase of 21.68%; Just past 2015, the Dalian high tech Zone "
    "fall again and again. Funds of 68.9 million yuan."
)
ZH_SOURCE = (
    "1人入选国家千人计划，22人入选省市人才培养计划；专利申请1786件，授权988件；新设立企业1089家，增长21.68%。"
    "刚刚过去的2015年，大连高新区捷报频传。扶持资金6890万元。"
)
ZH_UNRELATED = "2015年以来，内江市累计培育企业46家，增长210%，新增专利369件，占比百分之三十。"
EN_YEARS_ONLY = "In 2015 and 2016 the city grew; by 2017 and 2018 it had changed, and 2015 was remembered."
ZH_YEARS_ONLY = "2015年、2016年、2017年和2018年，城市发展迅速。"


def vals(text):
    return {f.value for f in pairing.figures(text)}


def test_figures_are_normalised_on_both_sides():
    assert {"1786", "988", "1089", "21.68%", "2015", "68900000"} <= vals(EN_GARBLED)
    assert {"1786", "988", "1089", "21.68%", "2015", "68900000"} <= vals(ZH_SOURCE)
    assert vals("1.2万人") == {"12000"} and vals("12,000 people") == {"12000"}
    assert vals("百分之三十") == {"30%"} == vals("30 percent") == vals("30％")
    assert vals("第3名") == set()  # single digits carry no evidence
    kinds = {f.value: f.kind for f in pairing.figures("2015年 增长21.68% 1.5倍 1786件 22人")}
    assert kinds == {"2015": "year", "21.68%": "percent", "1.5": "decimal", "1786": "number", "22": "small"}


def _doc(i, lang, text):
    return Document(id=i, raw=text, lang=lang, paragraphs=[text])


def test_source_is_proposed_for_its_translation_only():
    docs = [
        _doc("en1", "en", EN_GARBLED), _doc("zh_other", "zh", ZH_UNRELATED), _doc("zh1", "zh", ZH_SOURCE),
        _doc("en_years", "en", EN_YEARS_ONLY), _doc("zh_years", "zh", ZH_YEARS_ONLY),
    ]
    props = pairing.propose_pairs(docs)
    assert [(p.en_id, p.zh_id) for p in props] == [("en1", "zh1")]
    assert {"1786", "21.68%", "1089"} <= set(props[0].shared)
    assert props[0].score >= pairing.MIN_SCORE


def test_years_and_small_numbers_alone_are_not_evidence():
    s, shared = pairing.score_pair(pairing.figures(EN_YEARS_ONLY), pairing.figures(ZH_YEARS_ONLY))
    assert s == 0 and "2015" in shared


def test_pairs_are_one_to_one_and_explicit_sources_left_alone():
    en2 = _doc("en2", "en", EN_GARBLED)
    paired = _doc("en3", "en", EN_GARBLED)
    paired.source_text = "已有来源"
    docs = [_doc("en1", "en", EN_GARBLED), en2, paired, _doc("zh1", "zh", ZH_SOURCE)]
    props = pairing.propose_pairs(docs)
    assert len(props) == 1 and props[0].zh_id == "zh1"
    assert pairing.apply_pairs(docs, props) == 1
    winner = next(d for d in docs if d.id == props[0].en_id)
    assert winner.source_text == ZH_SOURCE and winner.source_pairing == "auto"
    assert paired.source_text == "已有来源"


def test_batch_records_proposals_and_uses_them_only_with_auto_pair(tmp_path):
    from mt.batch import run_batch
    from mt.pipeline import Options

    src = tmp_path / "in"
    src.mkdir()
    (src / "garbled.txt").write_text(EN_GARBLED, encoding="utf-8")
    (src / "source.txt").write_text(ZH_SOURCE, encoding="utf-8")
    (src / "other.txt").write_text(ZH_UNRELATED, encoding="utf-8")

    run_batch([src], tmp_path / "out", Options(mt=False, quiet=True))
    pairs = [json.loads(x) for x in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    assert [(p["en_id"], p["zh_id"]) for p in pairs] == [("garbled", "source")]
    man = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()}
    assert man["garbled"]["pair_proposal"]["zh_id"] == "source"
    assert man["garbled"]["pairing"] is None and man["garbled"]["route"] != "retranslate"

    r = run_batch([src], tmp_path / "out", Options(mt=False, quiet=True, auto_pair=True))
    assert r.processed == ["garbled"]  # rerouted by the pairing: redone; the others resumed
    man2 = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()}
    assert man2["garbled"]["pairing"] == "auto" and man2["garbled"]["route"] == "retranslate"
    assert man2["garbled"]["source"].endswith("source.txt")
    assert man2["other"]["pairing"] is None
