"""Boilerplate stripping (stub contract; to be filled in).

- ``line_reason(line, lang) -> str | None``: context-free verdict on one line
  (used by eval's "no boilerplate left" check); None means content.
"""
from __future__ import annotations


def line_reason(line: str, lang: str = "en") -> str | None:
    return None
