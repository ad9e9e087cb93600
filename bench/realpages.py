"""Cleanup and garble figures on the real-pages corpus, per split.

Runs on whatever part of the corpus is present locally (texts checked against
their SHA-1, see ``bench/realpages_corpus.py``) and prints, per split (``dev``,
then the untuned ``test``):

- boilerplate precision / recall / F1 of the BOILERPLATE class, pooled over lines,
  with the Chinese chrome recall on its own;
- content lost: CONTENT and HEADLINE lines removed / all of them;
- headline joins: HEADLINE lines that no longer stand on a line of their own;
- the garble figures of ``bench/realpages_garble.py`` (document and sentence AUC,
  routing counts) when that module is present.

A line counts as removed when the cleanup removed its raw line (the scoring of
``shared/labelling.md``: a kept line still stands in the output, perhaps slightly
rewritten).  The last line holds the figures of the untuned split::

    bp_f1 X content_loss Y headline_joins Z garble_doc_auc A garble_sent_auc B routed_normalise N/M

``--errors`` lists the misjudged lines of the ``dev`` split (never of ``test``:
its documents are not looked at one by one).

    python bench/realpages.py [--errors] [--split dev|test]
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]  # this checkout first

from realpages_corpus import load  # noqa: E402

from cleanup import clean_source  # noqa: E402
from cleanup.repair import fix_unicode, fix_whitespace  # noqa: E402


def _norm(s: str) -> str:
    return "".join(s.split())


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    content: int = 0
    lost: int = 0
    headlines: int = 0
    joins: int = 0
    zh_bp: int = 0
    zh_found: int = 0
    docs: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, o: "Tally") -> None:
        for k in ("tp", "fp", "fn", "content", "lost", "headlines", "joins", "zh_bp", "zh_found", "docs"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        self.errors += o.errors

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def content_loss(self) -> float:
        return self.lost / self.content if self.content else 0.0


def _headline_form(line: str, lang: str, converted: bool) -> str:
    """The headline as the cleanup would write it, if kept whole: repaired and in the output script."""
    s, _ = fix_unicode(line.strip(), lang)
    s, _ = fix_whitespace(s, lang)
    if converted:
        from cleanup.script import to_simplified

        s = to_simplified(s)
    return _norm(s)


def score_page(page) -> Tally:
    """Boilerplate and headline figures of one labelled page."""
    t = Tally(docs=1)
    res = clean_source(page.text, lang=page.lang)
    removed = {r.line for r in res.removed}
    paragraphs = {_norm(p) for p in res.paragraphs}
    converted = any(c.stage == "script" for c in res.changes)
    for i, line, lab in page.lines():
        pred = i in removed
        if lab == "B":
            t.tp += pred
            t.fn += not pred
            if page.lang == "zh":
                t.zh_bp += 1
                t.zh_found += pred
            if not pred:
                t.errors.append(f"{page.id}:{i} kept chrome: {line.strip()[:70]}")
        else:
            t.fp += pred
            t.content += 1
            t.lost += pred
            if pred:
                t.errors.append(f"{page.id}:{i} LOST {lab}: {line.strip()[:70]}")
        if lab == "H":
            t.headlines += 1
            if not pred and _headline_form(line, page.lang, converted) not in paragraphs:
                t.joins += 1
                t.errors.append(f"{page.id}:{i} headline joined: {line.strip()[:70]}")
    return t


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, (int, float)) else "n/a"


def _row(name: str, t: Tally) -> str:
    zh = f"{t.zh_found / t.zh_bp:.3f}" if t.zh_bp else "  -  "
    return (f"{name:<12} {t.docs:>4} {t.precision:>6.3f} {t.recall:>6.3f} {t.f1:>6.3f} {zh:>6} "
            f"{100 * t.content_loss:>6.2f}% ({t.lost}/{t.content}) {t.joins:>3}/{t.headlines}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--errors", action="store_true", help="list the misjudged lines of the dev split")
    ap.add_argument("--split", choices=["dev", "test"], default=None, help="only this split (default: both)")
    args = ap.parse_args(argv)
    pages = [p for p in load() if p.text is not None]
    total = len(load(with_text=False))
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; {len(pages)} of {total} labelled pages present locally")
    splits = [args.split] if args.split else ["dev", "test"]
    print(f"{'split/part':<12} {'docs':>4} {'P':>6} {'R':>6} {'F1':>6} {'zh R':>6} {'content lost':>20} joins")
    figures: dict[str, Tally] = {}
    for split in splits:
        whole = Tally()
        parts: dict[str, Tally] = {}
        for p in pages:
            if p.split != split:
                continue
            t = score_page(p)
            key = p.lang if p.lang == "zh" else f"en-{p.kind or '?'}"
            parts.setdefault(key, Tally()).add(t)
            whole.add(t)
        for key in sorted(parts):
            print(_row(f"{split}/{key}", parts[key]))
        print(_row(f"{split}", whole))
        figures[split] = whole
        if args.errors and split == "dev":
            print("\n".join(whole.errors))

    try:
        from realpages_garble import report  # the garble figures, same corpus and splits
    except ImportError:
        report = None
    garble = report([p for p in pages if p.split in splits]).get("splits", {}) if report is not None else {}
    for split in splits:
        g = garble.get(split)
        if g:
            print(f"{split:<12} garble: doc_auc {_fmt(g.get('doc_auc'))} doc_auc_no_lower {_fmt(g.get('doc_auc_no_lower'))} "
                  f"sent_auc {_fmt(g.get('sent_auc'))} routed_normalise {g.get('routed_normalise')}/{g.get('garbled')} "
                  f"routed_light {g.get('routed_light')}/{g.get('clean')}")
    test = figures.get("test", Tally())
    g = garble.get("test") or {}
    print(f"bp_f1 {test.f1:.3f} content_loss {test.content_loss:.4f} headline_joins {test.joins} "
          f"garble_doc_auc {_fmt(g.get('doc_auc'))} garble_sent_auc {_fmt(g.get('sent_auc'))} "
          f"routed_normalise {g.get('routed_normalise', 'n/a')}/{g.get('garbled', 'n/a')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
