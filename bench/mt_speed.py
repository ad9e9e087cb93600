"""MT speed and memory: transformers vs bare CTranslate2 vs the engine's default path.

Builds a random-weight model of exactly the opus-mt-zh-en architecture (its
config.json and real tokenizer from ``../shared/models/opus-mt-zh-en/``; the
real weights are not needed to measure speed), converts it to CTranslate2
int8, and translates the first 256 sentences of WMT newstest2017 zh-en with
beam 4 and exactly 48 new tokens per segment for every engine:

(a) transformers fp32 ``generate``, batches of 16 in input order (as EasyNMT
    and the transformers pipeline run it);
(b) bare CTranslate2 int8 ``translate_batch``, batches of 16 in input order,
    default translator settings (as Argos Translate runs it);
(b2) bare CTranslate2 int8 with exactly the engine's layout and decoding options:
    its replicas and threads, the 256 lines length-sorted into its sub-batches
    (source-token and segment bounds), all queued at once, its repetition
    penalties; the like-for-like baseline of the engine's own overhead;
(c) ``mt.engine.Engine`` with the CTranslate2 backend and its defaults, end to
    end: segmentation, cache lookups (cold cache), batching, guards;
(r) the same with the guards' one retry of flagged segments.  A random-weight
    model forced to 48 tokens fails the guards on every segment (loops, stray
    Chinese pieces), so (r) translates everything twice: it shows the price of
    the retry, while (c), where the guards check and flag but do not retry,
    is the figure comparable with (a) and (b).
(v) (c) with the optional vocabulary map (``--vmap``), built by :mod:`mt.vmap`
    from newstest2018 (other sentences than the test set): it can change the
    output, so it is not the default path and not part of S.

Every engine is checked to emit exactly 48 tokens for each segment it
translates, and each row shows a digest of its outputs (the first 16 hex digits
of SHA-256 over the output lines joined by newlines; "varies" when its runs
disagree), so a claim that a change keeps the output can be checked.
``--against DIR`` also runs (c) from another checkout of the project (e.g. a
``git worktree`` of an older commit) in the same rounds, as row (c'), with its
digest: a before/after comparison measured side by side.

Each timed run is one fresh process (so peak RSS is per engine, the largest of
its runs); the runs go in rounds (a, b, c, a, b, c, ...) so that a change in the
machine's speed during the benchmark weighs on every engine alike.  The figure
is the median of the ``--runs`` timed runs of each engine, each after loading the
model and translating the first 16 sentences untimed (the same warm-up for all).
The last line reads ``speedup S overhead O overhead_like O2 rss_mb M digest D``
with S = (c)/(a), O = 1 - (c)/(b) (against the peer's way of running
CTranslate2), O2 = 1 - (c)/(b2) (the engine's own overhead) in sentences/s,
M = peak RSS of (c) in MB and D the digest of (c)'s output.

``--scale 10`` instead checks that memory stays flat: the engine path on the
256 sentences and on ten times as many distinct sentences (newstest2017 then
newstest2018), peak RSS of each.

    python bench/mt_speed.py [--runs 3] [--sentences 256] [--engines abc] [--against DIR] [--scale 10]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
BEAM = 4
NEW_TOKENS = 48
BATCH = 16
ENGINES = {
    "a": "transformers fp32 generate, batch 16",
    "b": "bare CTranslate2 int8, batch 16",
    "b2": "bare CTranslate2 int8, the engine's layout and decoding options",
    "c": "engine default path (CTranslate2)",
    "c'": "(c) from --against",
    "r": "(c) with guard retries (random weights: every segment)",
    "v": "(c) with the optional vocabulary map (--vmap; can change the output)",
}


def digest(outputs: list[str]) -> str:
    """First 16 hex digits of SHA-256 over the outputs joined by newlines."""
    return hashlib.sha256("\n".join(outputs).encode("utf-8")).hexdigest()[:16]


def check_forced(lengths: list[int]) -> None:
    """Every segment got exactly the forced number of new tokens (else the engines are not comparable)."""
    wrong = sorted({n for n in lengths if n != NEW_TOKENS})
    if not lengths or wrong:
        raise SystemExit(f"expected {NEW_TOKENS} new tokens per segment, got lengths {wrong or 'none'}")


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_lines(paths: list[Path], n: int) -> list[str]:
    """The first ``n`` non-empty lines of ``paths`` read one after the other."""
    lines: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(line.strip())
                if len(lines) == n:
                    return lines
    return lines


# --------------------------------------------------------------------- model


def build_model(shared: Path, workdir: Path) -> tuple[Path, Path]:
    """Random-weight opus-mt-zh-en (HF dir) and its int8 CTranslate2 conversion, built once."""
    import shutil

    import torch
    from transformers import MarianConfig, MarianMTModel

    from mt.backends.base import TOKENIZER_FILES, fingerprint
    from mt.backends.ct2 import convert

    src = shared / "models" / "opus-mt-zh-en"
    key = fingerprint(src, ["config.json", *TOKENIZER_FILES])
    hf_dir = workdir / f"opus-mt-zh-en-random-{key}"
    if not (hf_dir / "model.safetensors").is_file():
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=workdir))
        config = MarianConfig.from_pretrained(src)
        torch.manual_seed(0)
        MarianMTModel(config).eval().save_pretrained(tmp)
        for name in TOKENIZER_FILES:
            shutil.copyfile(src / name, tmp / name)
        shutil.rmtree(hf_dir, ignore_errors=True)
        os.rename(tmp, hf_dir)
    ct2_dir = convert(hf_dir, workdir / f"{hf_dir.name}-ct2-int8", quantization="int8")
    return hf_dir, ct2_dir


# --------------------------------------------------------------------- engines (each in a child process)


WARMUP = 16  # sentences translated untimed first in every child (allocations, packed weights)


def _timed(runs: int, once, warmup=None) -> tuple[list[float], object]:
    if warmup is not None:
        warmup()
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = once()
        times.append(time.perf_counter() - t0)
    return times, out


def run_transformers(hf_dir: Path, lines: list[str], runs: int) -> dict:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tok = MarianTokenizer.from_pretrained(hf_dir)
    model = MarianMTModel.from_pretrained(hf_dir).eval()

    def once(lines=lines):
        outs = []
        with torch.inference_mode():
            for i in range(0, len(lines), BATCH):
                batch = tok(lines[i:i + BATCH], return_tensors="pt", padding=True)
                ids = model.generate(**batch, num_beams=BEAM, min_new_tokens=NEW_TOKENS, max_new_tokens=NEW_TOKENS)
                check_forced([ids.shape[1] - 1] * len(ids))  # decoder start + 48 new tokens
                outs.extend(tok.batch_decode(ids, skip_special_tokens=True))
        return outs

    times, outs = _timed(runs, once, lambda: once(lines[:WARMUP]))
    return {"times": times, "outputs": len(outs), "digest": digest(outs), "threads": torch.get_num_threads()}


def run_bare_ct2(ct2_dir: Path, lines: list[str], runs: int) -> dict:
    import ctranslate2
    import sentencepiece as spm

    sp_src = spm.SentencePieceProcessor(model_file=str(ct2_dir / "source.spm"))
    sp_tgt = spm.SentencePieceProcessor(model_file=str(ct2_dir / "target.spm"))
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8")

    def once(lines=lines):
        outs = []
        for i in range(0, len(lines), BATCH):
            source = [p + ["</s>"] for p in sp_src.encode(lines[i:i + BATCH], out_type=str)]
            results = translator.translate_batch(source, beam_size=BEAM, min_decoding_length=NEW_TOKENS,
                                                 max_decoding_length=NEW_TOKENS)
            check_forced([len(r.hypotheses[0]) for r in results])
            outs.extend(sp_tgt.decode_pieces(r.hypotheses[0]) for r in results)
        return outs

    times, outs = _timed(runs, once, lambda: once(lines[:WARMUP]))
    return {"times": times, "outputs": len(outs), "digest": digest(outs), "threads": "default"}


def run_bare_ct2_like(ct2_dir: Path, lines: list[str], runs: int) -> dict:
    """Bare CTranslate2 laid out as the engine's backend is: the same replicas and threads, the
    lines length-sorted into the same sub-batches (source tokens and segment bounds), all queued at
    once, and the engine's decoding options (repetition penalties included)."""
    import ctranslate2
    import sentencepiece as spm

    from mt.backends.base import Decoding, cpu_threads
    from mt.backends.ct2 import DEFAULT_MAX_BATCH_EXAMPLES, DEFAULT_MAX_BATCH_TOKENS, MAX_CPU_REPLICAS

    dec = Decoding(beam_size=BEAM, min_new_tokens=NEW_TOKENS, max_new_tokens=NEW_TOKENS)
    replicas = min(cpu_threads(), MAX_CPU_REPLICAS)
    threads = max(1, cpu_threads() // replicas)
    sp_src = spm.SentencePieceProcessor(model_file=str(ct2_dir / "source.spm"))
    sp_tgt = spm.SentencePieceProcessor(model_file=str(ct2_dir / "target.spm"))
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8",
                                        inter_threads=replicas, intra_threads=threads)
    options = dict(beam_size=dec.beam_size, min_decoding_length=dec.min_new_tokens,
                   max_decoding_length=dec.max_new_tokens, no_repeat_ngram_size=dec.no_repeat_ngram_size,
                   repetition_penalty=dec.repetition_penalty, length_penalty=dec.length_penalty,
                   max_input_length=0)

    def once(lines=lines):
        source = [p + ["</s>"] for p in sp_src.encode(lines, out_type=str)]
        groups, current, used = [], [], 0
        for k in sorted(range(len(source)), key=lambda k: len(source[k])):
            if current and (used + len(source[k]) > DEFAULT_MAX_BATCH_TOKENS
                            or len(current) >= DEFAULT_MAX_BATCH_EXAMPLES):
                groups.append(current)
                current, used = [], 0
            current.append(k)
            used += len(source[k])
        groups.append(current)
        pending = [translator.translate_batch([source[k] for k in g], asynchronous=True, **options) for g in groups]
        outs, lengths = [""] * len(lines), []
        for group, results in zip(groups, pending):
            for k, r in zip(group, results):
                hyp = r.result().hypotheses[0]
                lengths.append(len(hyp))
                outs[k] = sp_tgt.decode_pieces(hyp)
        check_forced(lengths)
        return outs

    times, outs = _timed(runs, once, lambda: once(lines[:WARMUP]))
    return {"times": times, "outputs": len(outs), "digest": digest(outs), "threads": f"{replicas} replicas x {threads}",
            "batch": f"sub-batches <= {DEFAULT_MAX_BATCH_TOKENS} tokens / {DEFAULT_MAX_BATCH_EXAMPLES} segments"}


def run_engine(ct2_dir: Path, lines: list[str], runs: int, workdir: Path, retry: bool = False,
               use_vmap: bool = False) -> dict:
    from mt.engine import Engine, open_cache

    caches = [workdir / f"cache-{os.getpid()}-{i}.sqlite3" for i in range(runs)]
    for c in caches:
        c.unlink(missing_ok=True)
    engine = Engine.load("zh-en", model=ct2_dir, backend="ctranslate2", cache_path=caches[0], use_vmap=use_vmap,
                         beam_size=BEAM, min_new_tokens=NEW_TOKENS, max_new_tokens=NEW_TOKENS)
    # Every guard runs on every output and flags are recorded.  The one retry of a
    # flagged segment is measured separately (row r): a random-weight model forced
    # to 48 tokens fails the guards on every segment (loops, stray Chinese pieces),
    # so with retries on the figure would measure the random weights, not the engine.
    engine.retry = retry
    results = []
    be = engine.backend
    lengths: list[int] = []  # new tokens of every segment the backend translated
    detokenize = be.detokenize

    def counting_detokenize(tokens):
        lengths.append(len(tokens))
        return detokenize(tokens)

    be.detokenize = counting_detokenize

    def warmup():  # without the cache, which the timed runs find cold
        cache, engine.cache = engine.cache, None
        engine.translate_paragraphs(lines[:WARMUP])
        engine.cache = cache

    def once():
        if results:  # every run starts from a cold cache
            engine.cache = open_cache(caches[len(results)])
        del lengths[:]
        result = engine.translate_paragraphs(lines)
        assert len(result.paragraphs) == len(lines)
        check_forced(lengths)
        results.append(result)
        return result

    try:
        times, result = _timed(runs, once, warmup)
    finally:
        for c in caches:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(c) + suffix).unlink(missing_ok=True)
    import mt

    return {"times": times, "outputs": len(result.paragraphs), "stats": result.stats,
            "digest": digest(result.paragraphs), "code": str(Path(mt.__file__).resolve().parent.parent),
            "threads": f"{getattr(be, 'inter_threads', '?')} replicas x {getattr(be, 'intra_threads', '?')}",
            "compute_type": be.compute_type,
            "batch": f"engine batches <= {engine.batch_tokens} padded tokens / {engine.batch_size} segments; "
                     f"backend sub-batches <= {getattr(be, 'max_batch_size', '?')} {getattr(be, 'batch_type', '')}"}


def vmap_for(ct2_dir: Path, shared: Path) -> str:
    """Build the bench model's vmap.txt from newstest2018 (not the 2017 test sentences), once."""
    from mt.backends.ct2 import VMAP_FILE
    from mt.vmap import build_vmap

    path = ct2_dir / VMAP_FILE
    if not path.is_file():
        wmt = shared / "data" / "wmt"
        with open(wmt / "newstest2018.zh-en.zho", encoding="utf-8") as src, \
                open(wmt / "newstest2018.zh-en.eng", encoding="utf-8") as tgt:
            build_vmap(ct2_dir, src, tgt)
    lines = path.read_text(encoding="utf-8").splitlines()
    always = len(lines[0].split("\t")[1].split())
    return (f"vocabulary map (v): built by mt.vmap from newstest2018 zh-en (3,981 pairs), defaults: {always} pieces "
            f"always allowed, {len(lines) - 1} source pieces with up to 50 targets each")


def child(args) -> None:
    lines = Path(args.input).read_text(encoding="utf-8").splitlines()
    if args.child == "build":
        hf_dir, ct2_dir = build_model(Path(args.shared), Path(args.workdir))
        print(json.dumps({"hf": str(hf_dir), "ct2": str(ct2_dir)}))
        return
    if args.child == "a":
        out = run_transformers(Path(args.hf), lines, args.runs)
    elif args.child == "b":
        out = run_bare_ct2(Path(args.ct2), lines, args.runs)
    elif args.child == "b2":
        out = run_bare_ct2_like(Path(args.ct2), lines, args.runs)
    else:
        out = run_engine(Path(args.ct2), lines, args.runs, Path(args.workdir), retry=args.child == "r",
                         use_vmap=args.child == "v")
    out["sentences"] = len(lines)
    out["rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


# --------------------------------------------------------------------- parent


def _spawn(argv: list[str], code: Path = ROOT) -> dict:
    """Run this script as a child importing the project from ``code``; its last output line (JSON)."""
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *argv], capture_output=True, text=True,
                          cwd=code, env={**os.environ, "PYTHONPATH": str(code), "TOKENIZERS_PARALLELISM": "false"})
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {argv[1]} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(engine: str, model: dict, lines: list[str], runs: int, workdir: Path, against: Path | None = None) -> dict:
    """Run ``engine`` on ``lines`` in a fresh process; adds sentences/s (median of the runs).

    (c') is (c) with the project imported from ``against``.
    """
    inp = workdir / f"input-{len(lines)}.txt"
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = against if engine == "c'" else ROOT
    out = _spawn(["--child", "c" if engine == "c'" else engine, "--input", str(inp), "--runs", str(runs),
                  "--hf", model["hf"], "--ct2", model["ct2"], "--workdir", str(workdir)], code=code)
    out["sps"] = len(lines) / statistics.median(out["times"])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED), help="the shared data directory (default ../shared)")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "retranslate-bench"),
                    help="where the random model and its conversion are kept between runs")
    ap.add_argument("--sentences", type=int, default=256)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default="abb2cr", help="subset of a, b, b2, c, r, v, written together (default abb2cr)")
    ap.add_argument("--against", help="also run (c) from this checkout of the project (row c')")
    ap.add_argument("--scale", type=int, default=0, help="memory check: engine on N times more distinct sentences")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--hf", help=argparse.SUPPRESS)
    ap.add_argument("--ct2", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return 0

    shared = Path(args.shared)
    config = shared / "models" / "opus-mt-zh-en" / "config.json"
    wmt = [shared / "data" / "wmt" / "newstest2017.zh-en.zho", shared / "data" / "wmt" / "newstest2018.zh-en.zho"]
    missing = [str(p) for p in (config, wmt[0]) if not p.is_file()]
    if missing:
        print(f"skip: {', '.join(missing)} not found (the benchmark needs ../shared beside the repository)")
        return 0
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        print("skip: ctranslate2 is not installed (pip install 'retranslate[fast]')")
        return 0
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    stub = workdir / "build-input.txt"
    stub.write_text("", encoding="utf-8")
    model = _spawn(["--child", "build", "--input", str(stub), "--shared", str(shared), "--workdir", str(workdir)])
    print(f"model: random-weight opus-mt-zh-en architecture, {model['ct2']}")
    print(f"cpu cores usable: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.2f}")

    if args.scale:
        return scale_check(args, model, wmt, workdir)

    lines = read_lines(wmt[:1], args.sentences)
    engines = re.findall(r"b2|[abcrv]", args.engines)
    against = Path(args.against).resolve() if args.against else None
    if against is not None:
        if not (against / "mt" / "engine.py").is_file():
            raise SystemExit(f"--against {against}: not a checkout of this project (no mt/engine.py)")
        engines.append("c'")
    if "v" in engines:
        print(vmap_for(Path(model["ct2"]), shared))
    print(f"input: first {len(lines)} sentences of newstest2017.zh-en.zho; beam {BEAM}, {NEW_TOKENS} new tokens, "
          f"median of {args.runs} runs in rounds\n")
    # Rounds: each round runs every engine once, in a fresh process, so that a change in
    # the machine's speed during the benchmark (other tenants) weighs on all engines alike.
    rows: dict[str, dict] = {}
    for rnd in range(args.runs):
        for e in engines:
            if e == "r" and rnd > 0:
                continue
            out = measure(e, model, lines, 1, workdir, against)
            print(f"  ... round {rnd + 1}: ({e}) {out['sps']:.2f} sentences/s ({out['times'][0]:.1f}s) "
                  f"digest {out['digest']} at {time.strftime('%H:%M', time.gmtime())} UTC", flush=True)
            if e not in rows:
                rows[e] = out
            else:
                rows[e]["times"] += out["times"]
                rows[e]["rss_mb"] = max(rows[e]["rss_mb"], out["rss_mb"])
                if rows[e]["digest"] != out["digest"]:
                    rows[e]["digest"] = "varies"
    for r in rows.values():
        r["sps"] = len(lines) / statistics.median(r["times"])
    print()
    print("| engine | sentences/s | vs (a) | peak RSS MB | output digest |")
    print("|---|---:|---:|---:|---|")
    for e, r in rows.items():
        rel = f"{r['sps'] / rows['a']['sps']:.2f}x" if "a" in rows else "-"
        print(f"| ({e}) {ENGINES[e]} | {r['sps']:.2f} | {rel} | {r['rss_mb']:.0f} | {r['digest']} |")
    if "b2" in rows:
        print(f"\n(b2): {rows['b2']['threads']} threads; {rows['b2']['batch']}")
    if "c" in rows:
        c = rows["c"]
        print(f"(c) stats: {c['stats']}; {c['compute_type']}, {c['threads']} threads; {c['batch']}")
    PRIME = "c'"
    if PRIME in rows:
        same = "the same output" if rows[PRIME]["digest"] == rows.get("c", {}).get("digest") else "DIFFERENT output"
        print(f"(c') is (c) from {rows[PRIME]['code']}: {same}")
    if {"a", "c", "v"} <= set(rows):
        print(f"with the optional vocabulary map (v): (v)/(a) {rows['v']['sps'] / rows['a']['sps']:.2f}, "
              f"(v)/(c) {rows['v']['sps'] / rows['c']['sps']:.2f}")
    if "r" in rows:
        print(f"(r) stats: {rows['r']['stats']}")
    if "c" in rows and {"a", "b", "b2"} & set(rows):  # a figure whose engine did not run is "-"
        c = rows["c"]

        def fig(e: str, f) -> str:
            return f(rows[e]["sps"]) if e in rows else "-"

        s = fig("a", lambda a: f"{c['sps'] / a:.2f}")
        o = fig("b", lambda b: f"{1 - c['sps'] / b:.3f}")
        o2 = fig("b2", lambda b2: f"{1 - c['sps'] / b2:.3f}")
        print(f"speedup {s} overhead {o} overhead_like {o2} rss_mb {c['rss_mb']:.0f} digest {c['digest']}")
    return 0


def scale_check(args, model: dict, wmt: list[Path], workdir: Path) -> int:
    """Peak RSS of the engine path on N and on scale x N distinct sentences."""
    small = read_lines(wmt[:1], args.sentences)
    big = read_lines(wmt, args.sentences * args.scale)
    print(f"memory check: engine path (c), cold cache, 1 run each; {len(small)} vs {len(big)} distinct sentences\n")
    rows = [(len(small), measure("c", model, small, 1, workdir)), (len(big), measure("c", model, big, 1, workdir))]
    print("| sentences | sentences/s | peak RSS MB |")
    print("|---:|---:|---:|")
    for n, r in rows:
        print(f"| {n} | {r['sps']:.2f} | {r['rss_mb']:.0f} |")
    growth = rows[1][1]["rss_mb"] / rows[0][1]["rss_mb"]
    print(f"\nrss growth x{growth:.2f} for x{len(big) / len(small):.1f} input")
    print(f"rss_mb_small {rows[0][1]['rss_mb']:.0f} rss_mb_big {rows[1][1]['rss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
