"""The ``retranslate`` command: a thin layer over the Python API.

Each package registers its own subcommands:
- ``run``, ``doc``: mt.pipeline_cli.register
- ``models``: mt.models_cli.register
- ``sources``: mt.sources_cli.register
- ``clean``: cleanup.cli.register
- ``score``: eval.cli.register
- ``eval`` (of a batch folder): mt.evaluate.register
- ``doctor``: mt.doctor.register

A ``register(subparsers)`` function adds its parsers and sets ``func`` on each
(``func(args) -> int`` exit code).  ``UserError`` becomes one line on stderr and exit 2,
``OutputError`` (the output folder cannot be written) one line and exit 3; Ctrl-C and
SIGTERM stop with one line (exit 130 and 143), leaving what is finished for a rerun.
"""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import argparse
import signal
import sys

from mt.errors import UserError
from mt.outdir import OutputError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_CODES = ("exit codes: 0 every document finished (ok, flagged, untranslated) or skipped, 1 some documents "
              "had an error, 2 usage error or no model, 3 the output could not be written (read-only, disk full)")


class Terminated(BaseException):
    """SIGTERM arrived: stop like Ctrl-C (finished documents stay, a rerun resumes)."""


def _on_sigterm(signum, frame):
    raise Terminated()


def build_parser() -> argparse.ArgumentParser:
    from cleanup.cli import register as register_clean
    from eval.cli import register as register_eval
    from mt.doctor import register as register_doctor
    from mt.evaluate import register as register_batch_eval
    from mt.models_cli import register as register_models
    from mt.pipeline_cli import register as register_pipeline
    from mt.sources_cli import register as register_sources

    p = argparse.ArgumentParser(
        prog="retranslate",
        description=(
            "Turn garbled machine-translated English news articles into clean, faithful English. "
            "Chinese sources are retranslated with MarianMT (OPUS-MT zh-en); English without a "
            "source is normalised (guarded en-zh-en round trip, terminology, grammar); web "
            "boilerplate is stripped and the output is checked and scored."
        ),
        epilog=EXIT_CODES[0].upper() + EXIT_CODES[1:] + ".",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    register_pipeline(sub)
    register_clean(sub)
    register_eval(sub)
    register_batch_eval(sub)
    register_models(sub)
    register_sources(sub)
    register_doctor(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main thread: leave signals alone
        previous = None
    try:
        return int(args.func(args) or 0)
    except OutputError as e:
        print(f"retranslate: error: {e}", file=sys.stderr)
        return EXIT_OUTPUT
    except UserError as e:
        print(f"retranslate: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("retranslate: interrupted; finished documents are kept, the same command resumes", file=sys.stderr)
        return 130
    except Terminated:
        print("retranslate: terminated (SIGTERM); finished documents are kept, the same command resumes",
              file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
