"""A news site that misbehaves in every way tests need a crawler to survive.

Standard library (plus brotli, which arsip itself needs). One topic page, `/hostile/`,
links every case; each is an article URL `/artikel/<case>`:

    good-1, good-2          ordinary articles (good-2 gzip-encoded)
    gzip-bomb, deflate-bomb, brotli-bomb, zstd-bomb
                            about 1 GB of zeros after decoding, under 1 MB on the wire
    huge                    60 MB of HTML, no Content-Length
    cp1252                  windows-1252 bytes in a page declared UTF-8
    invalid-utf8            a UTF-8 page with bytes that are not UTF-8 sprinkled in
    loop                    302 -> loop-b, which 302s back to loop
    offsite-redirect        302 to the off-site host
    offsite-refresh         <meta http-equiv="refresh"> to the off-site host
    offsite-next            an article whose rel=next page is on the off-site host
    robots-redirect         302 to /private/..., which robots.txt disallows
    endless                 an article whose ?page=N pagination never ends
    slow                    the body sent at one byte a second
    cut-short               the body ends before its Content-Length
    deep                    an article nested 10,000 elements deep
    long-header             a 64 KB response header line
    throttled               429 with Retry-After: 3600
    error                   500
    pdf                     a PDF where an article was expected

The off-site host is a second server on 127.0.0.2 that only records what reaches it:
a crawler that keeps to its outlet's domains sends it nothing, not even for robots.txt.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import brotli

try:
    from compression import zstd
except ImportError:
    from backports import zstd

CASES = ("good-1", "good-2", "gzip-bomb", "deflate-bomb", "brotli-bomb", "zstd-bomb", "huge", "cp1252",
         "invalid-utf8", "loop", "offsite-redirect", "offsite-refresh", "offsite-next", "robots-redirect",
         "endless", "slow", "cut-short", "deep", "long-header", "throttled", "error", "pdf")

BOMB_SIZE = 1 << 30  # decoded bytes of each bomb
HUGE_SIZE = 60 << 20
_BLOCK = 1 << 20

WORDS = ("Pemerintah kota menyatakan bahwa pembangunan jembatan baru akan selesai pada akhir tahun ini, "
         "sementara warga berharap jalan di sekitar pasar juga segera diperbaiki.")


def paragraphs(case: str, count: int = 6) -> list[str]:
    """The body of an article case: sentences that name it, so tests can find them."""
    return [f"Paragraf {n} berita {case}. {WORDS} Kalimat penutup nomor {n} untuk {case}." for n in range(1, count + 1)]


def article_html(case: str, body: list[str] | None = None, head: str = "", after: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in (body or paragraphs(case)))
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Berita {case}</title>{head}</head>"
            f"<body><article><h1>Berita {case}</h1><div class=\"content\">{paras}</div>{after}</article>"
            "</body></html>")


def _zero_bomb(coding: str) -> bytes:
    """BOMB_SIZE zeros encoded with `coding`, built from one repeated block (milliseconds, not seconds)."""
    zeros = bytes(_BLOCK)
    blocks = BOMB_SIZE // _BLOCK
    if coding in ("gzip", "deflate"):
        # After a full flush deflate forgets what came before, so every block of zeros
        # compresses to the same bytes: compress two, repeat the second.
        wbits = zlib.MAX_WBITS if coding == "deflate" else -zlib.MAX_WBITS
        compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
        first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
        again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
        end = compressor.flush()
        if coding == "deflate":
            adler = 1
            for _ in range(blocks):
                adler = zlib.adler32(zeros, adler)
            return first + again * (blocks - 1) + end[:-4] + adler.to_bytes(4, "big")
        crc = 0
        for _ in range(blocks):
            crc = zlib.crc32(zeros, crc)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        trailer = crc.to_bytes(4, "little") + (BOMB_SIZE & 0xFFFFFFFF).to_bytes(4, "little")
        return header + first + again * (blocks - 1) + end + trailer
    if coding == "br":
        compressor = brotli.Compressor(quality=1)
        return b"".join([compressor.process(zeros) for _ in range(blocks)] + [compressor.finish()])
    compressor = zstd.ZstdCompressor(level=1)
    return b"".join([compressor.compress(zeros) for _ in range(blocks)] + [compressor.flush()])


_BOMBS: dict[str, bytes] = {}
_BOMBS_LOCK = threading.Lock()


def bomb(coding: str) -> bytes:
    with _BOMBS_LOCK:
        if coding not in _BOMBS:
            _BOMBS[coding] = _zero_bomb(coding)
        return _BOMBS[coding]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, site):
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):  # a client that hangs up mid-answer is expected here
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Hostile/1.0"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        self.server.site.requests.append(self.path)
        try:
            self.server.site.answer(self)
        except OSError:
            self.close_connection = True

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


class OffsiteServer:
    """127.0.0.2: records every request and answers each with an article, as a trap would."""

    def __init__(self):
        self.requests: list[str] = []
        self._server = _Server(("127.0.0.2", 0), self)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.2:{self.port}"

    def answer(self, handler: _Handler) -> None:
        handler.send(200, article_html("offsite").encode())

    def __enter__(self) -> "OffsiteServer":
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class HostileSite:
    """The misbehaving outlet on 127.0.0.1, with its off-site host on 127.0.0.2."""

    def __init__(self):
        self.requests: list[str] = []
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.offsite = OffsiteServer()

    def __enter__(self) -> "HostileSite":
        for coding in ("gzip", "deflate", "br", "zstd"):
            bomb(coding)
        self.offsite.__enter__()
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self.offsite.__exit__()

    def url(self, path: str) -> str:
        return self.base + path

    def outlet_toml(self, key: str = "hostile") -> str:
        return (f'[outlets.{key}]\nname = "Hostile News"\ndomains = ["127.0.0.1:{self.port}"]\n'
                f'topics = ["{self.base}/hostile/"]\n'
                f"article_url = '^http://127\\.0\\.0\\.1:{self.port}/artikel/(?P<id>[a-z0-9-]+)$'\n"
                "article_pages = 5\n")

    # -- answers ------------------------------------------------------------------

    def answer(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        path, query = parts.path, parts.query
        if path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/hostile/":
            links = "".join(f'<li><a href="/artikel/{case}">{case}</a></li>' for case in CASES)
            return h.send(200, f"<html><body><h1>Hostile</h1><ul>{links}</ul></body></html>".encode())
        case = path.removeprefix("/artikel/")
        handler = getattr(self, "_" + case.replace("-", "_"), None)
        if not path.startswith("/artikel/") or handler is None:
            return h.send(404, b"<html><body>not found</body></html>")
        handler(h, query)

    def _good_1(self, h, query):
        h.send(200, article_html("good-1").encode())

    def _good_2(self, h, query):
        h.send(200, gzip.compress(article_html("good-2").encode()), Content_Encoding="gzip")

    def _bomb(self, h, coding):
        h.send(200, bomb(coding), Content_Encoding=coding)

    def _gzip_bomb(self, h, query):
        self._bomb(h, "gzip")

    def _deflate_bomb(self, h, query):
        self._bomb(h, "deflate")

    def _brotli_bomb(self, h, query):
        self._bomb(h, "br")

    def _zstd_bomb(self, h, query):
        self._bomb(h, "zstd")

    def _huge(self, h, query):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        chunk = b"<p>" + b"isi " * 16000 + b"</p>"
        sent = 0
        while sent < HUGE_SIZE and not self._stopping.is_set():
            h.wfile.write(chunk)
            sent += len(chunk)

    def _cp1252(self, h, query):
        body = [p.replace("berita", "café “naïve”") for p in paragraphs("cp1252")]
        h.send(200, article_html("cp1252", body).encode("cp1252"))

    def _invalid_utf8(self, h, query):
        body = [p + " Kota Bogor — Jawa Barat." for p in paragraphs("invalid-utf8")]
        page = article_html("invalid-utf8", body).encode()
        h.send(200, page.replace(b"Kota Bogor", b"Kota \xff\xfeBogor \xc3("))

    def _loop(self, h, query):
        h.send(302, b"", Location="/artikel/loop-b")

    def _loop_b(self, h, query):
        h.send(302, b"", Location="/artikel/loop")

    def _offsite_redirect(self, h, query):
        h.send(302, b"", Location=f"{self.offsite.base}/artikel/trap-redirect")

    def _offsite_refresh(self, h, query):
        refresh = f'<meta http-equiv="refresh" content="0; url={self.offsite.base}/artikel/trap-refresh">'
        h.send(200, article_html("offsite-refresh", head=refresh).encode())

    def _offsite_next(self, h, query):
        following = f'<a rel="next" href="{self.offsite.base}/artikel/offsite-next?page=2">Berikutnya</a>'
        h.send(200, article_html("offsite-next", after=following).encode())

    def _robots_redirect(self, h, query):
        h.send(302, b"", Location="/private/artikel/secret")

    def _endless(self, h, query):
        number = query.removeprefix("page=")
        page = int(number) if query.startswith("page=") and number.isdigit() else 1
        following = f'<a rel="next" href="/artikel/endless?page={page + 1}">Halaman {page + 1}</a>'
        body = [f"Halaman {page} dari berita tanpa akhir. {WORDS}", f"Bagian kedua halaman {page}. {WORDS}"]
        h.send(200, article_html("endless", body, after=following).encode())

    def _slow(self, h, query):
        body = article_html("slow").encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for byte in body:
            if self._stopping.wait(1.0):
                return
            h.wfile.write(bytes([byte]))
            h.wfile.flush()

    def _cut_short(self, h, query):
        body = article_html("cut-short").encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body) * 2))
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body)
        h.close_connection = True

    def _deep(self, h, query):
        paras = "".join(f"<p>{p}</p>" for p in paragraphs("deep"))
        nested = "<div>" * 10_000 + f"<h1>Berita deep</h1>{paras}" + "</div>" * 10_000
        h.send(200, f"<html><head><title>Berita deep</title></head><body>{nested}</body></html>".encode())

    def _long_header(self, h, query):
        h.send(200, article_html("long-header").encode(), X_Padding="x" * 65536)

    def _throttled(self, h, query):
        h.send(429, b"<html><body>Too many requests</body></html>", Retry_After="3600")

    def _error(self, h, query):
        h.send(500, b"<html><body>Internal Server Error</body></html>")

    def _pdf(self, h, query):
        pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        h.send(200, pdf, "application/pdf")
