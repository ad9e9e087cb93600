"""``retranslate models``: fetch, list and convert the MarianMT models."""
from __future__ import annotations

# Each command imports its implementation when it runs, not at the top: the pipeline with
# eval's metrics and cleanup's converters takes seconds to import, and `retranslate --help`
# or a light command should not wait for it.

import argparse

from mt import backends
from mt.errors import UserError

_MODELS_HELP = """\
MarianMT models (OPUS-MT) used by retranslate:
  zh-en  Helsinki-NLP/opus-mt-zh-en  (retranslation from Chinese, and the way back of normalisation)
  en-zh  Helsinki-NLP/opus-mt-en-zh  (the way out of the en->zh->en normalisation round trip)

A run looks for a model in this order: --model DIR, the converted cache, the
Hugging Face cache, then downloads it from the Hub ($HF_ENDPOINT) on first use and
converts it to CTranslate2 (not with HF_HUB_OFFLINE=1 or --offline: then it stops
with one line saying what to do).  `models pull` does the download ahead of time.
The cache root is $RETRANSLATE_CACHE, else $HF_HOME/retranslate.
"""


def register(sub) -> None:
    """Add ``models pull|list|convert|vmap`` to the ``retranslate`` subcommands."""
    p = sub.add_parser("models", help="fetch, list and convert the MarianMT models",
                       description=_MODELS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    pull = msub.add_parser(
        "pull", help="download a model from the Hugging Face Hub and convert it for CTranslate2",
        description="Download Helsinki-NLP/opus-mt-<DIRECTION> into the Hugging Face cache (needs network; "
                    "honours HF_HOME and HF_HUB_OFFLINE) and, when CTranslate2 is installed, convert it to int8 "
                    "into the retranslate cache. Copy both caches to an offline machine to use them there.",
    )
    pull.add_argument("direction", choices=["zh-en", "en-zh"], help="translation direction")
    pull.add_argument("--no-convert", action="store_true", help="download only, skip the CTranslate2 conversion")
    pull.add_argument("--quantization", default="int8", choices=["int8", "int8_float16", "float16", "float32"],
                      help="CTranslate2 weight type of the conversion (default: int8)")
    pull.set_defaults(func=cmd_pull)

    lst = msub.add_parser("list", help="show which models are available on this machine",
                          description="Show, for each direction, the converted and Hugging Face cached models "
                                      "found locally (no network).")
    lst.set_defaults(func=cmd_list)

    conv = msub.add_parser(
        "convert", help="convert a Hugging Face Marian directory to CTranslate2",
        description="Convert a MarianMT model directory (as saved by transformers) to CTranslate2. Without -o the "
                    "conversion goes to the retranslate cache, where `--model DIR --backend auto` finds it.",
    )
    conv.add_argument("model_dir", metavar="DIR", help="Hugging Face Marian model directory")
    conv.add_argument("-o", "--output", metavar="OUT", help="where to write the converted model")
    conv.add_argument("--quantization", default="int8", choices=["int8", "int8_float16", "float16", "float32"],
                      help="CTranslate2 weight type (default: int8)")
    conv.set_defaults(func=cmd_convert)

    vm = msub.add_parser(
        "vmap", help="build a CTranslate2 vocabulary map from parallel text (for --vmap)",
        description="Build DIR/vmap.txt, the vocabulary map of `retranslate run --vmap`: for each source piece the "
                    "target pieces that co-occur with it in the sentence pairs of SOURCE and TARGET (aligned files, "
                    "one sentence per line), plus the most frequent target pieces for every batch. Decoding with it "
                    "is faster but can change the output; build it from a large in-domain sample, never from the "
                    "test set you score on.",
    )
    vm.add_argument("model_dir", metavar="DIR", help="converted CTranslate2 model directory")
    vm.add_argument("--source", required=True, metavar="FILE", help="source side, one sentence per line")
    vm.add_argument("--target", required=True, metavar="FILE", help="target side, aligned with --source")
    vm.add_argument("--per-source", type=int, default=50, metavar="N",
                    help="target pieces kept per source piece (default 50)")
    vm.add_argument("--always", type=int, default=1000, metavar="N",
                    help="most frequent target pieces allowed in every batch (default 1000)")
    vm.add_argument("--min-count", type=int, default=2, metavar="N",
                    help="sentence pairs a source/target piece pair must share (default 2)")
    vm.set_defaults(func=cmd_vmap)


def cmd_pull(args) -> int:
    from mt.models import pull

    hf_dir, conv = pull(args.direction, convert_model=not args.no_convert, quantization=args.quantization)
    print(f"{args.direction}: Hugging Face model in {hf_dir}")
    if conv:
        print(f"{args.direction}: CTranslate2 {args.quantization} model in {conv}")
    elif not args.no_convert:
        print(f"{args.direction}: CTranslate2 is not installed; the transformers backend will be used")
    return 0


def cmd_list(args) -> int:
    from mt.models import DIRECTIONS, cache_root, describe, hf_hub_cache

    print(f"cache root: {cache_root()}")
    print(f"Hugging Face cache: {hf_hub_cache()}")
    for name, cls in backends.REGISTRY.items():
        print(f"backend {name}: {'installed' if cls.available() else 'not installed'}")
    for direction in DIRECTIONS:
        d = describe(direction)
        where = d["converted"] or d["hf_cache"]
        state = f"converted {d['converted']}" if d["converted"] else (f"HF cache {d['hf_cache']}" if where else
                                                                       f"missing (retranslate models pull {direction})")
        print(f"{direction}  {d['hub_id']}  {state}")
    return 0


def cmd_convert(args) -> int:
    from pathlib import Path

    from mt.models import conversion_of

    src = Path(args.model_dir).expanduser()
    if not src.is_dir():
        raise UserError(f"{src} is not a directory; pass a Hugging Face Marian model directory")
    conv_cls = backends.converter()
    if conv_cls is None:
        raise UserError("CTranslate2 is not installed; run `pip install 'retranslate[fast]'`")
    out = Path(args.output).expanduser() if args.output else conversion_of(src, args.quantization)
    print(conv_cls.convert(src, out, quantization=args.quantization))
    return 0


def cmd_vmap(args) -> int:
    from pathlib import Path

    from mt.vmap import build_vmap

    files = []
    for name in (args.source, args.target):
        path = Path(name).expanduser()
        if not path.is_file():
            raise UserError(f"{path} is not a file; pass aligned source and target text files")
        files.append(path)
    if min(args.per_source, args.always, args.min_count) < 1:
        raise UserError("--per-source, --always and --min-count must be 1 or more")
    with open(files[0], encoding="utf-8", errors="replace") as src, open(files[1], encoding="utf-8", errors="replace") as tgt:
        path = build_vmap(Path(args.model_dir).expanduser(), src, tgt, per_source=args.per_source,
                          always=args.always, min_count=args.min_count)
    print(path)
    return 0
