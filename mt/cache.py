"""SQLite translation cache, safe with several processes.

A row is keyed by (backend identity, decoding key, normalised segment): the
same model with the same decoding options gives the same output for the same
text, so reruns and repeated sentences cost nothing, while a different model,
backend, numeric type or decoding option never sees another's rows.

A cache file that is not a database (or is damaged) is moved aside with one warning
line and a new one is started; a cache that cannot be written (read-only disk) is
still read.  The database runs in WAL mode with a busy timeout, so several worker processes
can read and write it at once.  The default location is
``<retranslate cache dir>/translations.sqlite3`` (see :func:`mt.models.cache_root`).

Example::

    cache = TranslationCache("/tmp/mt.sqlite3")
    cache.put_many("transformers:abc:float32", dec.key(), {"你好。": ("Hello.", [])})
    cache.get_many("transformers:abc:float32", dec.key(), ["你好。"])
    # {'你好。': ('Hello.', [])}
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
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


_warned: set[str] = set()


def warn(message: str) -> None:
    """One warning line on stderr, once per message and process."""
    if message not in _warned:
        _warned.add(message)
        print(f"retranslate: warning: {message}", file=sys.stderr)


def cache_key(identity: str, decoding_key: str, segment: str) -> str:
    """The row key of ``segment`` (already normalised) for a backend identity and decoding."""
    return hashlib.sha256(f"{identity}\0{decoding_key}\0{segment}".encode("utf-8")).hexdigest()


class TranslationCache:
    """A translation cache in one SQLite file (created with its directory when missing)."""

    def __init__(self, path, timeout: float = 60.0):
        self.path = Path(path)
        self.read_only = False
        self.timeout = timeout
        try:
            self._conn = self._open_rw()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and self.path.is_file():
                # a cache we may not write (read-only disk or file): still read it
                self._conn = self._open_ro()
                self.read_only = True
                return
            if isinstance(exc, sqlite3.OperationalError):
                raise
            aside = self._move_aside()
            warn(f"translation cache {self.path} was corrupt ({exc}); moved to {aside.name} and started anew")
            self._conn = self._open_rw()

    def _open_rw(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            self._retry(lambda: conn.execute("PRAGMA journal_mode=WAL"))
            conn.execute("PRAGMA synchronous=NORMAL")
            self._retry(lambda: conn.execute(_SCHEMA))
            conn.execute("SELECT COUNT(*) FROM translations WHERE rowid = 1").fetchone()  # reads a page
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_ro(self) -> sqlite3.Connection:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT COUNT(*) FROM translations").fetchone()
        except sqlite3.OperationalError:
            conn.close()  # e.g. the WAL cannot be opened: read the file as it is
            conn = sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("SELECT COUNT(*) FROM translations").fetchone()
        return conn

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(self.path, aside)
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.replace(f"{self.path}{extra}", f"{aside}{extra}")
        return aside

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
        """Store ``{segment: (output, flags)}`` in one transaction (nothing when the cache is read-only)."""
        if not items or self.read_only:
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
