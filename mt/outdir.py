"""The output folder of a batch: the one module that knows its layout.

``OUT/`` holds::

    OUT/<stem>.en.txt          the output of each finished (ok, flagged, untranslated) document
    OUT/records/<stem>.json    the full record (mt.record.Document.to_dict())
    OUT/manifest.jsonl         one summary line per document (Document.summary())
    OUT/pairs.jsonl            proposed English-Chinese pairs (mt.pairing)
    OUT/report.md, report.html
    OUT/.lock                  held (flock) by the one process writing OUT

``<stem>`` is :func:`file_stem` of the document id: ids stay in the manifest and
records exactly as given, only file names are made safe.  Every reader and writer of
an OUT (``run``, ``eval``, the reports) goes through the functions here.  Files are
written atomically (a temporary file moved into place); a document's manifest line is
appended (flush + fsync) only after its files are in place.  A write that fails (disk
full, read-only folder) raises :class:`OutputError`: the batch stops with one line
and exit code 3, and what was written stays valid for a rerun.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

from mt.atomic import atomic_write_text
from mt.errors import UserError
from mt.record import FINISHED

MANIFEST = "manifest.jsonl"
RECORDS = "records"
PAIRS = "pairs.jsonl"
LOCK = ".lock"
REPORTS = ("report.md", "report.html")

#: bytes of a file stem: with ``.en.txt`` and the temporary-file affixes a name stays far below 255 bytes
MAX_STEM_BYTES = 120
_UNSAFE = re.compile(r"[^\w.\-]+")


class OutputError(UserError):
    """OUT could not be written (read-only, disk full, not a folder): exit code 3."""


# --------------------------------------------------------------------------- names


def file_stem(doc_id: str) -> str:
    """A safe, unique, byte-bounded file name (without suffix) for a document id.

    An id that is already a safe name (letters, digits, ``_``, ``.``, ``-``; not
    starting with a dot; at most :data:`MAX_STEM_BYTES` bytes of UTF-8) is used as it
    is.  Any other id keeps a readable, shortened, sanitised prefix and gets a hash of
    the whole id, so two ids never share a file.

    >>> file_stem("000_93d24b2d31ac7832")
    '000_93d24b2d31ac7832'
    >>> file_stem("../../etc/x")
    'etc_x-cdcf495ebc'
    >>> len(file_stem("大" * 300).encode())
    119
    """
    doc_id = str(doc_id)
    if (
        _UNSAFE.search(doc_id) is None
        and not doc_id.startswith((".", "-"))
        and len(doc_id.encode("utf-8", "surrogatepass")) <= MAX_STEM_BYTES
        and doc_id.isprintable()
    ):
        return doc_id
    tag = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    base = _UNSAFE.sub("_", doc_id).strip("._-")
    base = base.encode("utf-8", "surrogatepass")[: MAX_STEM_BYTES - len(tag) - 1].decode("utf-8", "ignore")
    base = "".join(ch for ch in base if ch.isprintable()).rstrip("._-")
    return f"{base}-{tag}" if base else f"doc-{tag}"


def output_path(out: Path, doc_id: str) -> Path:
    return Path(out) / f"{file_stem(doc_id)}.en.txt"


def record_path(out: Path, doc_id: str) -> Path:
    return Path(out) / RECORDS / f"{file_stem(doc_id)}.json"


# --------------------------------------------------------------------------- errors


@contextlib.contextmanager
def writing(out: Path) -> Iterator[None]:
    """Turn an OS error while writing OUT into one-line :class:`OutputError`."""
    try:
        yield
    except OSError as e:
        why = e.strerror or str(e)
        hint = {28: "free some space and rerun (finished documents are kept)",
                30: "choose a writable -o", 13: "choose a writable -o"}.get(e.errno or 0, "check the folder and rerun")
        raise OutputError(f"cannot write the output {out}: {why}; {hint}") from None


def _text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _write(path: Path, text: str) -> None:
    # lone surrogates (from file names that are not UTF-8) are written as JSON escapes, never crash
    atomic_write_text(path, text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                      if _has_surrogates(text) else text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# --------------------------------------------------------------------------- manifest


def read_manifest(path: Path) -> tuple[dict[str, dict], int]:
    """Entries of a manifest by id (the last line of an id wins) and the number of lines dropped.

    A torn line (no newline at the end, or not JSON) is dropped.
    """
    entries: dict[str, dict] = {}
    dropped = 0
    try:
        data = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return entries, 0
    except OSError:
        return entries, 0
    lines = data.split("\n")
    # the text after the last newline is a torn write (or empty)
    if lines and lines[-1].strip():
        dropped += 1
    for line in lines[:-1]:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            dropped += 1
            continue
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            if obj["id"] in entries:
                dropped += 1
            entries[obj["id"]] = obj
        else:
            dropped += 1
    return entries, dropped


def manifest_entries(out: Path) -> dict[str, dict]:
    """The manifest of OUT by id (see :func:`read_manifest`)."""
    return read_manifest(Path(out) / MANIFEST)[0]


def append_line(path: Path, obj: dict) -> None:
    """Append one JSON line and make it durable (flush + fsync)."""
    with open(path, "a", encoding="utf-8", newline="\n", errors="surrogatepass") as f:
        line = _text(obj)
        if _has_surrogates(line):
            line = json.dumps(obj)  # ASCII escapes for what is not UTF-8
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


def rewrite_manifest(out: Path, entries: dict[str, dict]) -> None:
    """Replace the manifest (atomically) by ``entries`` in their order."""
    _write(Path(out) / MANIFEST, "".join(_text(e) + "\n" for e in entries.values()))


# --------------------------------------------------------------------------- documents


def write_document(out: Path, doc) -> None:
    """Write a finished document: its English (or remove a stale one), its record, then its manifest line."""
    out = Path(out)
    op = output_path(out, doc.id)
    if doc.status in FINISHED and doc.output is not None:
        _write(op, doc.output.rstrip("\n") + "\n")
    else:
        with contextlib.suppress(FileNotFoundError):
            op.unlink()  # the input now fails: no output of an earlier run stays beside the error
    _write(record_path(out, doc.id), json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n")
    append_line(out / MANIFEST, doc.summary())


def write_record(out: Path, rec: dict) -> None:
    """Replace the record of ``rec["id"]`` (atomically)."""
    _write(record_path(out, rec["id"]), json.dumps(rec, ensure_ascii=False, indent=1) + "\n")


def read_record(out: Path, doc_id: str) -> dict | None:
    """``OUT/records/<stem>.json`` as a dict, or None when missing, unreadable or another id's."""
    try:
        d = json.loads(record_path(out, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, torn, or not UTF-8
        return None
    return d if isinstance(d, dict) and d.get("id", doc_id) == doc_id else None


def has_output(out: Path, doc_id: str) -> bool:
    return output_path(out, doc_id).is_file()


def record_ids(out: Path) -> list[str]:
    """Ids of the records in ``OUT/records`` (read from the records, sorted by file name)."""
    rec_dir = Path(out) / RECORDS
    ids = []
    if rec_dir.is_dir():
        for p in sorted(rec_dir.glob("*.json")):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                ids.append(rec["id"])
    return ids


def load_batch(out: Path) -> list[dict]:
    """Records of a batch in manifest order (records without a manifest line are added).

    Each is the record merged over its manifest line, with ``_manifest`` (the line)
    and ``_record`` (whether the record was found), as :mod:`eval.report` renders them.
    """
    out = Path(out)
    docs = []
    entries = manifest_entries(out)
    for did, row in entries.items():
        rec = read_record(out, did) or {}
        docs.append({**row, **rec, "_manifest": row, "_record": bool(rec)})
    for did in record_ids(out):
        if did not in entries:
            rec = read_record(out, did)
            if rec:
                docs.append({**rec, "_manifest": {}, "_record": True})
    return docs


def write_pairs(out: Path, proposals: list[dict]) -> None:
    _write(Path(out) / PAIRS, "".join(_text(p) + "\n" for p in proposals))


def write_reports(out: Path) -> list[Path]:
    """Write ``report.md`` and ``report.html`` (eval.report renders them); returns their paths."""
    from eval.report import render_html, render_markdown

    out = Path(out)
    docs = load_batch(out)
    md, page = (out / name for name in REPORTS)
    _write(md, render_markdown(docs))
    _write(page, render_html(docs))
    return [md, page]


# --------------------------------------------------------------------------- the folder


def is_batch_output(out: Path) -> bool:
    """True for a folder written by ``retranslate run``: ``records/`` and a manifest of documents.

    A corpus folder (``seeds/``: a manifest of files) is not one.
    """
    out = Path(out)
    if not (out / RECORDS).is_dir() or not (out / MANIFEST).is_file():
        return False
    try:
        with open(out / MANIFEST, encoding="utf-8", errors="replace") as f:
            first = next((ln for ln in f if ln.strip()), None)
    except OSError:
        return False
    if first is None:
        return True
    try:
        obj = json.loads(first)
    except ValueError:
        return False
    return isinstance(obj, dict) and "status" in obj and "file" not in obj


def lock(out: Path, hint: str = "wait for it or choose another -o"):
    """Hold ``OUT/.lock`` (released by the OS even when the process is killed); returns the open file.

    Raises :class:`UserError` when another process holds it, :class:`OutputError`
    when OUT cannot be written.
    """
    with writing(out):
        f = open(Path(out) / LOCK, "a+")
    try:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - not POSIX: no lock
        pass
    except OSError:
        f.close()
        raise UserError(f"another retranslate run is writing to {out}; {hint}") from None
    return f


def remove_leftovers(out: Path) -> list[Path]:
    """Remove temporary files a killed writer left (``.*.tmp`` in OUT and records/); call holding the lock."""
    removed = []
    for folder in (Path(out), Path(out) / RECORDS):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                p = folder / name
                with contextlib.suppress(OSError):
                    if p.is_file() and not p.is_symlink():
                        p.unlink()
                        removed.append(p)
    return removed
