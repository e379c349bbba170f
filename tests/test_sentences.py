"""Sentences of Indonesian and English news text: where they end, and where they do not."""

from __future__ import annotations

import random

import pytest

from archive.history.sentences import split_sentences

# Paragraphs of the seed articles (iNews.id and Analisadaily.com), as extracted.
SEED_INEWS = [
    "MOSKOW, iNews.id Rusia menyatakan bakal memperkuat hubungan militer dengan Myanmar. Komitmen itu "
    "disampaikan negara bekas Uni Soviet itu dalam kunjungan gembong kudeta yang juga pemimpin junta Myanmar, "
    "Jenderal Min Aung Hlaing, ke Moskow, Selasa (22/6/2/2021).",
    "“Kami bertekad untuk melanjutkan upaya kami untuk memperkuat hubungan bilateral berdasarkan saling "
    "pengertian, rasa hormat, dan kepercayaan yang telah dibangun antara negara kami,” kata Menteri Pertahanan "
    "Rusia, Sergei Shoigu, dikutip kembali dari kantor berita RIA, Rabu (23/2/2021).",
    "Para aktivis HAM menuduh Moskow melegitimasi junta militer Myanmar yang berkuasa di negara Asia Tenggara "
    "itu sejak kudeta 1 Februari lalu. Salah satu bentuk legitimasi dari Rusia tersebut adalah dengan "
    "melanjutkan kunjungan bilateral dan kesepakatan senjata dengan junta Myanmar.",
]
SEED_ANALISA = [
    "Analisadaily.com, Yangon - Kepala junta Myanmar, Min Aung Hlaing, berterima kasih kepada Rusia, pemasok "
    "senjata utama, karena memperkuat tentara yang merebut kekuasaan dalam kudeta awal tahun ini.",
    "\"Persahabatan antara Rusia dan Myanmar menjadi semakin kuat,\" kata pemimpin junta itu, menurut "
    "komentarnya yang diterjemahkan ke dalam bahasa Rusia.",
    "Menurut Shoigu, Myanmar adalah mitra strategis yang telah teruji waktu dan sekutu yang dapat diandalkan. "
    "Kerja sama militer adalah “komponen penting” dari hubungan Rusia-Myanmar. Kami berkomitmen untuk terus "
    "melakukan upaya untuk memperkuat hubungan bilateral,\" kata dia dilansir dari Channel News Asia, Rabu (23/6).",
    "\"Min Aung Hlaing kemudian bertemu dengan kepala pengekspor senjata negara Rosoboronexport, Alexander "
    "Mikheyev, untuk membahas \"potensi kerjasama teknis militer,\" kata seorang juru bicara junta.",
]

CASES = [
    # quotes
    ('"Kami menolak," kata dia.', ['"Kami menolak," kata dia.']),
    ("“Kami menolak,” kata dia. Ia lalu pergi.", ["“Kami menolak,” kata dia.", "Ia lalu pergi."]),
    ('Semuanya sudah selesai." Kemudian ia pergi.', ['Semuanya sudah selesai."', "Kemudian ia pergi."]),
    ("Ia berkata, “Sudah selesai.” Kemudian ia pergi.", ["Ia berkata, “Sudah selesai.”", "Kemudian ia pergi."]),
    ('"Apa kabar?" tanya dia.', ['"Apa kabar?" tanya dia.']),
    ('Ia pulang. "Kami menolak," katanya.', ["Ia pulang.", '"Kami menolak," katanya.']),
    # Indonesian titles and abbreviations
    ("Prof. Dr. Ir. H. Budi Santoso, S.H., M.Si. hadir.", ["Prof. Dr. Ir. H. Budi Santoso, S.H., M.Si. hadir."]),
    ("dr. Reisa dan Dr. Tirta hadir. Hj. Siti juga.", ["dr. Reisa dan Dr. Tirta hadir.", "Hj. Siti juga."]),
    ("Kantornya di Jl. Sudirman No. 5, Kec. Menteng, Kab. Bogor.",
     ["Kantornya di Jl. Sudirman No. 5, Kec. Menteng, Kab. Bogor."]),
    ("PT. Bank Mandiri Tbk. Cabang Medan tutup.", ["PT. Bank Mandiri Tbk. Cabang Medan tutup."]),
    ("Saham PT Astra Tbk. Namun harganya turun.", ["Saham PT Astra Tbk.", "Namun harganya turun."]),
    ("Ada beras, gula, dll. Namun semuanya naik.", ["Ada beras, gula, dll.", "Namun semuanya naik."]),
    ("Ada beras, gula, dll. Semuanya naik.", ["Ada beras, gula, dll. Semuanya naik."]),  # too rare a starter to cut
    ("Ada beras, gula, dsb. yang naik.", ["Ada beras, gula, dsb. yang naik."]),
    ("Surat a.n. Sdr. Budi u.p. Bpk. Ahmad dan Ny. Siti.", ["Surat a.n. Sdr. Budi u.p. Bpk. Ahmad dan Ny. Siti."]),
    ("Rapat tsb. dihadiri Menteri.", ["Rapat tsb. dihadiri Menteri."]),
    ("Hal tsb. Namun belum final.", ["Hal tsb.", "Namun belum final."]),
    ("Ia tinggal di St. Petersburg. Ia pulang.", ["Ia tinggal di St. Petersburg.", "Ia pulang."]),
    ("Kombes Pol. Yusri Yunus menjelaskan.", ["Kombes Pol. Yusri Yunus menjelaskan."]),
    # English abbreviations
    ("Mr. and Mrs. Smith met Ms. Jones. Dr. Who came.", ["Mr. and Mrs. Smith met Ms. Jones.", "Dr. Who came."]),
    ("Martin Luther King Jr. Day is a holiday.", ["Martin Luther King Jr. Day is a holiday."]),
    ("The U.S. economy grew. The U.K. did not.", ["The U.S. economy grew.", "The U.K. did not."]),
    ("He moved to the U.S. The move was hard.", ["He moved to the U.S.", "The move was hard."]),
    ("Fruit, e.g. Apples, i.e. Red ones, etc. are fine.", ["Fruit, e.g. Apples, i.e. Red ones, etc. are fine."]),
    ("Apple Inc. Shares rose. Acme Ltd. Co. Boss quit.", ["Apple Inc. Shares rose.", "Acme Ltd. Co. Boss quit."]),
    ("Biden vs. Trump. Gen. Milley, Sen. Paul, Rep. Cheney and Gov. Newsom spoke.",
     ["Biden vs. Trump.", "Gen. Milley, Sen. Paul, Rep. Cheney and Gov. Newsom spoke."]),
    ("It opened on Jan. 5 and closed Feb. 20. Then it reopened in Sept. 2021.",
     ["It opened on Jan. 5 and closed Feb. 20.", "Then it reopened in Sept. 2021."]),
    ("It was No. 1 in the U.K. charts.", ["It was No. 1 in the U.K. charts."]),
    ("No. They did not.", ["No.", "They did not."]),
    ("Prices rose at 3 p.m. The market closed.", ["Prices rose at 3 p.m.", "The market closed."]),
    # initials
    ("J. K. Rowling menulis buku. Susilo B. Yudhoyono membacanya.",
     ["J. K. Rowling menulis buku.", "Susilo B. Yudhoyono membacanya."]),
    ("Buku J.K. Rowling laris.", ["Buku J.K. Rowling laris."]),
    ("Joko P. Widodo dan Megawati S. Putri hadir.", ["Joko P. Widodo dan Megawati S. Putri hadir."]),
    ("Lihat hlm. 5 dan p. 12. Selesai.", ["Lihat hlm. 5 dan p. 12.", "Selesai."]),
    # numbers, dates, times, money
    ("Harga naik Rp11.317 atau 3,5 persen. Nilainya Rp 1,2 triliun.",
     ["Harga naik Rp11.317 atau 3,5 persen.", "Nilainya Rp 1,2 triliun."]),
    ("Sebanyak 1.000 orang hadir pada 22.06.2021 pukul 14.05 WIB. Acara selesai.",
     ["Sebanyak 1.000 orang hadir pada 22.06.2021 pukul 14.05 WIB.", "Acara selesai."]),
    ("Ia tiba Selasa (22/6/2021). Rabu (23/6) ia pulang.", ["Ia tiba Selasa (22/6/2021).", "Rabu (23/6) ia pulang."]),
    ("Suhu 36.5 derajat. The rate was 3.5 percent.", ["Suhu 36.5 derajat.", "The rate was 3.5 percent."]),
    ("Pada 2020. 2021 lebih baik.", ["Pada 2020.", "2021 lebih baik."]),
    ("Rp. 5.000 sudah cukup.", ["Rp. 5.000 sudah cukup."]),
    ("1. Pertama, bayar pajak. 2. Kedua, lapor.", ["1. Pertama, bayar pajak.", "2. Kedua, lapor."]),
    # URLs and e-mail
    ("Kunjungi www.inews.id. Atau tulis ke redaksi@inews.id untuk info.",
     ["Kunjungi www.inews.id.", "Atau tulis ke redaksi@inews.id untuk info."]),
    ("Lihat https://www.inews.id/news/internasional?page=2. Beritanya lengkap.",
     ["Lihat https://www.inews.id/news/internasional?page=2.", "Beritanya lengkap."]),
    # ellipses, ?! and !
    ("Ia berkata... lalu diam.", ["Ia berkata... lalu diam."]),
    ("Saya tidak tahu... Mungkin besok.", ["Saya tidak tahu...", "Mungkin besok."]),
    ("Tunggu … Lalu pergi.", ["Tunggu …", "Lalu pergi."]),
    ("Benarkah?! Ya! Tentu saja? Tidak.", ["Benarkah?!", "Ya!", "Tentu saja?", "Tidak."]),
    ("Apa?! tanya dia.", ["Apa?! tanya dia."]),
    ("...dan seterusnya. Selesai.", ["...dan seterusnya.", "Selesai."]),
    # datelines
    ("JAKARTA, iNews.id - Presiden tiba. Ia disambut.", ["JAKARTA, iNews.id - Presiden tiba.", "Ia disambut."]),
    ("MEDAN (Analisa) - Banjir melanda. Warga mengungsi.", ["MEDAN (Analisa) - Banjir melanda.", "Warga mengungsi."]),
    ("WASHINGTON, D.C. - The president spoke.", ["WASHINGTON, D.C. - The president spoke."]),
    ("JAKARTA, KOMPAS.com - Harga naik.", ["JAKARTA, KOMPAS.com - Harga naik."]),
    # brackets, lower-case brand names
    ("Ia datang (lihat foto.) Kemudian pergi.", ["Ia datang (lihat foto.)", "Kemudian pergi."]),
    ("Ia membeli ponsel. iPhone itu mahal.", ["Ia membeli ponsel.", "iPhone itu mahal."]),
    ("Ia membeli ponsel. harganya mahal.", ["Ia membeli ponsel. harganya mahal."]),
    # seeds
    (SEED_INEWS[0], [
        "MOSKOW, iNews.id Rusia menyatakan bakal memperkuat hubungan militer dengan Myanmar.",
        "Komitmen itu disampaikan negara bekas Uni Soviet itu dalam kunjungan gembong kudeta yang juga pemimpin "
        "junta Myanmar, Jenderal Min Aung Hlaing, ke Moskow, Selasa (22/6/2/2021).",
    ]),
    (SEED_INEWS[1], [SEED_INEWS[1]]),
    (SEED_ANALISA[0], [SEED_ANALISA[0]]),
    (SEED_ANALISA[1], [SEED_ANALISA[1]]),
    (SEED_ANALISA[2], [
        "Menurut Shoigu, Myanmar adalah mitra strategis yang telah teruji waktu dan sekutu yang dapat diandalkan.",
        "Kerja sama militer adalah “komponen penting” dari hubungan Rusia-Myanmar.",
        "Kami berkomitmen untuk terus melakukan upaya untuk memperkuat hubungan bilateral,\" kata dia dilansir "
        "dari Channel News Asia, Rabu (23/6).",
    ]),
    (SEED_ANALISA[3], [SEED_ANALISA[3]]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:40] for text, _ in CASES])
def test_split(text, expected):
    assert split_sentences(text) == expected


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("  \n\t ") == []


def test_whitespace_inside_a_sentence_is_kept_and_edges_are_stripped():
    assert split_sentences("  Satu  dua\ttiga.   Empat\u00a0lima.  ") == ["Satu  dua\ttiga.", "Empat\u00a0lima."]


def test_a_blank_line_always_ends_a_sentence():
    assert split_sentences("Paragraf satu tanpa titik\n\nparagraf dua") == ["Paragraf satu tanpa titik", "paragraf dua"]
    assert split_sentences("Satu baris\nmasih kalimat yang sama.") == ["Satu baris\nmasih kalimat yang sama."]


def test_single_line_breaks_and_other_whitespace_separate_sentences_too():
    assert split_sentences("Satu.\tDua.\u00a0Tiga.\nEmpat.") == ["Satu.", "Dua.", "Tiga.", "Empat."]


@pytest.mark.parametrize("paragraph", SEED_INEWS + SEED_ANALISA + [text for text, _ in CASES])
def test_joined_sentences_hold_exactly_the_words(paragraph):
    sentences = split_sentences(paragraph)
    assert " ".join(sentences).split() == paragraph.split()
    assert all(s == s.strip() and s for s in sentences)
    assert all(s in paragraph for s in sentences)  # whitespace inside is the paragraph's own


def test_random_text_loses_no_word():
    rng = random.Random(11)
    pieces = ["Dr.", "dll.", "U.S.", "J.", "Rp11.317", "(22/6/2021).", "“Kami", "menolak,”", "kata", "dia.",
              "Ia", "...", "?!", "14.05", "WIB.", "iNews.id", "-", "Namun", "1.", "\"", "selesai.\"", "The"]
    for _ in range(300):
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 40))]
        text = rng.choice([" ", "  ", "\n", "\t"]).join(words)
        sentences = split_sentences(text)
        assert " ".join(sentences).split() == words
        assert all(s in text for s in sentences)
