"""Decoding raw bytes into text.

``decode_bytes(data) -> (text, encoding)`` tries, in order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. strict UTF-8 (almost never decodes anything else by accident), then UTF-8 with a
   few broken bytes (replaced by U+FFFD and counted: a stray byte in a UTF-8 file
   must not turn the whole text into a legacy code page's mojibake); UTF-16 without
   a byte-order mark is told by its zero bytes;
3. the two common Chinese legacy codecs, GB18030 (a superset of GBK/GB2312) and
   Big5, when both or either decode strictly, preferring the one whose result has
   more of the most common CJK characters (short texts fool statistical guessers);
4. charset-normalizer's best guess for everything else (Latin-1, cp1252, Shift-JIS...).

Binary data (NUL bytes, few printable characters) and empty input raise
:class:`cleanup.errors.InputError` with one line that says what is wrong.
"""
from __future__ import annotations

import codecs

from cleanup.script import HAN
from cleanup.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The most frequent simplified and traditional characters of running Chinese text.
# A correct GB18030 or Big5 decoding is full of them; a wrong one is mostly rare
# characters and symbols.
_COMMON_CJK = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    "們來時會對說發國過這個為學動經現實種實體與開關問題區產業發機務門專從當後記報點長將應術線場間"
)


def _printable_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    ok = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t\f\v")
    return ok / len(sample)


def _check_text(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise InputError("the input is empty (nothing but whitespace); give a file with text in it")
    if "\x00" in text or _printable_ratio(text) < 0.9:
        raise InputError("the input looks binary, not text; give a .txt, .html or .jsonl file")
    return text, encoding


def _cjk_score(text: str) -> float:
    """Share of CJK characters that are among the most common ones."""
    han = HAN.findall(text[:20000])
    if not han:
        return 0.0
    return sum(1 for ch in han if ch in _COMMON_CJK) / len(han)


def _looks_latin(text: str) -> bool:
    """True for mostly-ASCII text whose other characters are Latin-1 letters or common symbols."""
    sample = text[:20000]
    extra = [ch for ch in sample if ord(ch) > 127]
    if len(extra) > 0.4 * len(sample):
        return False
    return all(0xA0 <= ord(ch) <= 0xFF or ch in "‘’“”–—€•…" for ch in extra)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a document; return ``(text, encoding name)``.

    >>> decode_bytes("大连高新区".encode("gb18030"))
    ('大连高新区', 'gb18030')
    >>> decode_bytes(b"\\xef\\xbb\\xbfHello")
    ('Hello', 'utf-8-sig')

    Raises :class:`cleanup.errors.InputError` for empty or binary data.
    """
    text, encoding, _ = decode_bytes_counted(data)
    return text, encoding


#: UTF-8 with a few broken bytes: valid multi-byte characters must outnumber broken bytes this much
_UTF8_GOOD_PER_BAD = 4


def _utf8_with_replacements(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with its few invalid bytes replaced by U+FFFD, and how many; None when it is not UTF-8.

    Text in a legacy code page has no valid multi-byte UTF-8 sequences (or hardly any);
    UTF-8 text damaged by a stray byte has many, and a handful of broken ones.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - bad - data.count("\ufffd".encode())
    if bad <= 0 or good < _UTF8_GOOD_PER_BAD * bad:
        return None
    return text, bad


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 (LE or BE) without a byte-order mark, told by its zero bytes on one side; else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if max(even, odd) >= 0.3 * pairs and min(even, odd) <= 0.02 * pairs:  # mostly ASCII
        enc = "utf-16-le" if odd > even else "utf-16-be"
        text = _strict(data, enc)
        return (text, enc) if text is not None else None
    for enc in ("utf-16-le", "utf-16-be"):  # mostly Chinese: common characters, and nothing else much
        text = _strict(data, enc)
        if text is not None and _cjk_score(text) >= 0.3 and len(HAN.findall(text[:2000])) >= 0.5 * len(text[:2000]):
            return text, enc
    return None


def decode_bytes_counted(data: bytes) -> tuple[str, str, int]:
    """:func:`decode_bytes`, and the number of invalid bytes replaced by U+FFFD (UTF-8 with a few broken bytes).

    >>> decode_bytes_counted("“大连”高新区 ".encode() + b"\\xff" + "创新".encode())[1:]
    ('utf-8', 1)
    >>> decode_bytes_counted("Hi there.".encode("utf-16-le"))[:2]
    ('Hi there.', 'utf-16-le')
    """
    if not data or not data.strip():
        raise InputError("the input is empty; give a file with text in it")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data, enc)
            if text is not None:
                return (*_check_text(text, enc), 0)
    if b"\x00" in data[:65536]:
        found = _utf16_without_bom(data)
        if found is not None:
            return (*_check_text(*found), 0)
        raise InputError("the input looks binary (it contains NUL bytes), not text; give a .txt, .html or .jsonl file")
    text = _strict(data, "utf-8")
    if text is not None:
        return (*_check_text(text, "utf-8"), 0)
    damaged = _utf8_with_replacements(data)
    if damaged is not None:
        return (*_check_text(damaged[0], "utf-8"), damaged[1])
    found = _utf16_without_bom(data)
    if found is not None:
        return (*_check_text(*found), 0)
    candidates = []
    for enc in ("gb18030", "big5"):
        decoded = _strict(data, enc)
        if decoded is not None and HAN.search(decoded):
            candidates.append((_cjk_score(decoded), enc == "gb18030", decoded, enc))
    if candidates:
        best = max(candidates)
        if best[0] >= 0.3:
            return (*_check_text(best[2], best[3]), 0)
    latin = _strict(data, "cp1252")
    if latin is not None and _looks_latin(latin):
        return (*_check_text(latin, "cp1252"), 0)
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise InputError("the input is not text in any known encoding (binary data?); give a UTF-8 text file")
    return (*_check_text(str(match), match.encoding), 0)
