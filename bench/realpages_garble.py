"""Garble score on the real-page corpus: how well it separates garbled from clean English, and the routes it gives.

For every English page of ``bench/realpages_corpus.py`` with a local text and a
kind (``garbled`` or ``clean``), per split:

- ``doc_auc``: the chance that a garbled page scores above a clean one, the score
  being the one routing reads (``eval.garble_score`` of the paragraphs
  ``cleanup.clean_source`` keeps; ties count half);
- ``doc_auc_no_lower``: the same without the lowercase-start evidence (cut-off
  paragraph openings, common on scraped pages, say nothing about the translation);
- ``sent_auc``: the same over single sentences of the lines labelled content, each scored
  alone (``eval.garble.sentence_score``; sentences of four words or more; a garbled page's
  sentences count as garbled);
- ``routed_normalise`` / ``garbled``: garbled pages the pipeline routes ``normalise``;
  ``routed_light`` / ``clean``: clean pages it routes ``light``.

``python bench/realpages_garble.py`` prints one line per split and the pooled figures.
``bench/realpages.py`` reads :func:`report` for its garble columns.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.realpages_corpus import load  # noqa: E402

KINDS = ("garbled", "clean")
MIN_SENT_WORDS = 4


def auc(pos: list[float], neg: list[float]) -> float | None:
    """P(score of a positive > score of a negative), ties counting half (Mann-Whitney U / n·m)."""
    if not pos or not neg:
        return None
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + j + 1) / 2.0  # ranks are 1-based: i+1 .. j
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1])
        i = j
    n, m = len(pos), len(neg)
    return (rank_sum - n * (n + 1) / 2.0) / (n * m)


def _content_sentences(page) -> list[str]:
    from eval.garble import scoring_sentences

    text = "\n".join(line for _, line, lab in page.lines() if lab == "C")
    return [s for s in scoring_sentences(text) if len(s.split()) >= MIN_SENT_WORDS]


def score_page(page) -> dict:
    """Route one page as the pipeline does (detect, clean, route) and score it."""
    from eval.garble import garble_score, sentence_score
    from mt.pipeline import clean, detect, route
    from mt.record import Document

    doc = Document(id=page.id, raw=page.text)
    detect(doc)
    clean(doc, None)
    route(doc)
    text = "\n".join(doc.paragraphs)
    return {
        "id": page.id, "split": page.split, "kind": page.kind, "route": doc.route,
        "score": float(doc.metadata.get("garble_score") or 0.0),
        "score_no_lower": float(garble_score(text, without=("lower_start",))) if text.strip() else 0.0,
        "sentences": [float(sentence_score(s)) for s in _content_sentences(page)],
    }


def _summary(rows: list[dict]) -> dict:
    g = [r for r in rows if r["kind"] == "garbled"]
    c = [r for r in rows if r["kind"] == "clean"]
    out = {
        "garbled": len(g), "clean": len(c),
        "doc_auc": auc([r["score"] for r in g], [r["score"] for r in c]),
        "doc_auc_no_lower": auc([r["score_no_lower"] for r in g], [r["score_no_lower"] for r in c]),
        "sent_auc": auc([s for r in g for s in r["sentences"]], [s for r in c for s in r["sentences"]]),
        "sentences_garbled": sum(len(r["sentences"]) for r in g),
        "sentences_clean": sum(len(r["sentences"]) for r in c),
        "routed_normalise": sum(r["route"] == "normalise" for r in g),
        "routed_light": sum(r["route"] == "light" for r in c),
    }
    return out


def report(pages=None) -> dict:
    """Garble figures for ``pages`` (default: every English page with a local text).

    Returns ``{"splits": {split: summary}, "all": summary, "rows": [...]}``; a summary holds
    ``doc_auc``, ``doc_auc_no_lower``, ``sent_auc`` (None where a class is missing),
    ``garbled``, ``clean``, ``routed_normalise`` (garbled pages routed normalise) and
    ``routed_light`` (clean pages routed light).
    """
    if pages is None:
        pages = load(lang="en")
    rows = [score_page(p) for p in pages if p.lang == "en" and p.kind in KINDS and p.text is not None]
    splits = sorted({r["split"] for r in rows})
    return {"splits": {s: _summary([r for r in rows if r["split"] == s]) for s in splits},
            "all": _summary(rows), "rows": rows}


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.3f}"


def main(argv=None) -> int:
    t0 = time.time()
    rep = report()
    if not rep["rows"]:
        print("no English page texts present locally: see bench/realpages_corpus.py")
        return 1
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    for name, s in list(rep["splits"].items()) + [("all", rep["all"])]:
        print(f"{name:5s} doc_auc {_fmt(s['doc_auc'])} doc_auc_no_lower {_fmt(s['doc_auc_no_lower'])} "
              f"sent_auc {_fmt(s['sent_auc'])} ({s['sentences_garbled']}/{s['sentences_clean']} sentences) "
              f"routed_normalise {s['routed_normalise']}/{s['garbled']} routed_light {s['routed_light']}/{s['clean']}")
    print(f"({len(rep['rows'])} pages, {time.time() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
