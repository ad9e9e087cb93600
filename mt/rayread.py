"""The inputs of a Ray batch, listed and read as a Ray Data dataset.

``run_batch(..., ray=...)`` reads its inputs here instead of with :func:`mt.io.read_inputs`;
the documents are the same (ids, statuses, reasons, texts, metadata), only the reading
is spread over Ray::

    inputs (local paths, or URIs of a filesystem pyarrow resolves: s3://, gs://, file://, ...)
      -> listed here (local paths by mt.io.expand_inputs; URIs through the filesystem)
      -> the same reading plan as the local batch (mt.io.plan_inputs: pairs, corpora, JSONL)
      -> what cannot be read is known before reading (not a regular file, over the size
         limit) and becomes the local batch's error document
      -> ray.data.read_binary_files over the rest, decoded in Ray tasks by mt.io's own
         functions (the encoding detection of cleanup.decode_bytes, HTML main text, JSONL)
      -> documents back here, assembled in plan order, duplicate ids suffixed as locally

A URI scheme is resolved by pyarrow (``pyarrow.fs.FileSystem.from_uri``: s3, gs, hdfs,
file), else by fsspec (its packages: s3fs, gcsfs, adlfs, ...); a scheme whose package
is missing is one line saying which.  Local paths are read by Ray's tasks wherever they
run, so on a cluster they must be on storage every node sees under the same path; if
Ray cannot read them, this process reads them itself (same documents, only slower).

Ray, pyarrow and fsspec (the ``ray`` extra) are imported where they are used, so that this
module loads without them.
"""
from __future__ import annotations

import io as _io
import logging
import os
import pickle
import posixpath
from functools import partial
from pathlib import Path
from typing import Any, Iterable

from mt import io
from mt.errors import InputError, UserError
from mt.raybatch import _hushed
from mt.record import Document

log = logging.getLogger(__name__)

_URI = io.URI_SCHEME
is_uri = io.is_uri


# --------------------------------------------------------------------------- filesystems


def resolve(uri: str):
    """``(filesystem, path)`` of a URI: pyarrow's own filesystems first, then fsspec's (wrapped for pyarrow).

    Raises a one-line :class:`UserError` for a scheme nobody knows or whose package is missing.
    """
    import pyarrow.fs as pafs

    scheme = _URI.match(uri).group(1).lower()
    try:
        return pafs.FileSystem.from_uri(_with_endpoint(uri) if scheme == "s3" else uri)
    except (ValueError, NotImplementedError, ImportError) as e:  # ArrowInvalid is a ValueError
        known = "Unrecognized filesystem type" in str(e) or "not supported" in str(e).lower()
        if not known and not isinstance(e, ImportError):
            raise UserError(f"input {uri}: {_one_line(e)}") from None
    except OSError as e:  # pyarrow knows the scheme but cannot set it up (credentials, a bad bucket name...)
        raise UserError(f"input {uri}: cannot open its filesystem: {_one_line(e)}") from None
    try:
        import fsspec.core
    except ImportError:
        raise UserError(f"input {uri}: reading {scheme}:// needs fsspec and its {scheme} package, which are not "
                        f"installed (pip install fsspec, then the package for {scheme})") from None
    try:
        fs, path = fsspec.core.url_to_fs(uri)
    except ImportError as e:
        raise UserError(f"input {uri}: reading {scheme}:// needs a package that is not installed: "
                        f"{_one_line(e)}") from None
    except ValueError as e:
        raise UserError(f"input {uri}: no filesystem is known for {scheme}:// ({_one_line(e)})") from None
    except Exception as e:
        raise UserError(f"input {uri}: cannot open its filesystem: {type(e).__name__}: {_one_line(e)}") from None
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def _with_endpoint(uri: str) -> str:
    """An ``s3://`` URI with the S3 endpoint of this process's environment (``AWS_ENDPOINT_URL_S3`` or
    ``AWS_ENDPOINT_URL``) written into it, so that the filesystem Ray's tasks get uses it too.

    >>> os.environ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000"
    >>> _with_endpoint("s3://news/in")
    's3://news/in?endpoint_override=127.0.0.1%3A9000&scheme=http'
    >>> _with_endpoint("s3://news/in?endpoint_override=minio:9000")
    's3://news/in?endpoint_override=minio:9000'
    >>> del os.environ["AWS_ENDPOINT_URL"]
    """
    from urllib.parse import urlencode, urlsplit

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint or "endpoint_override=" in uri:
        return uri
    parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
    query = urlencode({"endpoint_override": parts.netloc, "scheme": parts.scheme or "https"})
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


def _one_line(e: Any) -> str:
    return " ".join(str(e).split())[:300]


class _Remote:
    """The files under one filesystem: URIs are ``prefix + path`` (``s3://`` + ``bucket/key``)."""

    def __init__(self, fs, prefix: str):
        self.fs, self.prefix = fs, prefix
        self.sizes: dict[str, int | None] = {}  # URI -> size (None: not a file)

    def uri(self, path: str) -> str:
        return self.prefix + path

    def path(self, uri: str) -> str:
        return uri[len(self.prefix):]


def _list_uri(item: str, remote: _Remote, path: str) -> list[tuple[str, dict]]:
    """The files a URI names (``path`` on ``remote``), as :func:`mt.io.expand_inputs` lists a local path."""
    import pyarrow.fs as pafs

    fs = remote.fs
    path = path.rstrip("/") or path
    try:
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise UserError(f"input {item} does not exist; give .txt, .html or .jsonl files or directories")
        if info.type != pafs.FileType.Directory:
            remote.sizes[remote.uri(path)] = info.size if info.type == pafs.FileType.File else None
            return [(remote.uri(path), {})]
        manifest = posixpath.join(path, io.CORPUS_MANIFEST)
        if fs.get_file_info(manifest).type == pafs.FileType.File:
            with fs.open_input_stream(manifest) as f:
                objs = io.corpus_objects(f.read())
            if objs is not None:
                return [_corpus_entry(remote, path, o) for o in objs]
        suffixes = io.TEXT_SUFFIXES + io.HTML_SUFFIXES
        found = []
        for fi in fs.get_file_info(pafs.FileSelector(path, recursive=True)):
            rel = fi.path[len(path):].lstrip("/")
            if fi.type != pafs.FileType.File or any(part.startswith(".") for part in rel.split("/")):
                continue
            if fi.base_name.lower().endswith(suffixes):
                remote.sizes[remote.uri(fi.path)] = fi.size
                found.append(remote.uri(fi.path))
        return [(u, {}) for u in sorted(found)]
    except OSError as e:
        raise UserError(f"input {item} cannot be listed: {_one_line(e)}") from None


def _corpus_entry(remote: _Remote, directory: str, obj: dict) -> tuple[str, dict]:
    """One file of a corpus manifest on a remote filesystem (a path out of the corpus folder is refused)."""
    meta = io.corpus_meta(obj)
    where = io.shown(remote.uri(posixpath.join(directory, io.CORPUS_MANIFEST)))
    target = posixpath.join(directory, obj["file"])
    try:
        v = io.check_relative(obj["file"])
        target = posixpath.normpath(posixpath.join(directory, v))
        if not target.startswith(directory.rstrip("/") + "/"):
            raise io.outside(v)
    except InputError as e:
        meta["_error"] = f"{where}: {e}"
    return remote.uri(target), meta


def list_inputs(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()):
    """``([(path or URI, meta)], {URI: its _Remote})``: the local batch's listing, URIs included."""
    entries: list[tuple[Any, dict]] = []
    remotes: dict[str, _Remote] = {}
    local: list[Any] = []
    for item in inputs:
        if is_uri(str(item)):
            entries.extend(io.expand_inputs(local, exclude))
            local = []
            fs, path = resolve(str(item))
            remote = _Remote(fs, _URI.match(str(item)).group(0))
            listed = _list_uri(str(item), remote, path)
            remotes.update((uri, remote) for uri, _meta in listed)
            entries.extend(listed)
        else:
            local.append(item)
    entries.extend(io.expand_inputs(local, exclude))
    return entries, remotes


# --------------------------------------------------------------------------- decoding (in Ray tasks)


def _remote_source(fs, prefix: str, jsonl_path: str, value: str) -> tuple[str, str]:
    """A JSONL ``source`` file beside a JSONL file on a remote filesystem: ``(text, origin)``."""
    import pyarrow.fs as pafs

    v = io.check_relative(value)
    base = posixpath.dirname(jsonl_path)
    target = posixpath.normpath(posixpath.join(base, v))
    if not target.startswith(base.rstrip("/") + "/"):
        raise io.outside(v)
    where = io.shown(prefix + target)
    try:
        info = fs.get_file_info(target)
        if info.type != pafs.FileType.File:
            raise InputError(f"{where} cannot be read: no such file")
        if info.size is not None and info.size > io.MAX_FILE_BYTES:
            raise io.too_big(where)
        with fs.open_input_stream(target) as f:
            data = f.read()
    except OSError as e:
        raise InputError(f"{where} cannot be read: {_one_line(e)}") from None
    return io.source_text(data, where), where


def decode_piece(role: str, doc_id: str, path: Any, data: bytes, source_reader=None) -> Any:
    """What one file's bytes give, by the local batch's functions: a Document, a JSONL file's
    Documents, or a pair's source text (or the :class:`InputError` that stops it)."""
    where = io.shown(path)
    if role == "text":
        return io.text_document(data, doc_id, where)
    if role == "html":
        return io.html_document(data, doc_id, where)
    if role == "source":
        try:
            return io.source_text(data, where)
        except InputError as e:
            return e
    if role == "jsonl":
        return io.jsonl_documents(_io.BufferedReader(_io.BytesIO(data)), path, source_reader)
    raise ValueError(f"unknown role {role!r}")


_PLANS: dict[str, dict] = {}


def _decode_batch(batch: dict, plan_ref: list, fs=None, prefix: str = "") -> dict:
    """Ray task: rows of ``read_binary_files`` (path, bytes) -> pickled ``(key, piece)``."""
    import numpy as np
    import ray

    key = plan_ref[0].hex()
    if key not in _PLANS:
        _PLANS.clear()
        _PLANS[key] = ray.get(plan_ref[0])
    plan = _PLANS[key]
    out = []
    for path, data in zip(batch["path"], batch["bytes"]):
        k = str(path)
        role, doc_id, shown_as = plan[k]
        reader = None
        if role == "jsonl":
            reader = (partial(_remote_source, fs, prefix, k) if prefix
                      else partial(io._local_source, Path(k)))
        out.append(pickle.dumps((k, decode_piece(role, doc_id, shown_as, bytes(data), reader)), protocol=5))
    return {"piece": np.array(out, dtype=object)}


# --------------------------------------------------------------------------- reading


def _roles(plan: list[io.Planned]) -> list[tuple[Any, str, str]]:
    """``(file, role, doc id)`` of every file the plan reads."""
    out = []
    for item in plan:
        if item.kind == "refused":
            continue
        out.append((item.path, "text" if item.kind == "pair" else item.kind, item.doc_id))
        if item.kind == "pair":
            out.append((item.zh, "source", item.doc_id))
    return out


def read_inputs(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = (), *,
                connect=None, show_progress: bool = False, quiet: bool = False) -> list[Document]:
    """The documents :func:`mt.io.read_inputs` gives for ``inputs`` (URIs too), read on Ray Data.

    ``connect()`` is called (once there is something to read) to join or start Ray.
    """
    entries, remotes = list_inputs(inputs, exclude)
    plan = io.plan_inputs(entries)
    if not plan:
        return []
    if connect is not None:
        connect()
    pieces: dict[str, Any] = {}
    groups: dict[int, tuple[_Remote | None, list]] = {}  # filesystem -> [(its path, role, doc id, path)]
    for path, role, doc_id in _roles(plan):
        remote = remotes.get(path) if isinstance(path, str) else None
        key = io.path_key(path)
        if key in pieces:
            continue
        limit = None if role == "jsonl" else io.MAX_FILE_BYTES
        try:
            if remote is None:
                io.check_file(path, limit)
            else:
                _check_remote(path, remote, limit)
        except InputError as e:
            pieces[key] = e
            continue
        pieces[key] = None  # to read
        groups.setdefault(id(remote), (remote, []))[1].append(
            (key if remote is None else remote.path(path), role, doc_id, path))
    for remote, files in groups.values():
        _read_group(files, remote, pieces, show_progress, quiet)
    return io.dedupe_ids(_assemble(plan, pieces))


def _check_remote(uri: str, remote: _Remote, limit: int | None) -> None:
    """The local batch's checks before reading, from the listing (or one look at the file)."""
    import pyarrow.fs as pafs

    where = io.shown(uri)
    if uri not in remote.sizes:
        try:
            info = remote.fs.get_file_info(remote.path(uri))
        except OSError as e:
            raise InputError(f"{where} cannot be read: {_one_line(e)}") from None
        remote.sizes[uri] = (info.size if info.type == pafs.FileType.File
                             else -1 if info.type == pafs.FileType.NotFound else None)
    size = remote.sizes[uri]
    if size == -1:
        raise InputError(f"{where} cannot be read: no such file")
    if size is None:
        raise InputError(f"{where} is a directory or another kind of entry, not a regular file; "
                         "only regular files are read")
    if limit is not None and size > limit:
        raise io.too_big(where, limit)


def _read_group(files: list[tuple[str, str, str, Any]], remote: _Remote | None, pieces: dict, show_progress: bool,
                quiet: bool):
    """Read one filesystem's files with ``ray.data.read_binary_files`` and decode them in Ray tasks."""
    import numpy as np
    import pyarrow.fs as pafs
    import ray
    from ray.data import DataContext

    plan = {ray_path: (role, doc_id, path) for ray_path, role, doc_id, path in files}
    back = {ray_path: io.path_key(path) for ray_path, _role, _doc_id, path in files}
    fs = remote.fs if remote is not None else pafs.LocalFileSystem()
    ctx = DataContext.get_current()
    saved = ctx.enable_progress_bars
    ctx.enable_progress_bars = show_progress
    hush = {"ray.data": logging.WARNING} if quiet else {}
    if not show_progress:
        hush["ray.data._internal.progress"] = logging.ERROR
    try:
        with _hushed(hush):
            ds = ray.data.read_binary_files(list(plan), include_paths=True, filesystem=fs)
            ds = ds.map_batches(_decode_batch, batch_format="numpy",
                                fn_kwargs={"plan_ref": [ray.put(plan)], "fs": fs if remote is not None else None,
                                           "prefix": remote.prefix if remote is not None else ""})
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                for blob in batch["piece"]:
                    k, piece = pickle.loads(np.asarray(blob).item() if isinstance(blob, np.ndarray) else blob)
                    pieces[back[k]] = piece
    except (ray.exceptions.RayError, OSError) as e:  # a file Ray's tasks cannot read (gone, not on their node)
        log.warning("Ray Data could not read every input (%s); the rest is read here", _one_line(e)[:200])
    finally:
        ctx.enable_progress_bars = saved
    for ray_path, role, doc_id, path in files:
        if pieces.get(back[ray_path]) is None:
            pieces[back[ray_path]] = _read_here(ray_path, role, doc_id, path, remote)


def _read_here(ray_path: str, role: str, doc_id: str, path: Any, remote: _Remote | None) -> Any:
    """One file read by this process, as the local batch reads it."""
    try:
        if remote is None:
            data = io.read_bytes(Path(ray_path), None if role == "jsonl" else io.MAX_FILE_BYTES)
        else:
            with remote.fs.open_input_stream(ray_path) as f:
                data = f.read()
    except InputError as e:
        return e
    except OSError as e:
        return InputError(f"{io.shown(path)} cannot be read: {_one_line(e)}")
    reader = None
    if role == "jsonl":
        reader = partial(_remote_source, remote.fs, remote.prefix, ray_path) if remote else partial(
            io._local_source, Path(ray_path))
    return decode_piece(role, doc_id, path, data, reader)


def _assemble(plan: list[io.Planned], pieces: dict[str, Any]) -> list[Document]:
    """The documents of the plan, in its order, from what each file gave (as :func:`mt.io.read_planned`)."""
    docs: list[Document] = []
    for item in plan:
        if item.kind == "refused":
            docs.extend(io.read_planned(item))
            continue
        where = io.shown(item.path)
        got = pieces[io.path_key(item.path)]
        if item.kind == "jsonl":
            docs.extend([io._error(item.doc_id, where, str(got))] if isinstance(got, InputError) else got)
            continue
        doc = io._error(item.doc_id, where, str(got)) if isinstance(got, InputError) else got
        if item.kind == "pair" and doc.status != "error":
            doc = io.pair_document(doc, where, io.shown(item.zh), pieces[io.path_key(item.zh)])
        docs.append(io.with_meta(doc, item))
    return docs
