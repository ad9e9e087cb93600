"""Train the sentence model of the garble score and calibrate the document score.

    python -m eval.garble_train [--out eval/data/garble_model.npz] [--cv]

Data (never the corpus's ``test`` split):

- clean English: the WMT newstest2018 zh-en English references
  (``../shared/data/wmt/newstest2018.zh-en.eng``: edited news English about China
  and the world) and the content lines of the development corpus's clean pages
  (``bench/realpages_corpus.py``, ``dev`` split);
- garbled English: the content lines of the development corpus's garbled pages
  (``dev`` split) and the English seeds (000, 002, 003 and 004: their kind in
  ``seeds/manifest.jsonl``; 002, the official site's own stiff English, is mildly
  garbled under ``shared/labelling.md``).

The seeds (the project's own labelled documents, whose routes the tests pin) weigh
``SEED_WEIGHT`` times a page sentence.  newstest2017 stays out, so the tests that rank
its references see text the model did not.

The frequent-word list of the skeleton features comes from the WMT references
alone.  A weighted logistic regression (L2; the symptom weights kept >= 0, so a
symptom never lowers the score) is fitted with scipy's L-BFGS-B.  First, on
``--folds`` site-grouped folds of the dev pages (the WMT references spread over the
folds in documents of ``WMT_BLOCK`` lines; the seeds always train), it prints the
cross-validated sentence and document AUC and scores every page and WMT document
out of fold.  The document calibration (``doc_a``, ``doc_b``) is fitted on those
out-of-fold scores of the sentences routing reads (the paragraphs
``cleanup.clean_source`` keeps), and the bar at 0.5 is placed where
``CLEAN_ERROR_COST`` x clean documents above it + garbled pages below it is least,
midway between the scores around it: routing reads scores the model did not see
while fitting.  Only aggregate weights are written (hashed, float16), no text.
"""
from __future__ import annotations

import argparse
import collections
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED_WMT = ROOT.parent / "shared" / "data" / "wmt"
VOCAB_SIZE = 400
L2_HASHED = 1.0
L2_DENSE = 0.5
MIN_WORDS = 3
SEEDS = ROOT / "seeds"
SEED_WEIGHT = 3.0  # the project's own labelled documents weigh more than one corpus page
WMT_BLOCK = 20  # WMT reference lines per document, for the folds and the routing bar


def _seed_kinds() -> dict[str, str]:
    """English seed id -> ``garbled`` or ``clean``, from ``seeds/manifest.jsonl``."""
    import json

    out = {}
    for line in (SEEDS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r.get("kind") in ("garbled-en", "clean-en"):
            out[r["id"]] = r["kind"].removesuffix("-en")
    return out


#: a clean page routed ``normalise`` costs as much as this many garbled pages left ``light`` when the bar is
#: chosen: the targets allow 3 % of clean pages misrouted and 10 % of garbled ones, so per page of a corpus of
#: about as many of each, a clean error weighs 10/3 times a garbled one; rounded up, clean text is kept safe
CLEAN_ERROR_COST = 4.0


def _vocab(lines: list[str]) -> frozenset:
    from eval.garble_model import tokens

    c = collections.Counter(t.lower() for line in lines for t in tokens(line) if t[0].isalpha())
    return frozenset(w for w, _ in c.most_common(VOCAB_SIZE))


def _sents(text: str) -> list[str]:
    from eval.garble import scoring_sentences

    return [s for s in scoring_sentences(text) if len(s.split()) >= MIN_WORDS]


def gather(wmt_dir: Path = SHARED_WMT):
    """(references, sentences, labels, groups, hosts, pages): group is the page id, ``seed:<id>`` or
    ``wmt:<block>`` for grouped folds."""
    sys.path.insert(0, str(ROOT))
    from bench.realpages_corpus import load

    refs = (wmt_dir / "newstest2018.zh-en.eng").read_text(encoding="utf-8").splitlines()
    S, y, g, host = [], [], [], []
    for i, s in enumerate(refs):
        if len(s.split()) >= MIN_WORDS:  # grouped in documents of WMT_BLOCK lines
            S.append(s), y.append(0), g.append(f"wmt:{i // WMT_BLOCK}"), host.append("wmt")
    for d, kind in sorted(_seed_kinds().items()):
        for s in _sents((SEEDS / f"{d}.txt").read_text(encoding="utf-8")):
            S.append(s), y.append(int(kind == "garbled")), g.append("seed:" + d), host.append("seed")
    pages = [p for p in load(lang="en", split="dev") if p.text is not None and p.kind in ("garbled", "clean")]
    for p in pages:
        text = "\n".join(line for _, line, lab in p.lines() if lab == "C")
        for s in _sents(text):
            S.append(s), y.append(int(p.kind == "garbled")), g.append(p.id)
            host.append(_host(p))
    return refs, S, np.array(y), g, host, pages


def _host(page) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(page.url).hostname or "").removeprefix("www.")


def routed_sentences(page) -> list[str]:
    """The sentences routing reads for ``page``: those of the paragraphs ``cleanup.clean_source`` keeps."""
    from cleanup import clean_source, detect_language
    from eval.garble import _words, scoring_sentences

    text = "\n".join(clean_source(page.text, lang=detect_language(page.text)[0]).paragraphs)
    return [s for s in scoring_sentences(text) if _words(s)]


def featurise(sentences, vocab, dense_names):
    from scipy import sparse

    from eval.garble import _dense
    from eval.garble_model import DIM, hashed_features

    rows, cols, vals = [], [], []
    D = np.zeros((len(sentences), len(dense_names)))
    for i, s in enumerate(sentences):
        for k, v in hashed_features(s, vocab).items():
            rows.append(i), cols.append(k), vals.append(v)
        D[i] = _dense(s, dense_names, ())
    H = sparse.csr_matrix((vals, (rows, cols)), shape=(len(sentences), DIM))
    return D, H


def fit(D, H, y, w):
    """Weighted L2 logistic regression; returns (dense weights, hashed weights, bias)."""
    from scipy.optimize import minimize

    nd, nh = D.shape[1], H.shape[1]
    used = np.unique(H.indices)
    Hu = H[:, used]

    def f(theta):
        wd, wh, b = theta[:nd], theta[nd:nd + len(used)], theta[-1]
        z = D @ wd + Hu @ wh + b
        # log(1+exp(-yz)) with y in {-1,1}
        ys = 2 * y - 1
        m = -ys * z
        loss = np.where(m > 30, m, np.log1p(np.exp(np.minimum(m, 30))))
        p = 1 / (1 + np.exp(np.clip(-m, -30, 30)))  # sigmoid(m)
        gz = -ys * p * w
        obj = float(np.sum(w * loss)) + 0.5 * L2_HASHED * float(wh @ wh) + 0.5 * L2_DENSE * float(wd @ wd)
        grad = np.concatenate([D.T @ gz + L2_DENSE * wd, Hu.T @ gz + L2_HASHED * wh, [gz.sum()]])
        return obj, grad

    theta0 = np.zeros(nd + len(used) + 1)
    bounds = [(0, None)] * nd + [(None, None)] * (len(used) + 1)
    res = minimize(f, theta0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 400})
    th = res.x
    hashed = np.zeros(nh)
    hashed[used] = th[nd:nd + len(used)]
    return th[:nd], hashed, float(th[-1])


def _weights(y, hosts=None):
    """Balanced class weights; among clean sentences, the pages' and the references' halves weigh the same."""
    n1, n0 = max(int(y.sum()), 1), max(int((1 - y).sum()), 1)
    w = np.where(y == 1, 0.5 * len(y) / n1, 0.5 * len(y) / n0)
    if hosts is not None:
        ref = np.array([h == "wmt" for h in hosts]) & (y == 0)
        page = ~np.array([h == "wmt" for h in hosts]) & (y == 0)
        if ref.any() and page.any():
            w[ref] = 0.25 * len(y) / ref.sum()
            w[page] = 0.25 * len(y) / page.sum()
        w[np.array([h == "seed" for h in hosts])] *= SEED_WEIGHT
    return w


def _auc(pos, neg):
    sys.path.insert(0, str(ROOT))
    from bench.realpages_garble import auc

    return auc(list(pos), list(neg))


def doc_features(logits, sentences):
    """(word-weighted mean log-odds,) of a page's sentences with the prior, as eval.garble computes it."""
    from eval.garble import PRIOR_LOG_ODDS, PRIOR_WORDS, _words

    num, den = PRIOR_WORDS * PRIOR_LOG_ODDS, PRIOR_WORDS
    for z, s in zip(logits, sentences):
        w = min(_words(s), 40)
        num += w * z
        den += w
    return (num / den,)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "eval" / "data" / "garble_model.npz"))
    ap.add_argument("--wmt", default=str(SHARED_WMT))
    ap.add_argument("--folds", type=int, default=4)
    args = ap.parse_args(argv)
    from eval.garble import WEIGHTS
    from eval.garble_model import save_model

    t0 = time.time()
    refs, S, y, groups, hosts, pages = gather(Path(args.wmt))
    vocab = _vocab(refs)
    dense_names = tuple(WEIGHTS)
    D, H = featurise(S, vocab, dense_names)
    print(f"{len(S)} sentences ({int(y.sum())} garbled) from {len(pages)} dev pages, the seeds and WMT; "
          f"{H.nnz} feature values ({time.time() - t0:.0f} s)")
    # the sentences routing reads on each dev page (its paragraphs after cleanup), for the document calibration
    routed = {p.id: routed_sentences(p) for p in pages}
    RS = [s for p in pages for s in routed[p.id]]
    r_page = [p.id for p in pages for _ in routed[p.id]]
    r_host = [_host(p) for p in pages for _ in routed[p.id]]
    RD, RH = featurise(RS, vocab, dense_names)
    # site-grouped folds over the dev pages, WMT documents spread over the folds too; seed sentences always train
    page_hosts = sorted({h for h in hosts if h not in ("wmt", "seed")})
    fold_of = {h: i % args.folds for i, h in enumerate(page_hosts)}
    fold = np.array([int(gr.split(":")[1]) % args.folds if h == "wmt" else fold_of.get(h, -1)
                     for h, gr in zip(hosts, groups)])
    oof = np.full(len(S), np.nan)
    r_oof = np.full(len(RS), np.nan)
    for k in range(args.folds):
        test = fold == k
        wd, wh, b = fit(D[~test], H[~test], y[~test], _weights(y[~test], [h for h, t in zip(hosts, test) if not t]))
        oof[test] = D[test] @ wd + H[test] @ wh + b
        r_test = np.array([fold_of.get(h, -1) == k for h in r_host])
        r_oof[r_test] = RD[r_test] @ wd + RH[r_test] @ wh + b
    mask = ~np.isnan(oof) & np.array([h != "wmt" for h in hosts])
    print(f"cross-validated sentence AUC on dev pages: {_auc(oof[mask & (y == 1)], oof[mask & (y == 0)]):.3f}")
    # document calibration and bar on out-of-fold scores of what routing reads
    by_page = collections.defaultdict(list)
    for i, pid in enumerate(r_page):
        by_page[pid].append(i)
    xs = np.array([doc_features(r_oof[by_page[p.id]], [RS[i] for i in by_page[p.id]]) for p in pages])
    ys = np.array([int(p.kind == "garbled") for p in pages])
    print(f"cross-validated document AUC on dev pages (mean log-odds): {_auc(xs[ys == 1, 0], xs[ys == 0, 0]):.3f} "
          f"({len(xs)} pages)")
    # clean news English too: the WMT reference documents, out of fold
    wmt_docs = collections.defaultdict(list)
    for i, gr in enumerate(groups):
        if gr.startswith("wmt:"):
            wmt_docs[gr].append(i)
    xw = np.array([doc_features(oof[idx], [S[i] for i in idx]) for idx in wmt_docs.values()])
    a, b0 = _calibrate(xs, ys)
    z, zw = a * xs[:, 0] + b0, a * xw[:, 0] + b0
    bar = _bar(z, ys, zw)
    b0 -= bar
    z, zw = z - bar, zw - bar
    print(f"calibration doc_a {a:.3f} doc_b {b0:.3f}: "
          f"dev garbled >= 0.5: {int((z[ys == 1] >= 0).sum())}/{int(ys.sum())}, "
          f"dev clean < 0.5: {int((z[ys == 0] < 0).sum())}/{int((1 - ys).sum())}, "
          f"WMT documents < 0.5: {int((zw < 0).sum())}/{len(zw)} (out of fold); "
          f"nearest page {np.min(np.abs(z)):.2f} log-odds from the bar")
    if os.environ.get("GARBLE_TRAIN_DUMP"):
        np.savez(os.environ["GARBLE_TRAIN_DUMP"], oof=oof, y=y, groups=np.array(groups), hosts=np.array(hosts),
                 r_oof=r_oof, r_page=np.array(r_page), doc_z=z, doc_y=ys, doc_ids=np.array([p.id for p in pages]),
                 wmt_z=zw)
    wd, wh, b = fit(D, H, y, _weights(y, hosts))
    save_model(args.out, vocab, dense_names, wd, wh, b, a, b0)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KiB; {time.time() - t0:.0f} s); dense weights: "
          + ", ".join(f"{n} {v:.2f}" for n, v in zip(dense_names, wd)))
    return 0


def _bar(z, ys, z_news=None) -> float:
    """The routing bar on out-of-fold document log-odds ``z`` (labels ``ys``): the one that minimises
    ``CLEAN_ERROR_COST`` x (clean documents at or above it) + (garbled pages below it), placed midway between
    the two scores around it; among equal costs, the widest gap (the largest margin) wins.  ``z_news``, clean
    news documents, count as clean; as a group they weigh as much as the clean pages."""
    z_news = np.zeros(0) if z_news is None else np.asarray(z_news)
    n_clean = int(np.sum(ys == 0))
    w_news = n_clean / len(z_news) if len(z_news) else 0.0
    v = np.unique(np.concatenate([z, z_news]))
    cands = np.concatenate([[v[0] - 1.0], (v[:-1] + v[1:]) / 2, [v[-1] + 1.0]])
    gaps = np.concatenate([[1.0], np.diff(v), [1.0]])
    cost = np.array([CLEAN_ERROR_COST * (np.sum(z[ys == 0] >= t) + w_news * np.sum(z_news >= t))
                     + np.sum(z[ys == 1] < t) for t in cands])
    best = np.flatnonzero(cost == cost.min())
    return float(cands[best[np.argmax(gaps[best])]])


def _calibrate(xs, ys):
    """Balanced logistic fit of page labels on the mean sentence log-odds: (a, b)."""
    from scipy.optimize import minimize

    w = _weights(ys)

    def f(t):
        z = t[0] * xs[:, 0] + t[1]
        m = -(2 * ys - 1) * z
        return float(np.sum(w * np.logaddexp(0, m))) + 0.01 * t[0] ** 2

    r = minimize(f, np.array([1.0, 0.0]), method="Nelder-Mead")
    return float(r.x[0]), float(r.x[1])


if __name__ == "__main__":
    sys.exit(main())
