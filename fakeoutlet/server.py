"""Serving a fake site on 127.0.0.1: one lifecycle, in a thread or in a process of its own.

`LoopbackServer(respond)` binds a free port (or a given one), answers every GET and
HEAD with what `respond(request)` returns, logs each request, and stops without
waiting out a handler's sleep. `serve_until_terminated()` is the process form: the
first stdout line is "PORT <n>", then it serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import gzip
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Request:
    """One request the site received."""

    path: str  # as sent on the request line, query included
    method: str
    headers: dict[str, str]  # lower-case names
    version: str = "HTTP/1.1"
    time: float = 0.0
    client_port: int = 0

    def accepts_gzip(self) -> bool:
        return _accepts_gzip(self.headers.get("accept-encoding", ""))


@dataclass
class Response:
    """What to answer: `gzip` compresses the body when the client accepts it; `chunks` > 1
    sends it with Transfer-Encoding: chunked in that many pieces of unequal size."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    chunks: int = 0


def _accepts_gzip(value: str) -> bool:
    for part in value.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        m = re.search(r"q\s*=\s*([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 1.0
        if q > 0:
            return True
    return False


class LoopbackServer:
    """`respond` served on 127.0.0.1 from a daemon thread, until `stop()`."""

    def __init__(self, respond: Callable[[Request], Response | None], *, port: int = 0, name: str = "fakeoutlet"):
        self.respond = respond
        self.name = name  # the Server header
        self.port = port
        self.requests: list[Request] = []
        self.stopping = threading.Event()  # set by stop(): handlers sleeping on it wake up
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Bind and serve; a restart after `stop()` binds the same port again, so URLs stay valid."""
        if self._server is not None:
            return
        self.stopping.clear()
        self._server = _Server(("127.0.0.1", self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.name}-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close open connections; stopping twice is harmless."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        server.server_close()
        server.close_open_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True when the sleep ran out."""
        return seconds <= 0 or not self.stopping.wait(seconds)

    def log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def paths_requested(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]


def serve_until_terminated(start: Callable[[], int], stop: Callable[[], None]) -> None:
    """Start, print "PORT <n>" on stdout, serve until SIGTERM or SIGINT, then stop."""
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print(f"PORT {start()}", flush=True)
    while not done.wait(3600):
        pass
    stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, owner: LoopbackServer):
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client hanging up mid-response is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: crawlers reuse their connections
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        # With Nagle on, a response written in pieces can wait for a delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server.owner.name

    def log_message(self, format, *args) -> None:  # noqa: A002 - silence http.server
        pass

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        owner = self.server.owner
        request = Request(path=self.path, method=self.command,
                          headers={k.lower(): v for k, v in self.headers.items()},
                          version=self.request_version, time=time.time(),
                          client_port=self.client_address[1] if self.client_address else 0)
        owner.log(request)
        try:
            response = owner.respond(request)
            if response is None:  # the server stopped while the answer waited
                self.close_connection = True
            elif response.chunks > 1:
                self._send_chunked(response, head)
            else:
                self._send(response, request, head)
        except OSError:  # the client went away (broken pipe, reset, timeout)
            self.close_connection = True

    def _head(self, status: int, headers: list[tuple[str, str]]) -> bytes:
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        lines = [f"HTTP/1.1 {status} {reason}", f"Server: {self.server.owner.name}",
                 f"Date: {formatdate(usegmt=True)}", *(f"{name}: {value}" for name, value in headers)]
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send(self, response: Response, request: Request, head: bool) -> None:
        body, extra = response.body, dict(response.headers)
        if response.gzip:
            extra["Vary"] = "Accept-Encoding"
            if request.accepts_gzip():
                body = gzip.compress(body, mtime=0)
                extra["Content-Encoding"] = "gzip"
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(body))), *extra.items()]
        self.wfile.write(self._head(response.status, headers) + (b"" if head else body))  # one send

    def _send_chunked(self, response: Response, head: bool) -> None:
        """Real chunk framing, written by hand, several chunks of unequal size."""
        chunked = self.request_version == "HTTP/1.1"
        if not chunked:  # HTTP/1.0 has no chunked coding: the body ends when the connection does
            self.close_connection = True
        headers = [("Content-Type", response.content_type), *response.headers.items()]
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        self.wfile.write(self._head(response.status, headers))
        if head:
            return
        body, chunks = response.body, response.chunks
        # Cut points at growing fractions so chunks differ in size.
        cuts = sorted({int(len(body) * (i * i) / (chunks * chunks)) for i in range(1, chunks)})
        for piece in (body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)]) if b > a):
            self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n" if chunked else piece)
            self.wfile.flush()
            time.sleep(0.005)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    def _method_not_allowed(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"Method Not Allowed\n"
        self.wfile.write(self._head(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8"),
                                          ("Content-Length", str(len(body)))]) + body)

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed
