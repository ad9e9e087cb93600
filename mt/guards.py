"""Checks on one translated segment: loops, length outliers, dropped numbers, leftover or missing Chinese.

Each check is a small function returning True when the output looks bad;
:func:`check` runs them all and returns the names of the failed ones (empty
list: the output passed).

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

from mt.segment import CJK

#: (source language, target language) -> allowed range of output/source characters.
LENGTH_RATIO = {("zh", "en"): (0.6, 9.0), ("en", "zh"): (0.08, 1.5), ("en", "en"): (0.4, 2.5), ("zh", "zh"): (0.4, 2.5)}
#: Sources shorter than this many characters are not length-checked (headings, fragments).
MIN_CHARS_FOR_RATIO = {"zh": 6, "en": 20}

_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MONTHS = {m: str(i) for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS.update({"hundred": "1", "thousand": "1", "million": "1", "billion": "1", "half": "5"})
_ZH_DIGITS = dict(zip("零〇一二两三四五六七八九十", "0012234567891"))


def _lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


def _units(text: str, lang: str) -> list[str]:
    """Words and punctuation for English; characters (and Latin words) for Chinese."""
    if _lang(lang) == "zh":
        return [t for tok in _WORD.findall(text) for t in (list(tok) if CJK.search(tok) else [tok])]
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
    return _lang(tgt_lang) == "zh" and len(re.findall(r"[A-Za-z]{3,}", src)) >= 2 and not CJK.search(out)


def _significant(num: str) -> str:
    """Digits of a number without separators, decimal point, leading or trailing zeros: 21.68 -> 2168, 20000 -> 2."""
    digits = num.replace(",", "").replace(".", "").strip("0")
    return digits or "0"


def numbers(text: str) -> set[str]:
    """The significant digits of every figure in ``text`` (months and small number words included).

    >>> sorted(numbers("1,089 firms, up 21.68% in November, three more"))
    ['1089', '11', '2168', '3']
    """
    found = {_significant(m.group()) for m in _NUMBER.finditer(text)}
    for word in re.findall(r"[A-Za-z]+", text):
        w = word.lower()
        if w in _MONTHS:
            found.add(_MONTHS[w])
        elif w in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[w])
    for ch in text:
        if ch in _ZH_DIGITS:
            found.add(_ZH_DIGITS[ch].strip("0") or "0")
    return found


def dropped_numbers(src: str, out: str) -> list[str]:
    """Figures (Arabic digits) of ``src`` whose significant digits are missing from ``out``.

    Magnitude words do not matter: 2万 matches "20,000" and "20 thousand"; 1.5亿 matches "150 million".
    """
    have = numbers(out)
    missing = []
    for m in _NUMBER.finditer(src):
        sig = _significant(m.group())
        if sig not in have:
            missing.append(m.group())
    return missing


def leftover_chinese(out: str, tgt_lang: str) -> bool:
    """True when an English output still contains Chinese characters."""
    return _lang(tgt_lang) == "en" and bool(CJK.search(out))


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
