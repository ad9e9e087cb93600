"""Pairing benchmark: does an English document find its Chinese original, and only it?

Built from WMT newstest2017 and newstest2018 (``../shared/data/wmt``): blocks of 12
and 25 consecutive lines are documents.  For each set and block size:

- positives: every English block queried against an index of all Chinese blocks of
  the set, in three variants: the reference English (``ref``), the published opus-mt
  output of 2017 (``opus``, newstest2017 only), and a damaged English (``damaged``:
  every third sentence dropped and one figure changed per document);
- negatives: the English blocks whose Chinese partner was removed from the index
  (every other block removed), and every English block of the other year queried
  against this year's index (``ref`` rows);
- a harder kind, counted apart (``small``): batches holding a single Chinese
  document, the next block of the same text (every fourth English block): same
  story, same names, no runner-up to compare with.

Each English document is either proposed a Chinese one or not (``mt.pairing.decide``).
Printed per row: recall (positives given their true source), precision (proposals
that are right), false-pair rate (negatives given any source), false pairs among the
single-document batches, index and query speed (wall clock: it follows the load).
The last line sums up all rows:
``pair_recall R pair_precision P false_pair_rate F index_docs_per_s X query_docs_per_s Y``
(R and P the lowest over the rows, F the highest).

    python bench/pairing.py                 # all sets, block sizes and variants
    python bench/pairing.py --fit           # also fit the calibration of mt.pairing on newstest2017
    python bench/pairing.py --synthetic 100000 --queries 10000 --index-dir /tmp/idx
                                            # index that many synthetic Chinese documents, then query
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mt import pairing, sources  # noqa: E402

WMT = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt"
SETS = {"2017": "newstest2017.zh-en", "2018": "newstest2018.zh-en"}
OPUS = "newstest2017.zh-en.opus-mt-2020-07-14.eng"
_DIGITS = re.compile(r"\d+")


def lines(name: str) -> list[str]:
    return (WMT / name).read_text(encoding="utf-8").split("\n")[:-1]


def blocks(ls: list[str], size: int) -> list[str]:
    return ["\n".join(ls[i:i + size]) for i in range(0, len(ls), size)]


def damage(ls: list[str], size: int, rng: random.Random) -> list[str]:
    """Blocks with every third sentence dropped and one figure changed (a digit of one number)."""
    out = []
    for i in range(0, len(ls), size):
        kept = [x for j, x in enumerate(ls[i:i + size]) if j % 3 != 2]
        text = "\n".join(kept)
        nums = list(_DIGITS.finditer(text))
        if nums:
            m = rng.choice(nums)
            d = m.group()
            pos = rng.randrange(len(d))
            new = str((int(d[pos]) + rng.randrange(1, 10)) % 10)
            if pos == 0 and new == "0" and len(d) > 1:
                new = "9"
            text = text[:m.start()] + d[:pos] + new + d[pos + 1:] + text[m.end():]
        out.append(text)
    return out


def build(zh_blocks: list[str], keep=lambda i: True) -> tuple[sources.SourceIndex, float]:
    t = time.perf_counter()
    idx = sources.SourceIndex(None)
    idx.add_terms((str(i), "", sources.zh_terms(z), None) for i, z in enumerate(zh_blocks) if keep(i))
    return idx, time.perf_counter() - t


def query(idx: sources.SourceIndex, en_blocks: list[str]) -> tuple[list[tuple[str | None, list]], float]:
    t = time.perf_counter()
    out = []
    for e in en_blocks:
        cands = idx.search(sources.en_terms(e))
        p = pairing.decide(cands)
        out.append((p.key if p else None, cands))
    return out, time.perf_counter() - t


def small_batches(zh_blocks: list[str], en_blocks: list[str]) -> tuple[list, float]:
    """Batches with one Chinese document, the next block of the same text (not the partner).
    (Not counted in the query speed: each builds its own index.)"""
    t = time.perf_counter()
    out = []
    for i in range(1, len(en_blocks) - 1, 4):
        one = sources.SourceIndex(None)
        one.add_terms([("next", "", sources.zh_terms(zh_blocks[i + 1]), None)])
        cands = one.search(sources.en_terms(en_blocks[i]))
        p = pairing.decide(cands)
        out.append((p.key if p else None, cands))
        one.close()
    return out, time.perf_counter() - t


def row(name, pos, neg, small, t_index, n_index, t_query, n_query):
    right = sum(1 for i, (k, _) in enumerate(pos) if k == str(i))
    proposed = sum(1 for k, _ in pos if k is not None)
    false = sum(1 for k, _ in neg if k is not None)
    r = right / len(pos) if pos else 1.0
    p = right / proposed if proposed else 1.0
    f = false / len(neg) if neg else 0.0
    fs = sum(1 for k, _ in small if k is not None)
    print(f"{name:<20} {len(pos):>5} {r:>7.3f} {p:>9.3f} {len(neg):>5} {f:>8.4f} {fs:>3}/{len(small):<3} "
          f"{n_index / t_index:>8.0f} {n_query / t_query:>8.0f}", flush=True)
    return r, p, f


def features(pos, neg):
    """(features, label) of the best candidate of each query, for the calibration fit."""
    X, y = [], []
    for i, (_, c) in enumerate(pos):
        if c:
            X.append(pairing.features(c))
            y.append(1 if c[0].key == str(i) else 0)
    for _, c in neg:
        if c:
            X.append(pairing.features(c))
            y.append(0)
    return X, y


def fit(X, y):
    import numpy as np

    X = np.asarray(X, float)
    X = np.hstack([X, np.ones((len(X), 1))])
    y = np.asarray(y, float)
    w = np.zeros(X.shape[1])
    for _ in range(20000):  # plain gradient descent on the logistic loss, lightly regularised
        p = 1 / (1 + np.exp(-X @ w))
        w -= 0.5 * (X.T @ (p - y) / len(y) + 1e-4 * np.r_[w[:-1], 0])
    return w


def wmt(args) -> None:
    rng = random.Random(16)
    print(f"# pairing benchmark, {time.strftime('%H:%M', time.gmtime())} UTC, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'set/block/variant':<20} {'pos':>5} {'recall':>7} {'precision':>9} {'neg':>5} {'false':>8} {'small':>7} "
          f"{'index/s':>8} {'query/s':>8}")
    results, fitdata = [], ([], [])
    t_idx = n_idx = t_q = n_q = 0.0
    data = {y: (lines(s + ".zho"), lines(s + ".eng")) for y, s in SETS.items()}
    for size in args.blocks:
        zh = {y: blocks(z, size) for y, (z, _) in data.items()}
        for year in SETS:
            other = "2018" if year == "2017" else "2017"
            variants = {"ref": data[year][1]}
            if year == "2017":
                variants["opus"] = lines(OPUS)
            variants["damaged"] = None
            full, ti = build(zh[year])
            half, th = build(zh[year], keep=lambda i: i % 2 == 0)
            t_idx += ti + th
            n_idx += len(zh[year]) + len(half)
            for v, ls in variants.items():
                en = damage(data[year][1], size, rng) if v == "damaged" else blocks(ls, size)
                pos, tq = query(full, en)
                neg_half, tq2 = query(half, [e for i, e in enumerate(en) if i % 2 == 1])
                other_en = blocks(data[other][1], size)
                neg_other, tq3 = query(full, other_en) if v == "ref" else ([], 0.0)
                neg_small, _ = small_batches(zh[year], en)
                neg = neg_half + neg_other
                nq = len(en) + len(neg)
                t_q += tq + tq2 + tq3
                n_q += nq
                results.append(row(f"{year}/{size}/{v}", pos, neg, neg_small, ti, len(zh[year]), tq + tq2 + tq3, nq))
                if year == "2017":
                    X, y = features(pos, neg + neg_small)
                    fitdata[0].extend(X)
                    fitdata[1].extend(y)
    if args.fit:
        w = fit(*fitdata)
        print("# calibration fitted on newstest2017:", ", ".join(f"{x:.3f}" for x in w))
    r = min(x[0] for x in results)
    p = min(x[1] for x in results)
    f = max(x[2] for x in results)
    print(f"pair_recall {r:.3f} pair_precision {p:.3f} false_pair_rate {f:.4f} "
          f"index_docs_per_s {n_idx / t_idx:.0f} query_docs_per_s {n_q / t_q:.0f}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _synthetic(n: int, size: int, seed: int, zh: list[str], en: list[str]):
    """The i-th synthetic document: ``size`` newstest lines drawn at random (Chinese, English)."""
    rng = random.Random(seed)
    for i in range(n):
        picks = [rng.randrange(len(zh)) for _ in range(size)]
        yield f"s{i:06d}", "\n".join(zh[j] for j in picks), "\n".join(en[j] for j in picks)


def _query_chunk(args):
    index_dir, texts = args
    idx = sources.open_index(index_dir, readonly=True)
    sources.en_terms("warm up")
    t, c = time.perf_counter(), time.process_time()
    out = []
    for key, text in texts:
        p = pairing.decide(idx.search(sources.en_terms(text)))
        out.append((key, p.key if p else None))
    return out, time.perf_counter() - t, time.process_time() - c


def synthetic(args) -> None:
    """Index ``args.synthetic`` synthetic Chinese documents with ``retranslate sources index``, then query."""
    import json
    import multiprocessing as mp

    zh = lines(SETS["2017"] + ".zho") + lines(SETS["2018"] + ".zho")
    en = lines(SETS["2017"] + ".eng") + lines(SETS["2018"] + ".eng")
    work = Path(args.index_dir or tempfile.mkdtemp(prefix="pairing-bench-"))
    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    index = work / "index"
    print(f"# synthetic collection: {args.synthetic} documents of 12 newstest lines, {time.strftime('%H:%M', time.gmtime())} UTC, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    if args.query_only:
        done = sources.open_index(index).__len__()
        _queries(args, index, done, zh, en)
        return
    f = None
    for i, (key, z, _) in enumerate(_synthetic(args.synthetic, 12, 1, zh, en)):
        if i % 1000 == 0:
            if f:
                f.close()
            f = open(docs / f"part{i // 1000:04d}.jsonl", "w", encoding="utf-8")
        f.write(json.dumps({"id": key, "text": z}, ensure_ascii=False) + "\n")
    f.close()
    # indexed in steps of --step documents, each step extending the index: time and peak RSS per
    # step show whether the cost stays flat as the collection grows
    parts = sorted(docs.glob("*.jsonl"))
    per = max(1, args.step // 1000)
    total = 0.0
    total_cpu = 0.0
    rss = 0.0
    done = 0
    for k in range(0, len(parts), per):
        step = parts[k:k + per]
        t = time.perf_counter()
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu0 = ru.ru_utime + ru.ru_stime
        cmd = [sys.executable, "-m", "mt", "sources", "index", *map(str, step), "--index", str(index), "--no-text",
               "--workers", str(args.workers)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.perf_counter() - t
        if r.returncode:
            sys.exit(f"sources index failed: {r.stderr.strip()}")
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        step_rss = ru.ru_maxrss / 1024
        cpu = ru.ru_utime + ru.ru_stime - cpu0
        total_cpu += cpu
        rss = max(rss, step_rss)
        n = sum(1 for p in step for _ in open(p, encoding="utf-8"))
        done += n
        total += dt
        size = sum(p.stat().st_size for p in index.iterdir()) / 2**20
        print(f"  +{n} -> {done} documents: {dt:.0f} s ({n / dt:.0f} docs/s), CPU {cpu:.0f} s "
              f"({1000 * cpu / n:.1f} ms/doc with start-up), peak RSS so far {rss:.0f} MB, "
              f"index {size:.0f} MB, {time.strftime('%H:%M', time.gmtime())} UTC, load {os.getloadavg()[0]:.1f}",
              flush=True)
    print(f"index: {done} documents in {total:.0f} s ({done / total:.0f} docs/s, {args.workers} workers), "
          f"CPU {total_cpu:.0f} s ({1000 * total_cpu / done:.1f} ms/doc: {2000 / (1000 * total_cpu / done):.0f} docs/s "
          f"on 2 idle cores), "
          f"peak RSS {rss:.0f} MB (largest process), {time.strftime('%H:%M', time.gmtime())} UTC", flush=True)
    _queries(args, index, done, zh, en)


def _queries(args, index: Path, done: int, zh: list[str], en: list[str]) -> None:
    rng = random.Random(2)
    wanted = set(rng.sample(range(done), min(args.queries, done)))
    queries = [(k, e) for i, (k, _, e) in enumerate(_synthetic(done, 12, 1, zh, en)) if i in wanted]
    # one process, then --workers processes (each with its own read-only connection)
    for workers in sorted({1, args.workers}):
        _query_run(index, done, queries, workers)


def _query_run(index: Path, done: int, queries: list, workers: int) -> None:
    import multiprocessing as mp

    chunks = [(str(index), queries[i::workers]) for i in range(workers)]
    t = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        results = pool.map(_query_chunk, chunks)
    wall = time.perf_counter() - t
    found = [x for r, _, _ in results for x in r]
    right = sum(1 for k, p in found if p == k)
    proposed = sum(1 for _, p in found if p is not None)
    busy = max(dt for _, dt, _ in results)
    cpu = sum(c for _, _, c in results)
    print(f"query: {len(found)} English documents against {done}, {len(found) / busy:.0f} docs/s with "
          f"{workers} process(es) ({len(found) / wall:.0f} docs/s counting their start-up), CPU "
          f"{1000 * cpu / len(found):.2f} ms/doc ({len(found) / cpu:.0f} docs/s on 1 idle core, "
          f"{2 * len(found) / cpu:.0f} on 2), recall {right / len(found):.3f}, "
          f"precision {right / max(1, proposed):.3f}, {time.strftime('%H:%M', time.gmtime())} UTC, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, nargs="+", default=[12, 25])
    ap.add_argument("--fit", action="store_true", help="fit the calibration on newstest2017 and print it")
    ap.add_argument("--synthetic", type=int, metavar="N", help="index N synthetic Chinese documents instead")
    ap.add_argument("--queries", type=int, default=10_000, metavar="Q", help="English queries of --synthetic")
    ap.add_argument("--index-dir", metavar="DIR", help="where --synthetic writes its documents and index")
    ap.add_argument("--workers", type=int, default=2, metavar="N", help="processes of --synthetic")
    ap.add_argument("--query-only", action="store_true", help="query the index --synthetic built before")
    ap.add_argument("--step", type=int, default=10_000, metavar="N", help="documents per indexing step")
    args = ap.parse_args()
    if not (WMT / (SETS["2017"] + ".zho")).exists():
        sys.exit(f"no WMT data under {WMT}: this benchmark needs ../shared/data/wmt")
    if args.synthetic:
        synthetic(args)
    else:
        wmt(args)


if __name__ == "__main__":
    main()
