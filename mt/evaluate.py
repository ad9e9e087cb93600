"""Scoring a finished batch: ``retranslate eval OUT --refs DIR``.

:func:`evaluate_batch` scores the output of every finished document of OUT that has
reference passages (``eval.score_document``), updates the scores in its record and in
the manifest, and rewrites the reports.  It holds OUT's lock while it reads and
writes, so it never runs beside a ``run`` into the same OUT, and it writes only into a
folder that ``retranslate run`` made (see :func:`mt.outdir.is_batch_output`).
"""
from __future__ import annotations

import sys
from pathlib import Path

from eval.metrics import METRICS
from eval.references import load_references
from eval.scoring import score_document
from mt import outdir
from mt.errors import UserError


def evaluate_batch(out_dir, refs_dir, *, ter: bool = True) -> dict[str, dict]:
    """Score every finished document of ``out_dir`` that has reference passages; returns ``{id: scores}``.

    Raises :class:`mt.errors.UserError` when ``out_dir`` is not a batch output or
    another process writes it, :class:`mt.outdir.OutputError` when it cannot be written.
    """
    out = Path(out_dir)
    if not outdir.is_batch_output(out):
        raise UserError(f"{out} is not a batch output (no records/ and manifest.jsonl of documents); "
                        "give the -o folder of a `retranslate run`")
    if not Path(refs_dir).is_dir():
        raise UserError(f"--refs {refs_dir} is not a directory of reference passages")
    refs = load_references(refs_dir)
    held = outdir.lock(out, "wait for it to finish, then run eval")
    try:
        with outdir.writing(out):
            outdir.remove_leftovers(out)
            entries = outdir.manifest_entries(out)
            done: dict[str, dict] = {}
            for did, row in entries.items():
                if did not in refs:
                    continue
                rec = outdir.read_record(out, did)
                if rec is None or rec.get("status", "ok") not in ("ok", "flagged"):  # finished English only
                    continue
                sc = score_document(rec.get("output") or "", refs[did], ter=ter)
                rec["scores"] = {**(rec.get("scores") or {}), **sc}
                outdir.write_record(out, rec)
                row["scores"] = rec["scores"]
                done[did] = rec["scores"]
            if entries:
                outdir.rewrite_manifest(out, entries)
            outdir.write_reports(out)
    finally:
        held.close()
    return done


def cmd_eval(args) -> int:
    """``retranslate eval``."""
    done = evaluate_batch(args.out, args.refs, ter=not args.no_ter)
    if not done:
        print(f"no document of {args.out} has reference passages in {args.refs}", file=sys.stderr)
    for did, sc in done.items():
        line = " ".join(f"{k} {sc[k]:.2f}" for k in METRICS if k in sc)
        print(f"{did}\t{line}\tcoverage {sc.get('coverage', 0):.0%}")
    print(f"reports: {Path(args.out) / outdir.REPORTS[0]}, {Path(args.out) / outdir.REPORTS[1]}")
    return 0


def register(sub) -> None:
    """Add ``eval`` to the ``retranslate`` subcommands."""
    e = sub.add_parser("eval", help="score a finished batch against reference passages and rewrite its reports",
                       description="Align reference passages to each document's output, score them (sacrebleu "
                                   "BLEU/chrF2/chrF++/TER with signatures), update records and manifest, "
                                   "rewrite report.md and report.html.  OUT must be the output folder of a "
                                   "`retranslate run`; eval waits for no run: it refuses while one writes OUT.")
    e.add_argument("out", help="batch output directory (holds manifest.jsonl and records/)")
    e.add_argument("--refs", default="seeds/references", help="directory of <doc_id>.jsonl reference passages")
    e.add_argument("--no-ter", action="store_true",
                   help="skip TER (computed by default; the slowest metric: 1-2 s for a document with long "
                        "passages on a busy 2-core machine, where the other metrics take milliseconds)")
    e.set_defaults(func=cmd_eval)
