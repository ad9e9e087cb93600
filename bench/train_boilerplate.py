"""Train the line model of the boilerplate stripper (``cleanup/data/boilerplate_model.json``).

Training lines: the ``dev`` split of the real-pages corpus (every language; the
texts must be present locally, see ``bench/realpages_corpus.py``) and the seeds'
labelled lines (``seeds/labels/boilerplate.jsonl``).  The ``test`` split is never
read.  Only the lines the model will judge are used: lines no phrase cue removed,
up to ``cleanup.linemodel.MAX_CHARS`` long.

A logistic regression (numpy, full-batch Adam, L2) with content lines weighted
``--content-weight`` times a chrome line, since removing content is worse than
keeping chrome.  The decision threshold is chosen by cross-validation over sites
(folds never split a site): the lowest threshold at which the held-out content
lines removed stay under ``--max-loss`` of all content lines.

    python bench/train_boilerplate.py [--write] [--folds 5]

Without ``--write`` it prints the cross-validated figures only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]  # this checkout first

from realpages_corpus import load  # noqa: E402

from cleanup.boilerplate import cue_reasons, model_inputs  # noqa: E402
from cleanup.linemodel import FEATURES, MAX_CHARS, MODEL_PATH, N_DENSE, N_HASH, LineModel  # noqa: E402


def _docs():
    """(lines, lang, {raw line: 1 chrome / 0 content}, site) of every training document."""
    docs = []
    for p in load(split="dev"):
        if p.text is None:
            continue
        lab = {i: int(l == "B") for i, _, l in p.lines()}
        host = (urlsplit(p.url).hostname or p.url).lower().removeprefix("www.")
        docs.append((p.text.split("\n"), p.lang, lab, host))
    seeds = ROOT / "seeds"
    by_doc: dict[str, dict[int, int]] = {}
    for line in (seeds / "labels" / "boilerplate.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        by_doc.setdefault(r["doc"], {})[r["line"]] = int(r["label"] == "boilerplate")
    for doc, lab in sorted(by_doc.items()):
        path = next(seeds.glob(f"{doc}*.txt"), None) or seeds / f"{doc}.txt"
        text = path.read_text(encoding="utf-8")
        from cleanup.script import detect_language

        lang = "zh" if detect_language(text)[0] == "zh" else "en"
        docs.append((text.split("\n"), lang, lab, f"seed-{doc}"))
    return docs


TEXTS: list[str] = []


def _matrix(docs):
    """Rows of the judged lines: dense features, hashed buckets, label, site; and content totals per site."""
    X, H, y, site = [], [], [], []
    content_total: dict[str, int] = {}
    chrome_total: dict[str, int] = {}
    chrome_by_cue: dict[str, int] = {}
    content_by_cue: dict[str, int] = {}
    for lines, lang, lab, host in docs:
        idx, texts, reason = cue_reasons(lines, lang)
        rows, buckets = model_inputs(idx, texts, reason, lang)
        for k, i in enumerate(idx):
            g = lab.get(i)
            if g is None:
                continue
            content_total[host] = content_total.get(host, 0) + (g == 0)
            chrome_total[host] = chrome_total.get(host, 0) + (g == 1)
            if i in reason:
                chrome_by_cue[host] = chrome_by_cue.get(host, 0) + (g == 1)
                content_by_cue[host] = content_by_cue.get(host, 0) + (g == 0)
                continue
            if len(texts[i]) > MAX_CHARS:
                continue
            X.append(rows[k])
            hv = np.zeros(N_HASH)
            b = buckets[k]
            for j in b:
                hv[j] += 1.0 / np.sqrt(len(b))
            H.append(hv)
            y.append(g)
            site.append(host)
            TEXTS.append(texts[i])
    return (np.array(X), np.array(H), np.array(y, dtype=float), np.array(site),
            content_total, chrome_total, chrome_by_cue, content_by_cue)


def fit(X, H, y, content_weight: float, l2_dense: float, l2_hash: float, iters: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Weighted logistic regression by full-batch Adam."""
    w = np.zeros(X.shape[1])
    v = np.zeros(H.shape[1])
    sw = np.where(y == 0, content_weight, 1.0)
    sw = sw / sw.sum()
    params = [w, v]
    m = [np.zeros_like(w), np.zeros_like(v)]
    s = [np.zeros_like(w), np.zeros_like(v)]
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, iters + 1):
        z = X @ w + H @ v
        p = 1 / (1 + np.exp(-z))
        r = (p - y) * sw
        grads = [X.T @ r + l2_dense * w * np.r_[0.0, np.ones(len(w) - 1)], H.T @ r + l2_hash * v]
        for k in range(2):
            m[k] = b1 * m[k] + (1 - b1) * grads[k]
            s[k] = b2 * s[k] + (1 - b2) * grads[k] ** 2
            params[k] -= lr * (m[k] / (1 - b1 ** t)) / (np.sqrt(s[k] / (1 - b2 ** t)) + 1e-8)
    return w, v


def _fold_of(site: str, folds: int) -> int:
    return int(hashlib.md5(site.encode()).hexdigest(), 16) % folds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"train on all and write {MODEL_PATH.relative_to(ROOT)}")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--content-weight", type=float, default=3.0)
    ap.add_argument("--l2-dense", type=float, default=1e-3)
    ap.add_argument("--l2-hash", type=float, default=3e-3)
    ap.add_argument("--errors", action="store_true", help="list the held-out misjudged lines")
    ap.add_argument("--max-loss", type=float, default=0.003, help="held-out content lines removed / content lines")
    args = ap.parse_args(argv)
    docs = _docs()
    X, H, y, site, content_total, chrome_total, chrome_by_cue, content_by_cue = _matrix(docs)
    n_content = sum(content_total.values())
    n_chrome = sum(chrome_total.values())
    cue_tp = sum(chrome_by_cue.values())
    cue_fp = sum(content_by_cue.values())
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; {len(docs)} documents, {len(set(site))} sites with judged lines; "
          f"{len(y)} lines judged by the model ({int(y.sum())} chrome); all labelled: {n_chrome} chrome, {n_content} content; "
          f"the cues alone find {cue_tp} chrome and remove {cue_fp} content")
    # cross-validation over sites
    oof = np.zeros(len(y))
    for f in range(args.folds):
        test = np.array([_fold_of(s, args.folds) == f for s in site])
        if test.all() or not test.any():
            continue
        w, v = fit(X[~test], H[~test], y[~test], args.content_weight, args.l2_dense, args.l2_hash)
        oof[test] = 1 / (1 + np.exp(-(X[test] @ w + H[test] @ v)))
    best = None
    print("threshold  held-out: content lost   chrome recall (with cues)   precision")
    for t in np.arange(0.30, 0.96, 0.05):
        pred = oof >= t
        fp = int((pred & (y == 0)).sum())
        tp = int((pred & (y == 1)).sum())
        loss = (fp + cue_fp) / n_content
        recall = (tp + cue_tp) / n_chrome
        prec = (tp + cue_tp) / max(1, tp + cue_tp + fp + cue_fp)
        print(f"  {t:.2f}       {100 * loss:5.2f}% ({fp + cue_fp})        {recall:.3f}                      {prec:.3f}")
        if best is None and fp / n_content <= args.max_loss:
            best = (float(round(t, 2)), loss, recall, prec)
    if args.errors:
        t = best[0] if best else 0.7
        for k in np.argsort(-oof):
            if (oof[k] >= t) != (y[k] == 1):
                print(f"  {'LOST' if y[k] == 0 else 'kept'} {oof[k]:.2f} {site[k]}: {TEXTS[k][:70]}")
    if best is None:
        best = (0.95, float("nan"), float("nan"), float("nan"))
    print(f"chosen threshold {best[0]:.2f}: held-out content lost {100 * best[1]:.2f}%, chrome recall {best[2]:.3f}, precision {best[3]:.3f}")
    if args.write:
        w, v = fit(X, H, y, args.content_weight, args.l2_dense, args.l2_hash)
        info = {"trained": time.strftime("%Y-%m-%d", time.gmtime()), "documents": len(docs), "lines": int(len(y)),
                "content_weight": args.content_weight, "l2_dense": args.l2_dense, "l2_hash": args.l2_hash,
                "cv_content_lost": round(best[1], 4), "cv_chrome_recall": round(best[2], 4)}
        MODEL_PATH.write_text(LineModel(w, v, best[0], info).to_json() + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
        top = sorted(zip(FEATURES, w), key=lambda x: -abs(x[1]))[:12]
        print("strongest features:", ", ".join(f"{n} {x:+.2f}" for n, x in top))
    assert X.shape[1] == N_DENSE
    return 0


if __name__ == "__main__":
    sys.exit(main())
