"""sacrebleu's BLEU and chrF(++) segment statistics, counted with numpy in one pass.

sacrebleu extracts n-gram statistics segment by segment in pure Python
(one ``Counter`` per segment and order), which takes seconds for a few
thousand segments.  The functions here return exactly the same integer rows
(same layout, same values, as Python ints) by counting every order over the
whole corpus at once: tokens become dense integer ids, an n-gram becomes one
integer code, and sorting ``(code, segment, side)`` keys gives each n-gram's
count in the hypothesis and in the reference of its segment; the clipped
match count is the smaller of the two.  Tokenisation is sacrebleu's own
(its 13a tokenizer for BLEU, its whitespace removal and punctuation split for
chrF), and the tests compare the rows with sacrebleu's on real and random text.

Only the single-reference case is handled (the only one this project uses).

>>> chrf_stats(["ab c"], ["abc"], char_order=2, word_order=0)
[[3, 3, 3, 2, 2, 2]]
"""
from __future__ import annotations

from typing import Callable, Sequence

import re
from functools import lru_cache
from itertools import chain

import numpy as np

from eval.sacrebleu_compat import Tokenizer13a

#: chrF's punctuation set (sacrebleu ``CHRF._PUNCTS``: ``string.punctuation``)
_PUNCTS = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_SAFE = 1 << 62  # keys stay below this, so int64 arithmetic never overflows


# sacrebleu's 13a tokenizer (``Tokenizer13a`` + ``TokenizerRegexp``) applied to many lines at once.
# Its first rule pads single characters of one class with spaces: ``str.replace`` does that in C
# (space first, so that the spaces added for the others are not padded again); the three context rules run once over the joined lines.  Every line is padded with a
# space on each side (as the tokenizer does) and lines are joined with "\n", which the 13a
# preprocessing has removed from the lines and which no rule can reach across the padding.
_PAD_CHARS = [*range(ord(" "), ord("&") + 1), *range(ord("{"), ord("~") + 1), *range(ord("["), ord("`") + 1),
              *range(ord("("), ord("+") + 1), *range(ord(":"), ord("@") + 1), ord("/")]
_PAD = [chr(c) for c in _PAD_CHARS]  # " " comes first: spaces added for the others stay single


def _after_non_digit(m: re.Match) -> str:
    """sacrebleu's ``([^0-9])([\\.,])`` -> ``\\1 \\2 `` applied to one maximal run of "." and ",".

    Its matches do not overlap, so in a run the marks padded alternate: the
    first, third, ... after a non-digit; the second, fourth, ... after a digit
    (or at the start).  Searching for the run itself is much faster than
    trying the two-character pattern at every position.
    """
    run, at = m[0], m.start()
    first = 0 if at > 0 and not ("0" <= m.string[at - 1] <= "9") else 1
    if len(run) == 1:
        return f" {run} " if first == 0 else run
    return "".join(f" {c} " if k >= first and (k - first) % 2 == 0 else c for k, c in enumerate(run))


_RULES = [(re.compile(r"[.,]+"), _after_non_digit),  # . and , unless after a digit
          (re.compile(r"([\.,])([^0-9])"), lambda m: f" {m[1]} {m[2]}"),  # . and , unless before a digit
          (re.compile(r"([0-9])(-)"), lambda m: f"{m[1]} - ")]  # dash after a digit


def _pre_13a(line: str) -> str:
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return f" {line} "


def tokenize_13a(lines: Sequence[str]) -> list[str]:
    """``[sacrebleu Tokenizer13a()(line) for line in lines]``, computed over the joined lines.

    >>> tokenize_13a(["Hello, world.", "It costs $3.5-4."])
    ['Hello , world .', 'It costs $ 3.5 - 4 .']
    """
    if not lines:
        return []
    joined = "\n".join(map(_pre_13a, lines))
    for c in _PAD:
        if c in joined:
            joined = joined.replace(c, f" {c} ")
    for rule, repl in _RULES:
        joined = rule.sub(repl, joined)
    return [" ".join(part.split()) for part in joined.split("\n")]


_PROBES = ["Hello, world.", "It costs $3.5-4. (Really?)", "a..b,,c 1,000.5 x-\ny &amp; &quot;q&quot; <skipped>",
           "e.g. U.S.-China 5-6 {x} [y] ~ ` ^_^ @ #t a/b :; !", " 9. .9 9- -9 ... ,. ", "中国，经济。1.2万"]


@lru_cache(maxsize=1)
def _13a_agrees() -> bool:
    """True when :func:`tokenize_13a` gives what the installed sacrebleu's 13a tokenizer gives."""
    tok = Tokenizer13a()
    return tokenize_13a(_PROBES) == [tok(t) for t in _PROBES]


def _split_punct(sent: str) -> list[str]:
    """chrF++ words: sacrebleu's ``CHRF._remove_punctuation`` (one punctuation mark split off)."""
    out: list[str] = []
    for w in sent.split():
        if len(w) == 1:
            out.append(w)
        elif w[-1] in _PUNCTS:
            out += (w[:-1], w[-1])
        elif w[0] in _PUNCTS:
            out += (w[0], w[1:])
        else:
            out.append(w)
    return out


_P = re.escape("".join(sorted(_PUNCTS)))
# Both patterns start with the punctuation class, so the regex engine jumps from mark to mark.
# 1. a mark opening a word of two or more characters whose last character is not a mark: "(hi" -> "( hi"
_LEADING = re.compile(rf"[{_P}](?<!\S[{_P}])(?=\S*[^\s{_P}](?!\S))")
# 2. then a mark closing a word of two or more characters: "hi)" -> "hi )", "a.." -> "a. ."
_TRAILING = re.compile(rf"[{_P}](?!\S)(?<=\S[{_P}])")


def chrf_words(texts: Sequence[str]) -> list[list[str]]:
    """``[_split_punct(t) for t in texts]``, one regex pass over the joined texts.

    >>> chrf_words(["(hi) there, you", "a ."])
    [['(hi', ')', 'there', ',', 'you'], ['a', '.']]
    """
    joined = "\n".join(" ".join(t.split()) for t in texts)
    joined = _TRAILING.sub(lambda m: " " + m[0], _LEADING.sub(lambda m: m[0] + " ", joined))
    return [part.split() for part in joined.split("\n")]


def _char_stream(texts: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """Dense character ids of all texts (whitespace removed, as chrF does), lengths, alphabet size."""
    joined = ["".join(t.split()) for t in texts]
    lens = np.fromiter(map(len, joined), dtype=np.int64, count=len(joined))
    cps = np.frombuffer("".join(joined).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(cps):
        return cps.astype(np.int64), lens, 1
    present = np.zeros(int(cps.max()) + 1, dtype=np.int64)
    present[cps] = 1
    dense = np.cumsum(present) - 1
    return dense[cps], lens, int(dense[-1]) + 1


def _word_stream(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray, int]:
    """Dense word ids of all token lists, lengths, vocabulary size."""
    flat = list(chain.from_iterable(token_lists))
    vocab = {w: i for i, w in enumerate(dict.fromkeys(flat))}
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    lens = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    return ids, lens, max(len(vocab), 1)


def _dense(codes: np.ndarray) -> tuple[np.ndarray, int]:
    uniq, inv = np.unique(codes, return_inverse=True)
    return inv.reshape(-1).astype(np.int64), max(len(uniq), 1)


def _order_stats(tok: np.ndarray, lens: np.ndarray, vocab: int, n_seg: int, max_order: int) -> np.ndarray:
    """Per segment and order n = 1..max_order: clipped n-gram matches of hypothesis vs reference.

    ``tok`` holds the hypotheses' tokens then the references' (segment i of the
    hypotheses pairs with segment i of the references); returns an
    ``(n_seg, max_order)`` int64 array of ``sum over n-grams of min(count_hyp, count_ref)``.
    """
    out = np.zeros((n_seg, max_order), dtype=np.int64)
    total = len(tok)
    if not total:
        return out
    # segment number of each position; hypotheses 0..n_seg-1, references n_seg..2*n_seg-1
    seg = np.repeat(np.arange(2 * n_seg, dtype=np.int64), lens)
    side = (seg % n_seg) * 2 + (seg >= n_seg)  # (segment pair, side) of each position
    # key of an n-gram that runs over a segment end: unique and negative, so it never pairs
    void = -2 * np.arange(total, dtype=np.int64) - 2
    codes, bound = tok, vocab  # n-gram code at each start position, codes < bound
    for n in range(1, max_order + 1):
        if n > 1:
            if bound > _SAFE // vocab:
                codes, bound = _dense(codes)
            codes = codes[:-1] * vocab + tok[n - 1:]
            bound *= vocab
        m = len(codes)
        if not m:
            break
        if bound > _SAFE // (2 * n_seg):
            codes, bound = _dense(codes)
        keys = np.where(seg[:m] == seg[n - 1:], codes * (2 * n_seg) + side[:m], void[:m])
        keys.sort()
        # run starts of equal keys, their keys and counts
        edge = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
        uniq, counts = keys[edge[:-1]], np.diff(edge)
        # a hypothesis key (side 0) directly followed by the same n-gram's reference key (side 1)
        first = np.flatnonzero((uniq[:-1] >> 1) == (uniq[1:] >> 1))
        if not len(first):
            continue
        clipped = np.minimum(counts[first], counts[first + 1])
        seg_of = (uniq[first] >> 1) % n_seg
        out[:, n - 1] = np.bincount(seg_of, weights=clipped, minlength=n_seg).astype(np.int64)
    return out


def _counts(lens: np.ndarray, n: int) -> np.ndarray:
    return np.maximum(lens - n + 1, 0)


def chrf_stats(hyps: Sequence[str], refs: Sequence[str], *, char_order: int = 6,
               word_order: int = 2) -> list[list[int]]:
    """Rows equal to ``sacrebleu.CHRF(char_order, word_order)._extract_corpus_statistics(hyps, [refs])``.

    Each row is ``[hyp, ref, match]`` per character order 1..char_order, then per
    word order 1..word_order (mixed case, whitespace ignored, as sacrebleu's defaults).
    """
    hyps, refs = list(hyps), list(refs)
    n_seg = len(hyps)
    if not n_seg:
        return []
    cols = []
    tok, lens, vocab = _char_stream(hyps + refs)
    cols.append((_order_stats(tok, lens, vocab, n_seg, char_order), lens, char_order))
    if word_order:
        tok, lens, vocab = _word_stream(chrf_words(hyps + refs))
        cols.append((_order_stats(tok, lens, vocab, n_seg, word_order), lens, word_order))
    parts = []
    for match, lens, order in cols:
        h_len, r_len = lens[:n_seg], lens[n_seg:]
        for n in range(1, order + 1):
            n_ref = _counts(r_len, n)
            n_hyp = np.where(n_ref > 0, _counts(h_len, n), 0)  # no hits counted without a reference n-gram
            parts += [n_hyp, n_ref, match[:, n - 1]]
    return np.stack(parts, axis=1).tolist()


def bleu_stats(hyps: Sequence[str], refs: Sequence[str], tokenize: Callable[[str], str] | None = None, *,
               max_order: int = 4) -> list[list[int]]:
    """Rows equal to ``sacrebleu.BLEU()._extract_corpus_statistics(hyps, [refs])`` (no lowercasing).

    ``tokenize`` is a tokenizer for one line (e.g. ``BLEU(tokenize="intl").tokenizer``);
    None means 13a, sacrebleu's default, run over all lines at once.  Each row is
    ``[hyp_len, ref_len, correct_1..max_order, total_1..max_order]``.
    """
    hyps, refs = list(hyps), list(refs)
    n_seg = len(hyps)
    if not n_seg:
        return []
    lines = [t.rstrip() for t in hyps + refs]
    if tokenize is None and not _13a_agrees():  # a sacrebleu with other 13a rules: use its tokenizer
        tokenize = Tokenizer13a()
    toks = [t.split() for t in (tokenize_13a(lines) if tokenize is None else map(tokenize, lines))]
    tok, lens, vocab = _word_stream(toks)
    match = _order_stats(tok, lens, vocab, n_seg, max_order)
    h_len, r_len = lens[:n_seg], lens[n_seg:]
    parts = [h_len, r_len] + [match[:, n] for n in range(max_order)]
    parts += [_counts(h_len, n) for n in range(1, max_order + 1)]
    return np.stack(parts, axis=1).tolist()
