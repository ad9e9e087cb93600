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

    python bench/train_boilerplate.py [--write] [--folds 5] [--prior cleanup/data/boilerplate_model.json]

With ``--prior`` the fit starts from a model's weights and is pulled towards them
(``--prior-l2``) instead of towards zero: the shipped model was first trained on dev
pages whose local texts may be missing now, and a refit on the pages present keeps
what it learned from them.  Copy the model file aside first when it is also the output.

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
from cleanup.linemodel import CONTEXT, FEATURES, MAX_CHARS, MODEL_PATH, N_HASH, LineModel, context_features, page_guard  # noqa: E402


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
    """Per document: dense rows and hashed buckets of all its lines, labels, cue flags, judged flags.

    Also the totals of labelled chrome and content lines, and what the cues alone got right and wrong.
    """
    out = []
    n_content = n_chrome = cue_tp = cue_fp = 0
    for lines, lang, lab, host in docs:
        idx, texts, reason = cue_reasons(lines, lang)
        rows, buckets, todo = model_inputs(idx, texts, reason, lang)
        H = np.zeros((len(idx), N_HASH))
        for k, b in enumerate(buckets):
            for j in b:
                H[k, j] += 1.0 / np.sqrt(len(b))
        y = np.array([lab.get(i, -1) for i in idx], dtype=float)
        cue = np.array([i in reason for i in idx])
        judged = todo & np.array([lab.get(i) is not None for i in idx])
        n_content += int((y == 0).sum())
        n_chrome += int((y == 1).sum())
        cue_tp += int((cue & (y == 1)).sum())
        cue_fp += int((cue & (y == 0)).sum())
        out.append({"X": rows, "H": H, "y": y, "cue": cue, "judged": judged, "todo": todo, "site": host,
                    "texts": [texts[i] for i in idx]})
    return out, n_content, n_chrome, cue_tp, cue_fp


def _stack(docs, key, only=None):
    parts = [d[key][d["judged"]] for d in docs if only is None or only(d)]
    return np.concatenate(parts) if parts else np.zeros(0)


def fit(X, H, y, content_weight: float, l2_dense: float, l2_hash: float, iters: int = 600,
        w0: np.ndarray | None = None, v0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted logistic regression by full-batch Adam.

    ``w0``, ``v0``: prior weights (default zero) the L2 terms pull towards, and where the fit starts.
    """
    w0 = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float)
    v0 = np.zeros(H.shape[1]) if v0 is None else np.asarray(v0, dtype=float)
    w, v = w0.copy(), v0.copy()
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
        grads = [X.T @ r + l2_dense * (w - w0) * np.r_[0.0, np.ones(len(w) - 1)], H.T @ r + l2_hash * (v - v0)]
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
    ap.add_argument("--max-loss", type=float, default=0.001, help="held-out content lines removed by the model / content lines "
                    "(the cues and position rules spend about 0.3%% of the 0.5%% allowed)")
    ap.add_argument("--prior", default=None, help="a model file (e.g. the shipped one) whose weights the fit starts from "
                    "and is pulled towards, instead of zero: keeps what it learned from pages no longer present")
    ap.add_argument("--prior-l2", type=float, default=1.0, help="strength of the pull towards --prior's weights")
    args = ap.parse_args(argv)
    docs, n_content, n_chrome, cue_tp, cue_fp = _matrix(_docs())
    judged_y = _stack(docs, "y")
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; {len(docs)} documents, "
          f"{len(set(d['site'] for d in docs))} sites; {len(judged_y)} lines judged by the model ({int(judged_y.sum())} chrome); "
          f"all labelled: {n_chrome} chrome, {n_content} content; the cues alone find {cue_tp} chrome and remove {cue_fp} content")
    a = args
    w0 = v0 = u0 = None
    if a.prior:
        prior = LineModel.from_json(Path(a.prior).read_text(encoding="utf-8"))
        w0, v0, u0 = prior.dense, prior.hashed, prior.context
        a.l2_dense = a.l2_hash = a.prior_l2
        print(f"prior: {a.prior} ({prior.info.get('documents')} documents), pulled with L2 {a.prior_l2}")

    def stage1(train):
        return fit(_stack(train, "X"), _stack(train, "H"), _stack(train, "y"), a.content_weight, a.l2_dense, a.l2_hash,
                   w0=w0, v0=v0)

    def p1_of(d, w, v):  # as LineModel.first_scores: 1 for cue lines, 0 for lines too long to judge
        p = 1 / (1 + np.exp(-(d["X"] @ w + d["H"] @ v)))
        return np.where(d["cue"], 1.0, np.where(d["todo"], p, 0.0))

    # cross-validation over sites: first stage held out, then the second stage on held-out first-stage scores
    fold = {d["site"]: _fold_of(d["site"], a.folds) for d in docs}
    for f in range(a.folds):
        train = [d for d in docs if fold[d["site"]] != f]
        w, v = stage1(train)
        for d in docs:
            if fold[d["site"]] == f:
                d["p1"] = p1_of(d, w, v)
                d["C"] = context_features(d["p1"])
    C = np.concatenate([d["C"][d["judged"]] for d in docs])
    y = judged_y
    site = np.concatenate([[d["site"]] * int(d["judged"].sum()) for d in docs])
    oof = np.zeros(len(y))
    for f in range(a.folds):
        test = np.array([fold[s] == f for s in site])
        if test.all() or not test.any():
            continue
        u, _ = fit(C[~test], np.zeros((int((~test).sum()), 1)), y[~test], a.content_weight, a.l2_dense, 0.0, w0=u0)
        oof[test] = 1 / (1 + np.exp(-(C[test] @ u)))
    texts = [t for d in docs for t, j in zip(d["texts"], d["judged"]) if j]
    best = None
    print("threshold  held-out: content lost   chrome recall (with cues)   precision")
    doc_of = np.concatenate([[n] * int(d["judged"].sum()) for n, d in enumerate(docs)])

    allowed = np.ones(len(y), dtype=bool)  # held-out lines on pages the page guard lets the model judge
    for n, d in enumerate(docs):
        sel = doc_of == n
        if sel.any():
            page = np.zeros(len(d["cue"]))
            page[d["judged"]] = oof[sel]
            allowed[sel] = page_guard(page, d["todo"], d["cue"])

    def guarded(t):
        return (oof >= t) & allowed

    for t in np.arange(0.30, 0.96, 0.05):
        pred = guarded(t)
        fp = int((pred & (y == 0)).sum())
        tp = int((pred & (y == 1)).sum())
        loss = (fp + cue_fp) / n_content
        recall = (tp + cue_tp) / n_chrome
        prec = (tp + cue_tp) / max(1, tp + cue_tp + fp + cue_fp)
        print(f"  {t:.2f}       {100 * loss:5.2f}% ({fp + cue_fp})        {recall:.3f}                      {prec:.3f}")
        if best is None and fp / n_content <= a.max_loss:
            best = (float(round(t, 2)), loss, recall, prec)
    if a.errors:
        t = best[0] if best else 0.7
        pred = guarded(t)
        for k in np.argsort(-oof):
            if pred[k] != (y[k] == 1):
                print(f"  {'LOST' if y[k] == 0 else 'kept'} {oof[k]:.2f} {site[k]}: {texts[k][:70]}")
    if best is None:
        best = (0.95, float("nan"), float("nan"), float("nan"))
    print(f"chosen threshold {best[0]:.2f}: held-out content lost {100 * best[1]:.2f}%, chrome recall {best[2]:.3f}, precision {best[3]:.3f}")
    if args.write:
        w, v = stage1(docs)
        u, _ = fit(C, np.zeros((len(y), 1)), y, a.content_weight, a.l2_dense, 0.0, w0=u0)
        info = {"trained": time.strftime("%Y-%m-%d", time.gmtime()), "documents": len(docs), "lines": int(len(y)),
                "content_weight": args.content_weight, "l2_dense": args.l2_dense, "l2_hash": args.l2_hash,
                "cv_content_lost": round(best[1], 4), "cv_chrome_recall": round(best[2], 4)}
        if a.prior:
            info["prior"] = {"documents": prior.info.get("documents"), "trained": prior.info.get("trained"), "l2": a.prior_l2}
        MODEL_PATH.write_text(LineModel(w, v, best[0], info, context=u).to_json() + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
        top = sorted(zip(FEATURES, w), key=lambda x: -abs(x[1]))[:12]
        print("strongest features:", ", ".join(f"{n} {x:+.2f}" for n, x in top))
        print("second stage:", ", ".join(f"{n} {x:+.2f}" for n, x in zip(CONTEXT, u)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
