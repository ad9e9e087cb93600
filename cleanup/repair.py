"""Text repair: mojibake, Unicode forms, punctuation width, whitespace, broken and repeated paragraphs.

Every function returns the repaired text (or paragraphs) together with the
:class:`cleanup.record.Change` entries that say what was changed and why.

- ``fix_unicode(text, lang)``: ftfy mojibake repair, NFC, and for English text the
  full-width forms (ＡＢＣ，。！) made ASCII; Chinese keeps its full-width
  punctuation and only has full-width letters and digits made half-width.
- ``fix_whitespace(text, lang)``: odd spaces, runs of spaces, spaces between
  Chinese characters.
- ``repair_paragraphs(paragraphs, lang)``: lede labels ("导语:"), paragraphs broken
  mid-sentence joined, repeated paragraphs kept once.
"""
from __future__ import annotations

import re
import unicodedata

from cleanup.record import Change

_FTFY_CONFIG = None


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        from ftfy import TextFixerConfig

        # Keep curly quotes and character widths: those are decided per language below.
        _FTFY_CONFIG = TextFixerConfig(uncurl_quotes=False, fix_character_width=False, normalization="NFC", explain=False)
    return _FTFY_CONFIG


# Characters that mean the text may need ftfy (mojibake of UTF-8 read as Latin-1/cp1252,
# HTML entities, control characters). Clean ASCII or clean Chinese skips it: it is slow.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|\ufffd|&(?:#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_MAYBE_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\ufffd&]")  # one class: a fast first look
_ASCII_NOT_SUSPECT = (bytes(range(0x20, 0x7F)) + b"\t\n\r").replace(b"&", b"")  # the ASCII outside that class
_EN_PUNCT = {
    "。": ". ", "，": ", ", "、": ", ", "；": "; ", "：": ": ", "？": "? ", "！": "! ",
    "（": " (", "）": ") ", "【": " [", "】": "] ", "《": '"', "》": '"', "「": '"', "」": '"',
    "『": '"', "』": '"', "〔": "(", "〕": ")", "～": "~", "·": "·", "\u3000": " ",
}
_EN_TABLE = str.maketrans(_EN_PUNCT)
_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000。，、；：？！（）【】《》「」『』〔〕]")
_FW_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_ODD_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_ODD_OR_ZERO_WIDTH = re.compile(r"[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\t]")  # either of the two above
_CJK_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d]"
_CJK_ONE = re.compile(_CJK_CHAR)
_HAN_ONE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_SPACE_IN_CJK = re.compile(r" +")
_SPACES = re.compile(r" {2,}")


def _drop_cjk_space(m: re.Match[str]) -> str:
    """Drop a run of spaces between two Chinese characters (or CJK punctuation)."""
    s, a, b = m.string, m.start(), m.end()
    if a == 0 or b >= len(s):
        return m.group(0)
    left, right = _CJK_ONE.match(s, a - 1), _CJK_ONE.match(s, b)
    if left and right and (_HAN_ONE.match(s, a - 1) or _HAN_ONE.match(s, b)):
        return ""  # at least one side is a Chinese character: '” “' between English quotes stays
    return m.group(0)
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,.;:!?)\]](?:\s|$))")


def _halfwidth(m: re.Match[str]) -> str:
    ch = m.group(0)
    return chr(ord(ch) - 0xFEE0)


def fix_unicode(text: str, lang: str = "en") -> tuple[str, list[Change]]:
    """Mojibake repair and Unicode normalisation safe for Chinese.

    >>> fix_unicode("The governmentâ€™s plan", "en")[0]
    'The government’s plan'
    >>> fix_unicode("Ｄａｌｉａｎ，２０１５年。", "en")[0]
    'Dalian, 2015年.'
    >>> fix_unicode("大连，２０１５年。", "zh")[0]
    '大连，2015年。'
    """
    changes: list[Change] = []
    out = text
    if out.isascii():  # (deleting the ASCII that cannot be suspect is faster than a regex scan)
        maybe = bool(out.encode("ascii").translate(None, _ASCII_NOT_SUSPECT))
    else:
        maybe = _MAYBE_SUSPECT.search(out) is not None
    if maybe and _SUSPECT.search(out):
        import ftfy

        fixed = ftfy.fix_text(out, _ftfy_config())
        if fixed != out:
            changes.append(Change("unicode", out, fixed, "mojibake / entities / control characters repaired (ftfy)"))
            out = fixed
    if not out.isascii():
        nfc = out if unicodedata.is_normalized("NFC", out) else unicodedata.normalize("NFC", out)
        if nfc != out:
            changes.append(Change("unicode", out, nfc, "Unicode composed form (NFC)"))
            out = nfc
        if lang == "zh":
            new = _FW_ALNUM.sub(_halfwidth, out)
            reason = "full-width letters and digits made half-width"
        else:
            new = out
            if _FULLWIDTH.search(new):
                new = _FW_ANY.sub(_halfwidth, new.translate(_EN_TABLE))
                new = _SPACE_BEFORE_PUNCT.sub("", _SPACES.sub(" ", new)).strip()
            reason = "full-width punctuation and spaces in English text made ASCII"
        if new != out:
            changes.append(Change("unicode", out, new, reason))
            out = new
    return out, changes


def fix_whitespace(text: str, lang: str = "en") -> tuple[str, list[Change]]:
    """Odd spaces made plain, runs collapsed, spaces between Chinese characters removed.

    >>> fix_whitespace("主阵地、 高新技术  产业", "zh")[0]
    '主阵地、高新技术产业'
    """
    out = text
    if not out.isascii():
        if _ODD_OR_ZERO_WIDTH.search(out):
            out = _ODD_SPACE.sub(" ", _ZERO_WIDTH.sub("", out))
    elif "\t" in out:
        out = out.replace("\t", " ")
    if "  " in out:
        out = _SPACES.sub(" ", out)
    out = out.strip()
    if " " in out and not out.isascii() and (lang == "zh" or _HAN_ONE.search(out)):
        out = _SPACE_IN_CJK.sub(_drop_cjk_space, out)
    if out == text.strip():
        return out, []
    return out, [Change("whitespace", text, out, "whitespace normalised")]


# ---------------------------------------------------------------- paragraphs

_LEDE_LABEL = re.compile(r"^\s*(导语|导读|摘要|核心提示|内容提要|提要)\s*[:：]\s*")
# Last non-space character of a paragraph that ends a sentence (English, Chinese), or marks a clause.
_EN_END = frozenset(".!?:;\"”’')]…")
_ZH_END = frozenset("。！？!?；;：:”’」』）)…]】")
_ZH_COMMA = frozenset("，、,")
_ZH_CLAUSE = re.compile(r"[，,；;。]")


_ZH_START = re.compile(r"\s*[\u4e00-\u9fff]")
_LOWER_START = re.compile(r"\s*[a-z]")
_WORD_START = re.compile(r"\s*\w")
_FW_ANY = re.compile(r"[\uff01-\uff5e]")


def _key(text: str) -> str:
    """Comparison key of a paragraph: case, spaces and final punctuation ignored."""
    if text.isprintable():  # its only spaces are ASCII spaces (other spaces are not printable)
        return text.replace(" ", "").lower().rstrip(".。!！?？;；:：")
    return "".join(text.split()).lower().rstrip(".。!！?？;；:：")


def _solid(text: str) -> int:
    """Characters of ``text`` that are not whitespace."""
    return len(text) - sum(map(str.isspace, text)) if not text.isprintable() else len(text) - text.count(" ")


def _broken(prev: str, nxt: str, lang: str, prev_len: int | None = None) -> bool:
    """True when ``prev`` stops mid-sentence and ``nxt`` carries on the sentence.

    ``prev_len`` is the length of the whole paragraph ``prev`` ends (when ``prev`` is
    only its last part).
    """
    last = prev.rstrip()[-1:]  # (str.rstrip strips what regex \s matches)
    if lang == "zh":
        if last in _ZH_COMMA:
            return bool(_ZH_START.match(nxt))
        return (
            (len(prev) if prev_len is None else prev_len) >= 25
            and last not in _ZH_END
            and "\u4e00" <= last <= "\u9fff"
            and _ZH_START.match(nxt) is not None
            and len(nxt) >= 10
            # a line alone with no comma or stop in it is a title, not half a sentence
            and ((prev_len is not None and prev_len > len(prev)) or _ZH_CLAUSE.search(prev) is not None)
        )
    if last in _EN_END:
        return False
    # "In the double" / "era, how to find ..."; a hyphenated word split over two lines.
    return bool(_LOWER_START.match(nxt)) or prev.rstrip().endswith(("-", ",")) and bool(_WORD_START.match(nxt))


def repair_paragraphs(paragraphs: list[str], lang: str = "en",
                      standalone: set[int] | frozenset[int] = frozenset()) -> tuple[list[str], list[Change]]:
    """Lede labels dropped, broken paragraphs joined, repeated paragraphs kept once.

    ``standalone`` holds the indices of paragraphs that stay on their own (the
    headline, a dateline, a byline): no join goes into or out of them.

    >>> repair_paragraphs(["Title", "In the double", "era, how to find a road."])[0]
    ['Title', 'In the double era, how to find a road.']
    >>> repair_paragraphs(["导语:创新是引领发展的第一动力。", "创新是引领发展的第一动力。"], "zh")[0]
    ['创新是引领发展的第一动力。']

    A run of lines joined into one paragraph is built once and recorded as one change
    (the lines before, the paragraph after), so time and record size stay linear in the
    text however many lines a hard-wrapped or unpunctuated paragraph has.
    """
    changes: list[Change] = []
    out: list[str] = []
    run: list[str] = []  # the lines of the paragraph being built (its parts once joined)
    parts: list[str] = []
    size = solid = 0  # characters, and characters that are not whitespace, of the paragraph being built

    def close_run() -> None:
        if len(run) > 1:
            joined = "".join(parts)
            changes.append(Change("paragraphs", "\n".join(run), joined, "paragraph broken mid-sentence joined"))
            out.append(joined)
        elif run:
            out.append(run[0])

    def same_as_built(para: str) -> bool:
        """``_key(para) == _key(paragraph being built)``, without building it when it is clearly longer."""
        if len(run) == 1:
            return _key(para) == _key(run[0])
        tail = len(parts[-1]) - len(parts[-1].rstrip(".。!！?？;；:："))
        if solid - tail > len(para):  # its key is longer than the whole of ``para``
            return False
        return _key(para) == _key("".join(parts))

    prev_alone = False
    for n, para in enumerate(paragraphs):
        m = _LEDE_LABEL.match(para)
        if m and len(para) > m.end() + 5:
            new = para[m.end():]
            changes.append(Change("paragraphs", para, new, f"lede label {m.group(1)!r} removed"))
            para = new
        alone = n in standalone
        if run and not alone and not prev_alone and _broken(run[-1], para, lang, size) and not same_as_built(para):
            prev = run[-1]
            hyphen = prev.endswith("-") and not prev.endswith(" -")
            joiner = "" if lang == "zh" or hyphen else " "
            piece = joiner + para.lstrip()
            parts.append(piece)
            run.append(para)
            size += len(piece)
            solid += _solid(piece)
            continue
        close_run()
        run, parts, size, solid = [para], [para], len(para), _solid(para)
        prev_alone = alone
    close_run()
    seen: dict[str, int] = {}
    kept: list[str] = []
    for para in out:
        k = _key(para)
        if len(k) >= 12 and k in seen:
            changes.append(Change("paragraphs", para, "", f"repeated paragraph kept once (same as paragraph {seen[k] + 1})"))
            continue
        seen.setdefault(k, len(kept))
        kept.append(para)
    return kept, changes
