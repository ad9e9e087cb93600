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

    langs = [detect_language(t)[0] for t in seeds]
    en_bytes = sum(len(t.encode("utf-8")) for t, lang in zip(seeds, langs) if lang == "en") * copies

    def source_stage() -> list:
        out = []
        for text in docs:
            lang, _ = detect_language(text)
            out.append((lang, clean_source(text, lang=lang).paragraphs))
        return out

    def english_stage(cleaned: list) -> None:
        for lang, paragraphs in cleaned:
            if lang == "en":
                clean_english(paragraphs, glossary=glossary)

    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    t0 = time.process_time()
    cleaned = source_stage()
    t1 = time.process_time()
    english_stage(cleaned)
    t2 = time.process_time()
    if prof:
        prof.disable()
    src, eng = t1 - t0, t2 - t1
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB, CPU time on one core:")
    print(f"  source cleanup (detect, boilerplate, repair, OpenCC): {src:.1f} s = {total / 1e6 / src:.2f} MB/s")
    print(f"  English cleanup (post-MT, glossary) of the English documents ({en_bytes / 1e6:.1f} MB): "
          f"{eng:.1f} s = {en_bytes / 1e6 / eng:.2f} MB/s")
    print(f"  both stages: {src + eng:.1f} s = {total / 1e6 / (src + eng):.2f} MB/s")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(20)

if __name__ == "__main__":
    main()
