"""Catalog queries at scale: `arsip versions` and `arsip search` on a catalog of 1M captures.

    .venv/bin/python bench/catalog_scale.py                  # full size: 1M captures, 200k stories
    .venv/bin/python bench/catalog_scale.py --scale 0.05     # a quick run: 50k captures, 10k stories
        [--url URL] [--samples 1000] [--search-samples 40] [--cli 5] [--json]
        [--keep] [--reuse DBNAME] [--jobs N] [--seed 1]

1. Generates a catalog in a scratch database `arsip_bench_<hex>` on the server of
   `--url` (default $ARSIP_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test),
   migrated by `open_catalog` like any arsip catalog. The rows are made by the server
   itself (generate_series, INSERT ... SELECT), from a few thousand Indonesian words
   (the `id-news` ground truth and seed articles in shared/, plus affixed forms of
   common roots) and English words (`zyte-aeb`) that Python ranks and shapes into a
   pool of sentences: 12 outlets (one English), 200k stories, ~1.3 versions each
   (some 3-6: sentences edited, added, dropped, headlines reworded, correction
   notices), bodies of ~300-600 words, each story with its own people and villages,
   1M captures (~80% the fetches of versions, a response and then revisits as the
   story is rechecked with back-off; the rest topic pages, robots.txt, 404s,
   redirects, server errors and refused pages) placed in per-outlet daily WARC files,
   versions written by the catalog's own `insert_versions` (archive/catalog/stories.py),
   so the `search` tsvector is computed as ingest computes it. Foreign keys and
   secondary indexes are dropped during the load and rebuilt after; then VACUUM ANALYZE.
2. Times the query functions of archive/catalog/queries.py on a pooled connection of
   the same `Catalog` the CLI opens (the CLI's path minus process start-up):
   `find_story` + `versions_of` for random story ids and for random story URLs
   (`--samples` each), and `search_versions` for kinds of queries (`--search-samples`
   each): a common word, two words, a quoted two-word phrase, a rare word, a title
   word misspelt so that only the trigram index finds it, and a word matching nothing.
3. Baselines in the same run: `versions` on the catalog without migration 0003's
   index (what it did before), and search done the obvious way, ILIKE '%word%' over
   versions.paragraphs (no index), on a few samples of each kind.
4. Times the whole CLI, `arsip versions ID --json` and `arsip search TEXT --json` as
   subprocesses (`--cli` runs each): process start-up dominates those figures; the
   goals (versions p99 <= 10 ms, search p95 <= 100 ms) are about the query.

The scratch database is dropped at the end unless `--keep`; `--reuse DBNAME` times an
existing one (pending migrations are applied first) without generating.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.catalog.captures import CAPTURE_COLUMNS  # noqa: E402  (after the path is set for direct runs)
from archive.catalog.db import open_catalog  # noqa: E402
from archive.catalog.queries import count_matches, find_story, search_versions, versions_of  # noqa: E402
from archive.catalog.store import save_outlets  # noqa: E402
from archive.catalog.stories import insert_versions  # noqa: E402
from archive.config import Config  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
FULL_CAPTURES = 1_000_000
FULL_STORIES = 200_000
GOAL_VERSIONS_P99_MS = 10.0
GOAL_SEARCH_P95_MS = 100.0
# Timed and shown, but not in the query mix the search goal is about: PostgreSQL's GIN index keeps no
# word positions, so a phrase is checked against every version holding both words.
STRESS = "phrase with a very common word"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- words -----------------------------------------------------------------------------

# (key, name, host, language, share of stories, article URL, dateline)
OUTLETS = [
    ("detik", "detikcom", "news.detik.com", "id", 18, "https://news.detik.com/berita/d-{aid}/{slug}", "detikcom"),
    ("kompas", "Kompas.com", "nasional.kompas.com", "id", 15,
     "https://nasional.kompas.com/read/{ymd}/{aid}/{slug}", "KOMPAS.com"),
    ("tribunnews", "Tribunnews", "www.tribunnews.com", "id", 14,
     "https://www.tribunnews.com/nasional/{ymd}/{slug}", "TRIBUNNEWS.COM"),
    ("liputan6", "Liputan6", "www.liputan6.com", "id", 9, "https://www.liputan6.com/news/read/{aid}/{slug}",
     "Liputan6.com"),
    ("okezone", "Okezone", "nasional.okezone.com", "id", 8,
     "https://nasional.okezone.com/read/{ymd}/337/{aid}/{slug}", "Okezone"),
    ("cnnindonesia", "CNN Indonesia", "www.cnnindonesia.com", "id", 8,
     "https://www.cnnindonesia.com/nasional/{aid}-20-{aid}/{slug}", "CNN Indonesia"),
    ("tempo", "Tempo", "nasional.tempo.co", "id", 6, "https://nasional.tempo.co/read/{aid}/{slug}", "TEMPO.CO"),
    ("antara", "ANTARA", "www.antaranews.com", "id", 6, "https://www.antaranews.com/berita/{aid}/{slug}", "ANTARA"),
    ("republika", "Republika", "news.republika.co.id", "id", 5,
     "https://news.republika.co.id/berita/{aid}/{slug}", "REPUBLIKA.CO.ID"),
    ("suara", "Suara.com", "www.suara.com", "id", 5, "https://www.suara.com/news/{ymd}/{slug}", "Suara.com"),
    ("inews", "iNews", "www.inews.id", "id", 4, "https://www.inews.id/news/nasional/{slug}", "iNews.id"),
    ("jakartapost", "The Jakarta Post", "www.thejakartapost.com", "en", 2,
     "https://www.thejakartapost.com/indonesia/{ymd}/{slug}.html", "The Jakarta Post"),
]
SECTIONS = ["nasional", "internasional", "ekonomi", "megapolitan", "daerah", "olahraga", "tekno", "hukum",
            "politik", "indeks", "terpopuler", "tag/pemilu", "tag/banjir"]

FUNCTION_WORDS = set("""
yang dan di ke dari dengan untuk pada dalam oleh akan telah sudah masih belum tidak bukan bahwa karena namun
sementara itu ini juga lebih agar serta atau hingga sejak setelah sebelum saat ketika jika kalau maka pun
adalah ialah yaitu yakni para sang si nya kami kita mereka dia ia saya anda kamu beliau ada bisa dapat harus
perlu mau ingin boleh sangat paling cukup hanya saja lagi pula sama tetapi tapi melainkan sedangkan bagi
tentang terhadap antara hal secara seperti sebagai sebuah seorang seluruh semua setiap beberapa banyak
sedikit tersebut sana sini situ begitu demikian apa siapa mana bagaimana mengapa kapan lalu kemudian
selain tanpa bersama menurut kata ujar tutur jelas ungkap sebut pukul atas bawah luar depan belakang
sekitar hampir lewat melalui per pula ya tak tadi nanti kini kemarin dulu pernah sering selalu
""".split())

# Roots that Indonesian news inflects all the time; affixed forms are added to the vocabulary.
ROOTS = """
bangun bayar beli jual buat kerja ajar tulis baca lapor periksa tangkap tahan sidang putus tolak terima
minta beri kirim bantu catat cari dapat dengar lihat temu tunjuk ungkap jelas tegas tambah kurang naik
turun ubah ganti pakai guna hitung ukur rencana siap susun atur urus jaga lindung selamat rawat obat
sehat didik latih uji coba pilih pimpin perintah wakil kuasa kelola modal untung rugi hasil tanam panen
tindak langgar larang izin ajak undang kunjung jalan datang pulang tinggal pindah ungsi rusak bakar
hancur runtuh cegah aman damai serang tembak bunuh culik curi rampok tipu suap selidik sidik dakwa tuntut
vonis hukum adil bela saksi bukti duga sangka klaim bantah akui sepakat setuju dukung lawan kritik
protes usul bahas rapat kaji nilai tingkat kembang tumbuh lambat cepat kuat lemah besar kecil luas
tinggi rendah baru satu dua tiga harga pasar rumah sekolah kota desa warga negara bangsa daerah wilayah
kuasa pimpin tanggung jawab lapor umum resmi tetap kirim antar jemput tunda batal lanjut mulai akhir
selesai buka tutup masuk keluar tahu kenal ingat lupa pikir rasa harap percaya khawatir takut marah
senang sedih sakit mati hidup lahir tumbuh kembang jaga awas amat teliti pantau dalami telusur sita
geledah amankan tahan lepas bebas hukum denda pajak utang pinjam simpan tabung kirim terbang layar
labuh darat tempuh capai raih menang kalah tanding latih juara rekam siar tayang muat sebar bagi
kumpul himpun galang salur serah tanda tangan sah resmi lantik angkat copot pecat mundur ganti
""".split()

GIVEN = """Agus Ahmad Andi Arief Bambang Budi Dedi Dewi Dian Eko Fajar Fitri Hadi Hendra Herman Ika Indra Irwan
Joko Kartika Lestari Lukman Made Maria Muhammad Nanda Nur Putri Rahmat Rina Rizki Siti Slamet Sri Sugeng
Suharto Taufik Teguh Tri Wahyu Wayan Yanti Yudi Yusuf Zainal Ani Bayu Citra Dimas Endang Faisal Gita
Hasan Ilham Ketut Lina Mega Nyoman Oki Purnomo Ratna Setiawan Tuti Umar Vina Wulan Yogi Adi Bagus Cahya
Dodi Erlangga Farida Gilang Hendro Intan Jamal Krisna Larasati Markus Nabila Oktavia Pramono Rudi""".split()
FAMILY = """Siregar Nasution Harahap Simanjuntak Sitompul Lubis Tanjung Pohan Sinaga Hutapea Wijaya Santoso
Kusuma Pratama Saputra Hidayat Nugroho Setiadi Gunawan Suryadi Halim Tanoto Rahardjo Wibowo Susanto
Purnama Hakim Syahputra Ramadhan Firmansyah Maulana Kurniawan Permana Utomo Prasetyo Hartono Sulistyo
Manurung Sembiring Ginting Tarigan Tambunan Pangaribuan Situmorang Sihombing Lumbantobing Pardede
Daulay Matondang Rangkuti Batubara Hasibuan Ritonga Rambe Dalimunthe Pulungan Effendi Salim Iskandar
Latuconsina Pattimura Rumbiak Wanggai Mandacan Kogoya Tabuni Wenda Karubaba Sumarauw Lumenta Pangemanan""".split()
CITIES = """Jakarta Bandung Surabaya Medan Semarang Makassar Palembang Denpasar Yogyakarta Malang Padang
Pekanbaru Balikpapan Samarinda Pontianak Banjarmasin Manado Kupang Mataram Jayapura Ambon Kendari Palu
Jambi Bengkulu Lampung Serang Bogor Depok Bekasi Tangerang Cirebon Tasikmalaya Solo Magelang Kediri Jember
Banyuwangi Madiun Tegal Pekalongan Cilacap Purwokerto Sukabumi Garut Karawang Batam Tanjungpinang
Pangkalpinang Ternate Sorong Merauke Gorontalo Mamuju Tarakan Singkawang Sampit Palangkaraya Bukittinggi""".split()
VILLAGE_HEADS = """Karang Suka Sido Tanjung Kali Sumber Banjar Cipa Muara Pasir Rawa Tegal Wono Jati Mekar Bukit
Air Batu Lubuk Teluk Gunung Sari Bojong Pondok Kebon Sungai Padang Labuhan Cinta Harjo""".split()
VILLAGE_SYLLABLES = """ma ja ra sa ta ri mu lyo rejo asih tirta wangi kar ya na di ga lo wi sem bo ngan
pa ku li ha ne ro ba da to su jo me la""".split()
DAYS_ID = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]

ID_TEMPLATES_ENTITY = [
    "Peristiwa itu terjadi di Desa {village}, Kecamatan {village2}, Kabupaten {city}, {day} ({date}).",
    "“Kami berharap pemerintah segera turun tangan,” kata {person}, warga Desa {village}, {day} ({date}).",
    "Kepala Desa {village}, {person}, membenarkan kejadian tersebut saat dikonfirmasi wartawan.",
    "Menurut {person}, persoalan di {village} sudah berlangsung sejak beberapa tahun terakhir.",
]
EN_TEMPLATES_ENTITY = [
    "The incident took place in {village} village, {city}, on {day_en}, {date_en}.",
    "\"We hope the government steps in soon,\" said {person}, a resident of {village}.",
    "{village} village head {person} confirmed the incident to reporters.",
    "According to {person}, the problems in {village} have gone on for several years.",
]


def corpus_dir() -> Path:
    return Path(os.environ.get("ARSIP_CORPUS") or ROOT.parent / "shared" / "corpus")


def _tokens(text: str, pattern: str = r"[^\W\d_]{2,}") -> list[str]:
    return re.findall(pattern, text)


def _ranked(counts: Counter, forms: dict[str, Counter]) -> list[str]:
    """Words by falling frequency, each in its most frequent spelling (Jakarta, DPR, warga)."""
    return [forms[w].most_common(1)[0][0] for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _prefix_men(root: str, men: str = "me") -> str:
    """meN-/peN- with the nasal assimilation of Indonesian (bangun -> membangun, tulis -> menulis)."""
    c = root[0]
    if c in "bfv":
        return men + "m" + root
    if c == "p":
        return men + "m" + root[1:]
    if c in "dcjz":
        return men + "n" + root
    if c == "t":
        return men + "n" + root[1:]
    if c == "s":
        return men + "ny" + root[1:]
    if c == "k":
        return men + "ng" + root[1:]
    if c in "gh" or c in "aiueo":
        return men + "ng" + root
    return men + root


def _affixed(root: str, rng: random.Random) -> list[str]:
    forms = [_prefix_men(root), _prefix_men(root) + "kan", _prefix_men(root) + "i", "di" + root, "di" + root + "kan",
             "ber" + root, "ter" + root, _prefix_men(root, "pe") + "an", "per" + root + "an", "ke" + root + "an",
             root + "an", root + "nya"]
    return rng.sample(forms, 6)


def indonesian_words(rng: random.Random) -> list[str]:
    """A few thousand Indonesian words, most frequent first: the corpus's, then affixed forms mixed into its tail."""
    counts: Counter = Counter()
    forms: dict[str, Counter] = {}
    texts: list[str] = []
    manifest = corpus_dir() / "id-news" / "manifest.json"
    if manifest.exists():
        for item in json.loads(manifest.read_text())["items"]:
            if item.get("language") == "id" and item.get("page_kind", "article") == "article":
                truth = item["ground_truth"]
                texts.append(" ".join(str(truth.get(k) or "") for k in ("title", "body_text", "content")))
    texts += [Path(p).read_text() for p in sorted(glob.glob(str(corpus_dir().parent / "seeds" / "*.txt")))]
    for text in texts:
        for word in _tokens(text):
            counts[word.lower()] += 1
            forms.setdefault(word.lower(), Counter())[word] += 1
    for word in FUNCTION_WORDS | set(ROOTS) | {c.lower() for c in CITIES}:  # whatever the corpus lacks
        if word not in counts:
            counts[word] = 1
            forms[word] = Counter({word.capitalize() if word.capitalize() in CITIES else word: 1})
    head = [w for w in _ranked(counts, forms) if counts[w.lower()] >= 2]
    tail = [w for w in _ranked(counts, forms) if counts[w.lower()] < 2]
    known = set(counts)
    derived = sorted({f for root in sorted(set(ROOTS)) for f in _affixed(root, rng) if f not in known})
    tail += derived
    rng.shuffle(tail)
    return head + tail


def english_words() -> list[str]:
    counts: Counter = Counter()
    forms: dict[str, Counter] = {}
    truth = corpus_dir() / "zyte-aeb" / "ground-truth.json"
    if truth.exists():
        for item in json.loads(truth.read_text()).values():
            for word in _tokens(item["articleBody"], r"[A-Za-z]{2,}"):
                counts[word.lower()] += 1
                forms.setdefault(word.lower(), Counter())[word] += 1
    if not counts:  # no corpus: enough words to run
        for word in "the of and to in a is that for on with as was by said it at from government people".split():
            counts[word] = 1
            forms[word] = Counter({word: 1})
    return _ranked(counts, forms)[:6000]


def villages(n: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        name = rng.choice(VILLAGE_HEADS) + "".join(rng.choice(VILLAGE_SYLLABLES) for _ in range(rng.randint(2, 3)))
        names.add(name[0] + name[1:].lower())
    return sorted(names)


TOPICS = 40  # per language; a story is about one
GENERAL_WORDS = 200  # the most frequent words of a language, used by every topic
TOPIC_WORDS = 250  # content words of one topic


def zipf_weights(n: int, offset: float = 1.5) -> list[float]:
    total, cum = 0.0, []
    for rank in range(n):
        total += 1.0 / (rank + offset)
        cum.append(total)
    return cum


def topics(words: list[str], rng: random.Random) -> list[list[str]]:
    """TOPICS lists of content words, each word in a few of them: what makes a word frequent in some stories only."""
    content = [w for w in words[GENERAL_WORDS // 2:] if w.lower() not in FUNCTION_WORDS and len(w) > 3]
    return [rng.sample(content, min(TOPIC_WORDS, len(content))) for _ in range(TOPICS)]


class SentenceMaker:
    """Sentences shaped like news prose: half the words from the language's most frequent ones, half from the
    topic's own, each drawn by Zipf's law."""

    def __init__(self, words: list[str], topic: list[str], lang: str, rng: random.Random):
        self.general, self.topic, self.lang, self.rng = words[:GENERAL_WORDS], topic, lang, rng
        self.general_cum, self.topic_cum = zipf_weights(len(self.general)), zipf_weights(len(topic), 3)

    def _words(self, n: int) -> str:
        general = sum(self.rng.random() < 0.5 for _ in range(n))
        words = (self.rng.choices(self.general, cum_weights=self.general_cum, k=general)
                 + self.rng.choices(self.topic, cum_weights=self.topic_cum, k=n - general))
        self.rng.shuffle(words)
        words[0] = words[0][0].upper() + words[0][1:]
        if n > 10 and self.rng.random() < 0.5:
            words[n // 2] += ","
        return " ".join(words)

    def sentence(self) -> str:
        rng, r = self.rng, self.rng.random()
        body = self._words(rng.randint(7, 21))
        person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if self.lang == "en":
            if r < 0.15:
                return f"\"{body},\" said {person}."
            if r < 0.3:
                return f"{body} by {rng.randint(2, 95)} percent."
            return body + "."
        if r < 0.15:
            return f"“{body},” kata {person}."
        if r < 0.25:
            unit = rng.choice(["miliar", "triliun", "juta"])
            return f"{body} sebesar Rp{rng.randint(1, 999)},{rng.randint(1, 9)} {unit}."
        if r < 0.32:
            return f"{body} sekitar {rng.randint(2, 95)} persen."
        if r < 0.4:
            date = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2023, 2024)}"
            return f"{body}, {rng.choice(DAYS_ID)} ({date})."
        return body + "."


# -- generating the catalog ------------------------------------------------------------


def with_dbname(url: str, dbname: str) -> str:
    if re.match(r"postgres(ql)?://", url):
        return urlunsplit(urlsplit(url)._replace(path="/" + dbname))
    return psycopg.conninfo.make_conninfo(url, dbname=dbname)


@contextmanager
def timed(step: str, times: dict[str, float]):
    start = time.perf_counter()
    yield
    times[step] = round(time.perf_counter() - start, 1)
    log(f"  {step}: {times[step]:.1f} s")


# Tables whose foreign keys and secondary indexes are dropped during the load.
LOADED = ("captures", "versions", "stories", "story_urls", "crawl_runs")


class Generator:
    def __init__(self, url: str, scale: float, seed: int, jobs: int):
        self.url, self.seed, self.jobs = url, seed, jobs
        self.stories = max(100, round(FULL_STORIES * scale))
        self.captures = max(500, round(FULL_CAPTURES * scale))
        self.rng = random.Random(seed)
        self.times: dict[str, float] = {}

    def connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, autocommit=True)
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET jit = off")
        conn.execute("SELECT setseed(%s)", (self.rng.random() * 2 - 1,))
        return conn

    def run(self) -> dict:
        log(f"generating {self.stories} stories, {self.captures} captures ...")
        start = time.perf_counter()
        with self.connect() as conn:
            with timed("words and sentence pool", self.times):
                self.load_words(conn)
            with timed("stories and versions staged", self.times):
                self.stage_stories(conn)
                self.stage_versions(conn)
            with timed("captures staged (WARC placement)", self.times):
                self.stage_captures(conn)
            constraints, indexes = self.drop_constraints(conn)
            with timed("catalog rows inserted (versions: text + tsvector)", self.times):
                self.parallel([self.insert_rows] + [lambda c, k=k: self.insert_versions(c, k, self.jobs * 2)
                                                    for k in range(self.jobs * 2)])
            with timed("indexes and foreign keys rebuilt", self.times):
                self.parallel([lambda c, d=d: c.execute(d) for d in indexes])
                for definition in constraints:
                    conn.execute(definition)
            with timed("vacuum analyze", self.times):
                conn.execute("DROP SCHEMA gen CASCADE")
                for table in ("captures", "versions", "stories", "crawl_runs"):
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT max(id) FROM {table}))")
                for table in ("captures", "versions", "stories", "story_urls", "crawl_runs", "outlets"):
                    conn.execute(f"VACUUM (ANALYZE) {table}")
            counts = self.counts(conn)
        counts["generate_s"] = round(time.perf_counter() - start, 1)
        counts["steps_s"] = self.times
        return counts

    def parallel(self, tasks) -> None:
        def run(task):
            with self.connect() as conn:
                task(conn)

        with ThreadPoolExecutor(self.jobs) as pool:
            for future in [pool.submit(run, task) for task in tasks]:
                future.result()

    # -- words ---------------------------------------------------------------------

    def load_words(self, conn) -> None:
        rng = self.rng
        id_words, en_words = indonesian_words(rng), english_words()
        self.vocabulary = {"id": len(id_words), "en": len(en_words), "topics": TOPICS, "topic_words": TOPIC_WORDS}
        # sentences per topic: each used by ~25 stories at full size
        per_topic = {"id": max(500, round(self.stories * 1.2 / TOPICS)),
                     "en": max(50, round(self.stories * 0.05 / TOPICS))}
        topic_words = {"id": topics(id_words, rng), "en": topics(en_words, rng)}
        conn.execute("DROP SCHEMA IF EXISTS gen CASCADE")
        conn.execute("CREATE SCHEMA gen")
        conn.execute("CREATE UNLOGGED TABLE gen.pool (id int PRIMARY KEY, lang text, s text)")
        conn.execute("CREATE UNLOGGED TABLE gen.tw (lang text, topic int, i int, word text, "
                     "PRIMARY KEY (lang, topic, i))")
        conn.execute("CREATE UNLOGGED TABLE gen.names (kind text, i int, name text, PRIMARY KEY (kind, i))")
        conn.execute("CREATE UNLOGGED TABLE gen.outlets (key text, name text, host text, lang text, lo float8, "
                     "hi float8, pattern text, dateline text, pool_lo int, per_topic int, tw_n int)")
        next_id, pool_lo = 1, {}
        with conn.cursor() as cur, cur.copy("COPY gen.pool (id, lang, s) FROM STDIN") as copy:
            for lang, words in (("id", id_words), ("en", en_words)):
                pool_lo[lang] = next_id
                for topic in topic_words[lang]:  # topic k's sentences: pool_lo + k * per_topic + [0, per_topic)
                    maker = SentenceMaker(words, topic, lang, rng)
                    for _ in range(per_topic[lang]):
                        copy.write_row((next_id, lang, maker.sentence()))
                        next_id += 1
        with conn.cursor() as cur, cur.copy("COPY gen.tw (lang, topic, i, word) FROM STDIN") as copy:
            for lang, topic_list in topic_words.items():
                for k, topic in enumerate(topic_list):
                    for i, word in enumerate(topic, 1):
                        copy.write_row((lang, k, i, word[0].upper() + word[1:]))
        names = {"person": sorted({f"{g} {f}" for g in GIVEN for f in FAMILY}), "city": CITIES,
                 "village": villages(max(2_000, self.stories // 10), rng)}
        with conn.cursor() as cur, cur.copy("COPY gen.names (kind, i, name) FROM STDIN") as copy:
            for kind, values in names.items():
                for i, name in enumerate(values, 1):
                    copy.write_row((kind, i, name))
        total, lo = sum(o[4] for o in OUTLETS), 0.0
        for key, name, host, lang, share, pattern, dateline in OUTLETS:
            hi = lo + share / total
            conn.execute("INSERT INTO gen.outlets VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                         (key, name, host, lang, lo, 1.0 if key == OUTLETS[-1][0] else hi, pattern, dateline,
                          pool_lo[lang], per_topic[lang], len(topic_words[lang][0])))
            lo = hi
        self.names = {k: len(v) for k, v in names.items()}
        self.templates = {"id": ID_TEMPLATES_ENTITY, "en": EN_TEMPLATES_ENTITY}
        conn.execute("ANALYZE gen.pool")

    # -- stories and versions ----------------------------------------------------------

    def stage_stories(self, conn) -> None:
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.b AS
            SELECT g, random() AS r_out, random() AS r_nv, random() AS r_title, random() AS r_urls,
                   timestamptz '2023-01-01 00:00+00' + random() * interval '730 days' AS first_seen,
                   20 + floor(random() * 21)::int AS l, 2 + floor(random() * 3)::int AS ps,
                   5 + floor(random() * 6)::int AS nt,
                   1 + floor(random() * %(people)s)::int AS p1, 1 + floor(random() * %(people)s)::int AS p2,
                   1 + floor(random() * %(people)s)::int AS reporter,
                   1 + floor(random() * %(villages)s)::int AS v1, 1 + floor(random() * %(villages)s)::int AS v2,
                   1 + floor(random() * %(cities)s)::int AS c1,
                   floor(random() * 4)::int AS t1, floor(random() * 4)::int AS t2,
                   floor(random() * %(topics)s)::int AS topic
            FROM generate_series(1, %(stories)s) g
            """, {"stories": self.stories, "people": self.names["person"], "villages": self.names["village"],
                  "cities": self.names["city"], "topics": TOPICS})
        # title words from the story's topic, by a flattened Zipf law (log-uniform rank + 5)
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.titles AS
            SELECT t.g, string_agg(w.word, ' ' ORDER BY t.k) AS words
            FROM (SELECT b.g, b.topic, k, o.lang, floor(exp(ln(6) + random() * (ln(o.tw_n + 6) - ln(6))))::int - 5 AS i
                  FROM gen.b b JOIN gen.outlets o ON b.r_out >= o.lo AND b.r_out < o.hi,
                       generate_series(1, b.nt) k) t
            JOIN gen.tw w ON w.lang = t.lang AND w.topic = t.topic AND w.i = t.i
            GROUP BY t.g
            """)
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.st AS
            SELECT row_number() OVER (ORDER BY b.first_seen, b.g) AS id, b.*, o.key AS outlet, o.lang, o.host,
                   o.pool_lo + b.topic * o.per_topic AS pool_lo, o.per_topic AS pool_n,
                   CASE o.lang WHEN 'id' THEN 'indonesian' ELSE 'english' END::regconfig AS cfg,
                   CASE WHEN b.r_nv < .83 THEN 1 WHEN b.r_nv < .94 THEN 2 WHEN b.r_nv < .97 THEN 3
                        WHEN b.r_nv < .985 THEN 4 WHEN b.r_nv < .995 THEN 5 ELSE 6 END AS nv,
                   1000000 + b.g * 7 AS aid,
                   p1.name AS person, p2.name AS person2, rp.name AS byline, v1.name AS village,
                   v2.name AS village2, c1.name AS city,
                   CASE WHEN b.r_title < .25 THEN t.words || CASE o.lang WHEN 'id' THEN ' di ' ELSE ' in ' END
                                                          || v1.name
                        WHEN b.r_title < .45 THEN split_part(p1.name, ' ', 2) || ' ' || t.words
                        ELSE t.words END AS title,
                   upper(c1.name) || ', ' || o.dateline || ' - ' AS dateline,
                   to_char(b.first_seen AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')
                       AS published,
                   (ARRAY['Minggu','Senin','Selasa','Rabu','Kamis','Jumat','Sabtu'])
                       [extract(dow FROM b.first_seen AT TIME ZONE 'Asia/Jakarta')::int + 1] AS day,
                   to_char(b.first_seen AT TIME ZONE 'Asia/Jakarta', 'FMDD/FMMM/YYYY') AS date,
                   o.pattern
            FROM gen.b b JOIN gen.outlets o ON b.r_out >= o.lo AND b.r_out < o.hi
            JOIN gen.titles t ON t.g = b.g
            JOIN gen.names p1 ON p1.kind = 'person' AND p1.i = b.p1
            JOIN gen.names p2 ON p2.kind = 'person' AND p2.i = b.p2
            JOIN gen.names rp ON rp.kind = 'person' AND rp.i = b.reporter
            JOIN gen.names v1 ON v1.kind = 'village' AND v1.i = b.v1
            JOIN gen.names v2 ON v2.kind = 'village' AND v2.i = b.v2
            JOIN gen.names c1 ON c1.kind = 'city' AND c1.i = b.c1
            """)
        # URLs, the two sentences about the story's own people and places, the sentence list
        id_t, en_t = self.templates["id"], self.templates["en"]
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.s AS
            SELECT st.*, replace(replace(replace(st.pattern, '{aid}', st.aid::text),
                                 '{ymd}', to_char(st.first_seen, 'YYYY/MM/DD')),
                                 '{slug}', left(trim(both '-' FROM lower(regexp_replace(st.title, '[^A-Za-z0-9]+',
                                                                                         '-', 'g'))), 80)) AS url,
                   e.ent1, e.ent2,
                   ARRAY(SELECT CASE WHEN k = 2 THEN -1 WHEN k = st.l / 2 + 1 THEN -2
                                     ELSE st.pool_lo + floor(random() * st.pool_n)::int END
                         FROM generate_series(1, st.l + 0 * st.id) k) AS sents,
                   st.pool_lo + floor(random() * st.pool_n)::int AS lede_id
            FROM gen.st st,
            LATERAL (SELECT fill(tpl1, st) AS ent1, fill(tpl2, st) AS ent2
                     FROM (SELECT CASE st.lang WHEN 'id' THEN (%(id)s::text[])[st.t1 + 1]
                                               ELSE (%(en)s::text[])[st.t1 + 1] END AS tpl1,
                                  CASE st.lang WHEN 'id' THEN (%(id)s::text[])[st.t2 + 1]
                                               ELSE (%(en)s::text[])[st.t2 + 1] END AS tpl2) tpl) e
            """.replace("fill(tpl1, st)", self._fill("tpl1")).replace("fill(tpl2, st)", self._fill("tpl2")),
            {"id": id_t, "en": en_t})
        conn.execute("ALTER TABLE gen.s ADD PRIMARY KEY (id)")
        conn.execute("ANALYZE gen.s")

    @staticmethod
    def _fill(template: str) -> str:
        expr = template
        for key, value in (("{village}", "st.village"), ("{village2}", "st.village2"), ("{city}", "st.city"),
                           ("{person}", "st.person2"), ("{day}", "st.day"), ("{date}", "st.date"),
                           ("{day_en}", "to_char(st.first_seen, 'FMDay')"),
                           ("{date_en}", "to_char(st.first_seen, 'FMMonth FMDD, YYYY')")):
            expr = f"replace({expr}, '{key}', {value})"
        return expr

    def stage_versions(self, conn) -> None:
        # Each later version edits the one before: a sentence reworded (sometimes with the headline or a
        # correction notice), a sentence added, or one dropped.
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.vv AS
            WITH RECURSIVE vv (story_id, number, sents, title, lede_id, notes, changes, silent) AS (
                SELECT id, 1, sents, title, lede_id, '[]'::jsonb, NULL::jsonb, false FROM gen.s
                UNION ALL
                SELECT vv.story_id, vv.number + 1,
                       CASE WHEN e.kind = 'added' THEN vv.sents || e.new_id
                            WHEN e.kind = 'removed' THEN vv.sents[:e.pos - 1] || vv.sents[e.pos + 1:]
                            ELSE vv.sents[:e.pos - 1] || e.new_id || vv.sents[e.pos + 1:] END,
                       CASE WHEN e.kind = 'headline' THEN vv.title || ' ' || split_part(np.s, ' ', 2)
                            ELSE vv.title END,
                       vv.lede_id,
                       CASE WHEN e.kind = 'notice' THEN vv.notes || jsonb_build_array(
                            CASE WHEN s.lang = 'id' THEN 'Koreksi: ' ELSE 'Correction: ' END || np.s)
                            ELSE vv.notes END,
                       CASE e.kind
                         WHEN 'added' THEN jsonb_build_array(jsonb_build_object(
                           'kind', 'body_added', 'count', 1, 'sentences', jsonb_build_array(np.s),
                           'paragraphs', '[]'::jsonb))
                         WHEN 'removed' THEN jsonb_build_array(jsonb_build_object(
                           'kind', 'body_removed', 'count', 1, 'sentences', jsonb_build_array(op.s),
                           'paragraphs', '[]'::jsonb))
                         ELSE (CASE e.kind WHEN 'headline' THEN jsonb_build_array(jsonb_build_object(
                                 'kind', 'headline', 'old', vv.title,
                                 'new', vv.title || ' ' || split_part(np.s, ' ', 2), 'labels', '["wording"]'::jsonb))
                                           WHEN 'notice' THEN jsonb_build_array(jsonb_build_object(
                                 'kind', 'correction_notice', 'notes', jsonb_build_array(np.s)))
                                           ELSE '[]'::jsonb END)
                              || jsonb_build_array(jsonb_build_object(
                                 'kind', 'body_edited', 'count', 1, 'sentences', jsonb_build_array(jsonb_build_object(
                                   'old', op.s, 'new', np.s, 'labels', '["wording"]'::jsonb)),
                                 'labels', '["wording"]'::jsonb, 'dates_changed', false, 'numbers_changed', false))
                       END,
                       e.kind IN ('edited', 'removed', 'headline')
                FROM vv JOIN gen.s s ON s.id = vv.story_id AND vv.number < s.nv
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN r < .5 THEN 'edited' WHEN r < .7 THEN 'added'
                                WHEN r < .75 AND cardinality(vv.sents) > 12 THEN 'removed'
                                WHEN r < .92 THEN 'headline' ELSE 'notice' END AS kind,
                           3 + floor(random() * (cardinality(vv.sents) - 2))::int AS pos,
                           s.pool_lo + floor(random() * s.pool_n)::int AS new_id
                    FROM (SELECT random() + 0 * vv.number AS r) rr) e
                LEFT JOIN gen.pool np ON np.id = e.new_id
                LEFT JOIN gen.pool op ON op.id = vv.sents[e.pos]
            )
            SELECT vv.*, 1 + floor(random() * 5.2)::int AS m FROM vv
            """)
        conn.execute("ALTER TABLE gen.vv ADD PRIMARY KEY (story_id, number)")
        conn.execute("ANALYZE gen.vv")

    # -- captures ------------------------------------------------------------------------

    def stage_captures(self, conn) -> None:
        linked = conn.execute("SELECT sum(m) FROM gen.vv").fetchone()[0]
        others = max(0, self.captures - linked)
        # the fetches of versions: a response, then revisits while the story is rechecked with back-off
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.cap AS
            WITH vc AS (SELECT story_id, number, m, sum(m) OVER (PARTITION BY story_id ORDER BY number) - m AS before
                        FROM gen.vv)
            SELECT s.outlet, s.host, s.url, vc.story_id, vc.number AS vnumber, j,
                   s.first_seen + make_interval(mins => (n * n * 90 + n * 30)::int)
                       + CASE WHEN n > 0 THEN random() * interval '20 min' ELSE interval '0' END AS fetched_at,
                   s.first_seen + make_interval(mins => (vc.before * vc.before * 90 + vc.before * 30)::int)
                       AS version_fetched_at,
                   CASE WHEN j = 0 THEN 'response' ELSE 'revisit' END AS record_type,
                   200 AS status, NULL::text AS location,
                   CASE WHEN j = 0 THEN 15000 + floor(random() * 70000)::int
                        ELSE 550 + floor(random() * 300)::int END AS warc_length,
                   'sha1:' || upper(left(md5(vc.story_id || ':' || vc.number), 32)) AS payload_digest,
                   CASE WHEN j = 0 THEN 'version' ELSE 'unchanged' END AS ingest_status, NULL::text AS ingest_reason
            FROM vc JOIN gen.s s ON s.id = vc.story_id, generate_series(0, vc.m - 1) j,
                 LATERAL (SELECT vc.before + j AS n) nn
            """)
        # topic pages, robots.txt, and fetches of stories that made no version (gone, moved, broken, refused)
        conn.execute(
            """
            INSERT INTO gen.cap
            SELECT o.outlet, o.host, o.url, o.story_id, NULL, 0, o.fetched_at, NULL, o.record_type, o.status,
                   o.location, o.warc_length,
                   'sha1:' || upper(left(md5(o.url || o.fetched_at::text), 32)), o.ingest_status, o.ingest_reason
            FROM (
                SELECT k.kind, coalesce(s.outlet, ot.key) AS outlet, coalesce(s.host, ot.host) AS host,
                       CASE k.kind WHEN 'topic' THEN 'https://' || ot.host || '/' || sec.name || '?page='
                                                     || (1 + floor(r3 * 20)::int)
                                   WHEN 'robots' THEN 'https://' || ot.host || '/robots.txt'
                                   WHEN 'tag' THEN 'https://' || ot.host || '/tag/' || lower(sec.name)
                                   ELSE s.url END AS url,
                       CASE WHEN k.kind IN ('topic', 'robots', 'tag') THEN NULL ELSE s.id END AS story_id,
                       CASE WHEN k.kind IN ('topic', 'robots', 'tag')
                            THEN timestamptz '2023-01-01 00:00+00' + r3 * interval '730 days'
                            ELSE s.first_seen + r3 * interval '90 days' END AS fetched_at,
                       CASE WHEN k.kind = 'revisit' THEN 'revisit' ELSE 'response' END AS record_type,
                       CASE k.kind WHEN 'gone' THEN 404 WHEN 'moved' THEN 301 WHEN 'error' THEN 503 ELSE 200 END
                           AS status,
                       CASE WHEN k.kind = 'moved' THEN s.url || '?page=all' END AS location,
                       CASE WHEN k.kind IN ('topic', 'tag') THEN 20000 + floor(r3 * 40000)::int
                            WHEN k.kind = 'refused' THEN 3000 + floor(r3 * 9000)::int
                            ELSE 300 + floor(r3 * 900)::int END AS warc_length,
                       CASE k.kind WHEN 'gone' THEN 'gone' WHEN 'moved' THEN 'redirect'
                                   WHEN 'error' THEN 'server_error' WHEN 'refused' THEN 'refused'
                                   ELSE 'not_article' END AS ingest_status,
                       CASE k.kind WHEN 'refused' THEN 'error_page' END AS ingest_reason
                FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4
                      FROM generate_series(1, %(others)s) g) x
                CROSS JOIN LATERAL (SELECT CASE WHEN x.r1 < .55 THEN 'topic' WHEN x.r1 < .58 THEN 'robots'
                                                WHEN x.r1 < .68 THEN 'gone' WHEN x.r1 < .76 THEN 'moved'
                                                WHEN x.r1 < .82 THEN 'error' WHEN x.r1 < .92 THEN 'refused'
                                                ELSE 'tag' END AS kind) k
                JOIN gen.outlets ot ON x.r4 >= ot.lo AND x.r4 < ot.hi
                JOIN gen.s s ON s.id = 1 + floor(x.r2 * %(stories)s)::int
                JOIN (SELECT ordinality - 1 AS i, name FROM unnest(%(sections)s::text[]) WITH ORDINALITY name) sec
                     ON sec.i = floor(x.r3 * 1000)::int %% %(nsections)s
            ) o
            """, {"others": others, "stories": self.stories, "sections": SECTIONS, "nsections": len(SECTIONS)})
        # ids in fetch order; one WARC file per outlet and day, records one after another behind a warcinfo
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.c AS
            SELECT row_number() OVER (ORDER BY fetched_at, url, j) AS id, c.*,
                   c.outlet || to_char(c.fetched_at, 'YYYYMMDD') AS file_key,
                   '<urn:uuid:' || gen_random_uuid() || '>' AS record_id
            FROM gen.cap c
            """)
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.cw AS
            SELECT c.*, 'arsip-' || to_char(min(fetched_at) OVER w, 'YYYYMMDDHH24MISS') || '-00000-crawler1-'
                        || (10000 + abs(hashtext(file_key)) % 50000) || '.warc.gz' AS warc_file,
                   410 + sum(warc_length + 420) OVER (w ORDER BY id ROWS UNBOUNDED PRECEDING) - warc_length - 420
                       AS warc_offset,
                   dense_rank() OVER (ORDER BY file_key) AS run_id
            FROM gen.c c WINDOW w AS (PARTITION BY file_key)
            """)
        conn.execute(
            """
            CREATE UNLOGGED TABLE gen.vid AS
            SELECT story_id, vnumber AS number, row_number() OVER (ORDER BY min(id)) AS vid,
                   min(id) AS first_id, max(id) AS last_id, min(fetched_at) AS first_seen, max(fetched_at) AS last_seen
            FROM gen.c WHERE vnumber IS NOT NULL GROUP BY story_id, vnumber
            """)
        conn.execute("ALTER TABLE gen.vid ADD PRIMARY KEY (story_id, number)")
        conn.execute("ANALYZE gen.cw")
        conn.execute("ANALYZE gen.vid")

    # -- the catalog's own tables -----------------------------------------------------------

    def drop_constraints(self, conn) -> tuple[list[str], list[str]]:
        """Drop the foreign keys and secondary indexes of the loaded tables; return what re-creates them."""
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", (list(LOADED),)).fetchall()
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", (list(LOADED),)).fetchall()
        for table, name, _ in constraints:
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table),
                                                                             sql.Identifier(name)))
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        return ([f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition in constraints],
                [definition for _, definition in sorted(indexes, key=lambda i: "search" not in i[0])])

    def insert_rows(self, conn) -> None:
        save_outlets(conn, [{"key": key, "name": name, "domains": [host], "language": lang,
                             "topics": [f"https://{host}/"]} for key, name, host, lang, *_ in OUTLETS])
        conn.execute(
            """
            INSERT INTO crawl_runs (id, outlet, started_at, finished_at, host, pid, recheck, status, pages_fetched,
                                    new_captures, revisits, errors)
            SELECT run_id, min(outlet), min(fetched_at), max(fetched_at) + interval '2 min', 'crawler1',
                   10000 + abs(hashtext(min(file_key))) % 50000, false, 'finished', count(*),
                   count(*) FILTER (WHERE record_type = 'response'), count(*) FILTER (WHERE record_type = 'revisit'),
                   count(*) FILTER (WHERE status >= 400)
            FROM gen.cw GROUP BY run_id
            """)
        conn.execute(
            """
            INSERT INTO stories (id, outlet, story_key, url, title, language, first_seen, last_seen, status)
            SELECT s.id, s.outlet, CASE WHEN s.outlet IN ('tribunnews', 'suara', 'inews', 'jakartapost')
                                        THEN 'url:' || s.url ELSE 'id:' || s.aid END,
                   s.url, lv.title, s.lang, s.first_seen, greatest(lv.last_seen, oc.last_seen),
                   CASE WHEN oc.gone THEN 'deleted' ELSE 'live' END
            FROM gen.s s
            JOIN LATERAL (SELECT v.title, vi.last_seen FROM gen.vv v JOIN gen.vid vi USING (story_id, number)
                          WHERE v.story_id = s.id ORDER BY v.number DESC LIMIT 1) lv ON true
            LEFT JOIN (SELECT story_id, max(fetched_at) AS last_seen, bool_or(status = 404) AS gone
                       FROM gen.cw WHERE vnumber IS NULL AND story_id IS NOT NULL GROUP BY story_id) oc
                 ON oc.story_id = s.id
            """)
        # the columns the catalog writes a capture with, and what ingest made of it
        columns = ", ".join(("id", *CAPTURE_COLUMNS, "crawl_run_id", "story_id", "version_id", "ingest_status",
                             "ingest_reason"))
        conn.execute(
            f"INSERT INTO captures ({columns}) SELECT {columns} FROM ("
            """
            SELECT c.id, c.record_id, c.record_type, c.url, c.host, c.outlet, c.fetched_at, c.status,
                   CASE WHEN c.url LIKE '%/robots.txt' THEN 'text/plain'
                        WHEN c.status = 301 THEN NULL ELSE 'text/html; charset=UTF-8' END AS content_type,
                   c.location, c.warc_file, c.warc_offset, c.warc_length, c.payload_digest,
                   CASE WHEN c.record_type = 'revisit' THEN c.url END AS refers_to_uri,
                   CASE WHEN c.record_type = 'revisit' THEN c.version_fetched_at END AS refers_to_date,
                   '<urn:uuid:' || gen_random_uuid() || '>' AS request_record_id, 'GET' AS request_method,
                   CASE WHEN c.url NOT LIKE '%/robots.txt' THEN 'https://' || c.host || '/' END AS referrer,
                   c.run_id AS crawl_run_id, c.story_id, vi.vid AS version_id, c.ingest_status, c.ingest_reason
            FROM gen.cw c LEFT JOIN gen.vid vi ON vi.story_id = c.story_id AND vi.number = c.vnumber
            ) AS c ORDER BY id
            """)
        # every URL a story was seen at: its own, and for some an AMP copy or an old slug
        conn.execute(
            """
            INSERT INTO story_urls (url, story_id)
            SELECT url, id FROM gen.s
            UNION ALL
            SELECT CASE WHEN r_urls < .15 THEN url || '?amp=1' ELSE url || '-lama' END, id
            FROM gen.s WHERE r_urls < .25
            UNION ALL
            SELECT url || '?page=all', id FROM gen.s WHERE r_urls > .95
            """)

    def insert_versions(self, conn, part: int, parts: int) -> None:
        """Every `parts`-th story's versions, written (with their search vectors) as ingest writes them."""
        insert_versions(conn, """(
            SELECT vi.vid AS id, v.story_id, v.number,
                   'sha256:' || encode(sha256(convert_to(concat_ws(chr(31), v.title, lede.s, s.byline, t.text,
                                                                   v.notes::text), 'UTF8')), 'hex') AS content_hash,
                   v.title, lede.s AS lede, s.byline, s.published,
                   CASE WHEN v.number > 1 THEN to_char(vi.first_seen AT TIME ZONE 'Asia/Jakarta',
                                                       'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') END AS modified,
                   t.paragraphs, '[]'::jsonb AS captions, v.notes, v.changes, v.silent AS silent_edit,
                   vi.first_id AS first_capture_id, vi.last_id AS last_capture_id, vi.first_seen, vi.last_seen,
                   s.cfg AS config,
                   coalesce((SELECT string_agg(n, E'\\n') FROM jsonb_array_elements_text(v.notes) n), '')
                       AS notes_text,
                   NULL::tsvector AS search
            FROM gen.vv v JOIN gen.s s ON s.id = v.story_id JOIN gen.vid vi USING (story_id, number)
            JOIN gen.pool lede ON lede.id = v.lede_id
            CROSS JOIN LATERAL (
                SELECT jsonb_agg(p ORDER BY para) AS paragraphs, string_agg(p, E'\\n\\n' ORDER BY para) AS text
                FROM (SELECT para, string_agg(sentence, ' ' ORDER BY ord) AS p
                      FROM (SELECT (u.ord - 1) / s.ps AS para, u.ord,
                                   CASE WHEN u.ord = 1 THEN s.dateline ELSE '' END
                                   || CASE WHEN u.sid = -1 THEN s.ent1 WHEN u.sid = -2 THEN s.ent2
                                           ELSE (SELECT p.s FROM gen.pool p WHERE p.id = u.sid) END AS sentence
                            FROM unnest(v.sents) WITH ORDINALITY u(sid, ord)) x
                      GROUP BY para) y) t
            WHERE v.story_id %% %(parts)s = %(part)s) AS u""", {"part": part, "parts": parts})

    def counts(self, conn) -> dict:
        row = conn.execute(
            """
            SELECT (SELECT count(*) FROM captures), (SELECT count(*) FROM captures WHERE version_id IS NOT NULL),
                   (SELECT count(*) FROM stories), (SELECT count(*) FROM versions),
                   (SELECT max(number) FROM versions), (SELECT count(*) FROM story_urls),
                   (SELECT count(DISTINCT warc_file) FROM captures),
                   (SELECT round(avg(array_length(regexp_split_to_array(text, '\\s+'), 1))) FROM
                       (SELECT version_text(paragraphs) AS text FROM versions TABLESAMPLE SYSTEM (2)) t),
                   pg_database_size(current_database()),
                   pg_total_relation_size('versions'), pg_total_relation_size('captures'),
                   pg_relation_size('versions_search')
            """).fetchone()
        keys = ["captures", "captures_with_version", "stories", "versions", "max_versions_per_story", "story_urls",
                "warc_files", "words_per_body", "db_bytes", "versions_bytes", "captures_bytes", "search_index_bytes"]
        counts = dict(zip(keys, row))
        counts["words_per_body"] = int(counts["words_per_body"] or 0)
        counts["vocabulary"] = getattr(self, "vocabulary", None)
        return counts



# -- measuring ---------------------------------------------------------------------------


def summary(ms: list[float]) -> dict:
    """n, p50, p95, p99 (nearest rank), mean and max of a list of milliseconds."""
    if not ms:
        return {"n": 0}
    ordered = sorted(ms)

    def rank(p: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]

    return {"n": len(ms), "p50": round(statistics.median(ordered), 2), "p95": round(rank(95), 2),
            "p99": round(rank(99), 2), "mean": round(statistics.fmean(ordered), 2), "max": round(ordered[-1], 2)}


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


class Bench:
    """Timings on one catalog database."""

    def __init__(self, url: str, seed: int):
        self.url = url
        self.rng = random.Random(seed + 1)
        self.data_dir = Path(tempfile.mkdtemp(prefix="arsip-bench-"))
        self.catalog = open_catalog(Config(data_dir=self.data_dir, database_url=url, outlets_file=None))
        self.admin = psycopg.connect(url, autocommit=True)

    def close(self) -> None:
        self.catalog.close()
        self.admin.close()

    # -- versions -----------------------------------------------------------------------

    def story_refs(self, n: int) -> tuple[list[str], list[str]]:
        """`n` random story ids, and `n` random URLs stories were seen at (a fifth with tracking parameters)."""
        top = self.admin.execute("SELECT max(id) FROM stories").fetchone()[0]
        ids = [str(self.rng.randint(1, top)) for _ in range(n)]
        self.admin.execute("SELECT setseed(%s)", (self.rng.random(),))
        urls = [row[0] for row in self.admin.execute(
            "SELECT url FROM story_urls ORDER BY random() LIMIT %s", (n,))]
        urls = [u + ("&" if "?" in u else "?") + "utm_source=facebook&utm_medium=social"
                if self.rng.random() < 0.2 else u for u in urls]
        return ids, urls

    def versions_once(self, conn, ref: str) -> int:
        story = find_story(conn, ref)
        return len(versions_of(conn, story["id"]))

    def time_versions(self, refs: list[str]) -> list[float]:
        """find_story + versions_of, each sample on a pooled connection in its own transaction, as the CLI does."""
        for ref in refs[:20]:  # warm the pool and the plan caches
            with self.catalog.connection() as conn:
                self.versions_once(conn, ref)
        times = []
        for ref in refs:
            start = time.perf_counter()
            with self.catalog.connection() as conn:
                self.versions_once(conn, ref)
            times.append(_ms(start))
        return times

    def time_versions_without(self, index: str, refs: list[str]) -> list[float]:
        """The same, with `index` dropped inside one transaction that is rolled back: the catalog before it."""
        times = []
        with self.catalog.connection() as conn:
            exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (index,)).fetchone()[0]
            if not exists:
                return []
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index)))
            for ref in refs:
                start = time.perf_counter()
                self.versions_once(conn, ref)
                times.append(_ms(start))
            conn.rollback()
        return times

    # -- search ---------------------------------------------------------------------------

    def matches(self, text: str) -> int:
        return count_matches(self.admin, text)

    def fuzzy_matches(self, text: str) -> int:
        return self.admin.execute("SELECT count(*) FROM stories WHERE %s <%% title", (text,)).fetchone()[0]

    def search_queries(self, per_kind: int) -> dict[str, list[str]]:
        """Queries of each kind, made from the catalog's own words (untimed)."""
        rng = self.rng
        ranked = [w.lower() for w in indonesian_words(random.Random(1))[:GENERAL_WORDS]]
        general = set(ranked)

        def content(word: str) -> bool:
            return len(word) > 4 and word.isalpha() and word not in FUNCTION_WORDS and word not in general

        # in most versions: the language's most frequent words that are not function words
        very_common = [w for w in ranked if len(w) > 4 and w.isalpha() and w not in FUNCTION_WORDS][:per_kind]
        # in a few percent of versions: the words that head the most headlines (a topic's own words)
        heads = [row[0] for row in self.admin.execute(
            "SELECT lower(w) FROM stories, regexp_split_to_table(title, '\\s+') w WHERE language = 'id' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 400")]
        common = [w for w in heads if content(w)][:per_kind]
        self.admin.execute("SELECT setseed(%s)", (rng.random(),))
        two = []  # two words of one headline
        for (title,) in self.admin.execute(
                "SELECT title FROM stories WHERE language = 'id' ORDER BY random() LIMIT %s", (per_kind * 5,)):
            words = list(dict.fromkeys(w.lower() for w in title.split() if content(w.lower())))
            if len(words) >= 2 and len(two) < per_kind:
                two.append(" ".join(rng.sample(words, 2)))
        texts = [row[0] for row in self.admin.execute(
            "SELECT version_text(paragraphs) FROM versions "
            "WHERE id IN (SELECT (1 + random() * (SELECT max(id) - 1 FROM versions))::int "
            "FROM generate_series(1, %s))", (per_kind * 4,))]
        phrases, stress, rare = [], [], []
        for text in texts:
            tokens = [t.lower() for t in re.findall(r"[^\W\d_]+|\S", text)]
            pairs = list(zip(tokens, tokens[1:]))
            # a person's name, or two words of the story's topic, side by side
            names = re.findall(r"kata ([A-Z][a-z]+ [A-Z][a-z]+)", text)
            topical = [f"{a} {b}" for a, b in pairs if content(a) and content(b)]
            pick = names if len(phrases) % 2 == 0 and names else topical
            if pick and len(phrases) < per_kind:
                phrases.append(f'"{rng.choice(pick).lower()}"')
            # one of the two words in most versions: every version with both must be read to check
            heavy = [f"{a} {b}" for a, b in pairs if a.isalpha() and b.isalpha() and len(a) > 3 and len(b) > 3
                     and (a in general) != (b in general) and a not in FUNCTION_WORDS and b not in FUNCTION_WORDS]
            if heavy and len(stress) < per_kind:
                stress.append(f'"{rng.choice(heavy)}"')
            village = re.search(r"Desa ([A-Z][a-z]+)", text)
            if village and len(rare) < per_kind and village[1] not in rare:
                rare.append(village[1])
        misspelt: list[str] = []
        titles = [row[0] for row in self.admin.execute(
            "SELECT title FROM stories WHERE language = 'id' ORDER BY random() LIMIT %s", (per_kind * 20,))]
        for title in titles:
            if len(misspelt) >= per_kind:
                break
            candidates = [w for w in title.split() if len(w) >= 8 and w.isalpha()]
            if not candidates:
                continue
            word = rng.choice(candidates).lower()
            i = rng.randint(2, len(word) - 3)
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            if typo != word and self.matches(typo) == 0 and self.fuzzy_matches(typo) > 0:
                misspelt.append(typo)
        nothing = []
        while len(nothing) < per_kind:
            word = "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aiueo") for _ in range(4)) + "q"
            if self.matches(word) == 0 and self.fuzzy_matches(word) == 0:
                nothing.append(word)
        return {"very common word": very_common, "common word": common, "two words": two, "quoted phrase": phrases,
                "rare word": rare, "misspelt title word": misspelt, "no match": nothing, STRESS: stress}

    def time_search(self, queries: dict[str, list[str]]) -> dict[str, dict]:
        for text in [q for qs in queries.values() for q in qs[:2]]:  # warm up
            with self.catalog.connection() as conn:
                search_versions(conn, text)
        results = {}
        for kind, texts in queries.items():
            times, hits = [], []
            for text in texts:
                start = time.perf_counter()
                with self.catalog.connection() as conn:
                    found = search_versions(conn, text)
                times.append(_ms(start))
                hits.append(len(found))
            results[kind] = {"times": times, "hits": hits}
        return results

    def time_search_baseline(self, queries: dict[str, list[str]], per_kind: int) -> list[float]:
        """The obvious search: ILIKE over the title and paragraphs of every version (no index), newest first."""
        times = []
        for kind, texts in queries.items():
            for text in texts[:per_kind]:
                words = text.strip('"').split() if not text.startswith('"') else [text.strip('"')]
                where = " AND ".join(["(v.title ILIKE %s OR v.paragraphs::text ILIKE %s)"] * len(words))
                params = [p for w in words for p in (f"%{w}%", f"%{w}%")]
                start = time.perf_counter()
                with self.catalog.connection() as conn:
                    conn.execute(
                        "SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen "
                        f"FROM versions v JOIN stories s ON s.id = v.story_id WHERE {where} "
                        "ORDER BY v.first_seen DESC LIMIT 200", params).fetchall()
                times.append(_ms(start))
        return times

    # -- the whole command ------------------------------------------------------------------

    def time_cli(self, args_list: list[list[str]]) -> list[float]:
        arsip = Path(sys.executable).parent / "arsip"
        command = [str(arsip)] if arsip.exists() else [sys.executable, "-m", "archive.cli"]
        env = dict(os.environ, ARSIP_DATABASE_URL=self.url, ARSIP_DATA_DIR=str(self.data_dir))
        times = []
        for args in args_list:
            start = time.perf_counter()
            subprocess.run(command + args, env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(_ms(start))
        return times


# -- the run -------------------------------------------------------------------------------


def measure(bench: Bench, args) -> dict:
    result: dict = {}
    ids, urls = bench.story_refs(args.samples)
    log(f"timing versions: {len(ids)} story ids, {len(urls)} story URLs ...")
    result["versions_by_id"] = summary(bench.time_versions(ids))
    result["versions_by_url"] = summary(bench.time_versions(urls))
    log(f"timing versions without captures_story (baseline), {args.baseline_samples} samples ...")
    result["versions_baseline"] = summary(bench.time_versions_without("captures_story", ids[:args.baseline_samples]))
    log("making search queries ...")
    queries = bench.search_queries(args.search_samples)
    result["search_queries"] = {kind: texts[:5] for kind, texts in queries.items()}
    result["search_matches"] = {kind: statistics.median(bench.matches(t) for t in texts) if texts else 0
                                for kind, texts in queries.items()}
    log(f"timing search: {sum(len(t) for t in queries.values())} queries ...")
    timed_search = bench.time_search(queries)
    result["search"] = {kind: dict(summary(r["times"]), hits=statistics.median(r["hits"]) if r["hits"] else 0)
                        for kind, r in timed_search.items()}
    result["search_all"] = summary([t for kind, r in timed_search.items() if kind != STRESS for t in r["times"]])
    result["search_all_with_stress"] = summary([t for r in timed_search.values() for t in r["times"]])
    log(f"timing search baseline (ILIKE, no index), {args.ilike_samples} per kind ...")
    result["search_baseline"] = summary(bench.time_search_baseline(
        {kind: texts for kind, texts in queries.items() if kind != STRESS}, args.ilike_samples))
    if args.cli:
        log(f"timing the CLI, {args.cli} runs each ...")
        result["cli_versions"] = summary(bench.time_cli([["versions", i, "--json"] for i in ids[:args.cli]]))
        picks = [q for texts in queries.values() for q in texts[:1]]
        result["cli_search"] = summary(bench.time_cli([["search", picks[i % len(picks)], "--json"]
                                                       for i in range(args.cli)]))
    by_id, base = result["versions_by_id"], result["versions_baseline"]
    result["ratio_versions_p50"] = round(by_id["p50"] / base["p50"], 4) if base.get("n") else None
    result["ratio_search_p50"] = round(result["search_all"]["p50"] / result["search_baseline"]["p50"], 4) \
        if result["search_baseline"].get("n") else None
    worst_versions = max(result["versions_by_id"]["p99"], result["versions_by_url"]["p99"])
    result["goals"] = {"versions_p99_ms": worst_versions, "versions_ok": worst_versions <= GOAL_VERSIONS_P99_MS,
                       "search_p95_ms": result["search_all"]["p95"],
                       "search_ok": result["search_all"]["p95"] <= GOAL_SEARCH_P95_MS}
    return result


def machine(conn) -> dict:
    settings = {name: conn.execute("SELECT current_setting(%s)", (name,)).fetchone()[0]
                for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit")}
    return {"cores": os.cpu_count(), "python": sys.version.split()[0],
            "postgresql": conn.execute("SHOW server_version").fetchone()[0], "settings": settings}


def print_report(gen: dict, result: dict, info: dict) -> None:
    mb = 1024 * 1024
    print(f"catalog: {gen['captures']:,} captures ({gen['captures_with_version']:,} of versions), "
          f"{gen['stories']:,} stories, {gen['versions']:,} versions (max {gen['max_versions_per_story']} a story), "
          f"{gen['story_urls']:,} story URLs, {gen['warc_files']:,} WARC files, ~{gen['words_per_body']} words a body")
    print(f"database {gen['db_bytes'] / mb:,.0f} MB (versions {gen['versions_bytes'] / mb:,.0f} MB, its search index "
          f"{gen['search_index_bytes'] / mb:,.0f} MB; captures {gen['captures_bytes'] / mb:,.0f} MB)"
          + (f"; generated in {gen['generate_s']:.0f} s" if "generate_s" in gen else ""))
    print(f"machine: {info['cores']} cores, PostgreSQL {info['postgresql']}, Python {info['python']}, "
          + ", ".join(f"{k}={v}" for k, v in info["settings"].items()))
    print()
    print(f"{'measured (ms)':<52} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")

    def row(label: str, s: dict, extra: str = "") -> None:
        if s.get("n"):
            print(f"{label:<52} {s['n']:>5} {s['p50']:>8.2f} {s['p95']:>8.2f} {s['p99']:>8.2f} {s['max']:>8.2f}"
                  + extra)

    row("versions: find_story + versions_of, by id", result["versions_by_id"])
    row("versions: find_story + versions_of, by URL", result["versions_by_url"])
    row("  baseline: by id, without captures(story_id) index", result["versions_baseline"])
    for kind, s in result["search"].items():
        row(f"search: {kind}", s, f"   matches {result['search_matches'][kind]:,.0f}, hits {s['hits']:.0f}")
    row("search: all kinds but the last (the goal's mix)", result["search_all"])
    row("search: all kinds", result["search_all_with_stress"])
    row("  baseline: ILIKE over versions' paragraphs, newest first", result["search_baseline"])
    if "cli_versions" in result:
        row("CLI process: arsip versions ID --json", result["cli_versions"])
        row("CLI process: arsip search TEXT --json", result["cli_search"])
    print()
    if result["ratio_versions_p50"] is not None:
        print(f"ratio arsip / baseline, p50: versions {result['ratio_versions_p50']:.4f}, "
              f"search {result['ratio_search_p50']:.4f}")
    goals = result["goals"]
    print(f"goal versions p99 <= {GOAL_VERSIONS_P99_MS:g} ms: {goals['versions_p99_ms']:.2f} ms "
          f"{'met' if goals['versions_ok'] else 'MISSED'}; goal search p95 <= {GOAL_SEARCH_P95_MS:g} ms: "
          f"{goals['search_p95_ms']:.2f} ms {'met' if goals['search_ok'] else 'MISSED'} "
          "(the query inside the process; the CLI rows add process start-up)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("ARSIP_DATABASE_URL") or DEFAULT_URL,
                        help="a PostgreSQL server to create the scratch database on")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1M captures, 200k stories")
    parser.add_argument("--samples", type=int, default=1000, help="story ids and story URLs timed, each")
    parser.add_argument("--search-samples", type=int, default=40, help="queries of each kind")
    parser.add_argument("--baseline-samples", type=int, default=50, help="versions timed without the index")
    parser.add_argument("--ilike-samples", type=int, default=3, help="ILIKE searches of each kind")
    parser.add_argument("--cli", type=int, default=5, help="CLI runs of each command (0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="connections generating at once")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", metavar="DBNAME", help="time this existing database; generate nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)

    name = args.reuse or f"arsip_bench_{secrets.token_hex(4)}"
    url = with_dbname(args.url, name)
    if not args.reuse:
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        log(f"scratch database {name}")
    try:
        if args.reuse:
            open_catalog(Config(data_dir=Path(tempfile.mkdtemp()), database_url=url, outlets_file=None)).close()
            with Generator(url, args.scale, args.seed, args.jobs).connect() as conn:
                gen = Generator(url, args.scale, args.seed, args.jobs).counts(conn)
        else:
            open_catalog(Config(data_dir=Path(tempfile.mkdtemp()), database_url=url, outlets_file=None)).close()
            gen = Generator(url, args.scale, args.seed, args.jobs).run()
        bench = Bench(url, args.seed)
        try:
            info = machine(bench.admin)
            result = measure(bench, args)
        finally:
            bench.close()
    finally:
        if not (args.keep or args.reuse):
            with psycopg.connect(args.url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            log(f"dropped {name}")
    if args.json:
        print(json.dumps({"database": name, "scale": args.scale, "catalog": gen, "machine": info, **result},
                         ensure_ascii=False, indent=2, default=str))
    else:
        print_report(gen, result, info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
