"""Passage alignment: find, for each reference passage, the output sentences it translates.

References cover only parts of a document, and the output's sentence
boundaries differ from the reference's (one sentence split in two, two merged
into one).  So each reference passage is matched to the best contiguous
window of output sentences: the window whose character-trigram F-score with
the passage is highest (windows up to a few sentences longer than the
passage).  A passage whose best window stays under ``min_similarity`` is
reported as unmatched.

>>> out = ["Sales rose.", "Profits fell by 3%.", "The firm hired 20 staff", "in May."]
>>> a = align_passages(out, ["Profits fell 3 percent and 20 people were hired in May."])[0]
>>> (a.start, a.end, a.matched)
(1, 4, True)
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Sequence

from eval.garble import split_sentences

#: trigram F-score under which a passage counts as not found in the output.
MIN_SIMILARITY = 0.25


@dataclass
class Alignment:
    """The output window ``sentences[start:end]`` best matching one reference passage."""

    passage: int  # index of the passage
    start: int
    end: int
    similarity: float
    matched: bool
    hypothesis: str  # the window's sentences joined by spaces ("" when unmatched)

    def to_dict(self) -> dict:
        return asdict(self)


def _grams(text: str) -> Counter:
    t = " " + re.sub(r"\s+", " ", text.lower()).strip() + " "
    return Counter(t[i:i + 3] for i in range(len(t) - 2))


def _f(a: Counter, na: int, b: Counter, nb: int) -> float:
    if not na or not nb:
        return 0.0
    common = sum(min(v, b[k]) for k, v in a.items() if k in b)
    return 2 * common / (na + nb)


def align_passages(sentences: Sequence[str], passages: Sequence[str], *,
                   min_similarity: float = MIN_SIMILARITY, extra: int = 3) -> list[Alignment]:
    """Best contiguous window of ``sentences`` for each of ``passages``.

    Windows are searched up to (sentences in the passage + ``extra``) long;
    windows may overlap between passages (references can overlap too).
    """
    sent_grams = [_grams(s) for s in sentences]
    out = []
    for pi, passage in enumerate(passages):
        pg = _grams(passage)
        npg = sum(pg.values())
        width = len(split_sentences(passage)) + extra
        best = (0.0, 0, 0)
        for i in range(len(sentences)):
            acc: Counter = Counter()
            n = 0
            for j in range(i, min(len(sentences), i + width)):
                acc.update(sent_grams[j])
                n += sum(sent_grams[j].values())
                f = _f(pg, npg, acc, n)
                if f > best[0]:
                    best = (f, i, j + 1)
        sim, i, j = best
        matched = sim >= min_similarity
        hyp = " ".join(s.strip() for s in sentences[i:j]) if matched else ""
        out.append(Alignment(pi, i, j, round(sim, 4), matched, hyp))
    return out


def align_text(output: str, passages: Sequence[str], **kw) -> tuple[list[str], list[Alignment]]:
    """Split ``output`` into sentences and align ``passages`` to them."""
    sentences = split_sentences(output)
    return sentences, align_passages(sentences, passages, **kw)
