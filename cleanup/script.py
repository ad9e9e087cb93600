"""Language and script detection, OpenCC conversion (stub contract; to be filled in)."""
from __future__ import annotations

import re

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LAT = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> tuple[str, str | None]:
    han = len(_HAN.findall(text))
    lat = len(_LAT.findall(text))
    if han == 0 and lat == 0:
        return "unknown", None
    if han * 2 >= lat:
        return "zh", "Hans"
    return "en", "Latn"
