"""Scoring speed: BLEU + chrF2 + chrF++ + TER (corpus level, sacrebleu) and the checks on 2,000 segments.

Uses newstest2017 from ../shared/data/wmt when present, else the committed
200-line excerpt repeated to 2,000 segments.  Prints seconds per stage.

    python bench/eval_speed.py [--n 2000]
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "wmt"
EXCERPT = ROOT / "tests" / "data" / "wmt"


def load(n: int) -> tuple[list[str], list[str], list[str], str]:
    if SHARED.is_dir():
        src = (SHARED / "newstest2017.zh-en.zho").read_text(encoding="utf-8").splitlines()
        hyp = (SHARED / "newstest2017.zh-en.opus-mt-2020-07-14.alt.eng").read_text(encoding="utf-8").splitlines()
        ref = (SHARED / "newstest2017.zh-en.eng").read_text(encoding="utf-8").splitlines()
        where = "newstest2017 (../shared)"
    else:
        src = (EXCERPT / "newstest2017.zh-en.head200.zho").read_text(encoding="utf-8").splitlines()
        hyp = (EXCERPT / "newstest2017.zh-en.opus-mt.head200.eng").read_text(encoding="utf-8").splitlines()
        ref = (EXCERPT / "newstest2017.zh-en.head200.eng").read_text(encoding="utf-8").splitlines()
        where = "committed excerpt, repeated"
    k = -(-n // len(hyp))
    return (src * k)[:n], (hyp * k)[:n], (ref * k)[:n], where


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    from eval.checks import run_checks
    from eval.metrics import scores_from_stats, segment_stats

    src, hyp, ref, where = load(args.n)
    t0 = time.perf_counter()
    st = segment_stats(hyp, ref, ter=False)
    s = scores_from_stats(st)
    t1 = time.perf_counter()
    for a, b in zip(src, hyp):
        run_checks(b, source=a, source_lang="zh", garble=False)
    t2 = time.perf_counter()
    from eval.garble import garble_score
    from eval.garble import _offline_x
    _offline_x.cache_clear()
    for b in hyp:
        garble_score(b)
    t3 = time.perf_counter()
    from eval.metrics import _ter_stats
    _ter_stats(hyp, ref, None)
    t4 = time.perf_counter()
    print(f"{args.n} segments from {where}")
    print(f"BLEU+chrF2+chrF++ (one pass, sacrebleu)  {t1 - t0:.2f} s   BLEU {s['BLEU'].score:.2f} chrF2 {s['chrF2'].score:.2f}")
    print(f"checks (figures, Chinese, loop, boilerplate, length)  {t2 - t1:.2f} s")
    print(f"garble score per segment  {t3 - t2:.2f} s")
    print(f"TER (sacrebleu, tercom shifts; {os.cpu_count()} CPU(s))  {t4 - t3:.2f} s")
    print(f"total  {t4 - t0:.2f} s;  without TER  {t3 - t0:.2f} s")


if __name__ == "__main__":
    main()
