"""Boilerplate stripping against hand labels: the seeds, and documents written for the tests."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from cleanup import CorpusLines, clean_source
from cleanup.boilerplate import line_reason, strip_boilerplate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
WRITTEN = Path(__file__).resolve().parent / "data" / "cleanup"


def _labels(path: Path) -> dict[str, dict[int, dict]]:
    by_doc: dict[str, dict[int, dict]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        by_doc[rec["doc"]][rec["line"]] = rec
    return by_doc


def _score(folder: Path, labels: dict[str, dict[int, dict]], name: str):
    """Precision and recall of the boilerplate class, the content lines removed, the boilerplate lines missed."""
    tp = fp = fn = 0
    content_removed = []
    for doc, lab in sorted(labels.items()):
        text = (folder / f"{doc}.txt").read_text(encoding="utf-8")
        lines = text.split("\n")
        # the labels cover every non-empty line, and their text matches the file
        assert sorted(lab) == [i for i, ln in enumerate(lines) if ln.strip()], doc
        assert all(lines[i].strip() == rec["text"] for i, rec in lab.items()), doc
        removed = {r.line for r in clean_source(text).removed}
        for i, rec in lab.items():
            gold = rec["label"] == "boilerplate"
            pred = i in removed
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
            if pred and not gold:
                content_removed.append(f"{doc}:{i}: {rec['text'][:60]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"\n[{name}] boilerplate precision {precision:.3f} recall {recall:.3f} (tp={tp} fp={fp} fn={fn})")
    return precision, recall, content_removed, fn


def test_seed_labels_precision_recall(capsys):
    labels = _labels(SEEDS / "labels" / "boilerplate.jsonl")
    assert len(labels) == 5
    precision, recall, content_removed, _ = _score(SEEDS, labels, "seeds")
    with capsys.disabled():
        print(f"seeds: boilerplate precision {precision:.3f}, recall {recall:.3f}")
    assert content_removed == []
    assert precision >= 0.97 and recall >= 0.97


#: (labels, documents, boilerplate lines missed now) of the three batches in tests/data/cleanup.
WRITTEN_BATCHES = [("labels_batch1.jsonl", 10, 2), ("labels_batch2.jsonl", 5, 0), ("labels_batch3.jsonl", 5, 0)]


@pytest.mark.parametrize("label_file, ndocs, missed", WRITTEN_BATCHES)
def test_written_documents_precision_recall(capsys, label_file, ndocs, missed):
    """Documents written for the tests in the seeds' styles (tests/data/cleanup/README.md).

    Not blind any more: each batch was labelled before the stripper first ran on it (those
    blind figures are in the README), and its misses led to rules since.  So this is a
    regression bar, not an estimate for sites never seen.  Measured: precision 1.000 on all
    three, recall 0.978 (2 of 90 lines missed), 1.000 and 1.000.  The bar: no content line
    removed, and at most one boilerplate line more missed than now (the figures have no
    randomness; the margin lets a rule change trade one line, no more).
    """
    labels = _labels(WRITTEN / label_file)
    assert len(labels) == ndocs
    precision, recall, content_removed, fn = _score(WRITTEN, labels, label_file)
    with capsys.disabled():
        print(f"written for the tests ({label_file}): boilerplate precision {precision:.3f}, recall {recall:.3f}; "
              f"content removed: {content_removed}")
    assert content_removed == [] and precision == 1.0
    assert fn <= missed + 1, f"{fn} boilerplate lines missed, {missed} before"


def _seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_seed_001_metadata_and_disclaimer_block():
    r = clean_source(_seed("001"), lang="zh")
    assert r.metadata == {"source": "中国高新技术产业导报", "author": "叶伟", "editor": "韩梦晨", "date": "2018-07-09",
                          "title": "大连高新区搭建国际化双创平台激活发展新动能"}
    text = r.text
    for chrome in ("版权与免责声明", "①", "②", "③", "排行", "编辑推荐", "关注我们", "责任编辑", "首页>"):
        assert chrome not in text
    # title, dateline and the last body paragraph are kept
    assert r.paragraphs[0] == "大连高新区搭建国际化双创平台激活发展新动能"
    assert r.paragraphs[1].startswith("2018-07-09")
    assert r.paragraphs[-1].startswith("宁做尘泥碾作尘")
    # every removed line has a reason a user can read
    assert all(x.reason for x in r.removed)


def test_seed_001_duplicate_lede_kept_once_as_a_change():
    r = clean_source(_seed("001"), lang="zh")
    lede = "作为大连市创新创业主阵地"
    assert sum(p.startswith(lede) for p in r.paragraphs) == 1
    assert any(c.stage == "paragraphs" and "repeated paragraph" in c.reason for c in r.changes)
    assert not any(lede in x.text and "导语" not in x.text for x in r.removed)


def test_seed_003_editor_credit_cut_from_paragraph_end():
    r = clean_source(_seed("003"), lang="en")
    last = r.paragraphs[-1]
    assert last.endswith("in the center of the city.")
    assert "Editor" not in r.text and "Sharing more people see" not in r.text and "All Rights Reserved" not in r.text
    assert r.metadata["editor"] == "Yuan Yizhen, Gao Hongxia"
    assert any(c.stage == "boilerplate" and "Sharing more people see" in c.before for c in r.changes)


def test_seed_004_and_000_credits_and_comment_form():
    r = clean_source(_seed("004"), lang="en")
    assert r.metadata == {"author": "Zhang Yinqin", "editor": "Liu Yang, CANDY", "title": "Built a good technology talent workstation"}
    assert "responsibly" not in r.text
    r = clean_source(_seed("000"), lang="en")
    assert "Leave a Reply" not in r.text and "email address" not in r.text
    assert r.paragraphs[-1].endswith("a large number of a recommendation")


def test_clean_english_seed_untouched_by_stripper():
    r = clean_source(_seed("002"), lang="en")
    assert r.removed == []
    assert len(r.paragraphs) == 6


def test_line_reason_context_free():
    assert line_reason("Leave a Reply") == "comment form"
    assert line_reason("All Rights Reserved Theme by 404 THEME.") is not None
    assert line_reason("(责任编辑:韩梦晨)", "zh") == "editor credit"
    assert line_reason("首页>园区 > 园区热点 > > 正文", "zh") == "breadcrumb"
    assert line_reason("来源:中国高新技术产业导报 作者:叶伟 评论:0", "zh") == "metadata line"
    # content, including short headings and garbled sentences, is not judged chrome alone
    for content in ("海创周助力大连高新区招才引智", "In the double", "Cutting innovation is to grasp development.",
                    "Original title: Strive to build a city: Neijiang created provincial-level innovative urban",
                    "2018-07-09 14:35:39"):
        assert line_reason(content) is None, content


def test_short_closing_sentence_kept_without_chrome_around():
    text = "A title\n\nA first paragraph that says something long enough to be body text.\n\nMore to come"
    assert clean_source(text, lang="en").removed == []


def test_corpus_recurrence_removes_site_lines():
    docs = [f"Story {n} title\n\nBody of story {n}, with its own words and figures {n * 7}.\n\nDalian Daily Online\n\nPhoto gallery"
            for n in range(4)]
    corpus = CorpusLines(docs)
    r = clean_source(docs[0], lang="en", corpus=corpus)
    assert r.paragraphs == ["Story 0 title", "Body of story 0, with its own words and figures 0."]
    assert all("recurs in 4 of 4" in x.reason for x in r.removed)
    # without the corpus (and without the line model) the same lines are kept: no evidence against them
    assert "Dalian Daily Online" in [t for _, t in strip_boilerplate(docs[0].split("\n"), "en", model=None).kept]


def test_corpus_does_not_strip_a_duplicated_document():
    doc = "Same title\n\nSame first paragraph of the story.\n\nSame second paragraph of the story."
    corpus = CorpusLines([doc, doc, doc, "other"])
    assert clean_source(doc, lang="en", corpus=corpus).removed == []


@pytest.mark.parametrize("lines", [[], [""], ["   ", ""], ["only one line"]])
def test_degenerate_documents(lines):
    out = strip_boilerplate(lines)
    assert [t for _, t in out.kept] == [ln.strip() for ln in lines if ln.strip()]


def test_line_reason_quiet_on_news_sentences():
    """No line of real news text (WMT17 excerpt: reference and MT output) is judged chrome."""
    for name in ("newstest2017.ref.1055-1154.eng", "newstest2017.alt.1055-1154.eng"):
        lines = (WRITTEN / name).read_text(encoding="utf-8").splitlines()
        assert [ln for ln in lines if line_reason(ln, "en")] == []
    assert line_reason("凯文·卓鲍报道；乔纳森·奥迪斯编辑", "zh") is None  # '·' inside transliterated names
    assert line_reason("By Monday, all firms must comply.") is None
    assert line_reason("Published by the State Council, the plan sets targets.") is None


def test_keyword_gates_never_hide_a_cue():
    """The cheap keyword test before each cue must not change any verdict."""
    from cleanup.boilerplate import _CUE_TABLE

    lines = [json.loads(x)["text"] for f in (SEEDS / "labels" / "boilerplate.jsonl",
                                              *(WRITTEN / name for name, _, _ in WRITTEN_BATCHES))
             for x in f.read_text(encoding="utf-8").splitlines()]
    lines += ["Copyright (C) 2021 Site", "Powered  by WordPress", "Notify  me of new posts", "Share  this:",
              "京ICP备05005831号", "本站  转载", "Was this page  helpful?", "【字号：大】", "浏览次数：12"]
    # lines two cues (or one cue at two lengths) could judge: the first in the table must win
    lines += ["Copyright Notice", "Copyright notice: Powered by WordPress", "Share: Follow us on Twitter",
              "Tags: Leave a Reply", "(Editor: Li) Views: 12", "Home > News © 2021", "Posted on May 3 by admin | 2 Comments",
              "记者：张三 版权所有", "Photo: site by Example", "来源：本站 转载请注明", "Tel: 123 Email: a@b.cn",
              "Read more: " + "x" * 150, "Categories: " + "y" * 150 + " All rights reserved", "Leave a Reply " + "z" * 110]
    for line in lines:
        n = len(line.strip())
        ungated = next((r for p, r, longest, _ in _CUE_TABLE if (longest is None or n <= longest) and p.search(line.strip())), None)
        if ungated:
            assert line_reason(line) == ungated, line


@pytest.mark.parametrize("line", [
    "来源:中国高新技术产业导报 作者:叶伟 评论:0", "Posted  by: admin | Last Updated: 2021", "release date : 2020 nearby: x",
    "Source:Xinhua by:Li time：10:30", "信息来源：本站  发布时间：2021-03-04", "::: by :: date:", "no fields: here", "ſource: x",
])
def test_metadata_fields_counted_backwards_from_each_colon_as_a_search_finds_them(line):
    from cleanup.boilerplate import _META_FIELD, _metadata_fields

    assert _metadata_fields(line) == len(_META_FIELD.findall(line))


def test_first_character_plans_never_hide_a_cue():
    """The keyword-less cues left out for a line's first character could not have matched it."""
    from cleanup.boilerplate import _CUE_PLANS

    lines = [json.loads(x)["text"].strip() for f in (SEEDS / "labels" / "boilerplate.jsonl",
                                                      *(WRITTEN / name for name, _, _ in WRITTEN_BATCHES))
             for x in f.read_text(encoding="utf-8").splitlines()]
    lines += ["Edited by Zachary Dye", "EDITOR: Li", "editors: li", "Tags: x", "第3页/共28页", "12 Comments", "117",
              "2021-04-22 07:49 0 by", "Page 2 of 10", "Photo: AP", "Facebook Twitter Email", "Qq 微信 微博", "IMG_01.jpg",
              "一审：张三", "責任編輯：陳", "本报记者 张三", "记者丨李四", "Zhang Yinqin (responsibly: Liu Yang)", "Skip to content"]
    lines = [t for t in lines + [t.swapcase() for t in lines] if t]
    for plan in {id(p): p for p in _CUE_PLANS}.values():
        if plan.anchored is None:
            continue
        for line in lines:
            narrow = plan.anchored_for(line[0])
            want, got = plan.anchored.match(line), narrow and narrow.match(line)
            assert (want and want.lastgroup) == (got and got.lastgroup), line


@pytest.mark.parametrize("line", [
    "記者丨姚瑤 王子杭", "策劃丨史偉 王鵬飛", "制片:樊華、楊金志", "供稿:毕凯军", "關鍵詞: birthplace",
    "Edited by Zachary Dye", "Technical Support: Wuxi WangDao", "黔ICP备05001922号",
    "117", "8.03K", "7万", "第3页 / 共28页", "1 2 3 4", "【1】【2】【3】",
])
def test_credit_metadata_counter_and_pager_lines_are_chrome(line):
    assert line_reason(line, "zh") is not None


@pytest.mark.parametrize("line", [
    "2020", "100%", "1992年7月正式開園", "徐晶玮 摄", "Since 2014,", "董一兵主持", "5.1 响应程序",
    "The company said it was edited by two people who worked on it for a year.",
])
def test_dates_figures_captions_and_sentences_are_not_chrome_alone(line):
    assert line_reason(line, "zh") is None


def test_a_list_in_the_article_above_one_footer_line_is_kept():
    body = "这是一篇关于创业型社区的新闻报道,介绍了各区街镇创建评估的结果和后续工作安排。"
    rows = [f"第{k}区 |" if k % 2 else f"第{k}街道 |" for k in range(1, 21)]
    lines = ["第二批特色创业型社区名单揭晓", body, body.replace("新闻", "消息"), "名单如下", *rows, "扫一扫在手机打开当前页"]
    res = strip_boilerplate(lines, "zh")
    removed = {r.line for r in res.removed}
    assert len(lines) - 1 in removed  # the footer prompt goes
    kept_rows = [i for i in range(4, 24) if i not in removed]
    assert len(kept_rows) >= 16, [lines[i] for i in range(4, 24) if i in removed]


def test_table_rows_are_not_judged_by_the_line_model():
    from cleanup.linemodel import TABLE_ROWS, judged

    texts = ["标题", "正文第一段,内容很长很长。"] + [f"单元{k} |" for k in range(TABLE_ROWS)] + ["正文第二段。", "菜单 |"]
    todo = judged(texts, [None] * len(texts), [False, True] + [False] * TABLE_ROWS + [True, False])
    assert not any(todo[2:2 + TABLE_ROWS])
    assert todo[0] and todo[-1]  # a lone line ending with a separator is judged as before


def test_the_page_guard_withdraws_the_model_from_pages_it_would_mostly_remove():
    import numpy as np

    from cleanup.linemodel import page_guard

    cue = np.array([True, False, False, False, False, False])
    todo = np.array([False, True, True, True, True, False])
    assert page_guard(np.array([1.0, 0.9, 0.1, 0.2, 0.1, 0.0]), todo, cue)  # one of five open lines
    assert not page_guard(np.array([1.0, 0.9, 0.8, 0.9, 0.7, 0.0]), todo, cue)  # four of five: a page unlike the training


def test_a_headline_under_an_unknown_site_name_is_never_joined_to_the_first_paragraph():
    body = ("从中国装备制造业在全球价值链地位来看,仍以出口相对低价的零部件、进口相对高价的零部件为主,"
            "制造业转型升级的任务非常紧迫,但对于如何进行升级,国内学术界")
    text = "\n".join(["更全的杂志信息网", "价值链曲线真的是“微笑曲线”吗?——基于7个制造业细分行业的实证研究",
                      "更新时间:2009-03-28", body, "仍有不同看法,本文希望回答这个问题。"])
    paragraphs = clean_source(text, lang="zh").paragraphs
    assert "价值链曲线真的是“微笑曲线”吗?——基于7个制造业细分行业的实证研究" in paragraphs
    assert any(p.startswith("从中国装备制造业") and p.endswith("本文希望回答这个问题。") for p in paragraphs)  # a broken line still joins
