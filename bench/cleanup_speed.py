"""Cleanup speed: the five seeds repeated to at least 20 MB, cleaned on one core.

Measures what a batch run (``mt.pipeline``) does with each document, in the same
order and with the same arguments:

1. ``CorpusLines`` over the raw texts of the batch (``prepare``: the
   "recurs across documents" evidence);
2. per document ``detect_language`` (``detect``) and ``clean_source(raw, lang=...,
   corpus=...)`` (``clean``: boilerplate, repair, OpenCC for Chinese);
3. per English document ``clean_english(paragraphs, glossary=<shipped>, repaired=True)``
   (as the pipeline calls it on the light and no-MT routes, where the paragraphs come
   unchanged from ``clean_source``)
   (``clean_output``: post-MT repair, glossary; without MT the English is the
   cleaned source, and a Chinese document's untranslated output is not cleaned).

Figures are MB/s of input text (UTF-8 bytes of the raw documents) over CPU time
(``time.process_time``), so other work on the machine weighs less; ``--runs N``
repeats the measurement and prints the median.

Repeated seeds are a batch where every line recurs in every copy.  The batch
line counts are built and looked up as in a real batch, but a document whose
lines all recur is a duplicate, not chrome, so the evidence removes nothing: the
bench checks that and prints it.  The cleanup keeps no cache of per-line
results, so the repetition does not make the figures better than on new text.

    python bench/cleanup_speed.py [--mb 20] [--runs 3] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from cleanup import CorpusLines, clean_english, clean_source, detect_language
from cleanup.terminology import Glossary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run_once(docs: list[str], glossary: Glossary) -> dict:
    """One timed pass over the batch; CPU seconds per stage and the cleaned documents."""
    clock = time.process_time
    t0 = clock()
    corpus = CorpusLines(docs)
    t1 = clock()
    cleaned = []
    src_time = {"en": 0.0, "zh": 0.0}
    for text in docs:
        a = clock()
        lang, _ = detect_language(text)
        res = clean_source(text, lang=lang, corpus=corpus)
        src_time["zh" if lang == "zh" else "en"] += clock() - a
        cleaned.append((lang, res))
    t2 = clock()
    for lang, res in cleaned:
        if lang != "zh":
            clean_english(res.paragraphs, glossary=glossary, repaired=True)
    t3 = clock()
    return {"corpus": t1 - t0, "source": t2 - t1, "source_en": src_time["en"], "source_zh": src_time["zh"],
            "english": t3 - t2, "cleaned": cleaned}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="megabytes of input (default 20)")
    ap.add_argument("--runs", type=int, default=1, help="measure this many times and report the median (default 1)")
    ap.add_argument("--profile", action="store_true", help="profile one run and print the top functions by time")
    args = ap.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    sizes = [len(s.encode("utf-8")) for s in seeds]
    copies = int(args.mb * 1e6 / sum(sizes)) + 1
    docs = seeds * copies
    langs = [detect_language(s)[0] for s in seeds]
    total = sum(sizes) * copies / 1e6
    en_mb = sum(n for n, lang in zip(sizes, langs) if lang != "zh") * copies / 1e6
    zh_mb = total - en_mb
    glossary = Glossary.load()

    runs = []
    for _ in range(max(1, args.runs)):
        prof = cProfile.Profile() if args.profile else None
        if prof:
            prof.enable()
        runs.append(run_once(docs, glossary))
        if prof:
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def rate(mb: float, seconds: float) -> str:
        return f"{seconds:6.2f} s = {mb / seconds:5.2f} MB/s" if seconds > 0 else "n/a"

    corpus_t, src_t, eng_t = med("corpus"), med("source"), med("english")
    src_en, src_zh = med("source_en"), med("source_zh")
    share_en = en_mb / total  # the batch line counts, shared out by input size
    print(f"{len(docs)} documents ({len(seeds)} seeds x {copies}), {total:.1f} MB "
          f"({en_mb:.1f} MB English, {zh_mb:.1f} MB Chinese); CPU time on one core, "
          f"median of {len(runs)} run(s):")
    if len(runs) > 1:
        print("  runs (whole path):", ", ".join(
            f"{total / (r['corpus'] + r['source'] + r['english']):.2f}" for r in runs), "MB/s")
    print(f"  batch line counts (CorpusLines over {total:.1f} MB):       {rate(total, corpus_t)}")
    print(f"  source cleanup (detect, boilerplate, repair, OpenCC): {rate(total, src_t)}")
    print(f"      of the English documents ({en_mb:.1f} MB):            {rate(en_mb, src_en)}")
    print(f"      of the Chinese documents ({zh_mb:.1f} MB):             {rate(zh_mb, src_zh)}")
    print(f"  English cleanup (post-MT repair, glossary), English documents ({en_mb:.1f} MB): {rate(en_mb, eng_t)}")
    print("  whole cleanup path of a document:")
    print(f"      English document (counts, source, English stage): {rate(en_mb, corpus_t * share_en + src_en + eng_t)}")
    print(f"      Chinese document (counts, source stage):          {rate(zh_mb, corpus_t * (1 - share_en) + src_zh)}")
    print(f"      all {total:.1f} MB together:                          {rate(total, corpus_t + src_t + eng_t)}")

    # Honesty check: on repeated seeds the recurrence evidence must remove nothing.
    cleaned = runs[-1]["cleaned"]
    recurring = sum(1 for _, res in cleaned for r in res.removed if r.reason.startswith("recurs in"))
    same = all(res.paragraphs == clean_source(seed, lang=lang).paragraphs
               for seed, (lang, res) in zip(seeds, cleaned[: len(seeds)]))
    print(f"  lines removed as recurring in the batch: {recurring} (every line of a copy recurs, so each copy is a "
          f"duplicate, not chrome); output equals cleaning without the batch counts: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
