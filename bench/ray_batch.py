"""The batch on Ray Data against the local batch, on the same cores: throughput and Ray's overhead.

The seed corpus repeated to ``--docs`` documents (2,000 by default; every copy's long
lines get the copy's number, so that the batch's cross-document boilerplate detection
does not take the repeated articles for site chrome), run by the local batch
(``run_batch(..., workers=W)``, a process pool) and by the Ray batch
(``run_batch(..., ray=...)``, a Ray Data actor pool of W actors) on one local Ray
instance of W CPUs, in rounds (local, ray, local, ray, ...) so that a change in the
machine's speed weighs on both alike.  Each timed run writes a fresh OUT and
includes everything a user waits for: reading (on Ray: through Ray Data), the batch-wide stages, starting the
workers (processes or actors) and loading their models, translating, writing, the
reports.  Starting the Ray instance itself (once, before the rounds) is shown apart;
both are warmed up untimed on 10 documents first.

Models: the tiny random-weight test models (``tests/tiny_marian.py``), CTranslate2
when installed, greedy decoding with at most ``--max-new-tokens`` tokens (random
weights babble up to the cap), no translation cache (every run translates).  Both
runs must produce the same texts: each row shows a digest of the ``<id>.en.txt``
files (SHA-256 over names and bytes, first 16 hex digits; "varies" if runs disagree).

The last line reads ``ray_overhead O docs_per_s_local A docs_per_s_ray B`` with A and
B the medians of the ``--runs`` timed runs and O = 1 - B/A.

    python bench/ray_batch.py [--docs 2000] [--runs 3] [--workers 2] [--max-new-tokens 24]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_corpus(dst: Path, n: int) -> int:
    """``n`` documents: the seeds over and over, each copy's long lines tagged with its number."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    if not seeds:
        raise SystemExit("bench/ray_batch.py needs the seed corpus (seeds/*.txt)")
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in seeds]
    dst.mkdir(parents=True)
    for i in range(n):
        stem, text = texts[i % len(texts)]
        copy = i // len(texts)
        lines = [f"{ln} ({copy})" if len(ln) > 60 else ln for ln in text.splitlines()]
        (dst / f"{i:05d}_{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def digest(out: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(out.glob("*.en.txt")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="local worker processes = Ray actors = Ray CPUs")
    ap.add_argument("--max-new-tokens", type=int, default=24)
    ap.add_argument("--object-store-mb", type=int, default=256)
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    os.environ["RETRANSLATE_CACHE"] = str(work / "cache")  # converted models here, the user's cache untouched
    os.environ["RETRANSLATE_NO_CACHE"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import ray

        from mt import raybatch
        from mt.backends.ct2 import ct2_available
        from mt.batch import run_batch
        from mt.pipeline import Options
        from tests.tiny_marian import build_tiny_marian

        corpus = work / "in"
        n = make_corpus(corpus, args.docs)
        zh = build_tiny_marian(work / "zh-en", direction="zh-en")
        en = build_tiny_marian(work / "en-zh", direction="en-zh")
        backend = "ctranslate2" if ct2_available() else "transformers"
        base = dict(model=str(zh), model_en_zh=str(en), backend=backend, cache_path=False, quiet=True,
                    decoding={"beam_size": 1, "max_new_tokens": args.max_new_tokens}, workers=args.workers)

        t0 = time.perf_counter()
        raybatch.start_local(num_cpus=args.workers, object_store_memory=args.object_store_mb << 20)
        ray_start = time.perf_counter() - t0

        # untimed warm-up of both on a few documents: the models are converted once, Ray's
        # workers and the page cache are warm, so no timed run pays for a first time
        few = work / "few"
        make_corpus(few, 10)
        for mode in ("local", "ray"):
            run_batch([few], work / f"warm-{mode}", Options(**base), ray=True if mode == "ray" else None)
            shutil.rmtree(work / f"warm-{mode}")

        times: dict[str, list[float]] = {"local": [], "ray": []}
        digests: dict[str, set[str]] = {"local": set(), "ray": set()}
        counts: dict[str, dict] = {}
        started = time.strftime("%H:%M:%S", time.gmtime())
        loads = [os.getloadavg()[0]]  # 1-minute load average before and after each run
        for r in range(args.runs):
            for mode in ("local", "ray"):
                out = work / f"out-{mode}-{r}"
                t = time.perf_counter()
                res = run_batch([corpus], out, Options(**base), ray=True if mode == "ray" else None)
                times[mode].append(time.perf_counter() - t)
                digests[mode].add(digest(out))
                counts[mode] = res.counts
                shutil.rmtree(out)
                loads.append(os.getloadavg()[0])
                print(f"  run {r + 1} {mode:5s} {times[mode][-1]:7.1f} s  {n / times[mode][-1]:6.1f} docs/s"
                      f"  (UTC {time.strftime('%H:%M:%S', time.gmtime())}, load {loads[-1]:.1f})", file=sys.stderr)
        ended = time.strftime("%H:%M:%S", time.gmtime())
        ray.shutdown()

        a = n / statistics.median(times["local"])
        b = n / statistics.median(times["ray"])
        print(f"# {n} documents (seeds repeated), tiny random-weight models, {backend}, greedy, "
              f"max {args.max_new_tokens} new tokens, no translation cache; {os.cpu_count()} CPUs on the machine, "
              f"{args.workers} workers; UTC {started}-{ended}, 1-min load average {min(loads):.1f}-{max(loads):.1f}")
        print(f"# Ray instance start (once, not in the runs): {ray_start:.1f} s")
        print(f"{'engine':32s} {'runs (s)':>24s} {'median s':>9s} {'docs/s':>8s}  {'statuses':24s} digest")
        for mode, label in (("local", f"local batch, {args.workers} processes"),
                            ("ray", f"Ray Data, {args.workers} actors")):
            med = statistics.median(times[mode])
            dg = next(iter(digests[mode])) if len(digests[mode]) == 1 else "varies"
            runs = " ".join(f"{t:.1f}" for t in times[mode])
            print(f"{label:32s} {runs:>24s} {med:9.1f} {n / med:8.2f}  {str(counts[mode]):24s} {dg}")
        print(f"ray_overhead {1 - b / a:.3f} docs_per_s_local {a:.2f} docs_per_s_ray {b:.2f}")
        return 0
    finally:
        try:
            import ray

            if ray.is_initialized():
                ray.shutdown()
        except ImportError:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
