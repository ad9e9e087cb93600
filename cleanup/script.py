"""Language and script detection, and OpenCC conversion between Chinese scripts.

- ``detect_language(text) -> (lang, script)``: lang in {"zh", "en", "mixed", "unknown"},
  script in {"Hans", "Hant", "Latn", "mixed", None}.
- ``detect_script(text) -> "Hans" | "Hant" | None``: Simplified or Traditional Chinese,
  by an OpenCC round trip: text that converting to Simplified changes, and converting
  to Traditional does not, is Traditional (and the other way round).
- ``to_simplified(text, config="t2s")``: OpenCC conversion; ``config`` is one of
  t2s, tw2s, hk2s (to Simplified) or s2t, s2tw, s2hk (the other way).
"""
from __future__ import annotations

import re
from operator import ne
from functools import lru_cache

from cleanup.errors import UserError

#: One Han ideograph: CJK Unified Ideographs, Extension A and the compatibility block.
#: The one definition of "a Chinese character" used by cleanup, mt and eval.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(HAN.pattern + "+")
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_HAN_LEADS = bytes(range(0xE4, 0xEA))  # UTF-8 lead bytes of U+4000..U+9FFF
_HAN_EXT_A = re.compile(r"[\u3400-\u3fff]")  # with the lead bytes above: U+3400..U+9FFF
#: Japanese kana (Hiragana, Katakana, half-width Katakana) and Korean Hangul: CJK text that is not Chinese
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA_OR_HANGUL = re.compile("[" + KANA.pattern[1:-1] + HANGUL.pattern[1:-1] + "]")
# The UTF-8 of every kana or Hangul character starts so: U+3040-31FF, U+1100-11FF, U+FF40-FFBF, and
# U+A000-DFFF (lead bytes EA-ED, Hangul syllables among them).  Byte patterns that open with a literal
# byte are found at memchr speed, several times faster than the character class over the text.
_KANA_OR_HANGUL_UTF8 = (re.compile(rb"\xe3[\x81-\x87]"), re.compile(rb"\xe1[\x84-\x87]"), re.compile(rb"\xef[\xbd\xbe]"))
_HANGUL_LEADS = (b"\xea", b"\xeb", b"\xec", b"\xed")
_HAN_EXT_A_UTF8 = re.compile(rb"\xe3[\x90-\xbf]")  # UTF-8 of U+3400..U+3FFF (E3 is never a continuation byte)
#: share of kana among the Han and kana of a text from which it is Japanese (running Japanese has 40-70 %;
#: a Chinese text with a quoted Japanese brand name has a few)
_KANA_SHARE = 0.1


def han_count(text: str) -> int:
    """Number of characters of ``text`` in U+3400..U+9FFF, counted on UTF-8 bytes (fast).

    >>> han_count("大连 High-tech Zone 高新区")
    5
    """
    if text.isascii():
        return 0
    data = text.encode("utf-8", "surrogatepass")
    n = len(data) - len(data.translate(None, _HAN_LEADS))
    if _HAN_EXT_A_UTF8.search(data):
        n += len(_HAN_EXT_A.findall(text))
    return n


def _maybe_kana_or_hangul(data: bytes) -> bool:
    """Whether the UTF-8 ``data`` may hold kana or Hangul (False: it holds none)."""
    return any(b in data for b in _HANGUL_LEADS) or any(p.search(data) for p in _KANA_OR_HANGUL_UTF8)


CONFIGS = ("t2s", "tw2s", "hk2s", "tw2sp", "s2t", "s2tw", "s2hk", "s2twp", "t2tw", "t2hk")
_SAMPLE = 1000  # characters looked at; enough to decide, cheap on long documents


@lru_cache(maxsize=None)
def _converter(config: str):
    if config.endswith(".json"):
        config = config[:-5]
    if config not in CONFIGS:
        raise UserError(f"unknown OpenCC conversion {config!r}; use one of {', '.join(CONFIGS)}")
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Convert Chinese text with OpenCC (Traditional to Simplified by default).

    >>> to_simplified("開放中文轉換")
    '开放中文转换'
    >>> to_simplified("开放中文转换", "s2t")
    '開放中文轉換'
    """
    if not text or not HAN.search(text):
        return text
    return _converter(config).convert(text)


def detect_script(text: str) -> str | None:
    """Return "Hant", "Hans" or None (no Chinese, or nothing that tells them apart).

    >>> detect_script("這是繁體中文的句子")
    'Hant'
    >>> detect_script("这是简体中文的句子")
    'Hans'
    """
    han = "".join(_HAN_RUN.findall(text[: _SAMPLE * 2]))[:_SAMPLE]
    if not han:
        return None
    to_s = _converter("t2s").convert(han)
    if to_s == han:
        return "Hans"  # nothing Traditional-only in it
    to_t = _converter("s2t").convert(han)
    trad = sum(map(ne, han, to_s))  # characters that are Traditional-only
    simp = sum(map(ne, han, to_t))  # characters that are Simplified-only
    return "Hant" if trad > simp else "Hans"


def detect_language(text: str) -> tuple[str, str | None]:
    """Return ``(lang, script)`` of a document.

    >>> detect_language("大连高新区搭建国际化双创平台")
    ('zh', 'Hans')
    >>> detect_language("Dalian high tech Zone to promote innovation")
    ('en', 'Latn')
    >>> detect_language("12345 !!!")
    ('unknown', None)

    Chinese characters weigh about as much as an English word of four letters;
    a document where both carry weight is "mixed".  Japanese (Han with kana) and
    Korean (Hangul) are told apart from Chinese: ``("ja", "Jpan")``, ``("ko", "Kore")``.

    >>> detect_language("東京都は新しい計画を発表しました。")
    ('ja', 'Jpan')
    >>> detect_language("서울시는 새로운 계획을 발표했다")
    ('ko', 'Kore')
    """
    sample = text[:5000]
    data = sample.encode("utf-8", "ignore")
    lat = len(data) - len(data.translate(None, _ASCII_LETTERS))  # counted on UTF-8 bytes (fast)
    han = han_count(sample)
    kana = hangul = 0
    if not sample.isascii() and _maybe_kana_or_hangul(data) and _KANA_OR_HANGUL.search(sample):
        kana, hangul = len(KANA.findall(sample)), len(HANGUL.findall(sample))
    if han == 0 and lat == 0 and kana == 0 and hangul == 0:
        return "unknown", None
    cjk_w, lat_w = (han + kana + hangul) * 2.5, lat  # a CJK character carries the weight of ~2.5 Latin letters
    total = cjk_w + lat_w
    if cjk_w / total >= 0.5:
        if hangul > han + kana:
            return "ko", "Kore"
        if kana >= 3 and kana >= _KANA_SHARE * (han + kana):
            return "ja", "Jpan"
    han_w = han * 2.5
    total = han_w + lat_w
    if total and han_w / total >= 0.8:
        return "zh", detect_script(sample)
    if total and lat_w / total >= 0.8:
        return "en", "Latn"
    return "mixed", "mixed"
