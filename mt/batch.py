"""Batch runs: output layout, the manifest, resuming, atomic writes, workers, progress.

``OUT/`` after :func:`run_batch`::

    OUT/<stem>.en.txt        the output of each finished (ok, flagged, untranslated) document
    OUT/records/<stem>.json  the full record (mt.record.Document.to_dict())
    OUT/manifest.jsonl       one summary line per document (Document.summary())
    OUT/pairs.jsonl          proposed English-Chinese pairs (mt.pairing)
    OUT/report.md, report.html

(:mod:`mt.outdir` owns that layout and every read and write of it.)

Crash safety: every file is written to a temporary file and moved into place with
``os.replace``; a document's manifest line is appended (flush + fsync) only after its
files are in place.  A rerun into the same OUT rebuilds its state from the manifest
and ``records/`` (a torn last line is dropped, a record without its manifest line is
re-registered), redoes only documents that are missing, failed, whose input changed, or
that another model (or other decoding options) translated, and never writes an id twice.  While a run goes, lines are appended in input order (also
with ``--workers N``); when it ends the manifest is rewritten (atomically) in input order.
``OUT/.lock`` keeps two runs (or a run and ``eval``) from writing the same OUT; the
temporary files of a killed writer are removed when the next one takes the lock.  A
write that fails stops the batch with :class:`mt.outdir.OutputError` (exit code 3).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from mt import outdir
from mt.errors import UserError
from mt.outdir import MANIFEST, PAIRS, RECORDS, OutputError, read_manifest, write_document
from mt.pipeline import MT_GUARDS, Engines, Options, finish, load_engines, load_glossary, needed_directions, prepare
from mt.record import FINISHED, STATUSES, Document

__all__ = ["BatchResult", "MANIFEST", "PAIRS", "RECORDS", "read_manifest", "resume_state", "run_batch", "write_document"]


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
    note: str | None = None

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
        s += f" (report: {html[0]})" if html else ""
        return s + (f"; {self.note}" if self.note else "")


def entry_failed_checks(entry: dict) -> list[str]:
    """Names of the failed checks of a manifest line (``checks`` is {name: ok}; MT guard flags count too)."""
    checks = entry.get("checks") if isinstance(entry.get("checks"), dict) else {}
    failed = [k for k, ok in checks.items() if not ok]
    if (entry.get("mt_stats") or {}).get("flagged"):
        failed.append(MT_GUARDS)
    return failed


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
    rec = outdir.read_record(out, doc_id)
    if rec is None:
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
    if not outdir.record_path(out, doc.id).is_file():
        return False
    if entry.get("status") in FINISHED and not outdir.has_output(out, doc.id):
        return False
    return True


def _recover_from_records(out: Path, entries: dict[str, dict], docs: list[Document]) -> None:
    """A record whose manifest line was lost (killed in between) counts again as done."""
    for d in docs:
        if d.id in entries:
            continue
        found = outdir.read_record(out, d.id)
        if found is None:
            continue
        try:
            rec = Document.from_dict(found)
        except (ValueError, TypeError):
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
    yield from _pool_process(todo, options, directions, engines if engines_given else None, refs, workers)


#: pools that die one after another without finishing a document before the rest is given up
_MAX_DEATHS_IN_A_ROW = 4


def _death_cause(processes) -> str:
    """What ended a worker process, from the exit codes of the pool's processes."""
    import signal as _signal

    codes = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
    # the pool terminates its other workers (SIGTERM) once one has died: the first other code is the cause
    codes.sort(key=lambda c: c == -_signal.SIGTERM)
    if not codes:
        return "the worker process died"
    c = codes[0]
    if c < 0:
        try:
            return f"the worker process was killed by {_signal.Signals(-c).name}"
        except ValueError:
            return f"the worker process was killed by signal {-c}"
    return f"the worker process exited with code {c}"


def _pool_process(todo: list[Document], options: Options, directions: set[str], worker_engines: Engines | None,
                  refs: dict, workers: int):
    """Documents finished by a pool of worker processes, in input order.

    A worker that dies (killed, out of memory, a crash in native code) breaks the pool:
    a new pool takes over, and the documents that were in flight are run again one at a
    time, so the one that kills its worker is found.  A document whose worker dies while
    it runs alone is retried once, then recorded as an error naming the cause.  Other
    documents are not affected.
    At most ``2 * workers`` documents are in flight, so a dead pool costs little.
    """
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    n = min(workers, len(todo))
    ctx = mp.get_context("spawn")

    def new_pool():
        return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                                   initargs=(options, directions, worker_engines))

    queue = deque(range(len(todo)))  # not yet started
    retry: deque[int] = deque()  # in flight when a worker died: run again, one at a time
    strikes: dict[int, int] = {}
    finished: dict[int, Document] = {}
    inflight: dict[int, Any] = {}
    seen_processes: set = set()
    next_out = deaths = 0
    pool = new_pool()
    try:
        while next_out < len(todo):
            pool_died = False
            try:
                if retry:
                    if not inflight:  # one at a time, to tell which document kills its worker
                        i = retry[0]
                        inflight[i] = pool.submit(_work, todo[i], refs.get(todo[i].id))
                        retry.popleft()
                else:
                    while queue and len(inflight) < 2 * n:
                        i = queue[0]
                        inflight[i] = pool.submit(_work, todo[i], refs.get(todo[i].id))
                        queue.popleft()
            except BrokenProcessPool:  # it died since the last look; the document stays queued
                pool_died = True
            seen_processes.update(getattr(pool, "_processes", {}).values())
            if inflight and not pool_died:
                wait(list(inflight.values()), return_when=FIRST_COMPLETED)
            broken = []
            for i, fut in list(inflight.items()):
                if not fut.done():
                    continue
                del inflight[i]
                try:
                    finished[i] = fut.result()
                    deaths = 0
                except BrokenProcessPool:
                    broken.append(i)
                except Exception as e:  # the document failed in a way the pipeline did not catch
                    d = todo[i]
                    d.status, d.reason = "error", f"worker failed: {type(e).__name__}: {' '.join(str(e).split())[:300]}"
                    finished[i] = d
            if broken or pool_died:
                broken += list(inflight)  # the rest of the pool's documents are lost with it
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)  # joins the processes: their exit codes are known
                cause = _death_cause(seen_processes)
                deaths += 1
                if deaths > _MAX_DEATHS_IN_A_ROW:  # workers cannot run at all (e.g. fail to start)
                    for i in sorted(set(broken) | set(retry) | set(queue)):
                        d = todo[i]
                        d.status, d.reason = "error", f"worker processes keep dying ({cause}); document not processed"
                        finished[i] = d
                    retry.clear()
                    queue.clear()
                    broken = []
                seen_processes.clear()
                alone = len(set(broken)) == 1  # a document alone in the pool killed its worker
                for i in sorted(set(broken)):
                    strikes[i] = strikes.get(i, 0) + alone
                    if strikes[i] >= 2:
                        d = todo[i]
                        d.status = "error"
                        d.reason = f"worker failed twice: {cause} while processing this document (retried once)"
                        finished[i] = d
                    else:
                        retry.append(i)
                retry = deque(sorted(retry))
                pool = new_pool()
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
    GPUs for each of its actors; the inputs are then read on Ray Data too (:mod:`mt.rayread`:
    local paths, or URIs such as ``s3://bucket/dir``); everything else, OUT included, is the same.
    """
    from mt.io import read_inputs

    options = options or Options()
    if ray is None or ray is False:
        return _run_batch(inputs, out_dir, options, engines, _process, read_inputs)
    from functools import partial

    from mt import raybatch, rayread

    raybatch.require()
    address = raybatch.normalise_address(ray)
    with raybatch.session(address, quiet=options.quiet) as connect:
        process = partial(raybatch.process, address=address, gpus_per_worker=float(gpus_per_worker or 0))
        reader = partial(rayread.read_inputs, connect=connect, show_progress=progress_enabled(options),
                         quiet=options.quiet)
        return _run_batch(inputs, out_dir, options, engines, process, reader)


def _run_batch(inputs, out_dir, options: Options, engines: Engines | None, process, reader) -> BatchResult:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"output {out} exists and is not a directory; choose another -o")
    docs = reader(inputs, exclude=[out])
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
    try:
        with outdir.writing(out):
            (out / RECORDS).mkdir(parents=True, exist_ok=True)
        lock = outdir.lock(out)
    except OutputError:
        complete = _complete_read_only(out, docs, proposals, options, engines)
        if complete is None:
            raise
        return complete
    try:
        outdir.remove_leftovers(out)  # temporary files of a writer that was killed
        return _write_batch(out, docs, proposals, options, engines, engines_given, glossary, refs, directions, process)
    finally:
        lock.close()


def _complete_read_only(out, docs, proposals, options, engines) -> BatchResult | None:
    """The result of a batch that is already complete in an OUT that cannot be written, else None."""
    keep, todo = resume_state(out, docs, options, engine_identities(engines))
    if todo:
        return None
    result = BatchResult(out_dir=out, proposals=[p.to_dict() for p in proposals])
    result.resumed = [d.id for d in docs]
    for d in docs:
        status = keep[d.id].get("status", "error")
        result.counts[status] = result.counts.get(status, 0) + 1
        if status == "flagged":
            for name in entry_failed_checks(keep[d.id]):
                result.failed_checks[name] = result.failed_checks.get(name, 0) + 1
    result.reports = [out / name for name in outdir.REPORTS if (out / name).is_file()]
    result.note = "already complete; the output folder is not writable, so nothing was rewritten"
    return result


def _write_batch(out, docs, proposals, options, engines, engines_given, glossary, refs, directions,
                 process=_process) -> BatchResult:
    # again, now that no other run can write OUT, and against the models of this run
    keep, todo = resume_state(out, docs, options, engine_identities(engines))
    with outdir.writing(out):
        outdir.rewrite_manifest(out, keep)
        outdir.write_pairs(out, [p.to_dict() for p in proposals])

    result = BatchResult(out_dir=out, proposals=[p.to_dict() for p in proposals])
    result.resumed = [d.id for d in docs if d.id in keep]
    # on Ray, Ray Data shows the progress
    bar = Progress(len(docs), len(result.resumed), progress_enabled(options) and process is _process, bool(directions))
    try:
        for doc in process(todo, options, engines, glossary, refs, directions, engines_given, bar.segment_callback()):
            with outdir.writing(out):
                write_document(out, doc)
            result.processed.append(doc.id)
            bar.update(doc)
    finally:
        bar.close()

    final, _ = read_manifest(out / MANIFEST)
    ids = {d.id for d in docs}
    # the finished manifest lists this run's documents in input order, then any others
    order = [d.id for d in docs if d.id in final] + [i for i in final if i not in ids]
    with outdir.writing(out):
        outdir.rewrite_manifest(out, {i: final[i] for i in order})
    for i in order:
        if i in ids:
            status = final[i].get("status", "error")
            result.counts[status] = result.counts.get(status, 0) + 1
            if status == "flagged":
                for name in entry_failed_checks(final[i]):
                    result.failed_checks[name] = result.failed_checks.get(name, 0) + 1
    try:
        result.reports = outdir.write_reports(out)
    except Exception as e:  # the outputs are written; a report problem is reported, not fatal
        result.report_error = f"report not written: {type(e).__name__}: {' '.join(str(e).split())[:200]}"
    return result
