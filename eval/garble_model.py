"""The learned part of the garble score: a sentence model over word sequences.

Each sentence becomes a sparse vector of hashed features that read the words:

- its lowercased words and word pairs (literal calques such as ``give full play``,
  ``sense of gain``, ``double creation`` show up here);
- its *skeleton* n-grams: the sentence with every word outside a list of frequent
  English words (learned from clean news English) replaced by its shape (``<C>``
  a capitalised name, ``<N>`` a figure, ``<tion>``, ``<ing>``, ``<ed>``, ``<ly>``,
  ``<s>``, ``<w>``), commas and colons kept.  Chinese word order and dropped
  subjects leave function-word sequences (``, to <w> the``, ``of the <tion> of``,
  ``<s> becomes the``) that edited English rarely has;

its length, comma count and share of frequent words (in buckets), plus the dense
symptom counts of :mod:`eval.garble` (capitals, punctuation, agreement, calques...).  A logistic regression over these (``python -m eval.garble_train``,
trained on clean news English and the development corpus, never on its test
split) gives each sentence a log-odds of being garbled machine translation; the
weights ship as ``eval/data/garble_model.npz`` (aggregate weights only, no text).
"""
from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "garble_model.npz"
DIM_BITS = 17
DIM = 1 << DIM_BITS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,:]\d+)*%?|[,;:()\"“”]")
_SUFFIXES = (("tion", "<tion>"), ("tions", "<tion>"), ("ment", "<ment>"), ("ments", "<ment>"), ("ing", "<ing>"),
             ("ed", "<ed>"), ("ly", "<ly>"), ("ity", "<ity>"), ("ies", "<s>"), ("es", "<s>"), ("s", "<s>"))
_SUFFIXES = tuple(sorted(_SUFFIXES, key=lambda p: -len(p[0])))


def tokens(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence)


def _shape(tok: str, low: str, first: bool, vocab: frozenset) -> str:
    if low in vocab:
        return low
    c = tok[0]
    if c.isdigit():
        return "<N>"
    if not c.isalpha():
        return tok if tok in ",;:()" else '"'
    if c.isupper() and not first:
        return "<A>" if tok.isupper() and len(tok) > 1 else "<C>"
    for suf, tag in _SUFFIXES:
        if low.endswith(suf) and len(low) > len(suf) + 2:
            return tag
    return "<w>"


_SHAPES: dict[int, dict] = {}  # per vocabulary: (token, sentence-initial) -> shape


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & (DIM - 1)


def hashed_indices(sentence: str, vocab: frozenset) -> tuple[list[int], float]:
    """The hashed feature indices of one sentence (repeats kept) and the value each carries (1/sqrt(length+1))."""
    toks = tokens(sentence)
    if not toks:
        return [], 0.0
    lows = [t.lower() for t in toks]
    words = [lw if t[0].isalpha() else ("<N>" if t[0].isdigit() else t) for t, lw in zip(toks, lows)]
    cache = _SHAPES.get(id(vocab))
    if cache is None or len(cache) > 200_000:
        cache = _SHAPES[id(vocab)] = {}
    sk = ["<s>"]
    for i, (t, lw) in enumerate(zip(toks, lows)):
        key = (t, i == 0)
        shp = cache.get(key)
        if shp is None:
            shp = cache[key] = _shape(t, lw, i == 0, vocab)
        sk.append(shp)
    sk.append("</s>")
    feats = ["u|" + w for w in words]
    feats += ["b|" + a + "|" + b for a, b in zip(words, words[1:])]
    feats += ["k2|" + a + "|" + b for a, b in zip(sk, sk[1:])]
    feats += ["k3|" + a + "|" + b + "|" + c for a, b, c in zip(sk, sk[1:], sk[2:])]
    feats += ["k4|" + a + "|" + b + "|" + c + "|" + d for a, b, c, d in zip(sk, sk[1:], sk[2:], sk[3:])]
    # the sentence's shape: length, commas, share of frequent words (buckets)
    n = len(toks)
    known = sum(1 for x in sk[1:-1] if x[0] != "<")
    feats += ["len|%d" % min(n // 8, 6), "comma|%d" % min(sentence.count(","), 6), "voc|%d" % (10 * known // n)]
    mask = DIM - 1
    crc = zlib.crc32
    return [crc(f.encode("utf-8")) & mask for f in feats], 1.0 / math.sqrt(n + 1)


def hashed_features(sentence: str, vocab: frozenset) -> dict[int, float]:
    """Hashed feature index -> value for one sentence (see :func:`hashed_indices`)."""
    idx, v = hashed_indices(sentence, vocab)
    out: dict[int, float] = {}
    for k in idx:
        out[k] = out.get(k, 0.0) + v
    return out


@dataclass(frozen=True)
class Model:
    vocab: frozenset
    dense_names: tuple
    dense: np.ndarray  # weights of the dense symptom features
    hashed: np.ndarray  # DIM weights
    bias: float
    doc_a: float  # document log-odds = doc_a * (word-weighted mean sentence log-odds) + doc_b
    doc_b: float


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> Model | None:
    """The shipped model (None when the data file is missing)."""
    p = Path(path) if path else MODEL_PATH
    if not p.is_file():
        return None
    z = np.load(p, allow_pickle=False)
    return Model(vocab=frozenset(str(z["vocab"]).split("\n")), dense_names=tuple(str(z["dense_names"]).split("\n")),
                 dense=z["dense"].astype(np.float64), hashed=z["hashed"].astype(np.float32), bias=float(z["bias"]),
                 doc_a=float(z["doc_a"]), doc_b=float(z["doc_b"]))


def save_model(path, vocab, dense_names, dense, hashed, bias, doc_a, doc_b) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, vocab=np.array("\n".join(sorted(vocab))), dense_names=np.array("\n".join(dense_names)),
                        dense=np.asarray(dense, dtype=np.float32), hashed=np.asarray(hashed, dtype=np.float16),
                        bias=np.float32(bias), doc_a=np.float32(doc_a), doc_b=np.float32(doc_b))
