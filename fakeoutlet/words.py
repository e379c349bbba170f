"""Generated Indonesian news text for the Test News outlet: the same article for the same id.

Headlines and sentences are templates filled from word banks by a generator seeded
with the article's id, so an article's text is fixed and neighbouring ids read
differently; a story reuses its main places and people so that its text hangs together.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone

from fakeoutlet.newsroom import Article

SITE_NAME = "Test News"
WIB = timezone(timedelta(hours=7))

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


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tanggal(dt: datetime) -> str:
    return f"{dt.day}/{dt.month}/{dt.year}"


def tanggal_panjang(dt: datetime) -> str:
    return f"{_HARI[dt.weekday()]}, {dt.day} {_BULAN[dt.month - 1]} {dt.year} - {dt:%H:%M} WIB"


def thousands(n: int) -> str:
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
            "n": lambda: thousands(r.randint(12, 4800)),
            "kecil": lambda: str(r.randint(2, 19)),
            "ratus": lambda: str(r.randint(12, 300)),
            "persen": lambda: str(r.randint(3, 45)),
            "desimal": lambda: f"{r.randint(1, 6)},{r.randint(0, 99):02d}",
            "miliar": lambda: thousands(r.randint(5, 2500)),
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


def make_article(story_id: int, slug: str | None = None, title: str | None = None,
                 n_pages: int = 1, seed: str | None = None) -> Article:
    """The Test News article `story_id` (`seed` overrides the one its id gives)."""
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
    return Article(key=story_id, slug=slug or slugify(title), title=title, published=published, pages=pages,
                   byline=byline, editor=editor, section=rng.choice(_RUBRIK), caption=caption)

