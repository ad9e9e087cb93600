"""Train the sentence model of the garble score and calibrate the document score.

    python -m eval.garble_train [--out eval/data/garble_model.npz] [--cv]

Data (never the corpus's ``test`` split):

- clean English: the WMT newstest2018 zh-en English references
  (``../shared/data/wmt/newstest2018.zh-en.eng``: edited news English about China
  and the world) and the content lines of the development corpus's clean pages
  (``bench/realpages_corpus.py``, ``dev`` split) and seed 002;
- garbled English: the content lines of the development corpus's garbled pages
  (``dev`` split) and seeds 000, 003 and 004.

The seeds (the project's own labelled documents, whose routes the tests pin) weigh
``SEED_WEIGHT`` times a page sentence.  newstest2017 stays out, so the tests that rank
its references see text the model did not.

The frequent-word list of the skeleton features comes from the WMT references
alone.  A weighted logistic regression (L2; the symptom weights kept >= 0, so a
symptom never lowers the score) is fitted with scipy's L-BFGS-B; ``--cv`` prints
site-grouped cross-validated figures on the dev pages first.  The document
calibration (``doc_a``, ``doc_b``) is fitted on out-of-fold sentence log-odds of
the dev pages, so routing at 0.5 reads a probability the model did not see while
fitting.  Only aggregate weights are written (hashed, float16), no text.
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
SEED_GARBLED = ("000_93d24b2d31ac7832", "003_cded1adef65ac78b", "004_a3e962ce704494b6")
SEED_CLEAN = ("002_a925a762f2fa1f6b",)
SEED_WEIGHT = 3.0  # the project's own labelled documents weigh more than one corpus page
CLEAN_MISROUTED = 0.03  # share of dev clean pages the calibrated score may rate garbled


def _vocab(lines: list[str]) -> frozenset:
    from eval.garble_model import tokens

    c = collections.Counter(t.lower() for line in lines for t in tokens(line) if t[0].isalpha())
    return frozenset(w for w, _ in c.most_common(VOCAB_SIZE))


def _sents(text: str) -> list[str]:
    from eval.garble import scoring_sentences

    return [s for s in scoring_sentences(text) if len(s.split()) >= MIN_WORDS]


def gather(wmt_dir: Path = SHARED_WMT):
    """(references, sentences, labels, groups, hosts, pages): group is the page id (or "wmt") for grouped folds."""
    sys.path.insert(0, str(ROOT))
    from bench.realpages_corpus import load

    refs = (wmt_dir / "newstest2018.zh-en.eng").read_text(encoding="utf-8").splitlines()
    S, y, g, host = [], [], [], []
    for s in refs:
        if len(s.split()) >= MIN_WORDS:
            S.append(s), y.append(0), g.append("wmt"), host.append("wmt")
    for d in SEED_GARBLED + SEED_CLEAN:
        for s in _sents((SEEDS / f"{d}.txt").read_text(encoding="utf-8")):
            S.append(s), y.append(int(d in SEED_GARBLED)), g.append("seed:" + d), host.append("seed")
    pages = [p for p in load(lang="en", split="dev") if p.text is not None and p.kind in ("garbled", "clean")]
    from urllib.parse import urlsplit

    for p in pages:
        text = "\n".join(line for _, line, lab in p.lines() if lab == "C")
        for s in _sents(text):
            S.append(s), y.append(int(p.kind == "garbled")), g.append(p.id)
            host.append((urlsplit(p.url).hostname or "").removeprefix("www."))
    return refs, S, np.array(y), g, host, pages


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
    # site-grouped folds over the dev pages; WMT and seed sentences always train
    page_hosts = sorted({h for h in hosts if h not in ("wmt", "seed")})
    fold_of = {h: i % args.folds for i, h in enumerate(page_hosts)}
    oof = np.full(len(S), np.nan)
    for k in range(args.folds):
        test = np.array([fold_of.get(h, -1) == k for h in hosts])
        wd, wh, b = fit(D[~test], H[~test], y[~test], _weights(y[~test], [h for h, t in zip(hosts, test) if not t]))
        oof[test] = D[test] @ wd + H[test] @ wh + b
    mask = ~np.isnan(oof)
    print(f"cross-validated sentence AUC on dev pages: {_auc(oof[mask & (y == 1)], oof[mask & (y == 0)]):.3f}")
    # document calibration on out-of-fold means
    by_page = collections.defaultdict(list)
    for i in np.flatnonzero(mask):
        by_page[groups[i]].append(i)
    kinds = {p.id: p.kind for p in pages}
    xs, ys = [], []
    for pid, idx in by_page.items():
        xs.append(doc_features(oof[idx], [S[i] for i in idx]))
        ys.append(int(kinds[pid] == "garbled"))
    xs, ys = np.array(xs), np.array(ys)
    print(f"cross-validated document AUC on dev pages (mean log-odds): {_auc(xs[ys == 1, 0], xs[ys == 0, 0]):.3f} "
          f"({len(xs)} pages)")
    a, b0 = _calibrate(xs, ys)
    z = a * xs[:, 0] + b0
    # routing must leave clean English alone: raise the bar until at most CLEAN_MISROUTED of the dev clean
    # pages (out of fold) would be routed to normalisation
    clean_z = np.sort(z[ys == 0])[::-1]
    allowed = int(CLEAN_MISROUTED * len(clean_z))
    if len(clean_z) > allowed and clean_z[allowed] >= 0:
        b0 -= clean_z[allowed] + 1e-3
        z = a * xs[:, 0] + b0
    print(f"calibration doc_a {a:.3f} doc_b {b0:.3f}: "
          f"dev garbled >= 0.5: {int((z[ys == 1] >= 0).sum())}/{int(ys.sum())}, "
          f"dev clean < 0.5: {int((z[ys == 0] < 0).sum())}/{int((1 - ys).sum())}")
    if os.environ.get("GARBLE_TRAIN_DUMP"):
        np.savez(os.environ["GARBLE_TRAIN_DUMP"], oof=oof, y=y, groups=np.array(groups), hosts=np.array(hosts),
                 sents=np.array(S, dtype=object), allow_pickle=True)
    wd, wh, b = fit(D, H, y, _weights(y, hosts))
    save_model(args.out, vocab, dense_names, wd, wh, b, a, b0)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KiB; {time.time() - t0:.0f} s); dense weights: "
          + ", ".join(f"{n} {v:.2f}" for n, v in zip(dense_names, wd)))
    return 0


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
