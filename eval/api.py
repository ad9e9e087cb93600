"""Front doors of the eval package (stub contract; to be filled in)."""
from __future__ import annotations

import re
from pathlib import Path

from mt.record import Check

#: garble_score at or above this rates a text as garbled machine translation.
GARBLED_AT = 0.5


def garble_score(text: str) -> float:
    words = re.findall(r"[A-Za-z']+", text)
    return 0.0 if not words else 0.0


def run_checks(output: str, *, source: str | None = None, source_lang: str | None = None) -> list[Check]:
    return [Check("no_chinese_left", not re.search(r"[\u4e00-\u9fff]", output))]


def load_references(directory) -> dict:
    return {}


def score_document(output: str, passages: list) -> dict:
    return {}


def write_reports(out_dir) -> list[Path]:
    return []
