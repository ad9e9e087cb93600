"""Scoring speed on 2,000 segments: BLEU + chrF2 + chrF++ (corpus level, with signatures), the checks, TER.

Uses newstest2017 zh-en as committed in tests/data/wmt (source, reference and
the published opus-mt output, 2,001 lines; the same files as ../shared/data/wmt),
so the segments are distinct with or without ../shared: a repeated line would be
served by the garble score's per-text cache.  Every timed run starts with that
cache cleared.  Prints wall-clock and CPU seconds
per stage, their total in one process, and the total of ``score_corpus`` (the
same work with the checks in forked workers while the metrics are computed); ``--repeat N`` runs the fast stages N times and
prints the median.  The machine load (1-minute load average) is printed too:
on a shared machine the wall-clock figures move with it, the CPU figures less.

    python bench/eval_speed.py [--n 2000] [--repeat 3] [--no-ter] [--check] [--documents OUT]

``--check`` also runs sacrebleu's own statistics extraction (slow) and says
whether every statistic is identical; ``--documents OUT`` times
``score_document`` on the seed documents of a batch output OUT.
"""
from __future__ import annotations

import argparse
import lzma
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WMT = ROOT / "tests" / "data" / "wmt"


def _lines(name: str) -> list[str]:
    return lzma.decompress((WMT / f"{name}.xz").read_bytes()).decode("utf-8").splitlines()


def load(n: int) -> tuple[list[str], list[str], list[str], str]:
    src = _lines("newstest2017.zh-en.zho")
    hyp = _lines("newstest2017.zh-en.opus-mt-2020-07-14.alt.eng")
    ref = _lines("newstest2017.zh-en.eng")
    k = -(-n // len(hyp))
    src, hyp, ref = (src * k)[:n], (hyp * k)[:n], (ref * k)[:n]
    where = f"newstest2017 zh-en (tests/data/wmt), {len(set(hyp))} distinct outputs"
    return src, hyp, ref, where


def timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result) of ``fn()``."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def load_average() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPU(s)"
    except OSError:
        return "load average unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of the fast stages; the median is printed")
    ap.add_argument("--no-ter", action="store_true", help="leave TER out")
    ap.add_argument("--check", action="store_true", help="compare every statistic with sacrebleu's own extraction")
    ap.add_argument("--documents", metavar="OUT", help="also time score_document on the seed documents in OUT")
    args = ap.parse_args()
    from eval.checks import run_checks
    from eval import garble as _garble
    from eval.garble import garble_score
    from eval.metrics import corpus_scores, segment_stats
    from eval.metrics.ter import ter_stats as _ter_stats
    from eval.scoring import score_corpus

    src, hyp, ref, where = load(args.n)
    print(f"{args.n} segments from {where}; {load_average()}")

    def metrics():
        return corpus_scores(hyp, ref, ter=False)

    def checks():
        return [run_checks(b, source=a, source_lang="zh", garble=False) for a, b in zip(src, hyp)]

    def garble():
        return [garble_score(b) for b in hyp]

    def together():
        return score_corpus(hyp, ref, sources=src, source_lang="zh", jobs=None)

    stages = {"metrics": metrics, "checks": checks, "garble": garble, "together": together}
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in stages}
    for _ in range(max(1, args.repeat)):
        for name, fn in stages.items():
            _garble.clear_caches()  # every timed run starts cold: no help from earlier runs
            w, c, out = timed(fn)
            runs[name].append((w, c))
            if name == "metrics":
                scores = out

    def med(name: str) -> tuple[float, float]:
        return (statistics.median(w for w, _ in runs[name]), statistics.median(c for _, c in runs[name]))

    label = {"metrics": "BLEU + chrF2 + chrF++ (corpus, signatures)",
             "checks": "checks (figures, Chinese, loop, boilerplate, length)",
             "garble": "garble score per segment"}
    n_runs = f"median of {len(runs['metrics'])}" if len(runs["metrics"]) > 1 else "one run"
    print(f"{'stage':62s} {'wall s':>7s} {'CPU s':>7s}   ({n_runs})")
    for name in label:
        w, c = med(name)
        print(f"{label[name]:62s} {w:7.2f} {c:7.2f}")
    tot = [sum(x) for x in zip(*(med(k) for k in label))]
    print(f"{'TOTAL, one process (metrics + checks + garble)':62s} {tot[0]:7.2f} {tot[1]:7.2f}"
          f"   BLEU {scores['BLEU'].score:.2f} chrF2 {scores['chrF2'].score:.2f} chrF++ {scores['chrF++'].score:.2f}")
    w, c = med("together")
    print(f"{'score_corpus(jobs=None): the same, checks in forked workers':62s} {w:7.2f} {c:7.2f}"
          "   (CPU of this process only)")
    if not args.no_ter:
        w, c, rows = timed(lambda: _ter_stats(hyp, ref, None))
        print(f"{'TER (tercom shifts, forked workers when safe)':62s} {w:7.2f} {c:7.2f}   (CPU of this process only)")
        w1, c1, rows1 = timed(lambda: _ter_stats(hyp, ref, 1))
        print(f"{'TER, one process':62s} {w1:7.2f} {c1:7.2f}")
        assert rows == rows1
    if args.check:
        import sacrebleu

        st = segment_stats(hyp, ref, ter=False)
        same = (st.rows["bleu"] == sacrebleu.BLEU()._extract_corpus_statistics(hyp, [ref])
                and st.rows["chrfpp"] == sacrebleu.CHRF(word_order=2)._extract_corpus_statistics(hyp, [ref]))
        print(f"BLEU/chrF++ statistics identical to sacrebleu's: {same}")
        if not args.no_ter:
            w, _, theirs = timed(lambda: sacrebleu.TER()._extract_corpus_statistics(hyp, [ref]))
            print(f"TER statistics identical to sacrebleu's: {rows == theirs}   (sacrebleu's TER took {w:.2f} s)")
    if args.documents:
        from eval import load_references, score_document

        refs = load_references(ROOT / "seeds" / "references")
        for did, passages in sorted(refs.items()):
            f = Path(args.documents) / f"{did}.en.txt"
            if f.is_file():
                text = f.read_text(encoding="utf-8")
                w0, _, _ = timed(lambda: score_document(text, passages, ter=False))
                w1, _, sc = timed(lambda: score_document(text, passages))
                print(f"score_document {did}: {w0:.2f} s without TER, {w1:.2f} s with TER (TER {sc.get('TER')})")
    print(load_average())


if __name__ == "__main__":
    main()
