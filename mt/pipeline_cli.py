"""The ``run`` and ``doc`` subcommands (batch and one-off)."""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import argparse
import sys
from pathlib import Path

from mt.backends import CHOICES as BACKEND_CHOICES
from mt.errors import UserError

RUN_HELP = """\
Clean and retranslate a batch of documents into OUT.

Inputs are .txt and .html files, .jsonl files (one document per line: {"id", "text",
optional "lang", optional "zh_source" text or "source" path}) and directories (searched
recursively for .txt and .html; a directory with a corpus manifest.jsonl, like seeds/,
gives exactly the files it lists).  NAME.zh.txt beside NAME.en.txt is attached as the
Chinese source of NAME.

Each document is routed: Chinese, or English with a Chinese source -> retranslate
(MarianMT zh-en); garbled English without source -> normalise (guarded en-zh-en round
trip); clean English -> light cleanup.  Models are loaded once, before any document is
written.  A model found nowhere on this machine is downloaded from the Hugging Face
Hub on first use (progress on stderr), converted to CTranslate2 and cached; offline
(HF_HUB_OFFLINE=1 or --offline) or when the Hub cannot be reached, run stops before
touching any document with one line saying what to do (--model DIR, or --no-mt).

OUT receives <id>.en.txt, records/<id>.json, manifest.jsonl (one line per document:
status, reason, route, mt, timings, checks, scores), pairs.jsonl (proposed
English-Chinese pairs), report.md and report.html.  Status: ok (every check passed),
flagged (a check failed; the reason names it), untranslated (Chinese under --no-mt),
skipped (nothing left after cleanup), error (the reason says why).  Rerunning into the
same OUT resumes: finished documents are not redone.
"""

RUN_EPILOG = """\
examples:
  retranslate run seeds -o out --no-mt          everything but MT, no model needed
  retranslate run seeds -o out                  with OPUS-MT (downloaded on first use)
  retranslate run articles/ -o out --model ~/models/opus-mt-zh-en --model-en-zh ~/models/opus-mt-en-zh
  retranslate run batch.jsonl -o out --workers 2 --refs seeds/references
  retranslate run seeds -o out --ray --no-mt    the same job on a local Ray instance (pip install -e '.[ray]')
  retranslate run articles/ -o /shared/out --ray auto --gpus-per-worker 1    on the Ray cluster of this machine

exit codes: 0 every document finished (ok, flagged, untranslated) or skipped,
            1 some documents had an error, 2 usage error or no model (nothing written),
            3 the output could not be written (read-only, disk full; rerun resumes)
"""

DOC_HELP = """\
Clean and retranslate one document and print the clean English to stdout.

FILE is a .txt or .html file, or - for standard input.  The route is chosen as in
`retranslate run`; --source attaches a Chinese original.  With --explain, what was
removed and changed (with reasons), the route and the checks go to stderr.
"""

DOC_EPILOG = """\
examples:
  retranslate doc seeds/003_cded1adef65ac78b.txt --no-mt
  cat article.txt | retranslate doc - --model ~/models/opus-mt-zh-en
  retranslate doc garbled.en.txt --source original.zh.txt --explain

exit codes: 0 ok, 1 the document failed, 2 usage error, unreadable input or no model
"""


def _add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("models and cleanup")
    g.add_argument("--model", metavar="DIR", help="zh-en MarianMT model: a Hugging Face or CTranslate2 directory, "
                   "or a hub id (default: the converted cache, then the HF cache)")
    g.add_argument("--model-en-zh", metavar="DIR", help="en-zh model for normalising English without a source")
    g.add_argument("--backend", choices=BACKEND_CHOICES, default="auto",
                   help="translation backend (default: auto = CTranslate2 when installed)")
    g.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                   help="where the model runs (default: auto = CUDA when a GPU is visible, else CPU)")
    g.add_argument("--compute-type", default="auto", metavar="TYPE",
                   help="numeric type (default: auto = int8 on CPU, float16 on CUDA; e.g. float32, int8_float16)")
    g.add_argument("--offline", action="store_true",
                   help="never download a missing model (as HF_HUB_OFFLINE=1); by default it is fetched on first use")
    g.add_argument("--no-mt", action="store_true", help="run every stage but MT; documents record mt: skipped")
    g.add_argument("--vmap", action="store_true",
                   help="CTranslate2 vocabulary map (vmap.txt in the converted model, see `retranslate models vmap`): "
                        "faster decoding that can change the output; off by default")
    g.add_argument("--glossary", metavar="FILE", help="terminology glossary (default: the shipped starter glossary)")
    g.add_argument("--lang", choices=("zh", "en"), help="force the language of every document (default: detected)")


def register(sub) -> None:
    """Add ``run`` and ``doc`` to the ``retranslate`` command."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("run", help="clean and retranslate a batch of documents into OUT",
                       description=RUN_HELP, epilog=RUN_EPILOG, formatter_class=fmt)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.html/.jsonl file or directory")
    p.add_argument("-o", "--out", required=True, metavar="OUT", help="output directory (created; reruns resume)")
    _add_model_args(p)
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (default 1; each loads its own models and gets an equal share of the "
                        "CPU threads, RETRANSLATE_THREADS=N sets the threads per worker; manifest stays in input order)")
    p.add_argument("--auto-pair", action="store_true",
                   help="attach the proposed Chinese source (from the batch or --sources; see pairs.jsonl) to "
                        "English documents")
    p.add_argument("--sources", metavar="DIR",
                   help="also look the Chinese source of each English document up in this index "
                        "(built by `retranslate sources index`)")
    p.add_argument("--refs", metavar="DIR", help="reference passages to score against (e.g. seeds/references)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")
    r = p.add_argument_group("Ray (pip install -e '.[ray]')")
    r.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS", type=_ray_address,
                   help="finish the documents on Ray Data: without ADDRESS on a local Ray instance, with 'auto' on "
                        "the cluster this machine belongs to, with ray://HOST:PORT on a remote one; same outputs, "
                        "OUT is written by this process (on a cluster, keep OUT on storage this machine can write); "
                        "--workers N sets the number of actors (default: one per CPU of the cluster)")
    r.add_argument("--gpus-per-worker", type=float, default=0.0, metavar="G",
                   help="with --ray: GPUs for each actor (e.g. 1 or 0.5); the models run on CUDA in float16")
    p.set_defaults(func=cmd_run)

    d = sub.add_parser("doc", help="one document: print the clean English to stdout",
                       description=DOC_HELP, epilog=DOC_EPILOG, formatter_class=fmt)
    d.add_argument("file", metavar="FILE", help="a .txt or .html file, or - for stdin")
    d.add_argument("--source", metavar="FILE", help="the Chinese original of FILE (retranslated instead)")
    _add_model_args(d)
    d.add_argument("--explain", action="store_true", help="print route, removals, changes and checks to stderr")
    d.set_defaults(func=cmd_doc)


def _ray_address(text: str) -> str:
    from mt.raybatch import looks_like_address

    if not looks_like_address(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Ray address (auto, local, ray://HOST:PORT or HOST:PORT); "
            "put the inputs before --ray, or write --ray local")
    return text


def _options(args, **extra):
    from mt.pipeline import Options

    return Options(
        mt=not args.no_mt, model=args.model, model_en_zh=args.model_en_zh, backend=args.backend, vmap=args.vmap,
        device=args.device, compute_type=args.compute_type, offline=args.offline,
        glossary=args.glossary, lang=args.lang, **extra,
    )


def cmd_run(args) -> int:
    """``retranslate run``: the batch."""
    from mt.batch import run_batch

    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
    if args.gpus_per_worker < 0 or (args.gpus_per_worker and args.ray is None):
        raise UserError("--gpus-per-worker takes a number of GPUs of 0 or more, and goes with --ray")
    opts = _options(args, workers=args.workers, auto_pair=args.auto_pair, sources=args.sources, refs=args.refs,
                    quiet=args.quiet)
    result = run_batch(args.inputs, args.out, opts, ray=args.ray, gpus_per_worker=args.gpus_per_worker)
    if not args.quiet:
        print(result.line(), file=sys.stderr)
    if result.note and args.quiet:
        print(f"retranslate: {result.note}", file=sys.stderr)
    if result.report_error:
        print(f"retranslate: warning: {result.report_error}", file=sys.stderr)
    return result.exit_code


def _read_doc_arg(path: str) -> tuple[str, str]:
    from mt import io

    if path == "-":
        data = sys.stdin.buffer.read(io.MAX_FILE_BYTES + 1)
        if len(data) > io.MAX_FILE_BYTES:
            raise io.too_big("stdin")
        text, _ = io.decode(data, "stdin")
        return text, "stdin"
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise UserError(f"{path} does not exist")
    text, _ = io.decode(io.read_bytes(p), io.shown(p))
    if p.suffix.lower() in io.HTML_SUFFIXES:
        text = io.html_main_text(text)
    return text, io.shown(p)


def cmd_doc(args) -> int:
    """``retranslate doc``: one document to stdout."""
    from mt.api import retranslate
    from mt import io

    text, origin = _read_doc_arg(args.file)
    source = None
    if args.source:
        source, _ = _read_doc_arg(args.source)
    doc_id = io.doc_id_for(origin) if origin != "stdin" else "stdin"
    opts = _options(args)
    kw = {k: getattr(opts, k) for k in ("mt", "model", "model_en_zh", "backend", "vmap", "glossary", "lang",
                                        "device", "compute_type", "offline")}
    result = retranslate(text, source=source, doc_id=doc_id, origin=origin, **kw)
    rec = result.record
    if args.explain:
        _explain(rec)
    if rec.status == "error":
        print(f"retranslate: error: {rec.id}: {rec.reason}", file=sys.stderr)
        return 1
    if rec.status == "skipped":
        print(f"retranslate: skipped: {rec.id}: {rec.reason}", file=sys.stderr)
        return 0
    if result.text:
        sys.stdout.write(result.text.rstrip("\n") + "\n")
    return 0


def _explain(rec) -> None:
    err = sys.stderr
    print(f"# {rec.id}: lang {rec.lang}, route {rec.route}, mt {rec.mt}, status {rec.status}", file=err)
    for r in rec.removed:
        print(f"removed line {r.line + 1}: [{r.reason}] {r.text}", file=err)
    for c in rec.changes:
        print(f"changed ({c.stage}): {c.before!r} -> {c.after!r} [{c.reason}]", file=err)
    for c in rec.checks:
        print(f"check {c.name}: {'ok' if c.ok else 'FAILED'}{(' - ' + c.detail) if c.detail else ''}", file=err)
    for f in rec.flags:
        print(f"flag: {f}", file=err)
