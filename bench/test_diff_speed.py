"""Diff speed: two versions of a 1,000-word Indonesian article, a few stealth edits apart.

    .venv/bin/pytest bench/test_diff_speed.py --benchmark-only

The article is built from a fixed seed out of sentences shaped like the seed
articles' (datelines, quotes with "kata dia", dates such as "(23/2/2021)", sums
such as "Rp11.317 triliun", titles such as "Dr." and "Jl."). The new version fixes
a date and a number, rewords one sentence, adds a paragraph, drops a sentence and
moves another: what `arsip` diffs on every new version.

Measured, in one group so the table shows each against the fastest:
  diff_body        sentences split and aligned, words diffed inside changed sentences
  change_kinds     the whole version diff (`diff_versions`) and its `changes` summary
  baseline         difflib.SequenceMatcher over the two bodies' word lists (defaults),
                   the obvious one-liner, which says nothing about sentences or moves
The goal is a median of at most 5 ms for `change_kinds`, the call ingest makes.
"""

from __future__ import annotations

import random
import re
from difflib import SequenceMatcher

import pytest

from archive.history.diff import change_kinds, diff_body

GOAL_SECONDS = 0.005
TARGET_WORDS = 1000

PLACES = ["Moskow", "Jakarta", "Medan", "Yangon", "Surabaya", "Bandung", "Makassar", "Beijing"]
PEOPLE = [
    "Menteri Pertahanan Rusia, Sergei Shoigu,",
    "Jenderal Min Aung Hlaing",
    "Kepala Dinas Kesehatan, Dr. Siti Rahmawati,",
    "Juru bicara kepolisian, Kombes Pol. Yusri Yunus,",
    "Gubernur Sumatera Utara, Edy Rahmayadi,",
    "ekonom senior, Prof. Budi S. Santoso,",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
TEMPLATES = [
    "{place}, iNews.id - Pemerintah menyatakan bakal memperkuat kerja sama dengan negara mitra di kawasan "
    "Asia Tenggara.",
    "Komitmen itu disampaikan dalam kunjungan resmi ke {place}, {day} ({date}).",
    "“Kami bertekad untuk melanjutkan upaya kami memperkuat hubungan bilateral berdasarkan saling pengertian,” "
    "kata {person} dikutip dari kantor berita RIA, {day} ({date}).",
    "Anggaran yang disiapkan untuk program tersebut mencapai Rp{amount} triliun atau naik {pct} persen "
    "dibandingkan tahun lalu.",
    "Rapat koordinasi digelar di kantor PT Bank Rakyat Indonesia (Persero) Tbk, Jl. Jenderal Sudirman No. {n}, "
    "{place}, pukul {hour}.{minute} WIB.",
    "Para aktivis menuduh pemerintah melegitimasi kelompok yang berkuasa di wilayah itu sejak {n} Februari "
    "lalu.",
    "Salah satu bentuk dukungan tersebut adalah dengan melanjutkan kunjungan bilateral dan kesepakatan dagang "
    "senilai US$ {amount} juta.",
    "Menurut {person} langkah itu diambil setelah evaluasi menyeluruh terhadap {n} proyek yang tertunda.",
    "Sebuah kelompok pemantau lokal mengatakan, sejak awal tahun tindakan brutal aparat telah menewaskan "
    "sedikitnya {n} warga sipil.",
    "Meskipun pemerintah mengatakan “prihatin” dengan korban sipil, upaya diplomasi terus dilakukan.",
    "Pada Maret lalu, pihaknya menyatakan sangat prihatin dengan meningkatnya jumlah kematian warga sipil di "
    "{place}.",
    "Data Badan Pusat Statistik (BPS) menunjukkan inflasi tahunan berada di level {pct} persen pada {date2}.",
    "Ia menambahkan, pemerintah daerah, dll. akan dilibatkan dalam pengawasan di lapangan.",
    "\"Kami menolak,\" kata {person} kepada wartawan.",
    "Sementara itu, harga beras di pasar tradisional {place} naik menjadi Rp{price} per kilogram.",
    "Hal itu disampaikan {person} dalam konferensi pers yang digelar secara daring.",
    "Ini adalah perjalanan kedua pemimpin itu ke luar negeri sejak ia merebut kekuasaan.",
    "Keduanya sepakat untuk meningkatkan hubungan antara kedua negara mereka... Namun, rinciannya belum "
    "diumumkan.",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(PLACES),
        person=rng.choice(PEOPLE),
        day=rng.choice(DAYS),
        date=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2021",
        date2=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2021",
        amount=f"{rng.randint(1, 99)}.{rng.randint(100, 999)}",
        pct=f"{rng.randint(1, 9)},{rng.randint(1, 9)}",
        price=f"{rng.randint(10, 19)}.{rng.randint(0, 9)}00",
        n=rng.randint(2, 900),
        hour=rng.randint(8, 20),
        minute=f"{rng.choice([0, 15, 30, 45]):02d}",
    )


def article(seed: int = 7, words: int = TARGET_WORDS) -> list[str]:
    """Paragraphs of two or three sentences, `words` words or a few more."""
    rng = random.Random(seed)
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(_fill(rng.choice(TEMPLATES), rng) for _ in range(rng.randint(2, 3)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return paragraphs


def edited(paragraphs: list[str]) -> list[str]:
    """The next version: a date and a number fixed, a sentence reworded, one added, one dropped, one moved."""
    new = list(paragraphs)
    _edit_first(new, re.compile(r"\((\d+)/(\d+)/2021\)"), lambda m: f"({m[1]}/{int(m[2]) % 12 + 1}/2021)")
    _edit_first(new, re.compile(r"Rp(\d+)\.(\d)(\d\d) triliun"),
                lambda m: f"Rp{m[1]}.{m[2]}{(int(m[3]) + 54) % 100:02d} triliun")
    _edit_first(new, re.compile(r" persen dibandingkan"), lambda m: " persen lebih tinggi dibandingkan")
    first, rest = new[8].split(". ", 1)
    new[8] = rest
    new[-2] = f"{new[-2]} {first}."
    new.insert(10, "Pemerintah juga berjanji menyalurkan bantuan tambahan bagi warga terdampak di tiga provinsi.")
    new[13] = new[13].split(". ", 1)[1]
    return new


def _edit_first(paragraphs: list[str], pattern: re.Pattern, change) -> None:
    """Apply `change` to the first match of `pattern` in the paragraphs (from the third on)."""
    for k in range(2, len(paragraphs)):
        if pattern.search(paragraphs[k]):
            paragraphs[k] = pattern.sub(change, paragraphs[k], count=1)
            return
    raise AssertionError(f"no paragraph matches {pattern.pattern}")


OLD = article()
NEW = edited(OLD)
OLD_VERSION = {"title": "Rusia Bakal Perkuat Hubungan Militer dengan Myanmar", "paragraphs": OLD, "notes": []}
NEW_VERSION = {"title": "Rusia Bakal Memperkuat Hubungan Militer dengan Myanmar", "paragraphs": NEW, "notes": []}
_medians: dict[str, float] = {}


@pytest.mark.benchmark(group="diff of a 1,000-word article")
def test_baseline_sequencematcher_on_words(benchmark):
    old_words = " ".join(OLD).split()
    new_words = " ".join(NEW).split()
    benchmark(lambda: SequenceMatcher(None, old_words, new_words).get_opcodes())
    _medians["baseline"] = benchmark.stats.stats.median


@pytest.mark.benchmark(group="diff of a 1,000-word article")
def test_diff_body(benchmark):
    benchmark(diff_body, OLD, NEW)
    _record(benchmark, "diff_body")


@pytest.mark.benchmark(group="diff of a 1,000-word article")
def test_change_kinds(benchmark):
    changes = benchmark(change_kinds, OLD_VERSION, NEW_VERSION)
    _record(benchmark, "change_kinds")
    assert TARGET_WORDS <= sum(len(p.split()) for p in OLD) < TARGET_WORDS + 100
    edited = next(change for change in changes if change["kind"] == "body_edited")
    assert edited["dates_changed"] and edited["numbers_changed"]
    assert [change["kind"] for change in changes] == ["headline", "body_added", "body_removed", "body_edited",
                                                      "body_moved"]
    assert benchmark.stats.stats.median <= GOAL_SECONDS


def _record(benchmark, name: str) -> None:
    median = benchmark.stats.stats.median
    _medians[name] = median
    if "baseline" in _medians:
        benchmark.extra_info["median_ms"] = round(median * 1000, 3)
        benchmark.extra_info["baseline_median_ms"] = round(_medians["baseline"] * 1000, 3)
        benchmark.extra_info["ratio_to_baseline"] = round(median / _medians["baseline"], 2)
