"""The line model's fast feature and scoring paths against a plain line-by-line reference.

``cleanup.linemodel`` computes the features of the judged lines only, with
shortcuts (byte counts for letters and digits, a regex run only where the
characters it needs are present, one UTF-8 encoding per run of Chinese
characters), and scores only the lines whose verdict is wanted.  The shipped
weights were trained on the plain definitions, so both must give the same
numbers, bit for bit: checked here on pages of varied shape.
"""
from __future__ import annotations

import math
import re
import zlib

import numpy as np
import pytest

from cleanup import boilerplate as bp
from cleanup import linemodel as lm
from cleanup.script import han_count

# ----------------------------------------------------------------------------- the plain reference

_WORD = re.compile(r"[A-Za-z]+|\d+")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def reference_hashes(text: str) -> list[int]:
    out = [zlib.crc32(w.lower().encode()) % lm.N_HASH for w in _WORD.findall(text) if not w.isdigit()]
    for run in _HAN_RUN.findall(text):
        if len(run) == 1:
            out.append(zlib.crc32(run.encode()) % lm.N_HASH)
        for k in range(len(run) - 1):
            out.append(zlib.crc32(run[k:k + 2].encode()) % lm.N_HASH)
    return out


def reference_features(texts, cue, is_body, lang, widget):
    """Every feature straight from its definition, every regex run on every judged line."""
    n = len(texts)
    rows = np.zeros((n, lm.N_DENSE))
    buckets = [[] for _ in range(n)]
    body = [k for k in range(n) if is_body[k]]
    down, up = [], []  # lines to the nearest body line below / above, counted on from n past the last / first
    d = n
    for k in range(n):
        d = 0 if is_body[k] else d + 1
        down.append(d)
    d = n
    for k in range(n - 1, -1, -1):
        d = 0 if is_body[k] else d + 1
        up.append(d)
    up.reverse()
    for k, s in enumerate(texts):
        if cue[k] is not None or is_body[k] or len(s) > lm.MAX_CHARS:
            continue
        han = han_count(s)
        units = len(_WORD.findall(s)) + han / 2
        nonspace = max(1, len(s) - s.count(" "))
        last = s.rstrip()[-1:]
        has_date = lm._DATE.search(s) is not None
        dist = min(down[k], up[k])
        lo, hi = max(0, k - 3), min(n, k + 4)
        f = {
            "bias": 1, "cue": cue[k] is not None, "cue_nav": cue[k] in lm._NAV, "log_units": math.log1p(units),
            "units_le3": units <= 3, "units_le8": units <= 8, "units_le20": units <= 20,
            "ends_sentence": last in ".!?。！？", "sentence_inside": lm._SENT_INSIDE.search(s) is not None,
            "commas": min(3, len(lm._COMMA.findall(s))) / 3, "han_frac": han / nonspace,
            "latin_frac": len(_LATIN.findall(s)) / nonspace, "digit_frac": len(_DIGIT.findall(s)) / nonspace,
            "date": has_date, "time": lm._TIME.search(s) is not None, "date_short": has_date and units <= 8,
            "label_colon": lm._LABEL_COLON.match(s) is not None, "ends_colon": last in ":：",
            "separators": min(4, len(lm._SEPS.findall(s))) / 4, "bullet": lm._BULLET.match(s) is not None,
            "url": lm._URL.search(s) is not None, "widget": widget[k], "numeric_only": lm._NUMERIC.match(s) is not None,
            "brackets": lm._BRACKETS.match(s) is not None,
            "title_case": len(s) <= 80 and lm._TITLE_CASE.match(s) is not None,
            "dup_in_doc": texts.count(s) > 1, "rel_pos": k / max(1, n - 1),
            "before_body": k < (body[0] if body else n), "after_body": k > (body[-1] if body else -1),
            "log_dist_body": math.log1p(dist), "prev_cue": k > 0 and cue[k - 1] is not None,
            "next_cue": k + 1 < n and cue[k + 1] is not None, "prev_long": k > 0 and len(texts[k - 1]) > 60,
            "next_long": k + 1 < n and len(texts[k + 1]) > 60, "first": k == 0, "last": k == n - 1,
            "zh": lang == "zh", "body_window": sum(is_body[lo:hi]) / (hi - lo), "lowercase_start": s[:1].islower(),
        }
        assert list(f) == lm.FEATURES
        rows[k] = [float(v) for v in f.values()]
        buckets[k] = reference_hashes(s) if len(s) <= lm.MAX_HASH_CHARS else []
    return rows, buckets


# ----------------------------------------------------------------------------- pages of varied shape

PAGES = [
    ("en", ["Home | News | World | Sport", "Dalian builds a new science park", "By Chen Chunyou", "May 12, 2021 10:35",
            "The city government said on Monday that the park would open next year, with 40 labs and 3,000 jobs.",
            "Officials said the first companies had signed, and that more would follow in the coming months.",
            "Share this:", "Related", "ＡＢＣ ２０２１ full-width", "Visit www.example.com or mail a@b.cn",
            "Dalian builds a new science park", "Tags: science, Dalian", "1 2 3 4 >>", "© 2021 Example Daily"]),
    ("zh", ["首页 > 新闻 > 正文", "大连高新区召开会议推进创新创业工作", "来源:大连日报 作者:叶伟 2021年5月12日 10:35",
            "近日,大连高新区召开会议,部署推进创新创业工作,区委书记出席会议并讲话,会议强调要加快建设。",
            "会议指出,要坚持创新驱动发展战略,推动科技成果转化,培育一批高新技术企业,打造创新高地。",
            "为您推荐", "【打印】 【关闭】", "相关新闻", "大连 创新 创业 科技 园区", "１２３", "·", "版权所有 ©2021 大连日报",
            "电话:0411-12345678 传真:0411-87654321", "上一篇:关于开展工作的通知"]),
    ("en", ["Just a title", "another short line", "x" * 150, "y " * 120, "- bullet item", "(1) numbered item"]),
    ("zh", ["没有正文的页面", "只有短行", "一行又一行", "没有正文的页面"]),
    ("en", ["A single body paragraph, long enough and punctuated, that is the whole of this small page here."]),
    ("en", ["Only", "short", "lines", "here", "and", "nothing", "else", "at", "all", "Only"]),
]


def _page(lang, lines):
    idx, texts, reason = bp.cue_reasons(lines, lang)
    seq, cue, is_body, todo = bp._model_lines(idx, texts, reason, bp._Body(bp._Units()))
    widget = [bp._is_widget(t) for t in seq]
    return seq, cue, is_body, todo, widget


@pytest.mark.parametrize("lang,lines", PAGES)
def test_features_equal_the_plain_definitions(lang, lines):
    seq, cue, is_body, todo, widget = _page(lang, lines)
    rows, buckets = lm.features(seq, cue, is_body, lang, widget)
    ref_rows, ref_buckets = reference_features(seq, cue, is_body, lang, widget)
    assert rows.tobytes() == ref_rows.tobytes()  # bit for bit
    assert buckets == ref_buckets


def test_pages_have_judged_lines():
    assert sum(any(_page(lang, lines)[3]) for lang, lines in PAGES) == len(PAGES) - 1  # one page of body only


def test_hashes_of_english_words_and_chinese_pairs():
    for text in ["Hello World 2021", "大连高新区 High-tech 区", "单", "a 大 b 连续的 c", "ＡＢＣ１２", ""]:
        assert lm._hashes(text) == reference_hashes(text)


@pytest.mark.parametrize("lang,lines", PAGES)
def test_judge_scores_equal_the_whole_page_scores(lang, lines):
    model = lm.load_model()
    seq, cue, is_body, todo, widget = _page(lang, lines)
    rows, buckets = lm.features(seq, cue, is_body, lang, widget)
    cue_b = [c is not None for c in cue]
    full = model.scores(rows, buckets, np.array(cue_b), np.array(todo))
    sel, jrows, jbuckets = lm.judged_features(seq, cue, is_body, lang, widget, todo)
    assert sel == [k for k, t in enumerate(todo) if t]
    for want in (sel, sel[::2], sel[-1:]):
        assert model.judge(cue_b, sel, jrows, jbuckets, want) == full[want].tolist()
