"""Post-MT cleanup of English: repetition loops, spacing and punctuation.

Conservative by design: it must never make good output worse, so each rule
fixes a pattern that is an error wherever it occurs in English news text:

- a word or phrase repeated three times or more in a row ("Xinjiang Xinjiang
  Xinjiang", "the city the city the city") is kept once; a phrase of two words
  or more repeated twice in a row ("said he said he") too; a lower-case word
  doubled with nothing between ("extremely extremely") too, except the few
  that English doubles on purpose ("had had", "that that");
- tokenizer spacing: "China ' s" -> "China's", "word ," -> "word,", "( x )" -> "(x)";
- Chinese punctuation left in English made ASCII; doubled punctuation ",," single.

``repair_english_line(line) -> (line, [Change])`` records what it changed;
``clean_mt_line(line) -> str`` is the same without the record.
"""
from __future__ import annotations

import re
from operator import eq

from cleanup.record import Change

# Possessive (*+): a word is never cut short, which changes no match (a separator or the end
# of the n-gram must follow it) but spares the regex engine the backtracking into each word.
_WORD = r"[^\W_][\w'’-]*+"
# n-gram (1..8 words) repeated 3+ times, separated by spaces or commas
_LOOP3 = re.compile(rf"(?<![\w'’-])((?:{_WORD})(?:[ ,;]+{_WORD}){{0,7}}?)(?:[ ,;]+\1(?![\w'’-])){{2,}}")
# n-gram of 2..8 words repeated twice, separated by a space
_LOOP2 = re.compile(rf"(?<![\w'’-])((?:{_WORD})(?: {_WORD}){{1,7}}) \1(?![\w'’-])")
# a lower-case word doubled
_DOUBLE = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]*+) \1(?![\w'’-])")
_DOUBLE_OK = frozenset({"had", "that", "is", "bye", "no", "so", "very", "knock", "tut", "chop", "ha", "bang", "boo", "yum", "pom", "dum"})

_CJK_PUNCT = {"，": ",", "。": ".", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")", "、": ","}
_CJK_TABLE = str.maketrans(_CJK_PUNCT)
_CJK_PUNCT_RE = re.compile("[" + "".join(_CJK_PUNCT) + "]")

_SPACING = [
    (re.compile(r",{2,}"), ",", "doubled comma"),
    (re.compile(r"(?<=\w) ' (?=(?:s|t|re|ve|ll|d|m)\b)"), "'", "apostrophe spacing"),
    (re.compile(r"(?<=\w) ’ (?=(?:s|t|re|ve|ll|d|m)\b)"), "’", "apostrophe spacing"),
    (re.compile(r"(?<=[\w)\]\"”%]) +(?=[,;!?%](?:\s|$))"), "", "space before punctuation"),
    (re.compile(r"(?<=[A-Za-z)\]\"”]) +(?=[.:](?:\s|$))"), "", "space before punctuation"),
    (re.compile(r"([(\[]) +"), r"\1", "space inside brackets"),
    (re.compile(r"(?<=\S) +([)\]])"), r"\1", "space inside brackets"),
    (re.compile(r"(?<=[A-Za-z]),(?=[A-Za-z]{2})"), ", ", "missing space after comma"),
    (re.compile(r" {2,}"), " ", "runs of spaces"),
]


_LINKS = frozenset({"and", "or", "by", "after", "to", "upon", "over", "on", "in", "for", "than"})


def _idiom(m: re.Match[str]) -> bool:
    """'more and more', 'again and again', 'step by step by step': a phrase around a linking word."""
    words = m.group(1).split()
    return m.group(1).isdigit() or words[0].lower() in _LINKS or words[-1].lower() in _LINKS


def _collapse(pattern: re.Pattern[str], text: str, reason: str, changes: list[Change], keep=None) -> str:
    def repl(m: re.Match[str]) -> str:
        if keep is not None and keep(m):
            return m.group(0)
        changes.append(Change("postmt", m.group(0), m.group(1), reason))
        return m.group(1)

    prev = None
    while prev != text:  # nested loops ("a a a b b b") need a second pass
        prev = text
        text = pattern.sub(repl, text)
    return text


_SPACE_PUNCT = re.compile(r" [,.;:!?%)\]'’]")
_GLUED_COMMA = re.compile(r",[A-Za-z]{2}")


def _needs_spacing(text: str) -> bool:
    """Cheap test: could any spacing rule apply to ``text``?"""
    if "( " in text or "[ " in text or ",," in text or "  " in text or _SPACE_PUNCT.search(text):
        return True
    return any(m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
               for m in _GLUED_COMMA.finditer(text))


_TOKEN_CHARS = tuple(map(chr, range(0x100, 0x100 + 8192)))  # one character per distinct token of a line
_REPEAT_ANY = re.compile(r"(.{1,8})\1", re.S)  # over those characters: k tokens (k <= 8) repeated in a row
_REPEAT_3 = re.compile(r"(.{1,8})\1\1", re.S)
_REPEAT_2 = re.compile(r"(.{2,8})\1", re.S)
_REPEAT_1 = re.compile(r"(.)\1", re.S)


def _repeat_hints(text: str) -> tuple[bool, bool, bool]:
    """Cheap necessary conditions for (3x loop, 2x phrase, doubled word), from tokens.

    Each distinct token becomes one character, so an n-gram of up to 8 tokens
    repeated in a row is a short regex search over a string of one character per
    token: three times in a row (3x loop), an n-gram of 2+ tokens twice (2x
    phrase), one token twice (doubled word).
    """
    toks = text.replace(",", " ").replace(";", " ").split()
    if len(toks) > len(_TOKEN_CHARS):
        return _repeat_hints_long(toks)
    code = dict(zip(toks, _TOKEN_CHARS))  # equal tokens, equal characters
    s = "".join(map(code.__getitem__, toks))
    if not _REPEAT_ANY.search(s):
        return False, False, False
    return _REPEAT_3.search(s) is not None, _REPEAT_2.search(s) is not None, _REPEAT_1.search(s) is not None


def _repeat_hints_long(toks: list[str]) -> tuple[bool, bool, bool]:
    """:func:`_repeat_hints` for a line of very many tokens: for a shift k, ``same[i]`` says
    token i equals token i+k (k tokens repeated twice: a run of k matches; three times: 2k)."""
    same1 = bytes(map(eq, toks, toks[1:]))
    double = 1 in same1
    loop3 = b"\x01\x01" in same1
    loop2 = False
    for k in range(2, min(8, len(toks) // 2) + 1):
        same = bytes(map(eq, toks, toks[k:]))
        if b"\x01" * k in same:
            loop2 = True
            if b"\x01" * (2 * k) in same:
                loop3 = True
    return loop3, loop2, double


def repair_english_line(line: str) -> tuple[str, list[Change]]:
    """Collapse repetition loops and repair spacing and punctuation in one line.

    >>> repair_english_line("Xinjiang Xinjiang Xinjiang Xinjiang is large .")[0]
    'Xinjiang is large.'
    >>> repair_english_line("The Government ' s plan ( new ) was extremely extremely late ,,")[0]
    "The Government's plan (new) was extremely late,"
    >>> repair_english_line("He had had enough, so so tired.")[0]
    'He had had enough, so so tired.'
    """
    changes: list[Change] = []
    text = line
    if not text.isascii() and _CJK_PUNCT_RE.search(text):
        new = text.translate(_CJK_TABLE)
        if new != text:
            changes.append(Change("postmt", text, new, "Chinese punctuation in English made ASCII"))
            text = new
    loop3, loop2, double = _repeat_hints(text)
    if loop3:
        text = _collapse(_LOOP3, text, "repetition loop collapsed", changes)
    if loop2 or loop3:
        text = _collapse(_LOOP2, text, "repeated phrase kept once", changes, keep=_idiom)
    if double or loop3:
        text = _collapse(_DOUBLE, text, "doubled word kept once", changes, keep=lambda m: m.group(1) in _DOUBLE_OK)
    if not _needs_spacing(text):
        return text.strip(), changes
    for pattern, repl, reason in _SPACING:
        new = pattern.sub(repl, text)
        if new != text:
            changes.append(Change("postmt", text, new, reason))
            text = new
    stripped = text.strip()
    if stripped != text:
        text = stripped
    return text, changes


def clean_mt_line(line: str) -> str:
    """Post-MT cleanup of one line of English MT output (one line in, one line out).

    >>> clean_mt_line("Xinjiang Xinjiang Xinjiang Xinjiang")
    'Xinjiang'
    """
    return repair_english_line(line.replace("\n", " "))[0]
