"""Batch runs: output layout, the manifest, resuming, atomic writes, workers, progress.

``OUT/`` after :func:`run_batch`::

    OUT/<id>.en.txt          the output of each finished (ok, flagged, untranslated) document
    OUT/records/<id>.json    the full record (mt.record.Document.to_dict())
    OUT/manifest.jsonl       one summary line per document (Document.summary())
    OUT/pairs.jsonl          proposed English-Chinese pairs (mt.pairing)
    OUT/report.md, report.html   from eval.write_reports

Crash safety: every file is written to a temporary file and moved into place with
``os.replace``; a document's manifest line is appended (flush + fsync) only after its
files are in place.  A rerun into the same OUT rebuilds its state from the manifest
and ``records/`` (a torn last line is dropped, a record without its manifest line is
re-registered), redoes only documents that are missing, failed, whose input changed, or
that another model (or other decoding options) translated, and never writes an id twice.  While a run goes, lines are appended in input order (also
with ``--workers N``); when it ends the manifest is rewritten (atomically) in input order.
``OUT/.lock`` keeps two runs from writing the same OUT.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from mt.atomic import atomic_write_text
from mt.errors import UserError
from mt.pipeline import MT_GUARDS, Engines, Options, finish, load_engines, load_glossary, needed_directions, prepare
from mt.record import FINISHED, STATUSES, Document

MANIFEST = "manifest.jsonl"
RECORDS = "records"
PAIRS = "pairs.jsonl"


@dataclass
class BatchResult:
    """What a batch did: counts per status, ids resumed, report paths, the exit code."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    processed: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    report_error: str | None = None
    proposals: list[dict] = field(default_factory=list)
    #: {check name: flagged documents that failed it}
    failed_checks: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 every document finished (ok, flagged, untranslated) or was skipped, 1 some had an error."""
        return 1 if self.counts.get("error") else 0

    def line(self) -> str:
        """The summary line: a count per status, which checks flagged documents failed, where OUT is."""
        c = self.counts
        s = f"{sum(c.values())} documents: " + ", ".join(f"{c.get(k, 0)} {k}" for k in STATUSES)
        extra = [k for k in c if k not in STATUSES]
        if extra:
            s += ", " + ", ".join(f"{c[k]} {k}" for k in extra)
        if self.failed_checks:
            s += " (failed checks: " + ", ".join(f"{k} {v}" for k, v in sorted(self.failed_checks.items())) + ")"
        if self.resumed:
            s += f" ({len(self.resumed)} already done)"
        s += f" -> {self.out_dir}"
        html = [p for p in self.reports if str(p).endswith(".html")]
        return s + (f" (report: {html[0]})" if html else "")


def entry_failed_checks(entry: dict) -> list[str]:
    """Names of the failed checks of a manifest line (``checks`` is {name: ok}; MT guard flags count too)."""
    checks = entry.get("checks") if isinstance(entry.get("checks"), dict) else {}
    failed = [k for k, ok in checks.items() if not ok]
    if (entry.get("mt_stats") or {}).get("flagged"):
        failed.append(MT_GUARDS)
    return failed


# --------------------------------------------------------------------------- atomic files


def append_line(path: Path, obj: dict) -> None:
    """Append one JSON line and make it durable (flush + fsync)."""
    with open(path, "a", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(obj, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


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


def _output_path(out: Path, doc_id: str) -> Path:
    return out / f"{doc_id}.en.txt"


def _record_path(out: Path, doc_id: str) -> Path:
    return out / RECORDS / f"{doc_id}.json"


def write_document(out: Path, doc: Document) -> None:
    """Write a finished document: its English, its record, then its manifest line."""
    if doc.status in FINISHED and doc.output is not None:
        atomic_write_text(_output_path(out, doc.id), doc.output.rstrip("\n") + "\n")
    atomic_write_text(_record_path(out, doc.id), json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n")
    append_line(out / MANIFEST, doc.summary())


# --------------------------------------------------------------------------- resume


#: What identifies the translator that produced a document (compared on resume).
_ENGINE_KEYS = ("direction", "backend", "model_id", "decoding")


def engine_identities(engines: Engines | None) -> dict[str, dict]:
    """{direction: identity} of the loaded translators that can tell (fakes without ``info`` cannot)."""
    from mt.pipeline import engine_infos

    infos = engine_infos((getattr(engines, "zh_en", None), getattr(engines, "en_zh", None)))
    return {i["direction"]: {k: i.get(k) for k in _ENGINE_KEYS} for i in infos if i.get("direction")}


def _made_by_other_model(out: Path, doc_id: str, current: dict[str, dict]) -> bool:
    """True when the record says another model or other decoding options translated the document."""
    try:
        rec = json.loads(_record_path(out, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # no readable record: the other checks decide
    used = (rec.get("metadata") or {}).get("mt_engines") or []
    for info in used if isinstance(used, list) else []:
        if not isinstance(info, dict):
            continue
        now = current.get(info.get("direction"))
        if now is not None and any(info.get(k) != now[k] for k in _ENGINE_KEYS):
            return True
    return False


def _is_done(out: Path, entry: dict | None, doc: Document, options: Options | None = None,
             engines: dict[str, dict] | None = None) -> bool:
    if not entry or entry.get("status") not in FINISHED + ("skipped",):
        return False
    if doc.status == "error":  # the input now fails to read: report that, don't keep stale output
        return False
    if entry.get("digest") and doc.digest and entry["digest"] != doc.digest:
        return False
    if doc.status == "ok" and entry.get("status") in FINISHED:
        if doc.route and entry.get("route") and entry["route"] != doc.route:
            return False  # routed differently now (e.g. a source attached with --auto-pair)
        if options is not None and options.mt and entry.get("mt") == "skipped":
            return False  # done with --no-mt before; MT is on now
        if engines and entry.get("mt") == "done" and _made_by_other_model(out, doc.id, engines):
            return False  # translated by another model (or with other decoding options) before
    if not _record_path(out, doc.id).is_file():
        return False
    if entry.get("status") in FINISHED and not _output_path(out, doc.id).is_file():
        return False
    return True


def _recover_from_records(out: Path, entries: dict[str, dict], docs: list[Document]) -> None:
    """A record whose manifest line was lost (killed in between) counts again as done."""
    for d in docs:
        if d.id in entries:
            continue
        rp = _record_path(out, d.id)
        if not rp.is_file():
            continue
        try:
            rec = Document.from_dict(json.loads(rp.read_text(encoding="utf-8")))
        except (ValueError, TypeError, OSError):
            continue
        if rec.id == d.id:
            entries[d.id] = rec.summary()


def resume_state(out: Path, docs: list[Document], options: Options | None = None,
                 engines: dict[str, dict] | None = None) -> tuple[dict[str, dict], list[Document]]:
    """(entries to keep, documents still to do), reading OUT without writing to it.

    A document is done when its manifest line and files are there, its input is
    unchanged, it is routed the same way, it was not done with MT skipped while MT
    is now on, and (given ``engines``, see :func:`engine_identities`) it was not
    translated by another model or with other decoding options.
    """
    entries, _ = read_manifest(out / MANIFEST)
    _recover_from_records(out, entries, docs)
    keep: dict[str, dict] = {}
    todo: list[Document] = []
    for d in docs:
        e = entries.get(d.id)
        if _is_done(out, e, d, options, engines):
            keep[d.id] = e
        else:
            todo.append(d)
    # entries of documents that are not part of this run's inputs are kept as they are
    ids = {d.id for d in docs}
    for i, e in entries.items():
        if i not in ids:
            keep[i] = e
    return keep, todo


def _rewrite_manifest(out: Path, keep: dict[str, dict]) -> None:
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in keep.values())
    atomic_write_text(out / MANIFEST, text)


# --------------------------------------------------------------------------- progress


class Progress:
    """tqdm bars on stderr for documents and MT segments; silent when not a TTY or quiet."""

    def __init__(self, total: int, done: int, enabled: bool, segments: bool):
        self.doc_bar = self.seg_bar = None
        self.live_segments = False  # True once the engine reports sentences as they finish
        if not enabled:
            return
        from tqdm import tqdm

        self.doc_bar = tqdm(total=total, initial=done, desc="documents", unit="doc", file=sys.stderr, position=0)
        if segments:
            self.seg_bar = tqdm(desc="segments", unit="seg", file=sys.stderr, position=1)

    def update(self, doc: Document) -> None:
        if self.doc_bar is not None:
            self.doc_bar.update(1)
            self.doc_bar.set_postfix_str(doc.id[:30], refresh=False)
        if self.seg_bar is not None and not self.live_segments:
            n = doc.mt_stats.get("segments") if doc.mt_stats else None
            self.seg_bar.update(int(n if n is not None else len(doc.segments)))

    def segment_callback(self):
        """A ``progress(n)`` callback for the engine (in-process runs), or None."""
        if self.seg_bar is None:
            return None

        def cb(n: int) -> None:
            self.live_segments = True
            self.seg_bar.update(int(n))

        return cb

    def close(self) -> None:
        for b in (self.seg_bar, self.doc_bar):
            if b is not None:
                b.close()


def progress_enabled(options: Options) -> bool:
    """Bars only for a person watching: stderr is a terminal and not --quiet."""
    if options.quiet:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- workers

_W: dict[str, Any] = {}


def _init_worker(options: Options, directions: set[str], engines: Engines | None) -> None:
    workers = max(1, int(options.workers or 1))
    if workers > 1 and not os.environ.get("RETRANSLATE_THREADS", "").strip():
        # Share the cores: each worker's backend would otherwise size its threads to all of them.
        from mt.backends.base import cpu_threads

        os.environ["RETRANSLATE_THREADS"] = str(max(1, cpu_threads() // workers))
    _W["options"] = options
    _W["engines"] = engines if engines is not None else load_engines(directions, options)
    _W["glossary"] = load_glossary(options.glossary)


def _work(doc: Document, passages: Any) -> Document:
    return finish(doc, _W["engines"], _W["options"], glossary=_W["glossary"], passages=passages)


def _process(
    todo: list[Document], options: Options, engines: Engines, glossary: Any, refs: dict, directions: set[str],
    engines_given: bool = False, progress: Any = None,
):
    """Yield finished documents in input order (in this process, or in a pool with ``workers`` > 1).

    Workers load their own models (given engines are pickled to them instead).
    """
    workers = max(1, int(options.workers or 1))
    if workers == 1 or len(todo) <= 1:
        for d in todo:
            yield finish(d, engines, options, glossary=glossary, passages=refs.get(d.id), progress=progress)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    worker_engines = engines if engines_given else None
    with ProcessPoolExecutor(
        max_workers=min(workers, len(todo)),
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(options, directions, worker_engines),
    ) as pool:
        futures = [pool.submit(_work, d, refs.get(d.id)) for d in todo]
        for d, fut in zip(todo, futures):
            try:
                yield fut.result()
            except Exception as e:  # a worker died: the document is an error, the batch goes on
                d.status, d.reason = "error", f"worker failed: {type(e).__name__}: {' '.join(str(e).split())[:300]}"
                yield d


# --------------------------------------------------------------------------- the batch


def run_batch(
    inputs: Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    options: Options | None = None,
    *,
    engines: Engines | None = None,
    ray: Any = None,
    gpus_per_worker: float = 0.0,
) -> BatchResult:
    """Run the pipeline over ``inputs`` into ``out_dir`` (see module doc for the layout).

    Raises :class:`mt.errors.UserError` (including ``ModelUnavailable``) before writing
    anything when the inputs are missing or a needed model cannot be loaded.  Pass
    ``engines`` to use already-loaded (or fake) translators.  ``ray``: finish the
    documents on Ray instead of here (True or "local" for a local instance, "auto" or
    "ray://host:port" to join a cluster; see :mod:`mt.raybatch`), ``gpus_per_worker``
    GPUs for each of its actors; everything else, OUT included, is the same.
    """
    from mt.io import read_inputs

    options = options or Options()
    process = _process
    if ray is not None and ray is not False:
        from functools import partial

        from mt import raybatch

        raybatch.require()
        process = partial(raybatch.process, address=raybatch.normalise_address(ray),
                          gpus_per_worker=float(gpus_per_worker or 0))
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"output {out} exists and is not a directory; choose another -o")
    docs = read_inputs(inputs, exclude=[out])
    if not docs:
        raise UserError("no documents found in the inputs (looked for .txt, .html and .jsonl files)")

    glossary = load_glossary(options.glossary)
    refs: dict = {}
    if options.refs:
        from eval import load_references

        if not Path(options.refs).is_dir():
            raise UserError(f"--refs {options.refs} is not a directory of reference passages")
        refs = load_references(options.refs) or {}

    proposals = prepare(docs, options)
    keep, todo = resume_state(out, docs, options)
    # Documents translated before are checked against the models of this run (loaded for them too).
    translated = [d for d in docs if keep.get(d.id, {}).get("mt") == "done"]
    directions = needed_directions(todo + translated, options)
    engines_given = engines is not None
    if engines is None:
        engines = load_engines(directions, options) if directions else Engines()  # may raise ModelUnavailable: nothing written yet

    # from here on OUT is written
    (out / RECORDS).mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        return _write_batch(out, docs, proposals, options, engines, engines_given, glossary, refs, directions, process)
    finally:
        lock.close()


def _write_batch(out, docs, proposals, options, engines, engines_given, glossary, refs, directions,
                 process=_process) -> BatchResult:
    # again, now that no other run can write OUT, and against the models of this run
    keep, todo = resume_state(out, docs, options, engine_identities(engines))
    _rewrite_manifest(out, keep)
    atomic_write_text(out / PAIRS, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in proposals))

    result = BatchResult(out_dir=out, proposals=[p.to_dict() for p in proposals])
    result.resumed = [d.id for d in docs if d.id in keep]
    # on Ray, Ray Data shows the progress
    bar = Progress(len(docs), len(result.resumed), progress_enabled(options) and process is _process, bool(directions))
    try:
        for doc in process(todo, options, engines, glossary, refs, directions, engines_given, bar.segment_callback()):
            write_document(out, doc)
            result.processed.append(doc.id)
            bar.update(doc)
    finally:
        bar.close()

    final, _ = read_manifest(out / MANIFEST)
    ids = {d.id for d in docs}
    # the finished manifest lists this run's documents in input order, then any others
    order = [d.id for d in docs if d.id in final] + [i for i in final if i not in ids]
    _rewrite_manifest(out, {i: final[i] for i in order})
    for i in order:
        if i in ids:
            status = final[i].get("status", "error")
            result.counts[status] = result.counts.get(status, 0) + 1
            if status == "flagged":
                for name in entry_failed_checks(final[i]):
                    result.failed_checks[name] = result.failed_checks.get(name, 0) + 1
    try:
        from eval import write_reports

        result.reports = [Path(p) for p in (write_reports(out) or [])]
    except Exception as e:  # the outputs are written; a report problem is reported, not fatal
        result.report_error = f"report not written: {type(e).__name__}: {' '.join(str(e).split())[:200]}"
    return result


def _lock(out: Path):
    """Hold ``OUT/.lock`` for the run (released by the OS even when the process is killed)."""
    f = open(out / ".lock", "a+")
    try:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - not POSIX: no lock
        pass
    except OSError:
        f.close()
        raise UserError(f"another retranslate run is writing to {out}; wait for it or choose another -o") from None
    return f
