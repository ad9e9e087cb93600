"""A local HTTP server on 127.0.0.1 that serves model repositories in the Hugging Face Hub's URL layout.

Enough of the Hub for ``huggingface_hub.snapshot_download`` (the real client, with
``HF_ENDPOINT`` pointed here) to download a repository:

- ``GET /api/models/<repo>/revision/<rev>``: the repository's commit and file list;
- ``GET /api/models/<repo>/tree/<rev>``: the file tree (one page);
- ``HEAD|GET /<repo>/resolve/<rev>/<file>``: a file's metadata (``X-Repo-Commit``,
  ``ETag``, size) and its bytes (``Range`` honoured).

Failure modes for tests: ``stall=NAME`` sends the first half of that file and then
nothing (connection kept open) until the server stops; ``die=NAME`` sends the first
half and then the server goes away (connection closed, port closed); ``stall="api"``
never answers the first API call.

Example::

    with LocalHub({"Helsinki-NLP/opus-mt-zh-en": model_dir}) as hub:
        env["HF_ENDPOINT"] = hub.url
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Repo:
    def __init__(self, repo_id: str, directory: Path):
        self.repo_id = repo_id
        self.files = {p.name: p.read_bytes() for p in sorted(Path(directory).iterdir()) if p.is_file()}
        h = hashlib.sha1()
        for name, data in self.files.items():
            h.update(name.encode() + b"\0" + hashlib.sha1(data).digest())
        self.sha = h.hexdigest()

    def etag(self, name: str) -> str:
        return hashlib.sha256(self.files[name]).hexdigest()


class LocalHub:
    """Serve ``{repo_id: directory}`` on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, repos: dict[str, Path], *, stall: str | None = None, die: str | None = None):
        self.repos = {rid: _Repo(rid, d) for rid, d in repos.items()}
        self.stall, self.die = stall, die
        self.requests: list[str] = []  # "METHOD path" of every request, in order
        self._stop = threading.Event()
        self._stalled = False
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_HEAD(self):
                hub._handle(self, head=True)

            def do_GET(self):
                hub._handle(self, head=False)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # a client that hung up mid-answer (the failure tests cut it off on purpose) is no error
                # of the server's, and its traceback would land in the stderr the tests read
                hub.server_errors.append(client_address)

        self.server_errors: list = []
        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "LocalHub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving: stalled requests are released, the port is closed."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._server.shutdown()  # from a handler thread too: serve_forever runs in another one
        self._server.server_close()

    # ------------------------------------------------------------------ requests

    def _send(self, h, code: int, body: bytes = b"", headers: dict | None = None, head: bool = False) -> None:
        h.send_response(code)
        for k, v in (headers or {}).items():
            h.send_header(k, str(v))
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if not head:
            h.wfile.write(body)

    def _json(self, h, obj, head=False) -> None:
        self._send(h, 200, json.dumps(obj).encode(), {"Content-Type": "application/json"}, head)

    def _handle(self, h, head: bool) -> None:
        if self._stop.is_set():
            h.close_connection = True
            return
        path = unquote(urlsplit(h.path).path)
        self.requests.append(f"{'HEAD' if head else 'GET'} {path}")
        m = re.fullmatch(r"/api/models/(.+?)/(revision|tree)/([^/]+)(/.*)?", path)
        if m:
            if self.stall == "api":
                self._stop.wait()
                h.close_connection = True
                return
            repo = self.repos.get(m.group(1))
            if repo is None:
                self._send(h, 404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"}, head)
                return
            if m.group(2) == "revision":
                self._json(h, {"id": repo.repo_id, "modelId": repo.repo_id, "sha": repo.sha, "private": False,
                               "siblings": [{"rfilename": n} for n in repo.files]}, head)
            else:
                self._json(h, [{"type": "file", "oid": hashlib.sha1(d).hexdigest(), "size": len(d), "path": n}
                               for n, d in repo.files.items()], head)
            return
        m = re.fullmatch(r"/(.+?)/resolve/([^/]+)/(.+)", path)
        repo = self.repos.get(m.group(1)) if m else None
        if repo is None:
            self._send(h, 404, b"not found", {"X-Error-Code": "RepoNotFound"}, head)
            return
        name = m.group(3)
        if name not in repo.files:
            self._send(h, 404, b"entry not found", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.sha}, head)
            return
        data = repo.files[name]
        start = 0
        rng = re.fullmatch(r"bytes=(\d+)-", h.headers.get("Range", "") or "")
        if rng and not head:
            start = min(int(rng.group(1)), len(data))
        headers = {"X-Repo-Commit": repo.sha, "ETag": f'"{repo.etag(name)}"', "Accept-Ranges": "bytes"}
        if head:
            self._send(h, 200, b"", {**headers, "X-Linked-Size": len(data)}, head=True)
            return
        body = data[start:]
        h.send_response(206 if start else 200)
        for k, v in headers.items():
            h.send_header(k, v)
        if start:
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if name in (self.stall, self.die):
            if not self._stalled:  # the first answer sends half the file; later ones (resumes) nothing
                h.wfile.write(body[: len(body) // 2])
                h.wfile.flush()
                self._stalled = True
            if name == self.die:
                h.close_connection = True
                self.close()
                return
            self._stop.wait()  # stalled: nothing more until the server stops
            h.close_connection = True
            return
        h.wfile.write(body)
