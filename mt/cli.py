"""The ``retranslate`` command: a thin layer over the Python API.

Each package registers its own subcommands:
- ``run``, ``doc``: mt.pipeline_cli.register
- ``models``: mt.models_cli.register
- ``clean``: cleanup.cli.register
- ``score``, ``eval``: eval.cli.register
- ``doctor``: mt.doctor.register

A ``register(subparsers)`` function adds its parsers and sets ``func`` on each
(``func(args) -> int`` exit code).  ``UserError`` becomes one line on stderr and exit 2.
"""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import argparse
import sys

from mt.errors import UserError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    from cleanup.cli import register as register_clean
    from eval.cli import register as register_eval
    from mt.doctor import register as register_doctor
    from mt.models_cli import register as register_models
    from mt.pipeline_cli import register as register_pipeline

    p = argparse.ArgumentParser(
        prog="retranslate",
        description=(
            "Turn garbled machine-translated English news articles into clean, faithful English. "
            "Chinese sources are retranslated with MarianMT (OPUS-MT zh-en); English without a "
            "source is normalised (guarded en-zh-en round trip, terminology, grammar); web "
            "boilerplate is stripped and the output is checked and scored."
        ),
        epilog="Exit codes: 0 every document finished (ok, flagged, untranslated) or skipped, 1 some documents "
               "had an error, 2 usage error or no model.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    register_pipeline(sub)
    register_clean(sub)
    register_eval(sub)
    register_models(sub)
    register_doctor(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        print(f"retranslate: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("retranslate: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
