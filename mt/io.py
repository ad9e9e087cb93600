"""Reading inputs into :class:`mt.record.Document` records.

Inputs are ``.txt`` files, ``.html``/``.htm`` pages (main text through trafilatura),
``.jsonl`` files (one document per line) and directories (searched recursively, in a
stable sorted order).  Encodings are detected by ``cleanup.decode_bytes``.

A bad input never raises: it becomes a Document with ``status`` "error" (an empty
file included) and a one-line ``reason``, so a batch carries on.  Inputs are only
ever read, never modified.

Chinese sources are attached explicitly:

- a JSONL line with ``zh_source`` (the text) or ``source`` (a path, relative to the
  JSONL file);
- a file ``NAME.zh.txt`` beside ``NAME.en.txt``: the pair is one document, id ``NAME``.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "a.en.txt").write_text("Dalian High-tech Zone.", encoding="utf-8")
>>> _ = (d / "a.zh.txt").write_text("大连高新区。", encoding="utf-8")
>>> _ = (d / "b.txt").write_text("", encoding="utf-8")
>>> [(doc.id, doc.status, doc.source_text or doc.reason) for doc in read_inputs([d])]
[('a', 'ok', '大连高新区。'), ('b', 'error', 'empty file (no text)')]
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable

from mt.errors import InputError, UserError
from mt.record import Document

#: file suffixes picked up when a directory is searched
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl",)
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

#: a file larger than this is not read (news articles are a few KB)
MAX_FILE_BYTES = 20 * 1024 * 1024
#: a line longer than this is not prose (minified data, a dump, a binary blob)
MAX_LINE_CHARS = 100_000

_LANG_SUFFIX = re.compile(r"\.(en|eng|zh|zho|cn|chi)$", re.I)
_ZH_TAGS = {"zh", "zho", "cn", "chi"}
_ID_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def doc_id_for(path: str | os.PathLike) -> str:
    """The document id of a file: its stem without a language tag.

    >>> doc_id_for("seeds/000_93d24b2d31ac7832.txt")
    '000_93d24b2d31ac7832'
    >>> doc_id_for("a/NAME.en.txt"), doc_id_for("NAME.zh.txt")
    ('NAME', 'NAME')
    """
    stem = Path(path).name
    for suf in KNOWN_SUFFIXES:
        if stem.lower().endswith(suf):
            stem = stem[: -len(suf)]
            break
    stem = _LANG_SUFFIX.sub("", stem) or stem
    return safe_id(stem)


def safe_id(text: str) -> str:
    """An id from a file name: unsafe characters (and bytes that are not UTF-8) become ``_``.

    (Files in OUT are named by :func:`mt.outdir.file_stem`, which also bounds the length.)

    >>> safe_id("a/b c:d")
    'a_b_c_d'
    """
    return _ID_SAFE.sub("_", str(text)).strip("._") or "doc"


def _lang_tag(path: Path) -> str | None:
    name = path.name
    for suf in KNOWN_SUFFIXES:
        if name.lower().endswith(suf):
            name = name[: -len(suf)]
            break
    m = _LANG_SUFFIX.search(name)
    if not m:
        return None
    return "zh" if m.group(1).lower() in _ZH_TAGS else "en"


def digest(*parts: str | bytes | None) -> str:
    """Short content hash used to tell whether an input changed between runs."""
    h = hashlib.sha1()
    for p in parts:
        if p is None:
            p = b"\0none"
        h.update(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def shown(text: str | os.PathLike) -> str:
    """A path or text as printable UTF-8: bytes of a file name that are not UTF-8 appear as ``\\xNN``.

    >>> shown(os.fsdecode(b"d/bad\\xff.txt"))
    'd/bad\\\\xff.txt'
    """
    text = os.fspath(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def open_regular(path: Path):
    """Open a regular file for reading in binary; anything else (FIFO, device, socket, folder) is an :class:`InputError`.

    The file is opened without blocking (a FIFO would wait for a writer for ever) and
    checked on the open descriptor, so a file swapped for something else in between
    is caught too.
    """
    where = shown(path)
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            raise InputError(f"{where} is {kind}, not a regular file; only regular files are read")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            kind = _not_regular(os.fstat(fd).st_mode)
            if kind:
                raise InputError(f"{where} is {kind}, not a regular file; only regular files are read")
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{where} cannot be read: no such file (a broken link?)") from None
    except PermissionError:
        raise InputError(f"{where} cannot be read: permission denied") from None
    except OSError as e:
        raise InputError(f"{where} cannot be read: {e.strerror or e}") from None


def check_file(path: Path, limit: int | None = MAX_FILE_BYTES) -> None:
    """Raise the :class:`InputError` that reading ``path`` (at most ``limit`` bytes) would raise, without reading it."""
    with open_regular(path) as f:
        try:
            size = os.fstat(f.fileno()).st_size
        except OSError as e:
            raise InputError(f"{shown(path)} cannot be read: {e.strerror or e}") from None
    if limit is not None and size > limit:
        raise too_big(shown(path), limit)


def too_big(where: str, limit: int | None = None) -> InputError:
    return InputError(f"{where} is over the {limit or MAX_FILE_BYTES:,}-byte limit for one document")


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Read at most ``limit`` bytes (default :data:`MAX_FILE_BYTES`) of a regular file.

    Every OS problem, a special file, or a longer file is a one-line :class:`InputError`.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    with open_regular(path) as f:
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise InputError(f"{shown(path)} cannot be read: {e.strerror or e}") from None
    if len(data) > limit:
        raise too_big(shown(path), limit)
    return data


def decode(data: bytes, where: str = "input") -> tuple[str, str]:
    """Decode bytes with ``cleanup.decode_bytes`` and reject what is not prose.

    Raises :class:`InputError` (one line) for binary, undecodable or one-giant-line data.
    """
    text, encoding, _ = decode_counted(data, where)
    return text, encoding


def decode_counted(data: bytes, where: str = "input") -> tuple[str, str, int]:
    """:func:`decode` and the number of broken bytes replaced (UTF-8 with a few bad bytes)."""
    from cleanup.encoding import decode_bytes_counted

    try:
        text, encoding, replaced = decode_bytes_counted(data)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    except Exception as e:  # a decoder bug must not stop a batch
        raise InputError(f"{where}: cannot decode ({type(e).__name__}: {e})") from None
    check_text(text, where)
    return text, encoding, replaced


def check_text(text: str, where: str = "input") -> None:
    """Raise :class:`InputError` for text that cannot be a document (NUL bytes, giant lines)."""
    if "\x00" in text:
        raise InputError(f"{where}: looks binary (NUL characters after decoding)")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise InputError(
            f"{where}: a single line of {longest:,} characters (limit {MAX_LINE_CHARS:,}); "
            "not prose, split it into paragraphs"
        )


def html_main_text(html: str) -> str:
    """Main text of an HTML page (trafilatura through ``cleanup.htmltext``), one paragraph per line.

    The result still goes through the plain-text cleanup stage (short pages keep chrome).
    """
    from cleanup.htmltext import html_to_text

    return html_to_text(html)


def _finish(doc: Document) -> Document:
    """Common bookkeeping once raw text (or an error) is known."""
    if doc.origin:
        doc.origin = shown(doc.origin)
    if doc.status == "ok" and not doc.raw.strip():
        doc.status, doc.reason = "error", "empty document (no text)"
    if not doc.digest:
        doc.digest = digest(doc.raw, doc.source_text)
    return doc


def _error(doc_id: str, origin: str, reason: str) -> Document:
    d = Document(id=doc_id, origin=shown(origin), status="error", reason=_one_line(shown(reason)))
    d.digest = digest("error", reason)
    return d


def _one_line(s: str) -> str:
    return " ".join(str(s).split())[:500]


def _read_file(path: Path, doc_id: str | None, to_document) -> Document:
    """Read one input file's bytes and make them a Document with ``to_document(data, doc_id, where)`` (never raises)."""
    doc_id = doc_id or doc_id_for(path)
    where = shown(path)
    try:
        data = read_bytes(path)
    except InputError as e:
        return _error(doc_id, where, str(e))
    return to_document(data, doc_id, where)


def read_text_file(path: Path, doc_id: str | None = None) -> Document:
    """One ``.txt`` (or other plain text) file as a Document (never raises)."""
    return _read_file(path, doc_id, text_document)


def text_document(data: bytes, doc_id: str, where: str) -> Document:
    """The bytes of a plain text file as a Document (never raises); ``where`` names the file in reasons."""
    try:
        if not data.strip():
            return _finish(Document(id=doc_id, origin=where, status="error", reason="empty file (no text)"))
        text, enc, replaced = decode_counted(data, where)
    except InputError as e:
        return _error(doc_id, where, str(e))
    return _finish(_replaced(Document(id=doc_id, raw=text, origin=where, encoding=enc), replaced))


def _replaced(doc: Document, replaced: int) -> Document:
    """Record how many broken bytes of a UTF-8 input were replaced by U+FFFD."""
    if replaced:
        doc.metadata["replaced_bytes"] = replaced
        doc.notes.append(f"{replaced} byte(s) that are not UTF-8 replaced by U+FFFD")
    return doc


def read_html_file(path: Path, doc_id: str | None = None) -> Document:
    """One HTML page as a Document holding its main text (never raises)."""
    return _read_file(path, doc_id, html_document)


def html_document(data: bytes, doc_id: str, where: str) -> Document:
    """The bytes of an HTML page as a Document holding its main text (never raises)."""
    try:
        html, enc, replaced = decode_counted(data, where)
        text = html_main_text(html)
    except InputError as e:
        return _error(doc_id, where, str(e))
    except Exception as e:
        return _error(doc_id, where, f"{where}: HTML extraction failed ({type(e).__name__}: {e})")
    doc = _replaced(Document(id=doc_id, raw=text, origin=where, encoding=enc), replaced)
    doc.metadata["format"] = "html"
    if not text.strip():
        doc.status, doc.reason = "error", "no main text found in the HTML page"
    return _finish(doc)


def _jsonl_records(f, limit: int):
    """``(line number, bytes or None)`` per line of a binary file, each line read with at most ``limit`` bytes held.

    A line over the limit is skipped (read on to its end in bounded pieces) and given as None.
    """
    n = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized record without holding it
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def _jsonl_text(line: bytes, n: int) -> tuple[str, int]:
    """One JSONL line as text: UTF-8 (RFC 8259), else the document decoder (legacy encodings, broken bytes)."""
    if n == 1 and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        return line.decode("utf-8"), 0
    except UnicodeDecodeError:
        from cleanup.encoding import decode_bytes_counted

        text, _enc, replaced = decode_bytes_counted(line)
        return text, replaced


def read_jsonl_file(path: Path) -> list[Document]:
    """Documents from a JSONL file: ``{"id", "text", "lang"?, "zh_source"? | "source"?}`` per line.

    The file is read line by line and the size limit of one document applies to each
    line, so a JSONL file may be of any size.  A bad line becomes an error Document
    with id ``<file stem>-<line number>``.  Ids stay as given (file names are made from
    them by :func:`mt.outdir.file_stem`).
    """
    try:
        f = open_regular(path)
    except InputError as e:
        return [_error(doc_id_for(path), shown(path), str(e))]
    with f:
        return jsonl_documents(f, path)


def jsonl_documents(f, path: Path | str, read_source=None) -> list[Document]:
    """The documents of a JSONL file open for binary reading as ``f`` (see :func:`read_jsonl_file`).

    ``read_source(value)`` gives ``(text, origin)`` of a ``source`` that names a file
    (default: a file beside ``path`` on this machine, :func:`source_path`).
    """
    stem = doc_id_for(path)
    where_file = shown(path)
    docs: list[Document] = []
    head = f.peek(4)[:4] if hasattr(f, "peek") else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [_error(stem, where_file, f"{where_file}: a JSONL file must be UTF-8 (this one is UTF-16); convert it")]
    try:
        for n, line in _jsonl_records(f, MAX_FILE_BYTES):
            where = f"{where_file}:{n}"
            if line is None:
                docs.append(_error(f"{stem}-{n}", where, f"{where}: a record over the {MAX_FILE_BYTES:,}-byte "
                                                          "limit for one document"))
                continue
            if not line.strip():
                continue
            try:
                text, replaced = _jsonl_text(line, n)
                obj = json.loads(text)
            except InputError as e:
                docs.append(_error(f"{stem}-{n}", where, f"{where}: {e}"))
                continue
            except json.JSONDecodeError as e:
                docs.append(_error(f"{stem}-{n}", where, f"{where}: not valid JSON ({e.msg})"))
                continue
            except RecursionError:
                docs.append(_error(f"{stem}-{n}", where, f"{where}: not valid JSON (nested too deeply)"))
                continue
            if not isinstance(obj, dict):
                docs.append(_error(f"{stem}-{n}", where, f"{where}: expected a JSON object per line"))
                continue
            docs.append(_replaced(_doc_from_obj(obj, path, n, read_source), replaced))
    except OSError as e:
        docs.append(_error(f"{stem}-rest", where_file, f"{where_file} could not be read to its end: {e.strerror or e}"))
    if not docs:
        docs.append(_finish(Document(id=stem, origin=where_file, raw="")))
    return docs


def _given_id(value, fallback: str) -> str:
    """A JSONL id as given (a string, or a number written as text); ``fallback`` when there is none."""
    if isinstance(value, bool) or value is None:
        return fallback
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return fallback
    return value


_SENTENCE_MARKS = set("。，；！？、")


def _names_a_file(value: str) -> bool:
    """Whether a JSONL ``source`` value is a path (else it is the source text itself).

    A path is one short line without sentence punctuation that ends with a known
    suffix, or that has a path separator and no Chinese characters.
    """
    from cleanup.script import HAN

    v = value.strip()
    if "\n" in v or len(v) > 1024 or _SENTENCE_MARKS & set(v):
        return False
    if v.lower().endswith(KNOWN_SUFFIXES + (".text", ".md")):
        return True
    return ("/" in v or "\\" in v) and HAN.search(v) is None


def source_path(jsonl: Path, value: str) -> Path:
    """The file a JSONL ``source`` path names: relative, and inside the JSONL's own folder (links resolved).

    Raises :class:`InputError` for anything else.
    """
    v = check_relative(value)
    base = os.path.realpath(jsonl.parent)
    target = os.path.realpath(os.path.join(base, v))
    if os.path.commonpath([base, target]) != base:
        raise outside(v)
    return Path(target)


def _local_source(path: Path, value: str) -> tuple[str, str]:
    """The text and origin of the file a JSONL ``source`` names, beside the JSONL file on this machine."""
    sp = source_path(Path(path), value)
    return decode(read_bytes(sp), shown(sp))[0], shown(sp)


def _doc_from_obj(obj: dict, path: Path, n: int, read_source=None) -> Document:
    where = f"{shown(path)}:{n}"
    doc_id = _given_id(obj.get("id"), f"{doc_id_for(path)}-{n}")
    text = obj.get("text")
    if not isinstance(text, str):
        return _error(doc_id, where, f"{where}: missing a \"text\" string")
    try:
        check_text(text, where)
    except InputError as e:
        return _error(doc_id, where, str(e))
    doc = Document(id=doc_id, raw=text, origin=where, encoding="json")
    if isinstance(obj.get("lang"), str) and obj["lang"].strip():
        doc.metadata["declared_lang"] = obj["lang"].strip().lower()
    for key in ("title", "date", "url"):
        if isinstance(obj.get(key), str):
            doc.metadata[key] = obj[key]
    src = obj.get("zh_source")
    if isinstance(src, str) and src.strip():
        doc.source_text, doc.source_origin, doc.source_pairing = src, f"{where}#zh_source", "explicit"
    elif isinstance(obj.get("source"), str) and obj["source"].strip():
        value = obj["source"]
        try:
            if _names_a_file(value):
                doc.source_text, doc.source_origin = (read_source or partial(_local_source, path))(value)
            else:
                check_text(value, f"{where}#source")
                doc.source_text, doc.source_origin = value, f"{where}#source"
        except InputError as e:
            return _error(doc_id, where, f"{where}: source of {doc_id}: {e}")
        doc.source_pairing = "explicit"
    elif obj.get("source") is not None or obj.get("zh_source") is not None:
        if not isinstance(obj.get("source", ""), str) or not isinstance(obj.get("zh_source", ""), str):
            return _error(doc_id, where, f"{where}: \"source\" and \"zh_source\" must be strings")
    return _finish(doc)


def read_pair(en_path: Path, zh_path: Path) -> Document:
    """``NAME.en.txt`` with its Chinese source ``NAME.zh.txt`` as one Document, id ``NAME``."""
    doc = read_text_file(en_path)
    if doc.status == "error":
        return doc
    try:
        src: str | InputError = source_text(read_bytes(zh_path), shown(zh_path))
    except InputError as e:
        src = e
    return pair_document(doc, shown(en_path), shown(zh_path), src)


def source_text(data: bytes, where: str) -> str:
    """The bytes of a Chinese source file as text; :class:`InputError` when they are not."""
    return decode(data, where)[0]


def pair_document(doc: Document, en_where: str, zh_where: str, source: str | InputError) -> Document:
    """The English document ``doc`` with its Chinese source (text, or the error reading it)."""
    if doc.status == "error":
        return doc
    if isinstance(source, InputError):
        return _error(doc.id, en_where, f"source {zh_where}: {source}")
    doc.source_text, doc.source_origin, doc.source_pairing = source, zh_where, "explicit"
    doc.digest = digest(doc.raw, doc.source_text)
    return doc


CORPUS_MANIFEST = "manifest.jsonl"


def corpus_manifest(directory: Path) -> list[tuple[Path, dict]] | None:
    """The documents a corpus directory lists in its ``manifest.jsonl``, or None.

    A directory holding a ``manifest.jsonl`` whose lines all name a ``file`` (like
    ``seeds/``) is a described corpus: its documents are exactly those files, in that
    order, with ``language``/``title``/``date`` taken as declared metadata.
    """
    mf = directory / CORPUS_MANIFEST
    if not mf.is_file():
        return None
    try:
        objs = corpus_objects(mf.read_bytes())
    except OSError:
        return None
    if objs is None:
        return None
    out = []
    for o in objs:
        meta = corpus_meta(o)
        try:  # a corpus lists its own files: a path out of its folder is not read
            source_path(mf, o["file"])
        except InputError as e:
            meta["_error"] = f"{shown(mf)}: {e}"
        out.append((directory / o["file"], meta))
    return out


def corpus_objects(data: bytes) -> list[dict] | None:
    """The lines of a corpus ``manifest.jsonl`` (bytes), or None when it does not describe a corpus."""
    try:
        lines = [ln for ln in data.decode("utf-8-sig").splitlines() if ln.strip()]
        objs = [json.loads(ln) for ln in lines]
    except ValueError:
        return None
    if not objs or not all(isinstance(o, dict) and isinstance(o.get("file"), str) for o in objs):
        return None
    return objs


def corpus_meta(obj: dict) -> dict:
    """The declared metadata of one corpus manifest line."""
    meta = {k: obj[k] for k in ("title", "date") if isinstance(obj.get(k), str)}
    if isinstance(obj.get("language"), str):
        meta["declared_lang"] = obj["language"].strip().lower()
    return meta


def check_relative(value: str) -> str:
    """``value`` stripped, when it is a relative path; else the :class:`InputError` of :func:`source_path`."""
    v = value.strip()
    if os.path.isabs(v) or v.startswith(("~", "/")) or re.match(r"^[A-Za-z]:[\\/]", v):
        raise InputError(f"source {v!r} is not a path relative to the JSONL file's folder; "
                         "give the source text, or a file beside the JSONL")
    return v


def outside(v: str) -> InputError:
    return InputError(f"source {v!r} leads outside the JSONL file's folder; "
                      "give the source text, or a file beside the JSONL")


def _is_under(p: Path, roots: list[Path]) -> bool:
    rp = os.path.abspath(p)
    return any(rp == r or rp.startswith(r + os.sep) for r in map(str, roots))


def expand_inputs(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> list[tuple[Path, dict]]:
    """The files named by ``inputs``, each with declared metadata: ``[(path, meta)]``.

    Files are taken as given (any suffix; ``.jsonl`` holds one document per line).
    A directory is searched recursively in sorted order for ``.txt`` and ``.html``
    files (``.jsonl`` files inside directories are not documents: name them); a
    directory with a corpus ``manifest.jsonl`` yields exactly the files it lists.
    Paths under ``exclude`` (the output directory) are left out.  Raises
    :class:`UserError` for a path that does not exist at all.
    """
    excl = [Path(os.path.abspath(e)) for e in exclude]
    doc_suffixes = TEXT_SUFFIXES + HTML_SUFFIXES
    files: list[tuple[Path, dict]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            listed = corpus_manifest(p)
            if listed is not None:
                files.extend(listed)
                continue
            found = []
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_under(Path(root) / d, excl))
                for name in names:
                    if not name.startswith(".") and name.lower().endswith(doc_suffixes):
                        found.append(Path(root) / name)
                # a directory whose name looks like a document is reported, not silently dropped
                found.extend(Path(root) / d for d in dirs if d.lower().endswith(doc_suffixes))
            files.extend((q, {}) for q in sorted(found, key=lambda q: q.as_posix()))
        elif p.exists() or p.is_symlink():
            files.append((p, {}))
        elif is_uri(str(item)):
            raise UserError(f"input {item} is a URI: inputs on a remote filesystem are read by the Ray batch "
                            "(add --ray), or copy them here first")
        else:
            raise UserError(f"input {item} does not exist; give .txt, .html or .jsonl files or directories")
    return files


def read_inputs(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> list[Document]:
    """Read every input into Documents, in a stable order, with unique ids.

    See :func:`expand_inputs` for what is picked up from directories.
    ``NAME.zh.txt`` beside ``NAME.en.txt`` becomes one document (the English with its
    Chinese source).  Duplicate ids get a stable suffix (``-2``, ``-3``...) in input order.
    (:mod:`mt.rayread` reads the same plan on Ray Data.)
    """
    return dedupe_ids([d for item in plan_inputs(expand_inputs(inputs, exclude)) for d in read_planned(item)])


@dataclass
class Planned:
    """One item of the reading plan: a file (or an English file and its Chinese source) to read.

    ``kind``: "text", "html", "jsonl" (a file of documents), "pair" (``path`` is the
    English, ``zh`` its source) or "refused" (not read; ``reason`` says why).  ``path``
    is a :class:`Path`, or a URI string for a file on a remote filesystem.
    """

    kind: str
    path: Path | str
    doc_id: str
    meta: dict = field(default_factory=dict)
    zh: Path | str | None = None
    reason: str = ""

    def files(self) -> list[Path | str]:
        """The files this item reads."""
        if self.kind == "refused":
            return []
        return [self.path, self.zh] if self.kind == "pair" else [self.path]


URI_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def is_uri(item) -> bool:
    """Whether an input names a file by URI (``s3://...``) rather than by a local path.

    >>> is_uri("s3://news/2026-12-02"), is_uri("file:///data/in"), is_uri("seeds"), is_uri("C:/in")
    (True, True, False, False)
    """
    return isinstance(item, str) and bool(URI_SCHEME.match(item))


def path_key(p: Path | str) -> str:
    """What identifies a planned file: its URI, or its absolute local path."""
    return p if isinstance(p, str) else os.path.abspath(p)


def _parent(p: Path | str) -> str:
    return p.rsplit("/", 1)[0] if isinstance(p, str) else str(p.parent)


def _suffix(p: Path | str) -> str:
    return Path(p).suffix.lower() if isinstance(p, Path) else Path(p.rsplit("/", 1)[-1]).suffix.lower()


def plan_inputs(entries: list[tuple[Path | str, dict]]) -> list[Planned]:
    """What to read, in order, from :func:`expand_inputs`' ``[(path, meta)]`` (paths may be URIs)."""
    meta_of: dict[str, dict] = {}
    unique: list[Path | str] = []
    for p, meta in entries:
        key = path_key(p)
        if key not in meta_of:
            meta_of[key] = meta
            unique.append(p)
    # NAME.en.* + NAME.zh.* in the same folder: a pair
    by_key: dict[tuple[str, str], dict[str, Path | str]] = {}
    for p in unique:
        tag = _lang_tag(Path(p))
        if tag and _suffix(p) in TEXT_SUFFIXES:
            by_key.setdefault((_parent(p), doc_id_for(p)), {})[tag] = p
    paired_zh = {path_key(v["zh"]) for v in by_key.values() if "en" in v and "zh" in v}

    plan: list[Planned] = []
    for p in unique:
        key = path_key(p)
        if key in paired_zh:
            continue
        suffix = _suffix(p)
        group = by_key.get((_parent(p), doc_id_for(p)), {})
        meta = meta_of.get(key, {})
        if meta.get("_error"):
            plan.append(Planned("refused", p, doc_id_for(p), reason=meta["_error"]))
        elif suffix in JSONL_SUFFIXES and not (isinstance(p, Path) and p.is_dir()):
            plan.append(Planned("jsonl", p, doc_id_for(p)))
        elif suffix in HTML_SUFFIXES:
            plan.append(Planned("html", p, doc_id_for(p), meta))
        elif _lang_tag(Path(p)) == "en" and "zh" in group:
            plan.append(Planned("pair", p, doc_id_for(p), meta, zh=group["zh"]))
        else:
            plan.append(Planned("text", p, doc_id_for(p), meta))
    return plan


def with_meta(doc: Document, item: Planned) -> Document:
    """A document of ``item`` with the item's declared metadata (what it does not say itself)."""
    for k, v in item.meta.items():
        if not k.startswith("_"):
            doc.metadata.setdefault(k, v)
    return doc


def read_planned(item: Planned) -> list[Document]:
    """The documents of one plan item, read from this machine's files (never raises)."""
    if item.kind == "refused":
        return [_error(item.doc_id, shown(item.path), item.reason)]
    if item.kind == "jsonl":
        return read_jsonl_file(item.path)
    if item.kind == "html":
        doc = read_html_file(item.path)
    elif item.kind == "pair":
        doc = read_pair(item.path, item.zh)
    else:
        doc = read_text_file(item.path)
    return [with_meta(doc, item)]


def dedupe_ids(docs: list[Document]) -> list[Document]:
    """Give repeated ids a stable suffix (``-2``, ``-3``...) so no output overwrites another."""
    used: set[str] = set()
    for d in docs:
        base, k = d.id, 1
        while d.id in used:
            k += 1
            d.id = f"{base}-{k}"
        used.add(d.id)
    return docs


def document_from_text(text: str, *, doc_id: str = "doc", source: str | None = None, origin: str | None = None) -> Document:
    """A Document from text already in memory (the Python API, ``doc -``)."""
    check_text(text, origin or doc_id)
    doc = Document(id=str(doc_id), raw=text, origin=origin, encoding="str")
    if source:
        doc.source_text, doc.source_pairing = source, "explicit"
    return _finish(doc)

