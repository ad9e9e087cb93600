"""The batch on Ray Data: the same job as :func:`mt.batch.run_batch`, spread over a Ray cluster.

``run_batch(..., ray=ADDRESS)`` (CLI ``retranslate run ... --ray [ADDRESS]``) keeps every
part of the local batch but one: instead of finishing the documents in this process or in
a local process pool, it hands them to a Ray Data pipeline::

    documents (read, prepared and resume-checked here, as in the local batch)
      -> a dataset of document groups, each about one token budget of text
      -> map_batches over an actor pool: each actor loads its models once
         (mt.batch's worker start-up) and finishes documents with mt.batch's worker
         function, the same per-document pipeline as a local worker (mt.pipeline.finish)
      -> streamed back here, each document written once by mt.batch (files, record,
         manifest line), as it arrives

So the outputs are those of the local batch (same functions, same order-independent
results), OUT is written by one process only (no document written twice, the manifest
is never appended to from two machines), and resuming works across local and Ray runs.

Faults: an actor that dies (killed, out of memory, a lost node) is restarted by Ray and
its group is retried (``TASK_RETRIES`` times); a group that fails on every retry is
dropped by Ray Data and its documents are tried again one by one; a document that still
kills its worker is recorded as an error with that reason and the job goes on.  Ctrl-C
stops the job; what was written stays, and a rerun finishes the rest.

``ADDRESS``: None, ``True`` or ``"local"`` start a local Ray instance (shut down at the
end); ``"auto"`` joins the cluster this machine belongs to; ``"ray://host:port"`` (or
``host:port``) joins a remote one.  A Ray connection that already exists is used as it is.
"""
from __future__ import annotations

import logging
import math
import os
import pickle
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from mt.errors import UserError

#: the one line printed when Ray is not installed
RAY_MISSING = "--ray needs Ray, which is not installed; install it with: pip install -e '.[ray]'  (or pip install 'ray[data]')"

#: retries of a group on a restarted actor before Ray Data gives up on it
TASK_RETRIES = 2

#: tokens of text per dataset row when no engine says (the engines' default batch budget)
DEFAULT_BUDGET = 2048
#: a group holds at most this many documents (progress stays smooth, a retry stays cheap)
MAX_GROUP = 16

#: object store of a local Ray instance started for a run (documents are small; the store spills to disk)
LOCAL_OBJECT_STORE = 512 * 1024 * 1024


def available() -> bool:
    """True when Ray Data can be imported."""
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Raise the one-line :class:`UserError` saying how to install Ray when it is missing."""
    if not available():
        raise UserError(RAY_MISSING)


def normalise_address(address: Any) -> str | None:
    """None for a local instance, else the address to join.

    >>> normalise_address(True), normalise_address("local"), normalise_address("auto")
    (None, None, 'auto')
    >>> normalise_address("ray://head:10001")
    'ray://head:10001'
    """
    if address is None or address is True or (isinstance(address, str) and address.strip().lower() in ("", "local")):
        return None
    if not isinstance(address, str):
        raise UserError(f"ray= takes True, 'local', 'auto' or 'ray://host:port', not {address!r}")
    return address.strip()


def looks_like_address(text: str) -> bool:
    """Whether a ``--ray`` argument is a Ray address (and not an input path given after it).

    >>> [looks_like_address(a) for a in ("auto", "local", "ray://h:10001", "10.0.0.1:6379", "seeds")]
    [True, True, True, True, False]
    """
    t = text.strip()
    if t.lower() in ("auto", "local") or "://" in t:
        return True
    host, _, port = t.rpartition(":")
    return bool(host) and port.isdigit()


def _code_path() -> str:
    """The directory holding the ``mt`` package, so that local Ray workers import this very code."""
    return str(Path(__file__).resolve().parent.parent)


@contextmanager
def _hushed(levels: dict[str, int]):
    """Raise the level of some of Ray's loggers for a while (restored after)."""
    saved = {name: logging.getLogger(name).level for name in levels}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def start_local(num_cpus: int | None = None, object_store_memory: int | None = LOCAL_OBJECT_STORE,
                quiet: bool = True) -> None:
    """Start a local Ray instance whose workers run this checkout's code (tests and ``--ray``)."""
    import ray

    from mt.backends.base import cpu_threads

    # Workers inherit the environment of the instance's processes, so putting this code first
    # on PYTHONPATH while they start is enough (a runtime_env would cost seconds per worker).
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_code_path(), saved) if p)
    try:
        # (the notice that a local instance uses token authentication, Ray's default, is not news here)
        with _hushed({"ray._private.authentication.authentication_token_setup": logging.ERROR}):
            ray.init(
                num_cpus=num_cpus or cpu_threads(),
                object_store_memory=object_store_memory,
                include_dashboard=False,
                logging_level=logging.WARNING,
                log_to_driver=not quiet,
            )
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def connect(address: Any, quiet: bool = False) -> bool:
    """Connect to Ray (see module doc); True when this call started an instance the caller must shut down."""
    import ray

    if ray.is_initialized():
        return False
    addr = normalise_address(address)
    try:
        if addr is None:
            start_local()  # worker output stays in Ray's session logs
        else:
            ray.init(address=addr, logging_level=logging.WARNING, log_to_driver=not quiet)
    except (ConnectionError, RuntimeError, ValueError) as e:
        where = "a local Ray instance" if addr is None else f"the Ray cluster at {addr}"
        raise UserError(f"cannot start or reach {where}: {' '.join(str(e).split())[:300]}") from None
    return True


@contextmanager
def session(address: Any, quiet: bool = False):
    """Yield ``connect()``, which joins or starts Ray on its first call; a Ray instance it started is shut down after."""
    started: list[bool] = []

    def join() -> None:
        if not started:
            started.append(connect(address, quiet=quiet))

    try:
        yield join
    finally:
        if started and started[0]:
            import ray

            ray.shutdown()


# --------------------------------------------------------------------------- the actors


class DocumentWorker:
    """A Ray Data actor: loads the run's models once, then finishes groups of documents.

    Start-up and the per-document work are :mod:`mt.batch`'s worker functions, the very
    ones a local ``--workers N`` process runs.
    """

    def __init__(self, options, directions, engines, threads: int):
        if threads > 0 and not os.environ.get("RETRANSLATE_THREADS", "").strip():
            os.environ["RETRANSLATE_THREADS"] = str(threads)  # this actor's CPUs, not the node's
        from mt.batch import _init_worker

        _init_worker(options, directions, engines)

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        from mt.batch import _work

        done = []
        for blob in batch["group"]:
            done.append(pickle.dumps([_work(doc, passages) for doc, passages in pickle.loads(blob)], protocol=5))
        return {"done": np.array(done, dtype=object)}


def _tokens(doc) -> int:
    """A cheap size of what a document asks of the translator (about a token per 3 characters)."""
    text = doc.source_text or doc.raw or ""
    return 1 + len(text) // 3


def groups(todo: list, refs: dict, budget: int, max_group: int = MAX_GROUP) -> list[list[tuple[Any, Any]]]:
    """``[(doc, passages)]`` groups in input order, each about ``budget`` tokens (at least one document)."""
    out: list[list[tuple[Any, Any]]] = []
    cur: list[tuple[Any, Any]] = []
    size = 0
    for d in todo:
        n = _tokens(d)
        if cur and (size + n > budget or len(cur) >= max_group):
            out.append(cur)
            cur, size = [], 0
        cur.append((d, refs.get(d.id)))
        size += n
    if cur:
        out.append(cur)
    return out


def _budget(engines) -> int:
    sizes = [getattr(e, "batch_tokens", None) for e in (getattr(engines, "zh_en", None), getattr(engines, "en_zh", None))]
    sizes = [int(s) for s in sizes if isinstance(s, (int, float)) and s > 0]
    return max(sizes) if sizes else DEFAULT_BUDGET


def _pool_size(workers: int, cpus: float, gpus: float) -> int:
    """Actors: ``--workers N`` when given, else as many as the cluster's CPUs (or GPUs) hold."""
    if workers > 1:
        return workers
    import ray

    res = ray.cluster_resources()
    n = int(res.get("CPU", 1) // max(cpus, 1e-9)) if cpus else 1
    if gpus:
        n = min(n, int(res.get("GPU", 0) // gpus)) if res.get("GPU") else 0
        if n < 1:
            raise UserError(f"--gpus-per-worker {gpus:g}: the Ray cluster has no GPU{'s' if gpus > 1 else ''} to give")
    return max(1, n)


def _run(items: list[list[tuple[Any, Any]]], options, directions, engines, size: int, cpus: float, gpus: float,
         show_progress: bool, in_flight: int | None = None) -> Iterator[Any]:
    """One pass of the Ray Data pipeline over ``items`` (document groups); yields finished documents."""
    import numpy as np
    import ray
    from ray.data import DataContext

    ctx = DataContext.get_current()
    saved = (ctx.enable_progress_bars, ctx.max_errored_blocks)
    ctx.enable_progress_bars = show_progress
    ctx.max_errored_blocks = -1  # a group that fails on every retry is dropped here and redone by the caller
    # Ray Data's log lines: none with --quiet; no notice that bars are off when nobody watches
    hush = {"ray.data": logging.WARNING} if options.quiet else {}
    if not show_progress:
        hush["ray.data._internal.progress"] = logging.ERROR
    try:
        rows = [{"group": pickle.dumps(g, protocol=5)} for g in items]
        ds = ray.data.from_items(rows, override_num_blocks=len(rows))
        with warnings.catch_warnings():
            # max_restarts / max_task_retries have no named parameter yet (hence ray < 2.64 in the extra)
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            ds = _map(ds, options, directions, engines, size, len(rows), cpus, gpus, in_flight)
        with _hushed(hush):
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=1):
                for blob in batch["done"]:
                    yield from pickle.loads(np.asarray(blob).item() if isinstance(blob, np.ndarray) else blob)
    finally:
        ctx.enable_progress_bars, ctx.max_errored_blocks = saved


def _map(ds, options, directions, engines, size: int, rows: int, cpus: float, gpus: float, in_flight: int | None):
    from ray.data import ActorPoolStrategy

    return ds.map_batches(
        DocumentWorker,
        fn_constructor_kwargs={"options": options, "directions": directions, "engines": engines,
                               "threads": max(1, int(math.ceil(cpus))) if cpus else 0},
        batch_size=1,
        batch_format="numpy",
        compute=ActorPoolStrategy(size=min(size, rows), max_tasks_in_flight_per_actor=in_flight),
        num_cpus=cpus,
        num_gpus=gpus or None,
        max_restarts=-1,
        max_task_retries=TASK_RETRIES,
    )


def process(todo: list, options, engines, glossary, refs: dict, directions: set, engines_given: bool = False,
            progress: Any = None, *, address: Any = None, cpus_per_worker: float = 1.0,
            gpus_per_worker: float = 0.0) -> Iterator[Any]:
    """Yield finished documents (in the order they finish) from a Ray Data run; see the module doc.

    Same contract as ``mt.batch._process``: every document of ``todo`` comes back exactly
    once, finished or as an error with its reason.  ``glossary`` and ``progress`` are
    the local batch's; the actors load their own glossary, and Ray Data shows progress.
    """
    require()
    from mt.pipeline import finish

    for d in todo:  # unreadable, empty or skipped inputs: finish() has nothing to do, no actor is needed
        if d.status != "ok":
            yield finish(d, engines, options, glossary=glossary, passages=refs.get(d.id))
    todo = [d for d in todo if d.status == "ok"]
    if not todo:
        return
    import ray

    started = connect(address, quiet=options.quiet)
    try:
        size = _pool_size(max(1, int(options.workers or 1)), cpus_per_worker, gpus_per_worker)
        worker_engines = engines if engines_given else None
        show = _progress_wanted(options)
        pending = {d.id: d for d in todo}
        # first pass: groups of about a token budget; second: what failed, one document a group and
        # one task at a time per actor, so that a document that kills its actor takes no other with it
        for budget, limit, in_flight in ((_budget(engines), MAX_GROUP, None), (0, 1, 1)):
            if not pending:
                break
            items = groups(list(pending.values()), refs, budget, limit)
            for doc in _run(items, options, directions, worker_engines, size, cpus_per_worker, gpus_per_worker, show,
                            in_flight):
                if pending.pop(doc.id, None) is not None:
                    yield doc
        for d in pending.values():  # its worker died on every try: an error, the job goes on
            d.status = "error"
            d.reason = (f"worker failed: the Ray worker finishing this document died on every one of "
                        f"{2 * (TASK_RETRIES + 1)} tries")
            yield d
    except (UserError, KeyboardInterrupt, GeneratorExit):
        raise
    except Exception as e:  # the cluster went away, actors cannot start (no model on a node)...
        msg = " ".join(str(e).split())
        raise UserError(f"the Ray job stopped: {type(e).__name__}: {msg[:300]}; "
                        "what was written stays, rerun to finish") from None
    finally:
        if started:
            ray.shutdown()


def _progress_wanted(options) -> bool:
    from mt.batch import progress_enabled

    return progress_enabled(options)
