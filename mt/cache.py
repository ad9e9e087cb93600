"""SQLite translation cache, safe with several processes.

A row is keyed by (backend identity, decoding key, normalised segment): the
same model with the same decoding options gives the same output for the same
text, so reruns and repeated sentences cost nothing, while a different model,
backend, numeric type or decoding option never sees another's rows.

The database runs in WAL mode with a busy timeout, so several worker processes
can read and write it at once.  The default location is
``<retranslate cache dir>/translations.sqlite3`` (see :func:`mt.models.cache_root`).

Example::

    cache = TranslationCache("/tmp/mt.sqlite3")
    cache.put_many("transformers:abc:float32", dec.key(), {"你好。": ("Hello.", [])})
    cache.get_many("transformers:abc:float32", dec.key(), ["你好。"])
    # {'你好。': ('Hello.', [])}
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    output TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]',
    created REAL NOT NULL
)
"""


def cache_key(identity: str, decoding_key: str, segment: str) -> str:
    """The row key of ``segment`` (already normalised) for a backend identity and decoding."""
    return hashlib.sha256(f"{identity}\0{decoding_key}\0{segment}".encode("utf-8")).hexdigest()


class TranslationCache:
    """A translation cache in one SQLite file (created with its directory when missing)."""

    def __init__(self, path, timeout: float = 60.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False)
        self._retry(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._retry(lambda: self._conn.execute(_SCHEMA))

    @staticmethod
    def _retry(fn, attempts: int = 20):
        for i in range(attempts):
            try:
                return fn()
            except sqlite3.OperationalError as exc:  # "database is locked" beyond the busy timeout
                if "locked" not in str(exc) and "busy" not in str(exc) or i == attempts - 1:
                    raise
                time.sleep(0.05 * (i + 1))

    def get_many(self, identity: str, decoding_key: str, segments: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
        """Cached ``{segment: (output, flags)}`` for those of ``segments`` that are in the cache."""
        keyed = {cache_key(identity, decoding_key, s): s for s in segments}
        found: dict[str, tuple[str, list[str]]] = {}
        keys = list(keyed)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                lambda: self._conn.execute(
                    f"SELECT key, output, flags FROM translations WHERE key IN ({marks})", chunk
                ).fetchall()
            )
            for key, output, flags in rows:
                found[keyed[key]] = (output, json.loads(flags))
        return found

    def put_many(self, identity: str, decoding_key: str, items: dict[str, tuple[str, list[str]]]) -> None:
        """Store ``{segment: (output, flags)}`` in one transaction."""
        if not items:
            return
        now = time.time()
        rows = [(cache_key(identity, decoding_key, s), out, json.dumps(list(flags)), now) for s, (out, flags) in items.items()]

        def write():
            with self._conn:  # BEGIN ... COMMIT, or ROLLBACK on error
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT OR REPLACE INTO translations (key, output, flags, created) VALUES (?, ?, ?, ?)", rows
                )

        self._retry(write)

    def __len__(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        """Close the connection (the cache cannot be used afterwards)."""
        self._conn.close()
