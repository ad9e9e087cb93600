"""Build a CTranslate2 vocabulary map (``vmap.txt``) from parallel text.

The map is the optional speed lever of the CTranslate2 backend (``--vmap``): at
each decoding step the output layer is restricted to the target pieces that the
map allows for the batch's source pieces, instead of the whole 65k vocabulary.
It can change the output (a piece the map leaves out cannot be produced), so it is
off by default, part of the cache identity when on, and only as good as the
parallel text it was built from: use a large sample of in-domain pairs (tens of
thousands of lines), never the test set you score on.

The file has one line per source piece, ``SOURCE<TAB>TARGET TARGET ...``, and a
first line with an empty source: pieces allowed for every batch (the most
frequent target pieces: function words, punctuation).  A source piece's targets
are those that co-occur with it in at least ``min_count`` sentence pairs, the most
likely first (``count(s, t) / count(s)``), ``per_source`` at most.

This example needs a model (a converted CTranslate2 directory), so it does not
run with the docstring examples; ``tests/test_mt_vmap.py`` builds maps this way::

    >>> build_vmap(model_dir, open("train.zh"), open("train.en"))   # doctest: +SKIP
    PosixPath('.../vmap.txt')
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from mt.atomic import atomic_write_text
from mt.backends.ct2 import SPECIAL_TOKENS, VMAP_FILE, check_ct2_dir
from mt.errors import ModelUnavailable, UserError


def _target_vocabulary(model_dir: Path) -> set[str]:
    for name in ("target_vocabulary.json", "shared_vocabulary.json"):
        path = model_dir / name
        if path.is_file():
            return set(json.loads(path.read_text(encoding="utf-8")))
    raise ModelUnavailable(f"{model_dir} has no CTranslate2 vocabulary; convert it with `retranslate models convert`.")


def build_vmap(model_dir, sources: Iterable[str], targets: Iterable[str], *, per_source: int = 50,
               always: int = 1000, min_count: int = 2) -> Path:
    """Write ``model_dir/vmap.txt`` from aligned source and target lines; returns its path.

    ``model_dir`` is a converted CTranslate2 directory (with ``source.spm`` and
    ``target.spm``).  Lines are paired in order; pairs with an empty side are skipped.
    Raises ``UserError`` when fewer than one pair is usable.
    """
    import sentencepiece as spm

    model_dir = Path(model_dir)
    check_ct2_dir(model_dir)
    vocab = _target_vocabulary(model_dir)
    sp_src = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    sp_tgt = spm.SentencePieceProcessor(model_file=str(model_dir / "target.spm"))

    src_count: Counter[str] = Counter()
    tgt_count: Counter[str] = Counter()
    pair_count: dict[str, Counter[str]] = {}
    pairs = 0
    for src, tgt in zip(sources, targets):
        src, tgt = src.strip(), tgt.strip()
        if not src or not tgt:
            continue
        pairs += 1
        s_pieces = set(sp_src.encode(src, out_type=str))
        t_pieces = [p for p in set(sp_tgt.encode(tgt, out_type=str)) if p in vocab and p not in SPECIAL_TOKENS]
        src_count.update(s_pieces)
        tgt_count.update(t_pieces)
        for s in s_pieces:
            pair_count.setdefault(s, Counter()).update(t_pieces)
    if not pairs:
        raise UserError("no usable sentence pairs: give aligned source and target files of the same length")

    lines = ["\t" + " ".join(t for t, _ in tgt_count.most_common(always))]
    for s in sorted(pair_count):
        n = src_count[s]
        ranked = sorted(((c / n, c, t) for t, c in pair_count[s].items() if c >= min_count), reverse=True)
        if ranked:
            lines.append(s + "\t" + " ".join(t for _, _, t in ranked[:per_source]))
    path = model_dir / VMAP_FILE
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path
