"""Cleanup speed: the five seeds repeated to at least 20 MB, cleaned on one core.

Each copy is a separate document through the source stage a batch runs
(language detection, boilerplate stripping, Unicode/whitespace/paragraph
repair, OpenCC for Chinese), and English documents also through
``clean_english`` with the shipped glossary.  Prints MB/s (UTF-8 bytes of input).

    python bench/cleanup_speed.py [--mb 20] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from cleanup import clean_english, clean_source, detect_language
from cleanup.terminology import Glossary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="megabytes of input (default 20)")
    ap.add_argument("--profile", action="store_true", help="print the top functions by time")
    args = ap.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    seed_bytes = sum(len(s.encode("utf-8")) for s in seeds)
    copies = int(args.mb * 1e6 / seed_bytes) + 1
    docs = seeds * copies
    total = seed_bytes * copies
    glossary = Glossary.load()

    def run() -> None:
        for text in docs:
            lang, _ = detect_language(text)
            result = clean_source(text, lang=lang)
            if lang == "en":
                clean_english(result.paragraphs, glossary=glossary)

    t0 = time.process_time()
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(run)
    else:
        run()
    cpu = time.process_time() - t0
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB, {cpu:.1f} s CPU (one core): {total / 1e6 / cpu:.2f} MB/s")
    if args.profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
