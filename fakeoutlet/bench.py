"""The benchmark site (bench/run.py, bench/gzip_levels.py): `articles` articles of about 40 KB.

    /robots.txt            allow all
    /news/, /news/?page=K  topic pages listing `per_page` article links each, newest
                           first, <link rel="next"> (and <a rel="next">) to page K+1
    /news/<id>-<slug>      Indonesian-news-like paragraphs generated from `seed`

The same arguments give the same bytes on every run, so benchmark figures compare
across runs and commits.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from fakeoutlet.newsroom import Article, Newsroom
from fakeoutlet.site import FakeOutlet, FakeSite
from fakeoutlet.styles.bench import SELECTORS, BenchStyle, slug

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

_START = datetime(2024, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))


def _sentence(rng: random.Random, low: int = 9, high: int = 22) -> str:
    text = " ".join(rng.choices(WORDS, k=rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."  # not capitalize(): keeps "DPR", "KPK"


def _title(rng: random.Random) -> str:
    return " ".join(w[0].upper() + w[1:] for w in _sentence(rng, 6, 11).rstrip(".").split())


def _article(i: int, count: int, title: str, rng: random.Random) -> Article:
    """Article `i`; the draws from `rng` come in the order its page shows them."""
    related = tuple(rng.randint(1, count) for _ in range(30))
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(3, 5))) for _ in range(rng.randint(22, 27))]
    caption = _sentence(rng)
    return Article(key=i, slug=slug(title), title=title, published=_START + timedelta(minutes=17 * i),
                   pages=[paragraphs], byline=f"Redaksi {i % 13}", editor=f"Penyunting {i % 5}",
                   caption=caption, tags=tuple(rng.sample(WORDS, 6)), related=related)


def bench_outlet(articles: int, per_page: int = 50, seed: int = 1, json_ld: bool = True) -> FakeOutlet:
    """The `bench` outlet: `articles` articles from `seed`, `per_page` to a topic page."""
    titles = {i: _title(random.Random(seed * 1_000_003 + i)) for i in range(1, articles + 1)}
    newsroom = Newsroom((_article(i, articles, titles[i], random.Random(seed * 7_919 + i)) for i in titles),
                        per_page=per_page)
    # topic_depth: deep enough to reach every topic page
    return FakeOutlet("bench", "Bench News", newsroom, BenchStyle(json_ld), "/news/", selectors=SELECTORS,
                      topic_depth=newsroom.topic_pages + 1)


def bench_site(articles: int = 2000, per_page: int = 50, seed: int = 1, *, json_ld: bool = True,
               port: int = 0) -> FakeSite:
    """The benchmark site; `port` fixes the port (and so the URLs in its pages) before it starts."""
    return FakeSite([bench_outlet(articles, per_page, seed, json_ld)], server_name="bench-site", port=port)
