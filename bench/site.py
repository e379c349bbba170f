"""A local news site for the capture benchmark (bench/run.py).

    python bench/site.py --articles 2000 [--per-page 50] [--port 0] [--seed 1]
    -> first stdout line "PORT <n>", then serves on 127.0.0.1 until killed.

URLs:
    /robots.txt            allow all
    /news/, /news/?page=K  topic pages listing `per_page` article links each,
                           <link rel="next"> (and <a rel="next">) to page K+1
    /news/<id>-<slug>      articles of about 40 KB: Indonesian-news-like paragraphs
                           generated from the seed, inside realistic boilerplate
                           (inline CSS and JS, menus, "Baca Juga", "Berita Terkini"),
                           with og:/article: meta and a JSON-LD NewsArticle
                           (headline, description, datePublished, author)

Every response is rendered once at start-up and kept in memory as bytes, and is
written with one send, so the server costs little CPU per request and Nagle plus
delayed ACK never stall a keep-alive connection. The server's CPU is not part of
what the benchmark measures (run.py measures only the crawler process), but a
slow server would still lengthen wall time and hide crawler costs behind idling.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import signal
import socket
import sys
import threading
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WORDS = (
    "pemerintah presiden menteri warga kota provinsi kabupaten polisi tentara pejabat "
    "rakyat negara dunia internasional nasional ekonomi harga minyak beras pasar saham "
    "rupiah dolar bank utang pajak anggaran proyek jalan tol bandara pelabuhan kereta "
    "banjir gempa kebakaran longsor cuaca hujan musim kemarau vaksin rumah sakit dokter "
    "pasien sekolah guru siswa universitas mahasiswa pemilu partai calon suara kampanye "
    "pengadilan hakim jaksa terdakwa korupsi kasus penyidik saksi bukti laporan data "
    "mengatakan menyatakan menjelaskan mengungkapkan menegaskan menambahkan membantah "
    "meminta menolak menyetujui membahas meninjau meresmikan mengumumkan melaporkan "
    "sejumlah beberapa seluruh banyak sedikit baru lama besar kecil tinggi rendah penting "
    "utama resmi khusus umum tahun bulan pekan hari jam pagi siang sore malam kemarin "
    "yang dan di ke dari dengan untuk pada dalam oleh akan telah sudah masih belum tidak "
    "bahwa karena namun sementara itu juga lebih agar serta atau hingga sejak setelah "
    "Jakarta Medan Surabaya Bandung Makassar Semarang Yogyakarta Denpasar Palembang "
    "Indonesia Malaysia Singapura Australia Jepang China Amerika Eropa ASEAN PBB DPR KPK"
).split()

MENU = [
    "Nasional", "Internasional", "Ekonomi", "Megapolitan", "Regional", "Olahraga",
    "Sepak Bola", "Teknologi", "Otomotif", "Gaya Hidup", "Kesehatan", "Hiburan",
    "Seleb", "Travel", "Kuliner", "Pendidikan", "Hukum", "Politik", "Opini", "Video",
    "Foto", "Infografis", "Cek Fakta", "Indeks",
]

# Shared boilerplate, as a real outlet ships it in every page: a large inline
# stylesheet and an analytics/ads script. Sized so an article is about 40 KB.
STYLE = "\n".join(
    f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{i * 2731 % 0xFFFFFF:06x};"
    f"font:{12 + i % 6}px/1.{i % 9} 'Roboto',Arial,sans-serif;border-bottom:1px solid #eee}}"
    for i in range(90)
)
SCRIPT = "\n".join(
    f"window.dataLayer=window.dataLayer||[];dataLayer.push({{'event':'slot{i}','adUnit':"
    f"'/1234567/bench/news/slot{i}','sizes':[[300,250],[336,280]],'targeting':{{'pos':'{i}'}}}});"
    for i in range(50)
)


class Site:
    """All responses of the site, pre-rendered: path -> (status, content type, body)."""

    def __init__(self, articles: int, per_page: int = 50, seed: int = 1, base: str = ""):
        self.articles = articles
        self.per_page = per_page
        self.topic_pages = max(1, -(-articles // per_page))
        self.base = base  # absolute canonical URLs, as outlets write them
        self.pages: dict[str, bytes] = {}
        start = datetime(2024, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))
        self.titles = {i: self._title(random.Random(seed * 1_000_003 + i)) for i in range(1, articles + 1)}
        self.paths = {i: f"/news/{i}-{_slug(self.titles[i])}" for i in self.titles}
        self.dates = {i: start + timedelta(minutes=17 * i) for i in self.titles}
        for i in self.titles:
            self.pages[self.paths[i]] = self._article(i, random.Random(seed * 7_919 + i)).encode()
        for page in range(1, self.topic_pages + 1):
            body = self._topic(page).encode()
            self.pages[f"/news/?page={page}"] = body
            if page == 1:
                self.pages["/news/"] = body

    # -- rendering ---------------------------------------------------------------

    @staticmethod
    def _sentence(rng: random.Random, low: int = 9, high: int = 22) -> str:
        words = rng.choices(WORDS, k=rng.randint(low, high))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."  # not capitalize(): keeps "DPR", "KPK"

    def _title(self, rng: random.Random) -> str:
        return " ".join(w[0].upper() + w[1:] for w in self._sentence(rng, 6, 11).rstrip(".").split())

    def _layout(self, title: str, head: str, main: str, aside: str) -> str:
        menu = "".join(f'<li class="c{n}"><a href="/{_slug(m)}/">{m}</a></li>' for n, m in enumerate(MENU))
        footer = "".join(f'<a href="/{_slug(m)}/indeks">Indeks {m}</a> ' for m in MENU)
        return (
            '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - Bench News</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"{head}<style>{STYLE}</style>"
            f'<script async src="/static/gpt.js"></script><script>{SCRIPT}</script></head>\n'
            f'<body><header class="c1"><a class="logo" href="/">Bench News</a>'
            f'<nav><ul class="menu">{menu}</ul></nav></header>\n'
            f'<main class="c2">{main}</main>\n<aside class="c3">{aside}</aside>\n'
            f'<footer class="c4"><div class="links">{footer}</div>'
            "<p>&copy; 2024 Bench News. Hak cipta dilindungi undang-undang.</p></footer>"
            "</body></html>\n"
        )

    def _link_list(self, heading: str, ids: list[int]) -> str:
        items = "".join(
            f'<li><a href="{self.paths[i]}">{html.escape(self.titles[i])}</a>'
            f'<span class="time">{(i * 7) % 59 + 1} menit lalu</span></li>'
            for i in ids
        )
        return f'<section class="c5"><h3>{heading}</h3><ul>{items}</ul></section>'

    def _article(self, i: int, rng: random.Random) -> str:
        title = self.titles[i]
        date = self.dates[i]
        others = [rng.randint(1, self.articles) for _ in range(30)]
        paragraphs = []
        for n in range(rng.randint(22, 27)):
            text = " ".join(self._sentence(rng) for _ in range(rng.randint(3, 5)))
            if n == 0:
                text = f"<strong>JAKARTA, Bench News</strong> - {text}"
            paragraphs.append(f"<p>{text}</p>")
            if n == 4:
                j = others[0]
                paragraphs.append(
                    f'<p class="baca-juga">Baca Juga: <a href="{self.paths[j]}">{html.escape(self.titles[j])}</a></p>'
                )
        iso = date.isoformat()
        url = f"{self.base}{self.paths[i]}"
        # What a real outlet declares for search engines and social sites: og: and
        # article: meta, and a schema.org NewsArticle in JSON-LD (arsip's structured layer).
        description = html.unescape(re.sub(r"<[^>]+>", "", paragraphs[0])).split(". ")[0] + "."
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": title, "description": description, "inLanguage": "id",
            "datePublished": iso, "dateModified": iso,
            "author": {"@type": "Person", "name": f"Redaksi {i % 13}"},
            "publisher": {"@type": "Organization", "name": "Bench News",
                          "logo": {"@type": "ImageObject", "url": f"{self.base}/static/logo.png"}},
            "image": {"@type": "ImageObject", "url": f"{self.base}/img/{i}.jpg", "width": 1200, "height": 675},
        }
        head = (
            f'<link rel="canonical" href="{url}">'
            f'<meta name="description" content="{html.escape(description)}">'
            '<meta property="og:type" content="article">'
            '<meta property="og:site_name" content="Bench News">'
            f'<meta property="og:url" content="{url}">'
            f'<meta property="og:title" content="{html.escape(title)}">'
            f'<meta property="og:description" content="{html.escape(description)}">'
            f'<meta property="og:image" content="{self.base}/img/{i}.jpg">'
            f'<meta property="article:published_time" content="{iso}">'
            f'<meta property="article:modified_time" content="{iso}">'
            f'<meta name="author" content="Redaksi {i % 13}">'
            '<script type="application/ld+json">'
            + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/") + "</script>"
        )
        main = (
            f'<article class="detail"><h1 class="title">{html.escape(title)}</h1>'
            f'<div class="byline">Reporter: Redaksi {i % 13} | Editor: Penyunting {i % 5}</div>'
            f'<time class="date" datetime="{iso}">{date:%d/%m/%Y %H:%M} WIB</time>'
            f'<figure><img src="/img/{i}.jpg" alt=""><figcaption>{self._sentence(rng)}</figcaption></figure>'
            f'<div class="content">{"".join(paragraphs)}</div>'
            f'<div class="tags">{" ".join(f"<a href=/tag/{w}>#{w}</a>" for w in rng.sample(WORDS, 6))}</div>'
            "</article>"
            + self._link_list("Artikel Terkait", others[1:7])
        )
        aside = self._link_list("Berita Terkini", others[7:22]) + self._link_list("Terpopuler", others[22:30])
        return self._layout(title, head, main, aside)

    def _topic(self, page: int) -> str:
        first = self.articles - (page - 1) * self.per_page  # newest first
        ids = range(first, max(0, first - self.per_page), -1)
        items = "".join(
            f'<div class="item"><h2><a href="{self.paths[i]}">{html.escape(self.titles[i])}</a></h2>'
            f'<time>{self.dates[i]:%d/%m/%Y %H:%M}</time></div>'
            for i in ids
        )
        nxt = f"/news/?page={page + 1}" if page < self.topic_pages else None
        head = f'<link rel="next" href="{nxt}">' if nxt else ""
        pager = f'<a rel="next" href="{nxt}">Selanjutnya</a>' if nxt else ""
        return self._layout(f"Berita Terbaru - Halaman {page}", head, f"{items}<nav class=pager>{pager}</nav>", "")

    def lookup(self, target: str) -> bytes | None:
        parts = urlsplit(target)
        if parts.path == "/news/" and parts.query:
            page = parse_qs(parts.query).get("page", [""])[0]
            return self.pages.get(f"/news/?page={page}")
        return self.pages.get(parts.path)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:80]


def make_handler(site: Site, counter: list[int]):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: Scrapy reuses its 16 connections

        def do_GET(self):
            with lock:
                counter[0] += 1
            if self.path == "/robots.txt":
                status, ctype, body = 200, "text/plain", b"User-agent: *\nAllow: /\n"
            else:
                body = site.lookup(self.path)
                status, ctype = (200, "text/html; charset=utf-8") if body else (404, "text/html")
                body = body or b"<h1>404 Tidak ditemukan</h1>"
            head = (
                f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
                f"Date: {formatdate(usegmt=True)}\r\nServer: bench-site\r\n"
                f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode("latin-1")
            self.wfile.write(head + body)  # one send per response

        def setup(self):
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format, *args):  # noqa: A002 - silence per-request logging
            pass

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=50)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    counter = [0]
    server = ThreadingHTTPServer(("127.0.0.1", args.port), None)
    site = Site(args.articles, args.per_page, args.seed, base=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = make_handler(site, counter)
    server.daemon_threads = True
    sizes = [len(site.pages[site.paths[i]]) for i in site.paths]
    print(f"PORT {server.server_address[1]}", flush=True)
    print(
        f"site: {args.articles} articles (mean {sum(sizes) / len(sizes) / 1024:.1f} KB), "
        f"{site.topic_pages} topic pages",
        file=sys.stderr, flush=True,
    )

    def stop(signum, frame):
        # shutdown() blocks until serve_forever returns, so call it from another thread
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.2)
    print(f"site: served {counter[0]} requests", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
