"""Downloads from the Hugging Face Hub: bounded in time, one at a time, never half used.

:func:`snapshot` fetches a model repository into the Hugging Face cache with the
real client (``huggingface_hub.snapshot_download``: ``HF_ENDPOINT``, ``HF_HOME``,
``HF_HUB_CACHE``, tokens and proxies as the user configured them), with a
progress bar on stderr.

- **Bounded time.**  Every request gets a connect and a read timeout
  (``HF_HUB_DOWNLOAD_TIMEOUT``, default :data:`DEFAULT_TIMEOUT` seconds; some of the
  client's API calls have none of their own).  A server that stops answering ends
  the download after the client's retries (5, one second apart, while no new byte
  arrives): about ``6 x timeout + 5`` seconds, and :func:`snapshot` raises
  :class:`HubError` with one line that says what went wrong.
- **Never half used.**  The client writes each file to ``*.incomplete`` and moves it
  into the snapshot only when its size matches; :func:`snapshot` still checks that
  every wanted file is there before it returns the snapshot.
- **One download at a time.**  :func:`download_lock` is a file lock under the
  retranslate cache: several workers or processes starting at once download once;
  the others wait, then find the model in the cache.

Example::

    with download_lock("opus-mt-zh-en"):
        path = snapshot("Helsinki-NLP/opus-mt-zh-en", cache_dir, ["config.json", ...], required=[...])
"""
from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

DEFAULT_ENDPOINT = "https://huggingface.co"
#: Seconds a connection or a read may take before the request counts as failed.
DEFAULT_TIMEOUT = 10.0
#: Seconds a process waits for another one that is downloading the same model.
LOCK_WAIT = 30 * 60


class HubError(Exception):
    """A download failed; the message is one line (what happened, not yet what to do)."""


def endpoint() -> str:
    """The Hub's address: HF_ENDPOINT (read now, not at import) or huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def request_timeout() -> float:
    """Per-request timeout in seconds: HF_HUB_DOWNLOAD_TIMEOUT, else :data:`DEFAULT_TIMEOUT`."""
    try:
        value = float(os.environ.get("HF_HUB_DOWNLOAD_TIMEOUT", "") or DEFAULT_TIMEOUT)
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _fill_timeouts(request) -> None:
    """httpx request hook: a request sent without a timeout gets :func:`request_timeout`."""
    t = request.extensions.get("timeout")
    if not isinstance(t, dict) or all(v is not None for v in t.values()):
        return
    default = request_timeout()
    request.extensions["timeout"] = {k: (default if v is None else v) for k, v in t.items()}


_CLIENT_SET = False


def _install_timeouts() -> None:
    """Make every request of huggingface_hub in this process carry a timeout (installed once)."""
    global _CLIENT_SET
    if _CLIENT_SET:
        return
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils import _http

    base = _http.default_client_factory

    def factory():
        client = base()
        hooks = dict(client.event_hooks)
        hooks["request"] = list(hooks.get("request", [])) + [_fill_timeouts]
        client.event_hooks = hooks
        return client

    set_client_factory(factory)
    _CLIENT_SET = True


def _reason(exc: BaseException, url: str, timeout: float) -> str:
    """One short phrase for what went wrong in a download."""
    chain, seen = [], set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain.append(e)
        e = e.__cause__ or e.__context__
    names = [type(x).__name__ for x in chain]
    text = " ".join(str(x) for x in chain)

    def first_line(x: BaseException) -> str:
        s = str(x).strip().splitlines()
        return (s[0] if s else type(x).__name__)[:160]

    if any(n in ("ReadTimeout", "ConnectTimeout", "TimeoutException", "PoolTimeout", "WriteTimeout") for n in names):
        return f"{url} did not answer within {timeout:g} s"
    if "RepositoryNotFoundError" in names:
        return f"the repository is not on {url}"
    if any(n in ("ConnectError", "ConnectionError", "ProxyError") for n in names):
        detail = next((first_line(x) for x in chain if type(x).__name__ in ("ConnectError", "ProxyError")), "")
        return f"cannot connect to {url}" + (f": {detail}" if detail else "")
    broken = ("RemoteProtocolError", "ReadError", "WriteError", "NetworkError", "ConnectionResetError",
              "BrokenPipeError", "IncompleteRead")
    if any(n in broken for n in names) or "Consistency check failed" in text:
        return f"the connection to {url} broke off during the download"
    if "OfflineModeIsEnabled" in names:
        return "HF_HUB_OFFLINE is set"
    return first_line(exc)


@contextmanager
def download_lock(name: str, cache: Path, wait: float = LOCK_WAIT, notify=None):
    """Hold ``<cache>/locks/<name>.lock`` while downloading; waits for another holder (up to ``wait`` s)."""
    from filelock import FileLock, Timeout

    path = Path(cache) / "locks" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if notify:
            notify(f"waiting for another retranslate process that is downloading {name} ...")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise HubError(f"another process has been downloading {name} for over {wait:g} s ({path})") from None
    try:
        yield
    finally:
        lock.release()


def _show_progress():
    """Switch the client's progress bars on (a loaded transformers model switches them off), unless
    HF_HUB_DISABLE_PROGRESS_BARS says no; returns the function that restores the previous state."""
    import importlib

    mod = importlib.import_module("huggingface_hub.utils.tqdm")
    states = getattr(mod, "progress_bar_states", None)
    if getattr(mod, "HF_HUB_DISABLE_PROGRESS_BARS", None) is True or not isinstance(states, dict):
        return lambda: None
    saved = dict(states)
    mod.enable_progress_bars()

    def restore():
        states.clear()
        states.update(saved)

    return restore


def snapshot(repo_id: str, cache_dir: Path, allow_patterns: list[str], required) -> Path:
    """Download ``repo_id`` (the files matching ``allow_patterns``) into the HF cache; returns the snapshot.

    ``required(path) -> bool`` tells a complete snapshot.  Raises :class:`HubError`
    (one line) on any failure, including a snapshot that came back incomplete.
    """
    _install_timeouts()
    from huggingface_hub import constants, snapshot_download

    url, timeout = endpoint(), request_timeout()
    # the client read its timeouts and offline switch from the environment at import; use the
    # environment of now (the caller found HF_HUB_OFFLINE unset)
    saved = {k: getattr(constants, k) for k in ("HF_HUB_DOWNLOAD_TIMEOUT", "HF_HUB_ETAG_TIMEOUT", "HF_HUB_OFFLINE")}
    constants.HF_HUB_DOWNLOAD_TIMEOUT = constants.HF_HUB_ETAG_TIMEOUT = timeout
    constants.HF_HUB_OFFLINE = False
    # the client's warnings ("Trying to resume download...") would come before the one line
    # that says what happened; the progress bar stays
    log = logging.getLogger("huggingface_hub")
    level = log.level
    log.setLevel(logging.ERROR)
    bars = _show_progress()
    try:
        path = Path(snapshot_download(repo_id, cache_dir=str(cache_dir), allow_patterns=allow_patterns,
                                      endpoint=url, etag_timeout=timeout))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # the client raises many kinds; each becomes one line
        raise HubError(_reason(exc, url, timeout)) from None
    finally:
        log.setLevel(level)
        for k, v in saved.items():
            setattr(constants, k, v)
        bars()
    if not required(path):
        raise HubError(f"the download from {url} is incomplete in {path}")
    return path


def say(message: str) -> None:
    """A progress line on stderr (downloads are rare and slow: the user should know)."""
    print(f"retranslate: {message}", file=sys.stderr, flush=True)
