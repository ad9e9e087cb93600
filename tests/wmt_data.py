"""The committed WMT17 newstest2017 zh-en files (tests/data/wmt, origins in its README)."""
from __future__ import annotations

import lzma
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "wmt"


def wmt_text(name: str) -> str:
    """The text of ``tests/data/wmt/NAME``, read from ``NAME.xz`` when that is how it is committed."""
    path = DATA / name
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return lzma.decompress((DATA / f"{name}.xz").read_bytes()).decode("utf-8")


def wmt_lines(name: str) -> list[str]:
    """The lines of :func:`wmt_text`."""
    return wmt_text(name).splitlines()
