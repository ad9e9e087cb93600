"""A small learned line classifier: is this line of a scraped page site chrome?

The phrase cues of :mod:`cleanup.boilerplate` are certain but few; pages from
sites they have not seen carry chrome they do not name (forum headers, login
boxes, journal metadata, other-article teasers).  This model judges a line by
evidence that carries over between sites and languages:

- **shape**: length, sentence punctuation, script (Han, Latin, digits), separators,
  a label-colon layout, bullets, a date, a web address;
- **position**: where in the page, before the first or after the last body
  paragraph, how far from the nearest one;
- **neighbours**: whether the lines around are certain chrome, long or short;
- **recurrence**: a line repeated within the page;
- **words**: English words and Chinese character pairs, hashed into buckets
  (``zlib.crc32``), so the weights file holds no text, only numbers.

A logistic regression over these features, trained by
``bench/train_boilerplate.py`` on the ``dev`` split of the real-pages corpus and
the seeds' labels; its weights and decision threshold are
``cleanup/data/boilerplate_model.json``.  Only short lines that are not body
paragraphs (a sentence of twelve words or more) are judged, so the cost stays small.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import groupby
from zlib import crc32
from pathlib import Path

import numpy as np

from cleanup.script import han_count

MODEL_PATH = Path(__file__).resolve().parent / "data" / "boilerplate_model.json"
MAX_CHARS = 200  # longer lines are not judged by the model
MAX_HASH_CHARS = 100  # words of longer lines are not looked up
N_HASH = 2048

_WORD = re.compile(r"[A-Za-z]+|\d+")
_DIGIT = re.compile(r"\d")
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_ASCII_DIGITS = b"0123456789"
_HAN_PAIRS = re.compile(r"[\u4e00-\u9fff]+")
_SENT_END = frozenset(".!?。！？")
_SENT_INSIDE = re.compile(r"[。！？!?]|\.\s+[A-Z\u4e00-\u9fff]")
_COMMA = re.compile(r"[,，、;；]")
_SEPS = re.compile(r"\s[|｜/·•>»]\s|[|｜>»›→＞]|\s{3,}|\t")
_LABEL_COLON = re.compile(r"^\W{0,3}[\w\u4e00-\u9fff ]{1,12}\s*[:：]")
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*日|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.I)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_URL = re.compile(r"https?://|www\.|\.com\b|\.cn\b|@\w+\.\w+", re.I)
_BULLET = re.compile(r"^\s*([•·●○■□◆◇▪▫►▶✓✔\-–—*]|\d{1,2}[.、)]|[（(]\d{1,2}[)）]|[①-⑳])")
_NUMERIC = re.compile(r"^[\W\d万亿千百kKmM.%,]*$")
_BRACKETS = re.compile(r"^\W*[【\[].{0,20}[】\]]\W*$")
# Title Case (two or more words that start with a capital): the regex
# ``^(?:[A-Z][\w'’-]*\W*\s*){2,}$``, which backtracks exponentially on a run of capitals
# that fails at its end ("US EUROPE AFRICA ASIA 中文"), is decided in linear time: the line
# starts with a capital, holds another, and every run of non-word characters with one
# other than ' ’ - in it is followed by a capital or the end.
_CAPITAL = re.compile(r"[A-Z]")
_GAP_THEN_NOT_CAPITAL = re.compile(r"[^\w'’-]\W*[^\WA-Z]")


def _title_case(s: str) -> bool:
    r"""Whether ``s`` is Title Case, as ``re.match(r"^(?:[A-Z][\w'’-]*\W*\s*){2,}$", s)`` decides."""
    return ("A" <= s[:1] <= "Z" and _CAPITAL.search(s, 1) is not None
            and _GAP_THEN_NOT_CAPITAL.search(s) is None)

FEATURES = [
    "bias", "cue", "cue_nav", "log_units", "units_le3", "units_le8", "units_le20", "ends_sentence",
    "sentence_inside", "commas", "han_frac", "latin_frac", "digit_frac", "date", "time", "date_short",
    "label_colon", "ends_colon", "separators", "bullet", "url", "widget", "numeric_only", "brackets",
    "title_case", "dup_in_doc", "rel_pos", "before_body", "after_body", "log_dist_body", "prev_cue",
    "next_cue", "prev_long", "next_long", "first", "last", "zh", "body_window", "lowercase_start",
]
N_DENSE = len(FEATURES)


def _hashes(text: str, words: list[str] | None = None) -> list[int]:
    """Bucket numbers of the line's English words (lower case) and Chinese character pairs.

    ``words``: ``_WORD.findall(text)`` when the caller has it already.
    """
    out = [crc32(w.lower().encode()) % N_HASH for w in (_WORD.findall(text) if words is None else words)
           if not w.isdigit()]
    if not text.isascii():
        for run in _HAN_PAIRS.findall(text):
            if len(run) == 1:
                out.append(crc32(run.encode()) % N_HASH)
            else:  # a pair is 6 bytes of the run's UTF-8 (3 a character): one encoding for all its pairs
                b = run.encode()
                out += [crc32(b[j:j + 6]) % N_HASH for j in range(0, len(b) - 3, 3)]
    return out


def _cell_runs(texts: list[str]) -> np.ndarray:
    """For each line, the length of the run of consecutive lines ending with the same table-cell separator."""
    ends = []
    for t in texts:
        t = t.rstrip()
        ends.append(t[-1] if len(t.lstrip()) > 1 and t[-1] in "|｜│" else None)
    run = np.zeros(len(texts))
    k = 0
    for end, group in groupby(ends):
        m = len(list(group))
        if end is not None:
            run[k:k + m] = m
        k += m
    return run


TABLE_ROWS = 6  # a run of this many lines ending with one cell separator is a table of the article


def judged(texts: list[str], cue: list[str | None], is_body: list[bool]) -> list[bool]:
    """The lines the model judges: no cue removed them, not body paragraphs, not longer than ``MAX_CHARS``, not table rows."""
    cells = _cell_runs(texts) if any("|" in t or "｜" in t or "│" in t for t in texts) else None
    return [c is None and not b and len(t) <= MAX_CHARS and (cells is None or cells[k] < TABLE_ROWS)
            for k, (t, c, b) in enumerate(zip(texts, cue, is_body))]


def _letters_digits(s: str) -> tuple[int, int]:
    """ASCII letters (regex ``[A-Za-z]``) and decimal digits (regex ``\\d``) in ``s``, counted on bytes."""
    if s.isascii():
        b = s.encode()
        return len(b) - len(b.translate(None, _ASCII_LETTERS)), len(b) - len(b.translate(None, _ASCII_DIGITS))
    b = s.encode("utf-8", "surrogatepass")  # a non-ASCII character is bytes >= 0x80: no letter among them
    return len(b) - len(b.translate(None, _ASCII_LETTERS)), len(_DIGIT.findall(s))


class _Page:
    """What the features of a line need from the whole page, computed once a page."""

    def __init__(self, texts: list[str], cue: list[str | None], is_body: list[bool], lang: str, widget: list[bool]):
        self.texts, self.cue, self.is_body, self.widget = texts, cue, is_body, widget
        self.n = n = len(texts)
        self.body_idx = [k for k in range(n) if is_body[k]]
        self.first_body = self.body_idx[0] if self.body_idx else n
        self.last_body = self.body_idx[-1] if self.body_idx else -1
        self.zh = 1.0 if lang == "zh" else 0.0
        self._counts: Counter[str] | None = None  # how often each line occurs, counted at the first row

    def repeated(self, s: str) -> bool:
        """Whether the line ``s`` occurs more than once on the page (one count of the page, made when
        first asked: counting per judged line would make a long page quadratic)."""
        if self._counts is None:
            self._counts = Counter(self.texts)
        return self._counts[s] > 1

    def dist(self, k: int) -> int:
        """Lines to the nearest body line, either way (``n + 1 + k`` and ``2n - k`` past the first and last)."""
        n, body = self.n, self.body_idx
        j = bisect_left(body, k)
        up = k - body[j - 1] if j > 0 else n + 1 + k
        down = body[j] - k if j < len(body) else 2 * n - k
        return min(up, down)

    def row(self, k: int) -> tuple[list, list[int]]:
        """The dense features (in ``FEATURES`` order) and hashed word buckets of line ``k``."""
        s, n, cue = self.texts[k], self.n, self.cue
        nch = len(s)
        han = han_count(s)
        words = _WORD.findall(s)
        units = len(words) + han / 2
        latin, digits = _letters_digits(s)
        nonspace = max(1, nch - s.count(" "))
        last = s.rstrip()[-1:]
        c = cue[k]
        colon = ":" in s or "：" in s
        has_date = digits > 0 and _DATE.search(s) is not None  # every date pattern holds a digit
        lo, hi = max(0, k - 3), min(n, k + 4)
        row = [
            1.0,
            c is not None,
            c in _NAV,
            math.log1p(units),
            units <= 3,
            units <= 8,
            units <= 20,
            last in _SENT_END,
            _SENT_INSIDE.search(s) is not None,
            min(3, len(_COMMA.findall(s))) / 3,
            han / nonspace,
            latin / nonspace,
            digits / nonspace,
            has_date,
            digits > 0 and ":" in s and _TIME.search(s) is not None,
            has_date and units <= 8,
            colon and _LABEL_COLON.match(s) is not None,
            last in ":：",
            min(4, len(_SEPS.findall(s))) / 4,
            _BULLET.match(s) is not None,
            ("." in s or ":" in s or "@" in s) and _URL.search(s) is not None,  # each address pattern holds one
            self.widget[k],
            _NUMERIC.match(s) is not None,
            _BRACKETS.match(s) is not None,
            nch <= 80 and _title_case(s),
            self.repeated(s),
            k / max(1, n - 1),
            k < self.first_body,
            k > self.last_body,
            math.log1p(self.dist(k)),
            k > 0 and cue[k - 1] is not None,
            k + 1 < n and cue[k + 1] is not None,
            k > 0 and len(self.texts[k - 1]) > 60,
            k + 1 < n and len(self.texts[k + 1]) > 60,
            k == 0,
            k == n - 1,
            self.zh,
            sum(self.is_body[lo:hi]) / (hi - lo),
            s[:1].islower(),
        ]
        return row, (_hashes(s, words) if nch <= MAX_HASH_CHARS else [])


def features(texts: list[str], cue: list[str | None], is_body: list[bool], lang: str,
             widget: list[bool]) -> tuple[np.ndarray, list[list[int]]]:
    """Dense features and hashed word buckets of the page's non-blank lines (rows of the judged lines only).

    ``texts`` are the stripped non-blank lines in order; ``cue`` the context-free
    verdicts (:func:`cleanup.boilerplate.line_reason`); ``is_body`` marks long
    punctuated lines no cue removed; ``widget`` lines that name a widget.  Rows of
    lines the model does not judge (see :func:`judged`) stay zero.
    """
    n = len(texts)
    rows = np.zeros((n, N_DENSE), dtype=np.float64)
    buckets: list[list[int]] = [[] for _ in range(n)]
    sel, judged_rows, judged_buckets = judged_features(texts, cue, is_body, lang, widget)
    if sel:
        rows[sel] = judged_rows
        for k, b in zip(sel, judged_buckets):
            buckets[k] = b
    return rows, buckets


def judged_features(texts: list[str], cue: list[str | None], is_body: list[bool], lang: str,
                    widget: list[bool], todo: list[bool] | None = None) -> tuple[list[int], np.ndarray, list[list[int]]]:
    """The judged lines (``todo``, default :func:`judged`), their dense rows and buckets: what :func:`features` fills in.

    ``widget`` is read at the judged lines only.
    """
    if todo is None:
        todo = judged(texts, cue, is_body)
    sel = [k for k, t in enumerate(todo) if t]
    if not sel:
        return sel, np.zeros((0, N_DENSE)), []
    page = _Page(texts, cue, is_body, lang, widget)
    rows, buckets = [], []
    for k in sel:
        r, b = page.row(k)
        rows.append(r)
        buckets.append(b)
    return sel, np.array(rows, dtype=np.float64), buckets


_NAV = frozenset({"breadcrumb", "navigation menu", "language switcher", "navigation link", "widget heading", "page tool link"})


CONTEXT = ["bias", "logit", "prev", "next", "prev2", "next2", "max_near", "mean_window", "share_window"]


def context_features(p: np.ndarray) -> np.ndarray:
    """Second-stage features of each line: its own first-stage score and its neighbours' (chrome comes in blocks).

    ``p`` holds the first-stage probabilities, 1.0 for lines a cue removed.
    """
    n = len(p)
    pad = np.concatenate([np.zeros(3), p, np.zeros(3)])
    c = np.empty((n, len(CONTEXT)))
    c[:, 0] = 1.0
    q = np.clip(p, 1e-4, 1 - 1e-4)
    c[:, 1] = np.log(q / (1 - q))
    c[:, 2] = pad[2:n + 2]
    c[:, 3] = pad[4:n + 4]
    c[:, 4] = pad[1:n + 1]
    c[:, 5] = pad[5:n + 5]
    c[:, 6] = np.maximum(c[:, 2], c[:, 3])
    window = sum(pad[3 + d:n + 3 + d] for d in (-3, -2, -1, 1, 2, 3))
    c[:, 7] = window / 6
    c[:, 8] = sum((pad[3 + d:n + 3 + d] >= 0.5).astype(float) for d in (-3, -2, -1, 1, 2, 3)) / 6
    return c


_sum = np.add.reduce  # ndarray.sum of a vector, without the method's wrapper


class LineModel:
    """Weights of the two-stage logistic regression and its decision threshold."""

    def __init__(self, dense: np.ndarray, hashed: np.ndarray, threshold: float, info: dict | None = None,
                 context: np.ndarray | None = None):
        self.dense = dense
        self.hashed = hashed
        self.threshold = threshold
        self.info = info or {}
        self.context = context

    def first_stage(self, rows: np.ndarray, buckets: list[list[int]]) -> np.ndarray:
        """Probability that each line is chrome, judged line by line."""
        z = rows @ self.dense
        h = self.hashed
        for k, b in enumerate(buckets):
            if b:
                z[k] += _sum(h[b]) / math.sqrt(len(b))
        return 1.0 / (1.0 + np.exp(-z))

    def first_scores(self, rows: np.ndarray, buckets: list[list[int]], cue: np.ndarray, todo: np.ndarray) -> np.ndarray:
        """First-stage scores of a page: judged lines scored, 1.0 for lines a cue removed, 0.0 for the rest (body)."""
        p = np.where(cue, 1.0, 0.0)
        if todo.any():
            sel = np.flatnonzero(todo)
            p[sel] = self.first_stage(rows[sel], [buckets[k] for k in sel])
        return p

    def judge(self, cue: list[bool], sel: list[int], rows: np.ndarray, buckets: list[list[int]],
              want: list[int]) -> list[float]:
        """:meth:`scores` of the lines ``want`` (a part of ``sel``), from the judged lines' rows only.

        ``cue``: per line of the page, whether a cue removed it; ``sel``, ``rows``, ``buckets``: the
        judged lines and their features (:func:`judged_features`).  The figures equal those of
        :meth:`scores` bit for bit: the same matrix products (first stage over the judged rows,
        second stage over a row per line of the page, those not wanted left zero), the same
        element-wise arithmetic in the same order.  It repeats :func:`context_features` line by
        line for the wanted lines only: half the cost of the whole-page arrays on a typical page.
        """
        n = len(cue)
        p = np.array(cue, dtype=np.float64)  # 1.0 for lines a cue removed, 0.0 for the rest
        if sel:
            p[sel] = self.first_stage(rows, buckets)
        if self.context is None:
            return p[want].tolist()
        q = np.minimum(np.maximum(p, 1e-4), 1 - 1e-4)  # np.clip, without its slow wrapper
        logit = np.log(q / (1 - q)).tolist()
        pad = [0.0, 0.0, 0.0] + p.tolist() + [0.0, 0.0, 0.0]
        c = np.zeros((n, len(CONTEXT)))
        wanted = []
        for k in want:  # as context_features, line by line
            a, b, d, _, e, f, g = pad[k:k + 7]
            wanted.append((1.0, logit[k], d, e, b, f, max(d, e), (0 + a + b + d + e + f + g) / 6,
                           ((a >= 0.5) + (b >= 0.5) + (d >= 0.5) + (e >= 0.5) + (f >= 0.5) + (g >= 0.5)) / 6))
        if wanted:
            c[want] = wanted
        return (1.0 / (1.0 + np.exp(-(c @ self.context))))[want].tolist()

    def scores(self, rows: np.ndarray, buckets: list[list[int]], cue: np.ndarray, todo: np.ndarray) -> np.ndarray:
        """Probability that each line is chrome, neighbours considered (``cue``: lines a cue removed; ``todo``: judged)."""
        p = self.first_scores(rows, buckets, cue, todo)
        if self.context is None:
            return p
        return 1.0 / (1.0 + np.exp(-(context_features(p) @ self.context)))

    def to_json(self) -> str:
        return json.dumps({
            "features": FEATURES, "context_features": CONTEXT, "n_hash": N_HASH, "threshold": self.threshold,
            "dense": [round(float(x), 5) for x in self.dense],
            "context": None if self.context is None else [round(float(x), 5) for x in self.context],
            "hashed": [round(float(x), 5) for x in self.hashed], "info": self.info,
        }, indent=0)

    @classmethod
    def from_json(cls, text: str) -> "LineModel":
        o = json.loads(text)
        if o["features"] != FEATURES or o["n_hash"] != N_HASH or o.get("context_features", CONTEXT) != CONTEXT:
            raise ValueError("the line model was trained on other features; retrain it (bench/train_boilerplate.py)")
        ctx = o.get("context")
        return cls(np.array(o["dense"], dtype=np.float64), np.array(o["hashed"], dtype=np.float64),
                   float(o["threshold"]), o.get("info"), None if ctx is None else np.array(ctx, dtype=np.float64))


PAGE_SHARE = 0.6  # a page where the model finds most open lines chrome is one it has not learned: it removes none there
PAGE_LEVEL = 0.5  # ... counting the lines it scores at least this


def page_guard(p: np.ndarray, todo: np.ndarray, cue: np.ndarray) -> bool:
    """Whether the model may judge this page at all.

    Chrome is a minority of a page's lines once the cues have spoken; a page
    where the model scores most of the lines left as chrome (a poster of short
    slogans, a plan's table of contents) is unlike what it learned from, and
    removing content is worse than keeping chrome.  ``p``: the model's scores;
    ``todo``: the lines it judges; ``cue``: lines a cue removed.  Independent of
    the decision threshold, so a higher threshold never removes more.
    """
    return page_allows(p[todo].tolist(), int((~cue).sum()))


def page_allows(scores: list[float], open_lines: int) -> bool:
    """:func:`page_guard` from the scores of the judged lines and the number of lines no cue removed.

    >>> page_allows([0.9, 0.1, 0.2], 5), page_allows([0.9, 0.8, 0.9, 0.7], 5)  # 1 and 4 of 5 open lines
    (True, False)
    """
    return not open_lines or sum(s >= PAGE_LEVEL for s in scores) <= PAGE_SHARE * open_lines


@lru_cache(maxsize=1)
def load_model() -> LineModel | None:
    """The shipped model, or None when its file is absent (the cues alone then decide)."""
    if not MODEL_PATH.is_file():
        return None
    return LineModel.from_json(MODEL_PATH.read_text(encoding="utf-8"))
