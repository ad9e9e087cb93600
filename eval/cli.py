"""Subcommand ``score``.

``retranslate score HYP --ref REF``: sacrebleu-compatible scores of line-aligned
files.  The first line is exactly ``BLEU x chrF2 y chrF++ z``; signatures follow
on the next lines (``--no-signature`` to leave them out, ``--json`` for JSON).

``retranslate eval OUT`` (scoring a finished batch folder) is ``mt.evaluate``: eval
renders and scores data passed in, ``mt.outdir`` owns the output folder.
"""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import json
import sys
from pathlib import Path

from cleanup.errors import UserError


def _read_lines(path: str) -> list[str]:
    p = Path(path)
    if str(path) == "-":
        return sys.stdin.read().splitlines()
    if not p.is_file():
        raise UserError(f"{path}: no such file; give a text file with one segment per line.")
    try:
        return p.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; convert it to UTF-8 first.") from None


def cmd_score(args) -> int:
    from eval.checks import run_checks
    from eval.metrics import corpus_scores, score_line

    hyps = _read_lines(args.hyp)
    refs = _read_lines(args.ref)
    if not hyps:
        raise UserError(f"{args.hyp}: empty; nothing to score.")
    scores = corpus_scores(hyps, refs, ter=args.ter)
    fired: dict[str, int] | None = None
    if args.source:
        src = _read_lines(args.source)
        if len(src) != len(hyps):
            raise UserError(f"{args.source} has {len(src)} lines but {args.hyp} has {len(hyps)}.")
        fired = {}
        for s, h in zip(src, hyps):
            for c in run_checks(h, source=s, source_lang=args.source_lang, garble=False):
                if not c.ok:
                    fired[c.name] = fired.get(c.name, 0) + 1
    if args.json:
        out: dict = {k: {"score": round(v.score, 4), "signature": v.signature} for k, v in scores.items()}
        if fired is not None:
            out["checks_fired"] = {"segments": len(hyps), **dict(sorted(fired.items()))}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(score_line(scores, bleu_width=args.bleu_width, width=args.width))
    if args.signature:
        for v in scores.values():
            print(f"{v.signature} = {v.score:.{args.width}f}" + (f"  {v.detail}" if v.detail else ""))
    if fired is not None:
        print("checks fired: " + (", ".join(f"{k} {v}/{len(hyps)}" for k, v in sorted(fired.items())) or "none"))
    return 0


def register(sub) -> None:
    """Add ``score`` to the ``retranslate`` subcommands (``eval`` of a batch folder is ``mt.evaluate``)."""
    p = sub.add_parser("score", help="BLEU/chrF2/chrF++ (sacrebleu) of a line-aligned hypothesis file",
                       description="Score HYP against REF, line by line, exactly as sacrebleu does "
                                   "(BLEU tok 13a, chrF2, chrF++; TER with --ter).")
    p.add_argument("hyp", help="hypothesis file, one segment per line ('-' for stdin)")
    p.add_argument("--ref", "-r", required=True, help="reference file, line-aligned with HYP")
    p.add_argument("--ter", action="store_true",
                   help="also compute TER (sacrebleu's tercom algorithm; the slowest metric, "
                        "about 10 s for 2,000 news sentences on 2 cores)")
    p.add_argument("--signature", dest="signature", action="store_true", default=True,
                   help="print sacrebleu signatures after the score line (default)")
    p.add_argument("--no-signature", dest="signature", action="store_false", help="print only the score line")
    p.add_argument("--json", action="store_true", help="print scores and signatures as JSON")
    p.add_argument("--width", type=int, default=2, help="decimals for chrF/TER (default 2)")
    p.add_argument("--bleu-width", type=int, default=1, help="decimals for BLEU (default 1, as sacrebleu)")
    p.add_argument("--source", help="line-aligned source file: also count reference-free check failures")
    p.add_argument("--source-lang", default="zh", help="language of --source (zh or en; default zh)")
    p.set_defaults(func=cmd_score)
