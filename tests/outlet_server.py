"""A self-contained test news site ("Test News") that tests point arsip at.

Standard library only. The site looks like a small Indonesian news outlet: topic
pages with rel=next pagination, articles with a headline, byline, date, body
paragraphs, a "Baca Juga" line and an "Artikel Terkait" block, and boilerplate that
changes on every request (relative time, view counter, ad token, the order of the
"Berita Terkini" list). Article content is deterministic per id; only the
boilerplate churns.

Python use::

    with OutletServer(articles=12) as site:
        toml_text = site.outlet_toml()          # [outlets.testnews] ... for this port
        ...crawl site.url("/news/")...
        assert "/private/1-secret-article" not in site.paths_requested()

Beyond start/stop/url/outlet_toml/requests/paths_requested/round, a test can ask
the site what it serves: `article_ids`, `article_path(id)`, `article_url(id)`,
`topic_page_ids(page)`, `ids_within_depth(depth)`, `story(id)` (the article content:
title, byline, published, paragraphs, notes), and change it between crawls:
`edit_article(id, title=..., paragraphs=..., notes=..., slug=...)` (a new slug makes
the old one 301 to it) and `delete_article(id)` (404 from then on). Pages that
must never become versions, per ordinary article until switched off with `on=False`:
`soft_error(id)` (200 with a "Halaman tidak ditemukan" page), `truncate(id)` (only
the first paragraph, as from a half-loaded template) and `unavailable(id)` (503).
`redesign()` renders every article in another template (other markup and class
names, the same text). `round` feeds only the boilerplate; article content never
depends on it. Keyword options:
`specials=False` leaves the special URLs off topic page 1 (quick crawls without the
slow/huge/503 pages), `slow=` the seconds of the slow story, `port=` a fixed port.

Script use (a test can run the site in its own process)::

    python tests/outlet_server.py --port 0 [--articles N] [--delay S]
    -> first stdout line "PORT <n>", then serves until killed.

URLs (see also `SPECIAL_PATHS`):

    /robots.txt                     User-agent: * / Disallow: /private/
    /news/, /news/?page=K           topic pages 1..topic_pages, rel=next to K+1
    /news/<id>-<slug>               ordinary articles (gzip when accepted)
    /news/101-chunked-story         Transfer-Encoding: chunked, hand-framed
    /news/102-split-story[/2|/3]    one article over three pages (rel=next)
    /news/103-old-slug              301 -> /news/103-new-slug (an article)
    /news/104-gone                  404
    /news/105-down                  503, Retry-After: 1
    /news/106-huge-story            200, about 3 MB, Content-Length set
    /news/107-slow-story            answers after `slow` seconds (default 5)
    /private/1-secret-article       an article behind robots.txt
    anything else                   404
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import html
import itertools
import json
import random
import re
import secrets
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

__all__ = ["OutletServer", "RequestLog", "SPECIAL_IDS", "SPECIAL_PATHS", "ORIGINAL_SLUGS"]

SITE_NAME = "Test News"
WIB = timezone(timedelta(hours=7))

# Ids 101..107 belong to the special URLs; ordinary articles never use them.
SPECIAL_IDS = frozenset(range(101, 108))
SPECIAL_PATHS = {
    "chunked": "/news/101-chunked-story",
    "split": "/news/102-split-story",
    "split_2": "/news/102-split-story/2",
    "split_3": "/news/102-split-story/3",
    "redirect": "/news/103-old-slug",
    "redirect_target": "/news/103-new-slug",
    "gone": "/news/104-gone",
    "down": "/news/105-down",
    "huge": "/news/106-huge-story",
    "slow": "/news/107-slow-story",
    "private": "/private/1-secret-article",
}
# Paths linked from topic page 1 (when `specials` is on), in page order.
_SPECIAL_LINKS = (
    ("chunked", "Laporan Khusus: Kisah Nelayan Natuna Menjaga Laut Utara"),
    ("split", "Liputan Mendalam: Jejak Rempah dari Maluku ke Eropa"),
    ("redirect", "Pemerintah Umumkan Jadwal Libur Nasional Terbaru"),
    ("gone", "Artikel Ini Sudah Dihapus Redaksi"),
    ("down", "Server Sedang Dalam Pemeliharaan"),
    ("huge", "Arsip Lengkap Transkrip Sidang Paripurna"),
    ("slow", "Tunggu Sebentar: Liputan yang Lambat Dimuat"),
)
HUGE_SIZE = 3 * 1024 * 1024

# -- word banks -------------------------------------------------------------------

_KOTA = [
    "Jakarta", "Surabaya", "Medan", "Bandung", "Makassar", "Semarang", "Palembang",
    "Denpasar", "Yogyakarta", "Pontianak", "Manado", "Padang", "Banda Aceh", "Kupang",
    "Jayapura", "Balikpapan", "Mataram", "Ambon",
]
_NEGARA = [
    "Malaysia", "Singapura", "Jepang", "Korea Selatan", "Australia", "Turki", "Mesir",
    "Arab Saudi", "Prancis", "Jerman", "Brasil", "India", "Vietnam", "Filipina",
    "Thailand", "Belanda", "Kanada", "Selandia Baru",
]
_TOKOH = [
    "Ahmad Rizki", "Dewi Lestari", "Budi Santoso", "Siti Rahmawati", "Agus Salim",
    "Rina Marlina", "Hendra Gunawan", "Nur Aisyah", "Yusuf Maulana", "Fitri Handayani",
    "Eko Prasetyo", "Intan Permata", "Bambang Wijaya", "Sri Wahyuni", "Dimas Saputra",
]
_JABATAN = [
    "Menteri Luar Negeri", "Gubernur", "Kapolda", "Ketua DPRD", "Kepala BMKG",
    "Wali Kota", "Juru Bicara Kementerian Kesehatan", "Kepala BPBD", "Direktur Utama",
    "Duta Besar RI",
]
_LEMBAGA = ["KPK", "Kejaksaan Agung", "Bareskrim Polri", "BPK", "Ombudsman RI", "Komnas HAM"]
_BIDANG = [
    "perdagangan", "pertahanan", "pendidikan", "energi terbarukan", "pariwisata",
    "kesehatan", "ketahanan pangan", "ekonomi digital", "perikanan", "infrastruktur",
]
_KOMODITAS = ["beras", "cabai rawit", "bawang merah", "minyak goreng", "gula pasir", "telur ayam", "daging sapi"]
_PROYEK = ["jalan tol", "pelabuhan", "bendungan", "rumah sakit daerah", "jembatan", "pasar tradisional"]
_HARI_RAYA = ["Ramadan", "Lebaran", "Natal", "Tahun Baru", "Iduladha"]
_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
]
_RUBRIK = ["Internasional", "Nasional", "Ekonomi", "Megapolitan", "Olahraga", "Daerah"]

_TITLES = [
    "{tokoh} Tegaskan Indonesia dan {negara} Perkuat Kerja Sama {Bidang}",
    "Banjir Rendam {ratus} Desa di {kota}, Ribuan Warga Mengungsi",
    "Harga {Komoditas} di {kota} Naik {persen} Persen Jelang {hari_raya}",
    "{lembaga} Selidiki Dugaan Korupsi Proyek {Proyek} di {kota}",
    "Gempa Magnitudo {mag} Guncang {negara}, Warga Berhamburan Keluar Rumah",
    "Presiden {negara} Kunjungi {kota}, Bahas Investasi {Bidang}",
    "Timnas Indonesia Tekuk {negara} {skor} dalam Laga Persahabatan",
    "Pemerintah Targetkan {ratus} Ribu Rumah Subsidi Rampung Tahun Ini",
    "{jabatan} {tokoh} Minta Warga {kota} Waspadai Cuaca Ekstrem",
    "Ribuan Pelari Ramaikan {kota} Marathon, Peserta dari {negara} Juara",
    "Bandara {kota} Tambah Rute Penerbangan Langsung ke {negara}",
    "Ekspor {Komoditas} ke {negara} Melonjak {persen} Persen pada Kuartal Ini",
]
_SENTENCES = [
    "{jabatan} {tokoh} mengatakan pihaknya terus memantau perkembangan situasi di {kota} sejak {tanggal_panjang}.",
    "Menurut dia, langkah tersebut diambil setelah koordinasi dengan sejumlah pihak terkait, termasuk pemerintah {negara}.",
    "Data terbaru mencatat sebanyak {n} warga terdampak dan sebagian besar telah menerima bantuan logistik.",
    "\u201cKami ingin memastikan semua proses berjalan transparan dan dapat dipertanggungjawabkan,\u201d ujar {tokoh} kepada wartawan, {hari} ({tanggal}).",
    "Harga {komoditas} di sejumlah pasar tradisional {kota} dilaporkan naik sekitar {persen} persen dalam sepekan terakhir.",
    "{lembaga} telah memeriksa {kecil} saksi terkait proyek {proyek} yang menelan anggaran hingga Rp{miliar} miliar.",
    "Kerja sama di bidang {bidang} antara Indonesia dan {negara} dinilai masih memiliki ruang yang luas untuk ditingkatkan.",
    "Sejumlah pengamat menilai kebijakan itu perlu diikuti dengan pengawasan yang ketat di lapangan agar tidak disalahgunakan.",
    "Warga berharap pemerintah daerah segera menuntaskan persoalan tersebut sebelum musim hujan tiba.",
    "Peristiwa itu terjadi pada {hari} ({tanggal}) sekitar pukul {jam}.{menit} WIB.",
    "Hingga berita ini diturunkan, belum ada keterangan resmi dari {lembaga} mengenai hal tersebut.",
    "Pemerintah menargetkan pembangunan {proyek} di {kota} rampung pada akhir tahun depan.",
    "Dalam pertemuan tersebut, kedua pihak juga membahas rencana kunjungan balasan ke {negara} pada awal tahun.",
    "Ia menambahkan, anggaran sebesar Rp{miliar} miliar telah disiapkan untuk program {bidang} tahun ini.",
    "Petugas gabungan dari TNI, Polri, dan BPBD dikerahkan untuk membantu proses evakuasi warga di {kota}.",
    "Badan Pusat Statistik mencatat inflasi di {kota} mencapai {desimal} persen secara tahunan.",
    "Menurut {tokoh}, masyarakat diminta tetap tenang dan tidak mudah terpengaruh informasi yang belum terverifikasi.",
    "Kegiatan serupa rencananya akan digelar di {kecil} kota lain, termasuk {kota2}.",
    "Sebelumnya, {jabatan} {tokoh2} sempat menyampaikan bahwa situasi di wilayah itu sudah mulai kondusif.",
    "Pihaknya juga membuka posko pengaduan yang dapat diakses masyarakat selama 24 jam.",
    "Delegasi {negara} dijadwalkan tiba di {kota} pekan depan untuk menindaklanjuti kesepakatan tersebut.",
    "Ekonom dari Universitas Indonesia menilai dampak kebijakan ini baru akan terasa dalam enam bulan ke depan.",
    "Sebanyak {n} personel disiagakan untuk mengamankan jalannya kegiatan hingga selesai.",
    "Keluarga korban meminta aparat mengusut tuntas peristiwa tersebut dan menindak pihak yang bertanggung jawab.",
]
_CAPTIONS = [
    "Suasana di lokasi kejadian, {hari} ({tanggal}). (Foto: {tokoh}/Test News)",
    "{jabatan} {tokoh} memberikan keterangan kepada wartawan di {kota}. (Foto: Antara)",
    "Warga beraktivitas seperti biasa di pusat kota {kota}. (Foto: Test News/{tokoh})",
]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tanggal(dt: datetime) -> str:
    return f"{dt.day}/{dt.month}/{dt.year}"


def _tanggal_panjang(dt: datetime) -> str:
    return f"{_HARI[dt.weekday()]}, {dt.day} {_BULAN[dt.month - 1]} {dt.year} - {dt:%H:%M} WIB"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class _Filler(dict):
    """Slot values for templates, drawn lazily from a seeded generator."""

    def __init__(self, rng: random.Random, when: datetime):
        super().__init__()
        self.rng = rng
        self.when = when

    def __missing__(self, key: str) -> str:
        r = self.rng
        d = self.when - timedelta(days=r.randint(0, 3))
        makers = {
            "kota": lambda: r.choice(_KOTA),
            "kota2": lambda: r.choice(_KOTA),
            "negara": lambda: r.choice(_NEGARA),
            "tokoh": lambda: r.choice(_TOKOH),
            "tokoh2": lambda: r.choice(_TOKOH),
            "jabatan": lambda: r.choice(_JABATAN),
            "lembaga": lambda: r.choice(_LEMBAGA),
            "bidang": lambda: r.choice(_BIDANG),
            "Bidang": lambda: r.choice(_BIDANG).title(),
            "komoditas": lambda: r.choice(_KOMODITAS),
            "Komoditas": lambda: r.choice(_KOMODITAS).title(),
            "proyek": lambda: r.choice(_PROYEK),
            "Proyek": lambda: r.choice(_PROYEK).title(),
            "hari_raya": lambda: r.choice(_HARI_RAYA),
            "n": lambda: _thousands(r.randint(12, 4800)),
            "kecil": lambda: str(r.randint(2, 19)),
            "ratus": lambda: str(r.randint(12, 300)),
            "persen": lambda: str(r.randint(3, 45)),
            "desimal": lambda: f"{r.randint(1, 6)},{r.randint(0, 99):02d}",
            "miliar": lambda: _thousands(r.randint(5, 2500)),
            "mag": lambda: f"{r.randint(4, 7)},{r.randint(0, 9)}",
            "skor": lambda: f"{r.randint(1, 4)}-{r.randint(0, 2)}",
            "hari": lambda: _HARI[d.weekday()],
            "tanggal": lambda: _tanggal(d),
            "tanggal_panjang": lambda: f"{_HARI[d.weekday()]}, {d.day} {_BULAN[d.month - 1]} {d.year}",
            "jam": lambda: f"{r.randint(6, 22):02d}",
            "menit": lambda: f"{r.randint(0, 59):02d}",
        }
        value = makers[key]()
        # Keep a value stable within one sentence (e.g. {hari} and {tanggal} agree).
        self[key] = value
        return value


@dataclass
class Story:
    """The article content of one story, as the site renders it (no boilerplate)."""

    id: int
    slug: str
    title: str
    byline: str
    editor: str
    rubric: str
    published: datetime
    modified: datetime | None
    caption: str
    pages: list[list[str]]  # body paragraphs, one list per page (split article: 3)
    notes: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """All body paragraphs, all pages, in reading order."""
        return [p for page in self.pages for p in page]

    @property
    def lede(self) -> str:
        return self.pages[0][0] if self.pages and self.pages[0] else ""


def _make_story(story_id: int, slug: str | None = None, title: str | None = None,
                n_pages: int = 1, seed: str | None = None) -> Story:
    rng = random.Random(seed or f"arsip-test-news-{story_id}")
    base = datetime(2021, 6, 1, 7, 0, tzinfo=WIB)
    published = base + timedelta(hours=3 * (story_id % 1000), minutes=rng.randint(0, 59))
    fill = _Filler(rng, published)
    if title is None:
        # Rotate through the templates so neighbouring ids read differently.
        title = _TITLES[(story_id * 5) % len(_TITLES)].format_map(fill)
    fill_title = dict(fill)
    dateline = fill_title.get("kota") or rng.choice(_KOTA)
    deck: list[str] = []

    def sentence() -> str:
        # Deal sentence templates from a shuffled deck: no template repeats until
        # all have been used, so a story rarely holds the same sentence twice.
        if not deck:
            deck.extend(rng.sample(_SENTENCES, len(_SENTENCES)))
        f = _Filler(rng, published)
        # Reuse the story's main places/people so the text hangs together.
        for key in ("kota", "negara", "tokoh", "jabatan", "lembaga", "bidang"):
            if key in fill_title and rng.random() < 0.7:
                f[key] = fill_title[key]
        return deck.pop().format_map(f)

    def paragraph() -> str:
        return " ".join(sentence() for _ in range(rng.randint(2, 3)))

    pages = []
    for page in range(n_pages):
        paras = [paragraph() for _ in range(rng.randint(4, 6))]
        if page == 0:
            paras[0] = f"{dateline.upper()}, {SITE_NAME} - {paras[0]}"
        pages.append(paras)
    byline = rng.choice(_TOKOH)
    editor = rng.choice([t for t in _TOKOH if t != byline])
    caption = rng.choice(_CAPTIONS).format_map(_Filler(rng, published))
    return Story(
        id=story_id,
        slug=slug or _slugify(title),
        title=title,
        byline=byline,
        editor=editor,
        rubric=rng.choice(_RUBRIK),
        published=published,
        modified=None,
        caption=caption,
        pages=pages,
    )


ORIGINAL_SLUGS = {
    101: "chunked-story",
    102: "split-story",
    103: "new-slug",
    107: "slow-story",
}
_SPECIAL_TITLES = {
    101: _SPECIAL_LINKS[0][1],
    102: _SPECIAL_LINKS[1][1],
    103: _SPECIAL_LINKS[2][1],
    107: _SPECIAL_LINKS[6][1],
}


@dataclass
class RequestLog:
    """One request the site received."""

    path: str  # as sent on the request line, query included
    method: str
    headers: dict[str, str]  # lower-case names
    version: str = "HTTP/1.1"
    time: float = 0.0
    client_port: int = 0


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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    outlet: "OutletServer"

    def __init__(self, addr, handler, outlet: "OutletServer"):
        self.outlet = outlet
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(addr, handler)

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

    def handle_error(self, request, client_address):  # silent: no tracebacks on stderr
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestNews/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this

    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - silence http.server
        pass

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self):
        self._dispatch(head=False)

    def do_HEAD(self):
        self._dispatch(head=True)

    def _dispatch(self, head: bool) -> None:
        site = self.server.outlet
        site._record(self)
        try:
            site._route(self, head)
        except OSError:  # the client went away (broken pipe, reset, timeout)
            self.close_connection = True

    # -- response helpers --------------------------------------------------------

    def send_body(self, status: int, body: bytes | str, *, ctype: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None, head: bool = False,
                  compressible: bool = False) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        extra = dict(headers or {})
        if compressible:
            extra["Vary"] = "Accept-Encoding"
            if _accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = gzip.compress(body, mtime=0)
                extra["Content-Encoding"] = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_chunked(self, body: bytes, *, chunks: int, head: bool, headers: dict[str, str]) -> None:
        """Real chunk framing, written by hand, several chunks of unequal size."""
        chunked = self.request_version == "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:  # HTTP/1.0 has no chunked coding: the body ends when the connection does
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        # Cut points at growing fractions so chunks differ in size.
        cuts = sorted({int(len(body) * (i * i) / (chunks * chunks)) for i in range(1, chunks)})
        pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)]) if b > a]
        for piece in pieces:
            if chunked:
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            self.wfile.flush()
            time.sleep(0.005)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()


class OutletServer:
    """The test news site on 127.0.0.1, served from a daemon thread."""

    def __init__(self, articles: int = 12, topic_pages: int = 5, delay: float = 0.0, *,
                 specials: bool = True, slow: float = 5.0, port: int = 0):
        if articles < 0 or topic_pages < 1:
            raise ValueError("articles must be >= 0 and topic_pages >= 1")
        self.articles = articles
        self.topic_pages = topic_pages
        self.delay = delay
        self.specials = specials  # link the special URLs from topic page 1
        self.slow = slow  # seconds /news/107-slow-story waits before answering
        self.round = 1
        self.requests: list[RequestLog] = []
        self.port = port
        self.base = ""
        self._want_port = port
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # Ordinary article ids: 1..articles, skipping the special ids 101..107.
        ids = []
        n = 0
        while len(ids) < articles:
            n += 1
            if n not in SPECIAL_IDS:
                ids.append(n)
        self.article_ids: list[int] = ids
        self._stories: dict[int, Story] = {}
        self._old_slugs: dict[int, set[str]] = {}
        self._deleted: set[int] = set()
        self._soft_errors: set[int] = set()
        self._truncated: set[int] = set()
        self._unavailable: set[int] = set()
        self.redesigned = False
        self._huge: bytes | None = None

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> "OutletServer":
        if self._server is not None:
            return self
        self._stopping.clear()
        # A restart after stop() binds the same port again, so URLs stay valid.
        self._server = _Server(("127.0.0.1", self._want_port or self.port or 0), _Handler, self)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"outlet-server-{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping for `delay` / the slow story
        server.shutdown()
        server.server_close()
        server.close_open_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "OutletServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base + path

    def article_path(self, article_id: int) -> str:
        """The current path of an ordinary article (or of 101/102/103/107)."""
        return f"/news/{article_id}-{self.story(article_id).slug}"

    def article_url(self, article_id: int) -> str:
        return self.url(self.article_path(article_id))

    def topic_path(self, page: int) -> str:
        return "/news/" if page == 1 else f"/news/?page={page}"

    def topic_page_ids(self, page: int) -> list[int]:
        """Ordinary article ids listed on topic page `page` (newest first)."""
        if not 1 <= page <= self.topic_pages:
            return []
        listed = [i for i in reversed(self.article_ids) if i not in self._deleted]
        n, p = len(listed), self.topic_pages
        return listed[-(-(page - 1) * n // p): -(-page * n // p)]  # ceil: early pages fill first

    def ids_within_depth(self, depth: int) -> list[int]:
        """Ordinary article ids reachable from topic pages 1..depth."""
        out: list[int] = []
        for page in range(1, min(depth, self.topic_pages) + 1):
            out.extend(self.topic_page_ids(page))
        return out

    def outlet_toml(self, key: str = "testnews", topic_depth: int = 3) -> str:
        if not self.port:
            raise RuntimeError("start the server first")
        return (
            f"[outlets.{key}]\n"
            f'name = "{SITE_NAME}"\n'
            f'domains = ["127.0.0.1:{self.port}"]\n'
            f'topics = ["http://127.0.0.1:{self.port}/news/"]\n'
            f"article_url = '^http://127\\.0\\.0\\.1:{self.port}/news/(?P<id>\\d+)-[a-z0-9-]+$'\n"
            f'language = "id"\n'
            f'schedule = "*/15 * * * *"\n'
            f"topic_depth = {topic_depth}\n"
        )

    def write_outlet_file(self, path: str | Path, key: str = "testnews", topic_depth: int = 3) -> Path:
        path = Path(path)
        path.write_text(self.outlet_toml(key, topic_depth), encoding="utf-8")
        return path

    # -- what was asked --------------------------------------------------------------

    def paths_requested(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def _record(self, handler: _Handler) -> None:
        entry = RequestLog(
            path=handler.path,
            method=handler.command,
            headers={k.lower(): v for k, v in handler.headers.items()},
            version=handler.request_version,
            time=time.time(),
            client_port=handler.client_address[1] if handler.client_address else 0,
        )
        with self._lock:
            self.requests.append(entry)

    # -- content ---------------------------------------------------------------------

    def story(self, article_id: int) -> Story:
        """The article content of an ordinary article, of 101/102/103/107, or (id 0) the private one."""
        with self._lock:
            story = self._stories.get(article_id)
            if story is None:
                if article_id == 0:
                    story = _make_story(1, slug="secret-article", seed="arsip-test-private",
                                        title="Dokumen Rahasia Rapat Internal Redaksi")
                elif article_id in ORIGINAL_SLUGS:
                    story = _make_story(article_id, slug=ORIGINAL_SLUGS[article_id],
                                        title=_SPECIAL_TITLES[article_id],
                                        n_pages=3 if article_id == 102 else 1)
                elif article_id in self.article_ids:
                    story = _make_story(article_id)
                else:
                    raise KeyError(article_id)
                self._stories[article_id] = story
            return story

    def edit_article(self, article_id: int, *, title: str | None = None,
                     paragraphs: list[str] | None = None, notes: list[str] | None = None,
                     slug: str | None = None, byline: str | None = None,
                     published: datetime | None = None, modified: datetime | None = None) -> Story:
        """Change an article's content (a test simulating a correction). A new `slug`
        makes the old one answer 301 to the new one. `paragraphs` replaces page 1's body."""
        story = self.story(article_id)
        with self._lock:
            if title is not None:
                story.title = title
            if paragraphs is not None:
                story.pages[0] = list(paragraphs)
            if notes is not None:
                story.notes = list(notes)
            if byline is not None:
                story.byline = byline
            if published is not None:
                story.published = published
            if modified is not None:
                story.modified = modified
            if slug is not None and slug != story.slug:
                if not re.fullmatch(r"[a-z0-9-]+", slug):
                    raise ValueError(f"bad slug {slug!r}")
                self._old_slugs.setdefault(article_id, set()).add(story.slug)
                story.slug = slug
        return story

    def delete_article(self, article_id: int) -> None:
        """From now on the article answers 404 and leaves the topic pages."""
        with self._lock:
            self._deleted.add(article_id)

    def soft_error(self, article_id: int, on: bool = True) -> None:
        """The article answers 200 with a "Halaman tidak ditemukan" page (a soft 404) while on."""
        self._switch(self._soft_errors, article_id, on)

    def truncate(self, article_id: int, on: bool = True) -> None:
        """The article is served with only its first paragraph (a half-loaded page) while on."""
        self._switch(self._truncated, article_id, on)

    def unavailable(self, article_id: int, on: bool = True) -> None:
        """The article answers 503 (Retry-After: 1) while on."""
        self._switch(self._unavailable, article_id, on)

    def redesign(self, on: bool = True) -> None:
        """Render articles in another template: other markup and class names, the same text."""
        self.redesigned = on

    def _switch(self, ids: set[int], article_id: int, on: bool) -> None:
        self.story(article_id)  # KeyError for an unknown id
        with self._lock:
            (ids.add if on else ids.discard)(article_id)

    def _boiler(self) -> dict:
        """Boilerplate that changes on every request (and with `round`)."""
        n = next(self._counter)
        rng = random.Random()
        minutes = (self.round * 37 + n * 13 + rng.randint(0, 9)) % (24 * 60) + 1
        rel = f"{minutes} menit lalu" if minutes < 60 else f"{minutes // 60} jam lalu"
        return {
            "n": n,
            "relative": rel,
            "views": f"Dibaca {_thousands(1000 + self.round * 517 + n * 31 + rng.randint(0, 999))} kali",
            "token": secrets.token_hex(8),
            "rotate": n + self.round,
        }

    def _related_ids(self, exclude: int) -> list[int]:
        """Related links point only at articles on topic page 1, so following them
        never reaches anything that the topic-depth bound would have cut off."""
        return [i for i in self.topic_page_ids(1) if i != exclude][:3]

    def _page(self, title: str, body: str, head_extra: str, boiler: dict) -> str:
        terkini = self.topic_page_ids(1)[:4]
        if terkini:
            k = boiler["rotate"] % len(terkini)
            terkini = terkini[k:] + terkini[:k]
        items = "".join(
            f'<li><a href="{self.article_path(i)}">{html.escape(self.story(i).title)}</a> '
            f'<span class="waktu">{(boiler["n"] + j) % 23 + 1} jam lalu</span></li>\n'
            for j, i in enumerate(terkini)
        )
        if self.redesigned:
            return self._redesigned_page(title, body, head_extra, boiler, terkini)
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - {SITE_NAME}</title>
{head_extra}<style>body{{font-family:sans-serif;max-width:60em;margin:auto}} .iklan{{background:#eee}}</style>
</head>
<body>
<header class="site-header">
<a class="logo" href="/news/">{SITE_NAME}</a>
<nav><a href="/news/">Terkini</a> <a href="/tag/dunia">Dunia</a> <a href="/about">Tentang Kami</a> <a href="http://example.invalid/x">Mitra</a></nav>
<div class="iklan" data-ad-token="{boiler['token']}">Iklan</div>
</header>
<main>
{body}
<aside class="berita-terkini">
<h2>Berita Terkini</h2>
<ul>
{items}</ul>
</aside>
</main>
<footer class="site-footer">
<span>&copy; 2021 {SITE_NAME}. Hak cipta dilindungi undang-undang.</span>
<span class="render" data-render="{boiler['n']}-{boiler['token'][:6]}"></span>
</footer>
</body>
</html>
"""

    def _redesigned_page(self, title: str, body: str, head_extra: str, boiler: dict, terkini: list[int]) -> str:
        """The page shell of the redesigned template: the same links and labels in other markup."""
        items = "".join(
            f'<div class="side-item"><a class="side-link" href="{self.article_path(i)}">'
            f'{html.escape(self.story(i).title)}</a><small>{(boiler["n"] + j) % 23 + 1} jam lalu</small></div>\n'
            for j, i in enumerate(terkini)
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {SITE_NAME}</title>
{head_extra}<link rel="stylesheet" href="/assets/v2.css">
</head>
<body class="v2">
<div id="topbar" class="topbar">
<div class="brand"><a href="/news/">{SITE_NAME}</a></div>
<ul class="menu"><li><a href="/news/">Terkini</a></li><li><a href="/tag/dunia">Dunia</a></li><li><a href="/about">Tentang Kami</a></li><li><a href="http://example.invalid/x">Mitra</a></li></ul>
</div>
<div class="ad-top" data-ad-token="{boiler['token']}">Iklan</div>
<div class="container">
<div class="col-main">
{body}
</div>
<div class="col-side">
<div class="widget">
<h4>Berita Terkini</h4>
{items}</div>
</div>
</div>
<div class="bottom">
<p>&copy; 2021 {SITE_NAME}. Hak cipta dilindungi undang-undang.</p>
<i class="render" data-render="{boiler['n']}-{boiler['token'][:6]}"></i>
</div>
</body>
</html>
"""

    def render_article(self, article_id: int, page: int = 1, path: str | None = None,
                       filler: int = 0, truncated: bool = False) -> str:
        """One article page. `filler` adds that many extra bytes of body (the huge story);
        `truncated`: only the first paragraph."""
        story = self.story(article_id)
        first = path or (f"/news/{article_id}-{story.slug}" if article_id else SPECIAL_PATHS["private"])
        path = first if page == 1 else f"{first}/{page}"
        canonical = self.url(path)
        boiler = self._boiler()
        npages = len(story.pages)
        head = [f'<link rel="canonical" href="{canonical}">']
        head.append(f'<meta property="og:title" content="{html.escape(story.title)}">')
        head.append(f'<meta property="og:url" content="{canonical}">')
        head.append(f'<meta name="description" content="{html.escape(story.lede[:160])}">')
        head.append(f'<meta name="author" content="{html.escape(story.byline)}">')
        head.append(f'<meta property="article:published_time" content="{story.published.isoformat()}">')
        if story.modified:
            head.append(f'<meta property="article:modified_time" content="{story.modified.isoformat()}">')
        if page > 1:
            prev = first if page == 2 else f"{first}/{page - 1}"
            head.append(f'<link rel="prev" href="{prev}">')
        if page < npages:
            head.append(f'<link rel="next" href="{first}/{page + 1}">')
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "datePublished": story.published.isoformat(),
            "author": {"@type": "Person", "name": story.byline},
            "publisher": {"@type": "Organization", "name": SITE_NAME},
        }
        if story.modified:
            ld["dateModified"] = story.modified.isoformat()
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')

        paras = list(story.pages[page - 1])[:1 if truncated else None]
        related = [i for i in self._related_ids(article_id) if i != article_id]
        if related:
            bj = related[0]
            baca = (f'<p class="baca-juga"><strong>Baca Juga:</strong> '
                    f'<a href="{self.article_path(bj)}">{html.escape(self.story(bj).title)}</a></p>')
        else:
            baca = '<p class="baca-juga"><strong>Baca Juga:</strong> <a href="/news/">Indeks Berita Terkini</a></p>'
        body_html = [f"<p>{html.escape(p)}</p>" for p in paras]
        body_html.insert(min(2, len(body_html)), baca)
        if filler:
            chunk = "".join(f"<p>{html.escape(p)}</p>\n" for p in story.pages[0])
            reps = filler // len(chunk.encode("utf-8")) + 1
            body_html.append("\n".join(
                f'<div class="lampiran" id="lampiran-{k}">{chunk}</div>' for k in range(reps)))
        if page == npages:
            body_html.extend(
                f'<p class="ralat"><em>{html.escape(note)}</em></p>' for note in story.notes)
        pager = ""
        if npages > 1:
            links = []
            if page > 1:
                prev = first if page == 2 else f"{first}/{page - 1}"
                links.append(f'<a rel="prev" href="{prev}">Sebelumnya</a>')
            links.append(f"<span>Halaman {page} dari {npages}</span>")
            if page < npages:
                links.append(f'<a rel="next" class="next" href="{first}/{page + 1}">Halaman berikutnya</a>')
            pager = f'<div class="pagination">{" ".join(links)}</div>\n'
        terkait = "".join(
            f'<li><a href="{self.article_path(i)}">{html.escape(self.story(i).title)}</a></li>'
            for i in related
        )
        modified = ""
        if story.modified:
            modified = (f' &middot; Diperbarui <time class="modified" datetime="{story.modified.isoformat()}">'
                        f"{_tanggal_panjang(story.modified)}</time>")
        if self.redesigned:
            body = self._redesigned_article(story, body_html, pager, related, boiler)
            title = story.title if page == 1 else f"{story.title} (Halaman {page})"
            return self._page(title, body, "\n".join(head) + "\n", boiler)
        body = f"""<article class="article" data-id="{story.id}">
<div class="breadcrumb"><a href="/news/">Berita</a> &rsaquo; {story.rubric}</div>
<h1 class="article-title">{html.escape(story.title)}</h1>
<div class="article-meta">
<span class="byline">Penulis: <a class="author" href="/about">{html.escape(story.byline)}</a></span>
<span class="editor">Editor: {html.escape(story.editor)}</span>
<time class="published" datetime="{story.published.isoformat()}">{_tanggal_panjang(story.published)}</time>{modified}
<span class="waktu-relatif">{boiler['relative']}</span>
<span class="views">{boiler['views']}</span>
</div>
<figure class="article-image"><figcaption>{html.escape(story.caption)}</figcaption></figure>
<div class="article-content">
{chr(10).join(body_html)}
</div>
{pager}<div class="iklan iklan-dalam" data-slot="{boiler['token'][8:]}">Iklan</div>
<section class="artikel-terkait">
<h2>Artikel Terkait</h2>
<ul>{terkait}</ul>
</section>
</article>"""
        title = story.title if page == 1 else f"{story.title} (Halaman {page})"
        return self._page(title, body, "\n".join(head) + "\n", boiler)

    def _redesigned_article(self, story: Story, body_html: list[str], pager: str, related: list[int],
                            boiler: dict) -> str:
        """The article part of a page in the redesigned template: the same text in other markup."""
        blocks = []
        for block in body_html:
            if block.startswith('<p class="baca-juga">'):
                link = block.split("</strong> ", 1)[1].removesuffix("</p>")
                block = f'<div class="inline-link"><span class="label">Baca Juga:</span> {link}</div>'
            elif block.startswith('<p class="ralat">'):
                note = block.removeprefix('<p class="ralat"><em>').removesuffix("</em></p>")
                block = f'<div class="editor-note"><p><i>{note}</i></p></div>'
            blocks.append(block)
        terkait = "".join(
            f'<div class="rel-item"><a href="{self.article_path(i)}">{html.escape(self.story(i).title)}</a></div>'
            for i in related)
        modified = ""
        if story.modified:
            modified = (f'<div class="upd">Diperbarui: <time datetime="{story.modified.isoformat()}">'
                        f"{_tanggal_panjang(story.modified)}</time></div>")
        return f"""<div class="wrapper-detail" id="post-{story.id}">
<ol class="crumbs"><li><a href="/news/">Beranda</a></li><li>{story.rubric}</li></ol>
<div class="detail-head">
<h1 class="detail-title">{html.escape(story.title)}</h1>
<div class="detail-info">
<div class="writer">Penulis: {html.escape(story.byline)} | Editor: {html.escape(story.editor)}</div>
<div class="date"><time datetime="{story.published.isoformat()}">{_tanggal_panjang(story.published)}</time></div>{modified}
<div class="stats"><span>{boiler['relative']}</span> <span>{boiler['views']}</span></div>
</div>
</div>
<figure class="detail-photo"><figcaption class="photo-caption">{html.escape(story.caption)}</figcaption></figure>
<div class="detail-text">
<div class="txt-inner">
{chr(10).join(blocks)}
</div>
</div>
{pager}<div class="adslot" data-slot="{boiler['token'][8:]}">Iklan</div>
<div class="box-related">
<h3>Artikel Terkait</h3>
{terkait}
</div>
</div>"""

    def render_topic(self, page: int) -> str:
        boiler = self._boiler()
        head = [f'<link rel="canonical" href="{self.url(self.topic_path(page))}">']
        nav = []
        if page > 1:
            head.append(f'<link rel="prev" href="{self.topic_path(page - 1)}">')
            nav.append(f'<a rel="prev" href="{self.topic_path(page - 1)}">Sebelumnya</a>')
        if page < self.topic_pages:
            head.append(f'<link rel="next" href="/news/?page={page + 1}">')
            nav.append(f'<a rel="next" class="next" href="/news/?page={page + 1}">Selanjutnya</a>')
        items = []
        for j, i in enumerate(self.topic_page_ids(page)):
            s = self.story(i)
            items.append(
                f'<div class="item"><h2><a href="{self.article_path(i)}">{html.escape(s.title)}</a></h2>'
                f'<span class="waktu">{(boiler["n"] + j * 5) % 23 + 1} jam lalu</span> '
                f'<span class="summary">{html.escape(s.lede[:140])}</span></div>'
            )
        sorotan = ""
        if page == 1 and self.specials:
            links = "".join(f'<li><a href="{SPECIAL_PATHS[k]}">{html.escape(t)}</a></li>' for k, t in _SPECIAL_LINKS)
            sorotan = f'<section class="sorotan"><h2>Sorotan</h2><ul>{links}</ul></section>\n'
        body = f"""<section class="indeks">
<h1>Berita Terkini - Halaman {page}</h1>
{chr(10).join(items)}
</section>
{sorotan}<section class="lainnya"><a href="/tag/dunia">#dunia</a> <a href="/about">Tentang Kami</a> <a href="{SPECIAL_PATHS['private']}">Ruang Redaksi</a> <a href="http://example.invalid/x">Berita Mitra</a></section>
<div class="pagination">{" ".join(nav)}</div>"""
        return self._page(f"Berita Terkini - Halaman {page}", body, "\n".join(head) + "\n", boiler)

    def _huge_page(self) -> bytes:
        with self._lock:
            cached = self._huge
        if cached is None:
            with self._lock:
                self._stories.setdefault(
                    106, _make_story(106, slug="huge-story", title=_SPECIAL_LINKS[5][1]))
            cached = self.render_article(106, path=SPECIAL_PATHS["huge"], filler=HUGE_SIZE).encode("utf-8")
            with self._lock:
                self._huge = cached
        return cached

    # -- routing ---------------------------------------------------------------------

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True when the sleep ran out."""
        if seconds <= 0:
            return True
        return not self._stopping.wait(seconds)

    def _route(self, h: _Handler, head: bool) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        if path == "/robots.txt":
            h.send_body(200, "User-agent: *\nDisallow: /private/\n", ctype="text/plain; charset=utf-8", head=head)
            return
        if path == "/news/":
            values = parse_qs(parts.query).get("page", ["1"])
            page = int(values[0]) if values[0].isdigit() else 0
            if set(parse_qs(parts.query)) - {"page"} or not 1 <= page <= self.topic_pages:
                self._not_found(h, head)
                return
            h.send_body(200, self.render_topic(page), head=head, compressible=True)
            return
        if path == SPECIAL_PATHS["private"]:
            h.send_body(200, self.render_article(0), head=head, compressible=True)
            return
        m = re.fullmatch(r"/news/(\d+)-([a-z0-9-]+)(?:/(\d+))?", path)
        if m is None:
            self._not_found(h, head)
            return
        if not self._sleep(self.delay):
            h.close_connection = True
            return
        article_id, slug, sub = int(m.group(1)), m.group(2), m.group(3)
        name = f"{article_id}-{slug}"

        if article_id in SPECIAL_IDS:
            if name == "102-split-story" and sub in (None, "2", "3"):
                page = int(sub or 1)
                h.send_body(200, self.render_article(102, page), head=head, compressible=True)
            elif sub is not None:
                self._not_found(h, head)
            elif name == "101-chunked-story":
                body = self.render_article(101).encode("utf-8")
                h.send_chunked(body, chunks=6, head=head, headers=self._last_modified(101))
            elif name == "103-old-slug":
                self._redirect(h, SPECIAL_PATHS["redirect_target"], head)
            elif name == "103-new-slug":
                h.send_body(200, self.render_article(103), head=head, compressible=True,
                            headers=self._last_modified(103))
            elif name == "104-gone":
                self._not_found(h, head, "Artikel tidak ditemukan atau sudah dihapus.")
            elif name == "105-down":
                self._service_unavailable(h, head)
            elif name == "106-huge-story":
                h.send_body(200, self._huge_page(), head=head)
            elif name == "107-slow-story":
                if not self._sleep(self.slow):
                    h.close_connection = True
                    return
                h.send_body(200, self.render_article(107), head=head, compressible=True,
                            headers=self._last_modified(107))
            else:
                self._not_found(h, head)
            return

        if article_id not in self.article_ids or article_id in self._deleted or sub is not None:
            self._not_found(h, head)
            return
        story = self.story(article_id)
        if slug == story.slug and article_id in self._unavailable:
            self._service_unavailable(h, head)
        elif slug == story.slug and article_id in self._soft_errors:
            body = ('<div class="error-page"><h1>Halaman tidak ditemukan</h1><p>Maaf, halaman yang Anda cari '
                    'tidak tersedia atau telah dipindahkan.</p><p><a href="/news/">Kembali ke beranda</a></p></div>')
            h.send_body(200, self._page("Halaman tidak ditemukan", body, "", self._boiler()), head=head,
                        compressible=True)
        elif slug == story.slug:
            h.send_body(200, self.render_article(article_id, truncated=article_id in self._truncated), head=head,
                        compressible=True, headers=self._last_modified(article_id))
        elif slug in self._old_slugs.get(article_id, ()):
            self._redirect(h, self.article_path(article_id), head)
        else:
            self._not_found(h, head)

    def _last_modified(self, article_id: int) -> dict[str, str]:
        story = self.story(article_id)
        when = story.modified or story.published
        return {"Last-Modified": email.utils.formatdate(when.timestamp(), usegmt=True)}

    def _redirect(self, h: _Handler, location: str, head: bool) -> None:
        h.send_body(301, f'<!DOCTYPE html><html><body><p>Dipindahkan ke <a href="{location}">{location}</a></p>'
                         f"</body></html>\n", head=head, headers={"Location": location})

    def _service_unavailable(self, h: _Handler, head: bool) -> None:
        h.send_body(503, "<!DOCTYPE html><html><head><title>503</title></head><body>"
                         "<h1>Layanan Tidak Tersedia</h1><p>Server sedang dalam pemeliharaan.</p>"
                         "</body></html>\n", head=head, headers={"Retry-After": "1"})

    def _not_found(self, h: _Handler, head: bool, message: str = "Halaman tidak ditemukan.") -> None:
        h.send_body(404, f"<!DOCTYPE html><html><head><title>404 - {SITE_NAME}</title></head>"
                         f"<body><h1>404</h1><p>{message}</p></body></html>\n", head=head)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the Test News site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to bind (0: any free port)")
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--topic-pages", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds slept before each /news/<id>- article")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds /news/107-slow-story waits")
    parser.add_argument("--no-specials", action="store_true", help="do not link the special URLs from page 1")
    parser.add_argument("--write-outlets", metavar="FILE", help="also write an outlet TOML file for this server")
    parser.add_argument("--key", default="testnews", help="outlet key for --write-outlets")
    parser.add_argument("--topic-depth", type=int, default=3, help="topic_depth for --write-outlets")
    args = parser.parse_args(argv)

    site = OutletServer(args.articles, args.topic_pages, args.delay, specials=not args.no_specials,
                        slow=args.slow, port=args.port).start()
    if args.write_outlets:
        site.write_outlet_file(args.write_outlets, args.key, args.topic_depth)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"PORT {site.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
