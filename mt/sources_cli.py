"""``retranslate sources``: index a collection of Chinese documents, look English ones up in it."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Iterator

from mt.errors import UserError

_HELP = """\
Build and query an on-disk index of Chinese documents, where `retranslate run --sources DIR`
finds the Chinese original of each English document (see mt.sources and mt.pairing).

  retranslate sources index ZH_INPUT... --index DIR   add Chinese documents to the index in DIR
  retranslate sources find EN_INPUT... --index DIR    show the proposed source of each English one

Indexing again into the same DIR extends the index (a document with the same id is replaced).
"""


def register(sub) -> None:
    """Add ``sources index|find`` to the ``retranslate`` subcommands."""
    p = sub.add_parser("sources", help="index Chinese documents and find the sources of English ones",
                       description=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ssub = p.add_subparsers(dest="sources_command", metavar="ACTION")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    ix = ssub.add_parser("index", help="add Chinese documents to an index",
                         description="Add the Chinese documents of ZH_INPUT (.txt/.html/.jsonl files or directories) "
                                     "to the index in DIR (created if missing, extended otherwise). Documents without "
                                     "Chinese text are skipped and counted.")
    ix.add_argument("inputs", nargs="+", metavar="ZH_INPUT")
    ix.add_argument("--index", required=True, metavar="DIR", help="index directory")
    ix.add_argument("--workers", type=int, default=1, metavar="N", help="processes reading the Chinese (default 1)")
    ix.add_argument("--no-text", action="store_true",
                    help="do not store the documents' text (smaller; --auto-pair then cannot attach them)")
    ix.set_defaults(func=cmd_index)

    fd = ssub.add_parser("find", help="show the proposed Chinese source of English documents",
                         description="For each English document of EN_INPUT, print one JSON line: the proposal "
                                     "(or null) with its evidence, and the best candidates.")
    fd.add_argument("inputs", nargs="+", metavar="EN_INPUT")
    fd.add_argument("--index", required=True, metavar="DIR", help="index directory")
    fd.add_argument("--candidates", type=int, default=3, metavar="K", help="candidates shown per document")
    fd.set_defaults(func=cmd_find)


def iter_documents(inputs) -> Iterator:
    """The documents of ``inputs``, one file at a time (memory bounded by the largest file)."""
    from mt import io

    for path, _meta in io.expand_inputs(inputs):
        suffix = path.suffix.lower()
        if suffix in io.JSONL_SUFFIXES and not path.is_dir():
            yield from io.read_jsonl_file(path)
        elif suffix in io.HTML_SUFFIXES:
            yield io.read_html_file(path)
        else:
            yield io.read_text_file(path)


def _terms(item):
    from mt import sources

    key, origin, text = item
    return key, origin, sources.zh_terms(text), text


def cmd_index(args) -> int:
    from cleanup.script import HAN
    from mt import sources

    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
    idx = sources.open_index(args.index, create=True)
    t0 = time.perf_counter()
    skipped: dict[str, int] = {}
    before = len(idx)

    def items():
        for d in iter_documents(args.inputs):
            if d.status != "ok":
                skipped[d.reason or "unreadable"] = skipped.get(d.reason or "unreadable", 0) + 1
            elif not HAN.search(d.raw):
                skipped["no Chinese text"] = skipped.get("no Chinese text", 0) + 1
            else:
                yield d.id, d.origin or d.id, d.raw

    def with_terms():
        if args.workers == 1:
            yield from map(_terms, items())
            return
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(args.workers) as pool:
            yield from pool.imap(_terms, items(), chunksize=32)

    n = 0
    batch = []
    for key, origin, terms, text in with_terms():
        batch.append((key, origin, terms, None if args.no_text else text))
        if len(batch) >= 1000:
            n += idx.add_terms(batch)
            batch = []
    n += idx.add_terms(batch)
    total = len(idx)
    idx.close()
    dt = time.perf_counter() - t0
    skip = "; ".join(f"{v} {k}" for k, v in sorted(skipped.items(), key=lambda kv: -kv[1])[:5])
    print(f"indexed {n} document(s) into {args.index} in {dt:.1f} s ({n / dt if dt else 0:.0f} docs/s); "
          f"{total} in the index (was {before})" + (f"; skipped {sum(skipped.values())}: {skip}" if skipped else ""),
          file=sys.stderr)
    return 0


def cmd_find(args) -> int:
    from cleanup import detect_language
    from mt import pairing, sources

    idx = sources.open_index(args.index)
    n = 0
    try:
        for d in iter_documents(args.inputs):
            if d.status != "ok":
                print(json.dumps({"id": d.id, "error": d.reason}, ensure_ascii=False))
                continue
            if detect_language(d.raw)[0] == "zh":
                print(json.dumps({"id": d.id, "error": "Chinese text: a source, not an English document "
                                  "(add it to the index with: retranslate sources index)"}, ensure_ascii=False))
                continue
            cands = idx.search(sources.en_terms(d.raw))
            p = pairing._proposal(d.id, cands)
            print(json.dumps({
                "id": d.id, "proposal": p.to_dict() if p else None, "why": pairing.verdict(cands)[1],
                "probability": round(pairing.probability(cands), 4),
                "candidates": [{"key": c.key, "coverage": c.score, "figures_missing": c.figures_missing,
                                "figures": c.figures, "shared": [sources.describe(t) for t in c.shared],
                                "specific": [sources.describe(t) for t in c.specific]}
                               for c in cands[:args.candidates]],
            }, ensure_ascii=False))
            n += 1
    finally:
        idx.close()
    return 0
