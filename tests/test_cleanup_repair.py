"""Text repair, terminology and post-MT cleanup."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleanup import Glossary, clean_english, clean_mt_line, clean_source
from cleanup.postmt import repair_english_line
from cleanup.repair import fix_unicode, fix_whitespace, repair_paragraphs
from mt.errors import UserError

DATA = Path(__file__).resolve().parent / "data" / "cleanup"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# ------------------------------------------------------------------ unicode, whitespace, paragraphs

def test_mojibake_repaired_and_recorded():
    text, changes = fix_unicode("the governmentâ€™s impetus", "en")
    assert text == "the government’s impetus"
    assert changes and changes[0].stage == "unicode" and "ftfy" in changes[0].reason


def test_fullwidth_in_english_made_ascii_but_kept_in_chinese():
    assert fix_unicode("Ｄａｌｉａｎ（ＣＨＩＮＡ）：２０１５，ｇｏｏｄ！", "en")[0] == "Dalian (CHINA): 2015, good!"
    zh = "大连高新区，２０１５年：“海创周”（第一届）。"
    assert fix_unicode(zh, "zh")[0] == "大连高新区，2015年：“海创周”（第一届）。"


def test_nfc_and_whitespace():
    assert fix_unicode("Cafe\u0301", "en")[0] == "Café"
    assert fix_whitespace("  a\u00a0b\u200b  c\u3000d ", "en")[0] == "a b c d"
    assert fix_whitespace("主阵地、 高新技术  产业", "zh")[0] == "主阵地、高新技术产业"
    assert fix_whitespace("clean", "en") == ("clean", [])


def test_broken_paragraphs_joined_in_seed_000():
    r = clean_source(next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8"), lang="en")
    assert r.paragraphs[1].startswith("In the double era, how to find")
    assert any(p.startswith("The implementation of software the establishment of") for p in r.paragraphs)
    joins = [c for c in r.changes if "broken mid-sentence" in c.reason]
    assert len(joins) == 2


def test_headings_and_sentences_are_not_joined():
    paras = ["Title of the story", "A sentence ends here.", "another starts lower-case?", "A heading", "The body."]
    out, changes = repair_paragraphs(paras, "en")
    assert out == ["Title of the story", "A sentence ends here.", "another starts lower-case?", "A heading", "The body."]
    zh = ["海创周助力大连高新区招才引智", "在科技创新的时代,引入一个人才。"]
    assert repair_paragraphs(zh, "zh")[0] == zh
    assert repair_paragraphs(["截至目前,大连高新区共有众创空间34家,", "其中国家备案16家。"], "zh")[0] == [
        "截至目前,大连高新区共有众创空间34家,其中国家备案16家。"]


def test_repeated_paragraph_kept_once():
    out, changes = repair_paragraphs(["Title", "The same paragraph of news.", "Other.", "The same paragraph of news."])
    assert out == ["Title", "The same paragraph of news.", "Other."]
    assert changes[0].reason.startswith("repeated paragraph")


# ------------------------------------------------------------------ terminology

def test_glossary_source_terms_longest_first():
    g = Glossary.load()
    text = "引进8位中央“千人计划”专家和3位“青年千人计划”专家,大连高新区众创空间34家"
    hits = g.find_source_terms(text)
    assert [(h.source, h.target) for h in hits] == [
        ("千人计划", "Thousand Talents Plan"), ("青年千人计划", "Young Thousand Talents Plan"),
        ("大连高新区", "Dalian High-tech Zone"), ("众创空间", "maker space")]
    assert all(text[h.start:h.end] == h.source for h in hits)


def test_glossary_fixes_garbled_english_with_case_and_boundaries():
    g = Glossary.load()
    text, changes = g.fix_english("Double creation era. The dual-innovation base of Dalian high tech Zone; a doubled creationism.")
    assert text == ("Mass entrepreneurship and innovation era. The mass entrepreneurship and innovation base of "
                    "Dalian High-tech Zone; a doubled creationism.")
    assert [c.before for c in changes] == ["Double creation", "dual-innovation", "high tech Zone"]
    assert all(c.stage == "terminology" for c in changes)


def test_inner_river_only_where_it_names_the_city():
    g = Glossary.load()
    assert g.fix_english("Neijiang fruit inner river to create")[0] == "Neijiang fruit Neijiang to create"
    assert g.fix_english("The inner river flows through the park.")[0] == "The inner river flows through the park."


def test_user_glossary_extends_and_overrides(tmp_path):
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("# mine\n海创周\tOverseas Talent Week\ndouble creation\tdouble innovation drive\n", encoding="utf-8")
    g = Glossary.load(tsv)
    assert g.zh_en["海创周"] == "Overseas Talent Week" and g.zh_en["双创"]
    assert g.fix_english("double creation")[0] == "double innovation drive"
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", encoding="utf-8")
    with pytest.raises(UserError, match="line 1"):
        Glossary.load(bad)


# ------------------------------------------------------------------ post-MT

@pytest.mark.parametrize("before, after", [
    ("Xinjiang Xinjiang Xinjiang Xinjiang Xinjiang", "Xinjiang"),
    ("The people of Xinjiang, Xinjiang, Xinjiang, Xinjiang are happy.", "The people of Xinjiang are happy."),
    ("the development of the city the development of the city the development of the city", "the development of the city"),
    ("Wu said he said he would come.", "Wu said he would come."),
    ("they act extremely extremely fast", "they act extremely fast"),
    ("China ' s exports ( new ) rose ,", "China's exports (new) rose,"),
    ("He said，it was fine。", "He said, it was fine."),
])
def test_post_mt_repairs(before, after):
    assert clean_mt_line(before) == after


@pytest.mark.parametrize("good", [
    "He had had enough of it.",
    "Liu Liu and Xiao Xiao won, 29,29 and 4.4 in Rio.",
    "It was a yeah, yeah kind of day... and then 3.5%.",
    "The U.S. and E.U. met on 10:30 a.m. (local time).",
    "More and more companies, and more and more R & D institutions, again and again.",
    "Prices rose higher and higher and higher; step by step by step.",
    "",
])
def test_post_mt_leaves_good_lines_alone(good):
    assert clean_mt_line(good) == good


def test_post_mt_records_each_change_and_is_idempotent():
    line = "China ' s Xinjiang Xinjiang Xinjiang plan"
    fixed, changes = repair_english_line(line)
    assert fixed == "China's Xinjiang plan" and len(changes) == 2
    assert repair_english_line(fixed) == (fixed, [])


def test_post_mt_does_not_lower_bleu_or_chrf_on_published_output(capsys):
    """100 lines of real opus-mt-zh-en output (see tests/data/cleanup/README.md)."""
    import sacrebleu

    hyp = (DATA / "newstest2017.alt.1055-1154.eng").read_text(encoding="utf-8").splitlines()
    ref = (DATA / "newstest2017.ref.1055-1154.eng").read_text(encoding="utf-8").splitlines()
    assert len(hyp) == len(ref) == 100
    new = [clean_mt_line(h) for h in hyp]
    assert len(new) == len(hyp) and sum(a != b for a, b in zip(hyp, new)) >= 5
    before, after = sacrebleu.corpus_bleu(hyp, [ref]).score, sacrebleu.corpus_bleu(new, [ref]).score
    cb, ca = sacrebleu.corpus_chrf(hyp, [ref]).score, sacrebleu.corpus_chrf(new, [ref]).score
    with capsys.disabled():
        print(f"\npost-MT on 100 lines: BLEU {before:.2f} -> {after:.2f}, chrF {cb:.2f} -> {ca:.2f}")
    assert after >= before and ca >= cb


def test_clean_english_applies_glossary_and_reports_skipped_grammar():
    from cleanup.grammar import Grammar

    paras, changes, findings = clean_english(["Dalian high tech Zone Zone Zone grows ."],
                                             glossary=Glossary.load(), grammar=Grammar(None, "LanguageTool skipped: test"))
    assert paras == ["Dalian High-tech Zone grows."]
    assert {c.stage for c in changes} == {"postmt", "terminology"}
    assert findings == [{"rule": "LANGUAGETOOL_SKIPPED", "message": "LanguageTool skipped: test"}]


def test_glossary_matches_next_to_punctuation():
    g = Glossary.load()
    assert g.fix_english("the Shuangchuang, (dual-innovation) and high tech zone.")[0] == (
        "the mass entrepreneurship and innovation, (mass entrepreneurship and innovation) and High-tech Zone.")


@pytest.mark.parametrize("fixes", [
    {"xi'an city": "Xi'an"},
    {"xi'an city": "Xi'an", "double creation": "mass entrepreneurship and innovation"},
    {"são paulo city": "São Paulo"},
])
def test_glossary_entry_with_punctuation_or_accents_is_applied(fixes):
    # An entry whose words are not plain a-z/0-9 used to fall through the quick exits.
    g = Glossary(en_fixes=fixes)
    for before, after in (("He went to Xi'an City today.", "He went to Xi'an today."),
                          ("Flights to São Paulo City resumed.", "Flights to São Paulo resumed.")):
        key = before.split(" to ")[1].rsplit(" ", 1)[0].lower()
        if key in fixes:
            text, changes = g.fix_english(before)
            assert text == after and len(changes) == 1


def test_long_loops_collapse_to_one():
    assert clean_mt_line("Xinjiang " * 5001) == "Xinjiang"
    assert clean_mt_line("a b a b a b c") == "a b c"


@pytest.mark.parametrize("text", ["", "\n\n \n", "Leave a Reply\n\nYour email address will not be published.",
                                  "Title\rBody text.\r", "Title\x00\x07 body", "大连" * 100000,
                                  "The park grew. " * 20000])
def test_clean_source_never_crashes(text):
    r = clean_source(text)
    assert all(p.strip() == p and p for p in r.paragraphs)
    paras, changes, findings = clean_english(r.paragraphs)
    assert len(paras) <= len(r.paragraphs)
