"""Checks on one translated segment: loops, length outliers, dropped numbers, leftover or missing Chinese.

Each check is a small function returning True when the output looks bad;
:func:`check` runs them all and returns the names of the failed ones (empty
list: the output passed).

They are not eval's reference-free checks (:mod:`eval.checks`), on purpose:
these judge one segment in any direction (zh→en, en→zh, en→en) and decide a
retry, so they compare digits only and leniently (a figure's significant
digits anywhere in the output); eval's checks compare figures with their
magnitudes, months and Chinese numerals, in English output only, to score a
document.  Both read figures with the one reader of :mod:`eval.figures` (this
module its digits view, :func:`eval.figures.significant_digits`; pairing reads
them there too).  On newstest2017 against the published opus-mt output the two
flag 32 and 42 of 2,001 lines, 26 of them the same.  The Han character class is
shared (:data:`cleanup.script.HAN`).

Examples::

    >>> check("我们走吧。", "Come on, come on, come on, come on.", "zh", "en")
    ['loop']
    >>> check("增长21.68%。", "An increase of 21.68%.", "zh", "en")
    []
    >>> check("新设立企业1089家。", "New enterprises were set up.", "zh", "en")
    ['dropped_number']
"""
from __future__ import annotations

import re
import unicodedata

from cleanup.script import HAN
from eval.figures import dropped_digits as dropped_numbers
from eval.figures import significant_digits as numbers

#: (source language, target language) -> allowed range of output/source characters.
LENGTH_RATIO = {("zh", "en"): (0.6, 9.0), ("en", "zh"): (0.08, 1.5), ("en", "en"): (0.4, 2.5), ("zh", "zh"): (0.4, 2.5)}
#: Sources shorter than this many characters are not length-checked (headings, fragments).
MIN_CHARS_FOR_RATIO = {"zh": 6, "en": 20}

_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def _lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


def _units(text: str, lang: str) -> list[str]:
    """Words and punctuation for English; characters (and Latin words) for Chinese."""
    if _lang(lang) == "zh":
        return [t for tok in _WORD.findall(text) for t in (list(tok) if HAN.search(tok) else [tok])]
    return [t.lower() for t in _WORD.findall(text)]


def is_loop(text: str, lang: str = "en", max_repeats: int = 3) -> bool:
    """True when a unit of 1-4 words (or characters) repeats back to back ``max_repeats`` times or more,
    when a short letter sequence repeats inside a word, or when one word dominates a long output.

    >>> is_loop("the city grows and the people work")
    False
    >>> is_loop("development development development of the zone")
    True
    """
    units = [u for u in _units(text, lang) if u not in {",", "、", "，"}]
    n = len(units)
    for size in range(1, 5):
        for start in range(0, n - size * max_repeats + 1):
            unit = units[start:start + size]
            if not any(c.isalnum() for u in unit for c in u):
                continue  # "......" is punctuation, not a loop
            if all(units[start + k * size:start + (k + 1) * size] == unit for k in range(1, max_repeats)):
                return True
    if re.search(r"([^\W\d_]{1,6}?)\1{3,}", text):  # "ununununun", "哈哈哈哈"
        return True
    words = [u for u in units if any(c.isalnum() for c in u)]
    if len(words) >= 12:
        top = max(words.count(w) for w in set(words))
        common = {"the", "of", "and", "to", "a", "in", "的"}
        if top / len(words) > 0.35 and max(set(words), key=words.count) not in common:
            return True
    return False


def length_outlier(src: str, out: str, src_lang: str, tgt_lang: str) -> bool:
    """True when the output is far longer or shorter than the source for the language pair.

    A short source (heading, fragment) is only checked for an output that runs on
    (hallucination), as if it had the minimum length.
    """
    s, t = _lang(src_lang), _lang(tgt_lang)
    lo, hi = LENGTH_RATIO[(s, t)]
    n_src, n_out = len(src.strip()), len(out.strip())
    if n_src < MIN_CHARS_FOR_RATIO[s]:
        return n_out > hi * MIN_CHARS_FOR_RATIO[s]
    return not lo <= n_out / max(1, n_src) <= hi


def untranslated(src: str, out: str, tgt_lang: str) -> bool:
    """True when a Chinese output has no Chinese at all although the source has words."""
    return _lang(tgt_lang) == "zh" and len(re.findall(r"[A-Za-z]{3,}", src)) >= 2 and not HAN.search(out)


def leftover_chinese(out: str, tgt_lang: str) -> bool:
    """True when an English output still contains Chinese characters."""
    return _lang(tgt_lang) == "en" and bool(HAN.search(out))


def check(src: str, out: str, src_lang: str, tgt_lang: str) -> list[str]:
    """Names of the guards that ``out`` fails as a translation of ``src`` (empty: it passed)."""
    flags: list[str] = []
    if not out.strip():
        return ["empty"] if src.strip() else []
    if is_loop(out, tgt_lang):
        flags.append("loop")
    if length_outlier(src, out, src_lang, tgt_lang):
        flags.append("length_ratio")
    if dropped_numbers(src, out):
        flags.append("dropped_number")
    if leftover_chinese(out, tgt_lang):
        flags.append("leftover_chinese")
    if untranslated(src, out, tgt_lang):
        flags.append("untranslated")
    return flags
