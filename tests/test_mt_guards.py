"""Guard decisions on fixed source/output pairs."""
from __future__ import annotations

import pytest

from mt.guards import check, dropped_numbers, is_loop, numbers


@pytest.mark.parametrize("text, lang", [
    ("come on, come on, come on, come on", "en"),
    ("the zone the zone the zone grows", "en"),
    ("development development development", "en"),
    ("ununununununun", "en"),
    ("是是是是是", "zh"),
    ("Dalian Dalian talent Dalian patent Dalian Dalian out Dalian Dalian system Dalian", "en"),
])
def test_loops_are_detected(text, lang):
    assert is_loop(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("More and more companies have become innovative enterprises.", "en"),
    ("The city grows, and the people work... and work.", "en"),
    ("He said: \"Go, go now.\"", "en"),
    ("越来越多的企业成为创新主体。", "zh"),
    ("", "en"),
])
def test_ordinary_sentences_are_not_loops(text, lang):
    assert not is_loop(text, lang)


def test_numbers_match_across_magnitude_words_and_months():
    assert dropped_numbers("2万人", "20,000 people") == []
    assert dropped_numbers("1.5亿元", "150 million yuan") == []
    assert dropped_numbers("11月10日", "on November 10") == []
    assert dropped_numbers("增长21.68%，专利1786件", "up 21.68%, 1,786 patents") == []
    assert dropped_numbers("专利1786件，增长21.68%", "up 21.6%, with patents") == ["1786", "21.68"]
    assert numbers("three firms in 2015") == {"3", "2015"}


def test_check_reports_each_problem():
    src = "目前，大连高新区内由海外人才创办的科技企业1100余家。"
    good = "At present, there are more than 1,100 technology companies founded by overseas talent in the zone."
    assert check(src, good, "zh", "en") == []
    assert check(src, "", "zh", "en") == ["empty"]
    assert "leftover_chinese" in check(src, "There are 1,100 科技企业 founded by overseas talent in the zone.", "zh", "en")
    assert "dropped_number" in check(src, good.replace("1,100", "many"), "zh", "en")
    assert "length_ratio" in check(src, "1,100.", "zh", "en")
    assert "length_ratio" in check(src, good * 4, "zh", "en")
    assert "loop" in check(src, "1,100 companies, companies, companies, companies", "zh", "en")


def test_short_fragments_are_checked_only_for_running_on():
    assert check("正文", "Text", "zh", "en") == []
    assert check("Home", "首页", "en", "zh") == []
    hallucination = "The main text of the article is published by the newspaper and all rights are reserved."
    assert check("正文", hallucination, "zh", "en") == ["length_ratio"]


def test_untranslated_chinese_output():
    assert check("Innovation drives development.", "Innovation drives development.", "en", "zh") == ["untranslated"]


def test_english_to_chinese_pairs():
    src = "More and more R & D funds come from enterprises, 30% more than in 2015."
    assert check(src, "越来越多的研发资金来自企业，比2015年多30%。", "en", "zh") == []
    assert check(src, "越来越多的研发资金来自企业。", "en", "zh") == ["dropped_number"]


def test_numbers_in_other_writings_are_not_reported_dropped():
    assert dropped_numbers("参与投票的成员中，58%反对。", "Fifty-eight per cent of the members opposed.") == []
    assert dropped_numbers("20世纪90年代末", "In the late 1990s") == []
    assert dropped_numbers("截至２０１６年６月", "As of June 2016") == []  # full-width digits
    assert dropped_numbers("用时1分57秒79", "in 1:57.79") == []
    assert dropped_numbers("2013年11月5日", "On Nov. 5, 2013") == []
    assert dropped_numbers("消防队花费了1小时", "the fire brigade spent an hour") == []
    assert dropped_numbers("62.198的总分", "with 62,988 points") == ["62.198"]
