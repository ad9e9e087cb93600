"""Encoding detection (stub contract; to be filled in)."""
from __future__ import annotations

from mt.errors import InputError


def decode_bytes(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise InputError(f"cannot decode: {e}") from None
