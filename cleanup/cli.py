"""``retranslate clean``: the cleanup stages on one file, with an explanation of each change."""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import argparse
import sys
from pathlib import Path

from cleanup.errors import InputError

_HELP = """\
Print the cleaned text of FILE (.txt or .html; any common encoding) to stdout:
site chrome removed, Unicode, punctuation and whitespace repaired, broken and
repeated paragraphs fixed, Traditional Chinese made Simplified.

With --lines, FILE is line-aligned English MT output: each line gets post-MT
cleanup (repetition loops, spacing, punctuation), one line in, one line out.

English text also gets post-MT repair and the glossary's fixes of garbled
renderings ("double creation" -> "mass entrepreneurship and innovation").

With --explain, a report follows on stderr (stdout stays the clean text):
each removed line with its line number and reason, the metadata lifted out
(date, source, author, editor), and each replacement with its stage and reason.
"""


def _read(path: str, allow_empty: bool = False) -> tuple[str, str]:
    from cleanup.encoding import decode_bytes

    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path} is a directory; give one file (`retranslate run DIR` handles directories)")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    if allow_empty and not data.strip():
        return "", "utf-8"
    try:
        return decode_bytes(data)
    except InputError as e:
        raise InputError(f"{path}: {e}") from None


def _short(text: str, n: int = 100) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _explain(removed, metadata, changes, findings=(), out=None) -> None:
    out = out or sys.stderr
    print("--- explain", file=out)
    for r in removed:
        print(f"removed line {r.line + 1}: {r.reason}: {_short(r.text)}", file=out)
    for k, v in metadata.items():
        print(f"metadata {k}: {v}", file=out)
    for c in changes:
        after = _short(c.after) if c.after else "(dropped)"
        print(f"{c.stage}: {c.reason}: {_short(c.before)} -> {after}", file=out)
    for f in findings:
        print(f"finding {f.get('rule')}: {f.get('message')}", file=out)


def run_clean(args: argparse.Namespace) -> int:
    from cleanup.api import clean_english, clean_source
    from cleanup.postmt import repair_english_line

    text, _encoding = _read(args.file, allow_empty=args.lines)
    if args.lines:
        all_changes = []
        out = sys.stdout
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # trailing newline: no extra line
        for n, line in enumerate(lines):
            fixed, changes = repair_english_line(line)
            out.write(fixed + "\n")
            for c in changes:
                all_changes.append(type(c)(c.stage, c.before, c.after, f"line {n + 1}: {c.reason}"))
        if args.explain:
            _explain([], {}, all_changes)
        return 0

    glossary = None
    if not args.no_terms:
        from cleanup.terminology import Glossary

        glossary = Glossary.load(args.glossary)
    if args.file.lower().endswith((".html", ".htm")) or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
        from cleanup.htmltext import html_to_text

        text = html_to_text(text)
    lang = args.lang
    result = clean_source(text, lang=lang, script_config=None if args.opencc == "none" else args.opencc)
    paragraphs, changes, findings = result.paragraphs, list(result.changes), []
    from cleanup.script import detect_language

    is_en = (lang or detect_language("\n".join(paragraphs))[0]) == "en"
    if is_en:
        grammar = None
        if args.languagetool:
            from cleanup.grammar import open_grammar

            grammar = open_grammar(None if args.languagetool == "local" else args.languagetool)
        paragraphs, ch, findings = clean_english(paragraphs, glossary=glossary, grammar=grammar)
        changes += ch
    sys.stdout.write("\n\n".join(paragraphs) + "\n")
    if args.explain:
        _explain(result.removed, result.metadata, changes, findings)
    return 0


def register(sub) -> None:
    """Add the ``clean`` subcommand."""
    p = sub.add_parser(
        "clean",
        help="strip boilerplate and repair one text/HTML file (or MT output line by line with --lines)",
        description=_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="input file (.txt, .html; '-' reads stdin)")
    p.add_argument("--explain", action="store_true",
                   help="after the text, list on stderr each removed line and each replacement with its reason")
    p.add_argument("--lines", action="store_true",
                   help="FILE is line-aligned English MT output: post-MT cleanup per line, one line in, one line out")
    p.add_argument("--lang", choices=["zh", "en"], default=None, help="language of FILE (default: detected)")
    p.add_argument("--opencc", default="t2s", choices=["t2s", "tw2s", "hk2s", "none"],
                   help="conversion of Traditional Chinese to Simplified (default t2s; none keeps the script)")
    p.add_argument("--glossary", metavar="TSV", default=None,
                   help="extra glossary (SOURCE<TAB>TARGET lines) on top of the shipped one")
    p.add_argument("--no-terms", action="store_true",
                   help="do not apply the glossary's fixes of garbled English renderings")
    p.add_argument("--languagetool", metavar="URL", default=None,
                   help="grammar with LanguageTool: a server URL, or 'local' to start a local installation; "
                        "skipped with a note when it cannot be reached")
    p.set_defaults(func=run_clean)
