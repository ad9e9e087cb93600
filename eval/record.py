"""What the reference-free checks report (``eval.checks``); the pipeline's record holds a list of them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Check:
    """A reference-free check on the output."""

    name: str
    ok: bool
    detail: str = ""
