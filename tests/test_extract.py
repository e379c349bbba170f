"""Article extraction (archive/extract/article.py): layers, boilerplate, corrections, dates, charsets, soft errors."""

from __future__ import annotations

import json
import pickle
import tomllib

import lxml.html
import pytest

from archive.extract.dates import parse_date
from archive.extract.boilerplate import linearise, prune
from archive.extract.article import Article, extract
from archive.extract.html_tree import parse_html
from archive.extract.text import normalise_text
from fakeoutlet import FakeSite
from fakeoutlet.demo import demo_site
from fakeoutlet.news import news_site

URL = "https://www.example.co.id/news/internasional/rusia-perkuat-hubungan-militer-dengan-myanmar"
BODY = [
    "MOSKOW, Kabar - Rusia menyatakan bakal memperkuat hubungan militer dengan Myanmar dalam kunjungan "
    "pemimpin junta ke Moskow, Selasa (22/6/2021).",
    "“Kami bertekad melanjutkan upaya memperkuat hubungan bilateral,” kata Menteri Pertahanan Rusia, "
    "Sergei Shoigu, Rabu (23/6/2021).",
    "Para aktivis HAM menuduh Moskow melegitimasi junta militer yang berkuasa sejak kudeta 1 Februari lalu, "
    "antara lain lewat kesepakatan senjata.",
    "Pada Maret lalu, Rusia menyatakan sangat prihatin dengan meningkatnya jumlah kematian warga sipil di Myanmar.",
]


def page(body_html: str = "", head: str = "", *, paragraphs=BODY, title="Judul di Halaman") -> bytes:
    """A small article page: `head` extras, an <h1>, the paragraphs, then `body_html`."""
    ps = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title} - Kabar</title>
{head}</head><body>
<nav><a href="/">Beranda</a> <a href="/news">News</a></nav>
<article><h1 class="judul">{title}</h1>
<div class="isi">
{ps}
{body_html}
</div></article>
<aside class="terkini"><h3>Berita Terkini</h3><ul><li><a href="/a">Satu</a> 3 jam lalu</li></ul></aside>
<footer>Hak cipta 2021</footer></body></html>""".encode()


def json_ld(**fields) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# ------------------------------------------------------------------- layers


def test_selector_layer_reads_each_field():
    html = page('<div class="editor">Editor: Budi</div>', head='<meta name="author" content="Meta Author">')
    html = html.replace(b'<h1 class="judul">', b'<div class="penulis">Dewi Lestari</div>'
                                                b'<div class="waktu">Selasa, 22 Juni 2021 14:05 WIB</div>'
                                                b'<h2 class="sub">Sub judul artikel</h2><h1 class="judul">')
    article = extract(html, URL, selectors={
        "title": "h1.judul", "byline": ".penulis", "published": ".waktu", "lede": "h2.sub", "body": ".isi p"})
    assert article.title == "Judul di Halaman"
    assert article.byline == "Dewi Lestari"
    assert article.published == "2021-06-22T14:05:00+07:00"
    assert article.lede == "Sub judul artikel"
    assert article.paragraphs == tuple(BODY)


def test_body_selector_on_a_container_takes_its_blocks():
    extra = "<h3>Latar</h3><ul><li>Butir pertama daftar</li></ul><blockquote>Kutipan panjang</blockquote>"
    article = extract(page(extra), URL, selectors={"body": "div.isi"})
    assert article.paragraphs == (*BODY, "Latar", "Butir pertama daftar", "Kutipan panjang")


def test_selectors_that_match_nothing_fall_back_to_the_generic_layers():
    article = extract(page(), URL, selectors={"title": ".gone", "body": ".gone p"})
    assert article.title == "Judul di Halaman"
    assert article.paragraphs == tuple(BODY)


def test_selector_reads_meta_content_and_attr():
    head = '<meta property="article:published_time" content="2021-06-22T07:12:00+07:00">'
    article = extract(page(head=head), URL, selectors={
        "published": 'meta[property="article:published_time"]', "byline": "h1.judul::attr(class)"})
    assert article.published == "2021-06-22T07:12:00+07:00"
    assert article.byline == "judul"


def test_json_ld_layer():
    head = json_ld(headline="Judul JSON-LD", description="Ringkasan dari JSON-LD",
                   datePublished="2021-06-22T14:05:00+07:00", dateModified="2021-06-23T09:30:00+07:00",
                   author=[{"@type": "Person", "name": "Dewi Lestari"}, {"@type": "Person", "name": "Agus Salim"}],
                   inLanguage="id-ID")
    article = extract(page(head=head), URL)
    assert article.title == "Judul JSON-LD"
    assert article.lede == "Ringkasan dari JSON-LD"
    assert article.byline == "Dewi Lestari, Agus Salim"
    assert (article.published, article.modified) == ("2021-06-22T14:05:00+07:00", "2021-06-23T09:30:00+07:00")
    assert article.language == "id"
    assert article.is_article


def test_json_ld_inside_a_graph():
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Halaman"},
        {"@type": ["NewsArticle"], "headline": "Dari Graph", "datePublished": "2021-06-22"}]}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    article = extract(page(head=head), URL)
    assert (article.title, article.published) == ("Dari Graph", "2021-06-22")


def test_meta_layer():
    head = """<meta property="og:title" content="Judul OG - Kabar"><meta property="og:site_name" content="Kabar">
<meta property="og:description" content="Ringkasan OG"><meta property="og:type" content="article">
<meta property="article:published_time" content="2021-06-22T07:12:00Z">
<meta property="article:modified_time" content="2021-06-22T08:00:00+07:00">
<meta name="author" content="Siti Rahmawati"><meta property="og:url" content="/news/x-y-z-w">"""
    article = extract(page(head=head), URL)
    assert article.title == "Judul OG"
    assert article.lede == "Ringkasan OG"
    assert article.byline == "Siti Rahmawati"
    assert article.published == "2021-06-22T07:12:00+00:00"
    assert article.modified == "2021-06-22T08:00:00+07:00"
    assert article.canonical_url == "https://www.example.co.id/news/x-y-z-w"


def test_merge_precedence_selector_then_json_ld_then_meta():
    head = (json_ld(headline="Judul JSON-LD", datePublished="2021-06-22T14:05:00+07:00")
            + '<meta property="og:title" content="Judul OG">'
            + '<meta property="article:published_time" content="2020-01-01T00:00:00+07:00">'
            + '<meta property="article:modified_time" content="2021-06-24T10:00:00+07:00">')
    html = page(head=head).replace(b"<h1", b'<div class="tgl">23/06/2021, 10:15 WITA</div><h1')
    generic = extract(html, URL)
    assert generic.title == "Judul JSON-LD"                        # JSON-LD over og:
    assert generic.published == "2021-06-22T14:05:00+07:00"        # JSON-LD over article: meta
    assert generic.modified == "2021-06-24T10:00:00+07:00"         # meta where JSON-LD is silent
    chosen = extract(html, URL, selectors={"title": "h1.judul", "published": ".tgl"})
    assert chosen.title == "Judul di Halaman"                      # the outlet's selector over both
    assert chosen.published == "2021-06-23T10:15:00+08:00"


def test_canonical_next_page_and_language():
    head = ('<link rel="canonical" href="/news/internasional/rusia-perkuat-hubungan-militer-dengan-myanmar">'
            '<link rel="next" href="rusia-perkuat-hubungan-militer-dengan-myanmar/2">')
    article = extract(page(head=head), URL)
    assert article.canonical_url == URL
    assert article.next_page_url == URL + "/2"
    assert article.language == "id"
    chosen = extract(page('<a class="lanjut" href="?page=2">Selanjutnya</a>'), URL,
                     selectors={"next_page": "a.lanjut"})
    assert chosen.next_page_url == URL + "?page=2"
    assert "Selanjutnya" not in chosen.paragraphs


# ---------------------------------------------------------------- boilerplate


READ_ALSO = [
    "<p><strong>Baca Juga:</strong> <a href='/x'>Rusia Ingin Bangun Pembangkit Nuklir di Bulan</a></p>",
    "<p>Baca juga: <a href='/y'>Junta Myanmar Bebaskan Ratusan Tahanan</a></p>",
    "<p>BACA JUGA: <a href='/z'>Harga Minyak Naik</a></p>",
    "<p>Simak juga video: <a href='/v'>Detik-detik Kapal Perang Diusir</a></p>",
    "<p>Lihat Juga: <a href='/w'>Foto Kunjungan</a></p>",
    "<div>ADVERTISEMENT</div>", "<div>SCROLL TO CONTINUE WITH CONTENT</div>", "<p>Scroll to continue</p>",
]


@pytest.mark.parametrize("selectors", [None, {"body": ".isi"}, {"body": ".isi p"}])
def test_read_also_and_ad_lines_inside_the_body_are_removed(selectors):
    paragraphs = BODY[:2] + READ_ALSO[:4] + BODY[2:3] + READ_ALSO[4:] + BODY[3:]
    html = page(paragraphs=[], body_html="\n".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs))
    assert extract(html, URL, selectors=selectors).paragraphs == tuple(BODY)


@pytest.mark.parametrize("line", [
    "14 jam lalu", "2 hours ago", "5 menit yang lalu", "Dibaca 1.234 kali", "1.2K views", "35 Komentar",
    "Bagikan: Facebook Twitter WhatsApp", "Halaman 1 2 3", "Selanjutnya", "Halaman 2 dari 3",
    "Artikel Terkait", "Berita Terkini", "Berita Terkait", "Rekomendasi", "Terpopuler",
    "Kami menggunakan cookie untuk meningkatkan pengalaman Anda. Dengan melanjutkan, Anda setuju.",
    "This website uses cookies to improve your experience.",
])
def test_boilerplate_lines_never_reach_the_body(line):
    html = page(paragraphs=BODY[:2] + [line] + BODY[2:])
    assert extract(html, URL).paragraphs == tuple(BODY)
    assert extract(html, URL, selectors={"body": ".isi p"}).paragraphs == tuple(BODY)


def test_related_list_under_a_heading_is_dropped():
    related = "<h3>Artikel Terkait</h3><ul><li><a href='/a'>Satu judul berita lain</a></li>" \
              "<li><a href='/b'>Dua judul berita lain</a></li></ul>"
    assert extract(page(related), URL, selectors={"body": ".isi"}).paragraphs == tuple(BODY)
    assert extract(page(related), URL).paragraphs == tuple(BODY)


def test_related_heading_padded_with_markup_whitespace_is_still_a_heading():
    # Over 60 characters as written, 15 as a reader sees them: still a heading over a list.
    padding = "\n" + " " * 40
    links = " ".join(f"<a href='/{n}'>Judul berita lain nomor {n} yang cukup panjang untuk dibaca</a>" for n in range(5))
    related = f"<div class='box'>{padding}<span>{padding}Artikel Terkait{padding}</span>{padding}</div><div>{links}</div>"
    assert extract(page(related), URL, selectors={"body": ".isi"}).paragraphs == tuple(BODY)


def test_a_block_named_like_boilerplate_that_holds_the_article_stays():
    # "share-wrap" names a share bar, but the article's paragraphs are in it; the ad slot beside it goes.
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    root = lxml.html.fromstring(f"<div class='isi'><div class='share-wrap'>{paragraphs}</div>"
                                "<div class='iklan-slot'>Ruang iklan untuk mitra kami di halaman berita ini</div></div>")
    prune(root)
    assert [block.text for block in linearise(root)] == BODY


def test_drop_lines_hook_removes_learned_lines():
    line = "Ikuti berita terbaru kami di Google News dan WhatsApp Channel sekarang juga, ya."
    html = page(paragraphs=BODY + [line])
    assert line in extract(html, URL).paragraphs
    assert extract(html, URL, drop_lines=frozenset({line})).paragraphs == tuple(BODY)


def test_headline_repeated_in_the_body_is_not_a_paragraph():
    html = page(paragraphs=["Judul di Halaman", *BODY])
    assert extract(html, URL, selectors={"body": ".isi p", "title": "h1"}).paragraphs == tuple(BODY)


# ---------------------------------------------------------------- corrections


@pytest.mark.parametrize("note", [
    "Ralat: Artikel ini sebelumnya memuat tanggal yang keliru. Redaksi mohon maaf.",
    "*Ralat: tanggal yang benar adalah Selasa (22/6/2021).",
    "[Ralat] Nama menteri sebelumnya tertulis keliru.",
    "RALAT - Jumlah korban yang benar adalah 12 orang.",
    "Koreksi: Judul artikel ini telah diubah.",
    "Catatan Redaksi: Artikel ini telah diperbarui dengan tanggapan kementerian.",
    "Hak Jawab: PT Contoh menyatakan bahwa berita tersebut tidak akurat.",
    "Artikel ini telah diperbarui pada Rabu (23/6/2021) pukul 10.00 WIB.",
    "Correction: An earlier version of this story misstated the minister's name.",
    "UPDATE (22/6): This story has been updated with the police statement.",
    "Update: Artikel ini telah diperbarui dengan tanggapan kementerian.",
    "Editor's note: This story has been updated.",
])
@pytest.mark.parametrize("selectors", [None, {"body": ".isi p"}])
def test_a_correction_notice_goes_to_notes_not_the_body(note, selectors):
    article = extract(page(paragraphs=BODY + [note]), URL, selectors=selectors)
    assert article.paragraphs == tuple(BODY)
    assert article.notes == (note,)


def test_body_paragraphs_that_only_start_with_a_label_word_stay():
    lines = ["Koreksi fiskal pemerintah diperkirakan mencapai Rp 20 triliun tahun ini, kata menteri.",
             "Update terbaru menyebutkan jumlah korban bertambah menjadi 12 orang pada Rabu malam."]
    article = extract(page(paragraphs=BODY + lines), URL)
    assert article.paragraphs == (*BODY, *lines)
    assert article.notes == ()


@pytest.mark.parametrize("news", [
    "Update: Hingga Rabu sore, pemerintah belum memberikan tanggapan resmi atas laporan tersebut.",
    "UPDATE (22/6): Police released the suspect.",
    "Update: By Wednesday evening, the government had not responded to the report.",
    "Pembaruan: Jumlah korban bertambah menjadi 12 orang pada Rabu malam.",
])
def test_an_update_that_reports_events_is_body_not_a_notice(news):
    article = extract(page(paragraphs=BODY + [news]), URL)
    assert article.paragraphs == (*BODY, news)
    assert article.notes == ()


def test_an_update_label_on_its_own_line_takes_its_paragraph_only_when_it_speaks_of_the_article():
    notice = extract(page(paragraphs=BODY + ["UPDATE", "This story has been updated to include the ministry's response."]), URL)
    assert notice.notes == ("UPDATE This story has been updated to include the ministry's response.",)
    news = extract(page(paragraphs=BODY + ["UPDATE", "Police released the suspect on Wednesday evening, officials said."]), URL)
    assert news.notes == ()
    assert news.paragraphs[-1] == "Police released the suspect on Wednesday evening, officials said."


@pytest.mark.parametrize("visible", [
    "Correction: An earlier version of this story misstated the minister's name.",
    "CORRECTION - An earlier version of this story misstated the minister's name.",
    "An earlier version of this story misstated the minister's name.",
])
def test_one_correction_in_json_ld_and_on_the_page_is_one_note(visible):
    head = json_ld(headline="x", correction={
        "@type": "CorrectionComment", "text": "An earlier version of this story misstated the minister's name."})
    article = extract(page(head=head, paragraphs=BODY + [visible]), URL)
    assert len(article.notes) == 1
    assert article.paragraphs == tuple(BODY)


def test_distinct_notices_stay_apart():
    head = json_ld(headline="x", correction="Nama narasumber diperbaiki.")
    article = extract(page(head=head, paragraphs=BODY + ["Ralat: Tanggal di paragraf pertama telah diperbaiki."]), URL)
    assert article.notes == ("Nama narasumber diperbaiki.", "Ralat: Tanggal di paragraf pertama telah diperbaiki.")


def test_json_ld_correction_string_and_correction_comment():
    head = json_ld(headline="x", correction=[
        "Tanggal di paragraf pertama telah diperbaiki.",
        {"@type": "CorrectionComment", "text": "Nama narasumber diperbaiki.", "datePublished": "2021-06-23"}])
    assert extract(page(head=head), URL).notes == (
        "Tanggal di paragraf pertama telah diperbaiki.", "Nama narasumber diperbaiki.")


CAPTION = "Presiden Rusia Vladimir Putin menerima pemimpin junta Myanmar di Kremlin, Moskow."


@pytest.mark.parametrize("where", [
    f'<figure><img src="/a.jpg"><figcaption>{CAPTION}</figcaption></figure>',        # an AMP copy, an old template
    f'<p class="foto-ket">{CAPTION}</p>',                                          # a redesign: a plain <p>
    f'<p>{CAPTION} (Foto: Reuters)</p>',                                           # with the agency's credit
])
def test_a_caption_is_a_caption_wherever_the_template_puts_it(where):
    head = json_ld(headline="x", image={"@type": "ImageObject", "url": "/a.jpg", "caption": CAPTION})
    article = extract(page(where, head=head), URL)
    assert article.paragraphs == tuple(BODY)
    assert len(article.captions) == 1 and CAPTION.rstrip(".") in article.captions[0]


def test_json_ld_image_caption_alone_is_the_caption():
    head = json_ld(headline="x", image=[{"@type": "ImageObject", "caption": {"text": CAPTION}}, "/b.jpg"])
    assert extract(page(head=head), URL).captions == (CAPTION,)


def test_a_short_line_in_the_body_is_no_caption_for_sharing_a_short_captions_words():
    head = json_ld(headline="x", image={"@type": "ImageObject", "caption": "Ilustrasi"})
    lines = [*BODY, "Ilustrasi tersebut dibuat oleh warga desa setempat."]
    assert extract(page(head=head, paragraphs=lines), URL).paragraphs == tuple(lines)


def test_notes_selector():
    html = page('<div class="ralat">Artikel ini diperbaiki pada 23 Juni.</div>')
    article = extract(html, URL, selectors={"notes": ".ralat", "body": ".isi"})
    assert article.notes == ("Artikel ini diperbaiki pada 23 Juni.",)
    assert article.paragraphs == tuple(BODY)


# ---------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, iso", [
    ("Selasa, 22 Juni 2021 14:05 WIB", "2021-06-22T14:05:00+07:00"),
    ("Rabu, 23 Juni 2021 - 07:12:00 WIB", "2021-06-23T07:12:00+07:00"),
    ("Selasa, 22 Jun 2021 | 14:05 WIB", "2021-06-22T14:05:00+07:00"),
    ("22/06/2021, 14:05 WIB", "2021-06-22T14:05:00+07:00"),
    ("22/6/2021 14.05 WITA", "2021-06-22T14:05:00+08:00"),
    ("Kamis, 24 Juni 2021 09:30 WIT", "2021-06-24T09:30:00+09:00"),
    ("Diperbarui 1 Agustus 2021, 20:00", "2021-08-01T20:00:00"),
    ("Senin, 7 Desember 2020", "2020-12-07"),
    ("June 22, 2021 2:05 PM", "2021-06-22T14:05:00"),
    ("2021-06-22T14:05:00+07:00", "2021-06-22T14:05:00+07:00"),
    ("2021-06-22T07:05:00Z", "2021-06-22T07:05:00+00:00"),
    ("2021-06-22", "2021-06-22"),
    ("Tue, 22 Jun 2021 14:05:00 +0700", "2021-06-22T14:05:00+07:00"),
])
def test_dates_parse_to_iso(text, iso):
    assert parse_date(text) == iso


def test_unparseable_dates_are_none():
    assert parse_date("14 jam lalu") is None
    assert parse_date("") is None
    assert parse_date("31/02/2021") is None


# ------------------------------------------------------------------- charsets


def test_charset_from_content_type_wins():
    text = "Ekonomi tumbuh 5%, kata menteri — “naik” café".encode("cp1252")
    html = b"<html><head><title>x</title></head><body><p>" + text + b"</p></body></html>"
    article = extract(html, URL, content_type="text/html; charset=windows-1252")
    assert "“naik” café" in " ".join(article.paragraphs + (article.title or "",)) or \
        article.paragraphs == ("Ekonomi tumbuh 5%, kata menteri — “naik” café",)


def test_charset_from_meta_and_default_utf8():
    body = "<p>Berita tentang café dan “kutipan” yang cukup panjang untuk dibaca sebagai paragraf isi.</p>"
    latin = f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'
    assert extract(latin.encode("cp1252"), URL).paragraphs == (
        "Berita tentang café dan “kutipan” yang cukup panjang untuk dibaca sebagai paragraf isi.",)
    http_equiv = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>' \
                 f'<body>{body}</body></html>'
    assert "café" in extract(http_equiv.encode("cp1252"), URL).paragraphs[0]
    plain = f"<html><body>{body}</body></html>".encode()
    assert "“kutipan”" in extract(plain, URL).paragraphs[0]
    broken = plain.replace("café".encode(), b"caf\xe9")
    assert "caf\ufffd" in extract(broken, URL).paragraphs[0]


# -------------------------------------------------------------- normalising


def test_normalise_changes_only_what_a_reader_cannot_see():
    assert normalise_text("  Rusia\u00a0menyatakan\u200b  bakal\n\tmemperkuat\ufeff ") == "Rusia menyatakan bakal memperkuat"
    assert normalise_text("Cafe\u0301") == "Café"                      # NFC
    assert normalise_text("“Kami”") != normalise_text('"Kami"')       # quotes stay distinct
    assert normalise_text("‘a’ — b – c") == "‘a’ — b – c"
    assert normalise_text("Rabu (23/2/2021)") == "Rabu (23/2/2021)"
    assert normalise_text("(23/2/2021)") != normalise_text("(23/6/2021)")
    assert normalise_text("10.000 orang, Rp 1,5 triliun") == "10.000 orang, Rp 1,5 triliun"


def test_extracted_body_keeps_quotes_and_digits():
    lines = ["“Kami bertekad,” kata Shoigu, Rabu (23/2/2021), di hadapan 10.000 orang yang hadir di sana.",
             '"Kami bertekad," kata Shoigu, Rabu (23/6/2021), di hadapan 10.000 orang yang hadir di sana.']
    article = extract(page(paragraphs=BODY + lines), URL)
    assert article.paragraphs[-2:] == tuple(lines)


# --------------------------------------------------------------- soft errors


@pytest.mark.parametrize("html, problem", [
    ("<html><head><title>404 - Halaman Tidak Ditemukan</title></head><body><h1>404</h1>"
     "<p>Maaf, halaman yang Anda cari tidak ditemukan.</p></body></html>", "not_found"),
    ("<html><head><title>Page not found | News</title></head><body><p>Sorry.</p></body></html>", "not_found"),
    ("<html><head><title>Kabar</title></head><body><div class='consent'><p>Kami menghargai privasi Anda. "
     "Kami menggunakan cookie; klik Setuju untuk melanjutkan.</p><button>Setuju</button></div></body></html>",
     "consent"),
    ("<html><head><title>Just a moment...</title></head><body><p>Checking your browser before accessing "
     "the site.</p></body></html>", "captcha"),
    ("<html><head><title>Verifikasi</title></head><body><div class='g-recaptcha'></div><p>Please complete the "
     "captcha to continue.</p></body></html>", "captcha"),
    ("<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1><p>You don't have "
     "permission to access this server.</p></body></html>", "access_denied"),
    ("<html><head><title></title></head><body></body></html>", "empty"),
    ("", "empty"),
])
def test_soft_error_pages_are_named(html, problem):
    article = extract(html.encode(), URL)
    assert article.page_problem == problem
    assert not article.is_article


def test_an_article_about_a_404_is_still_an_article():
    lines = [f"{p} Situs itu menampilkan pesan 404 halaman tidak ditemukan kepada pembaca." for p in BODY] * 3
    article = extract(page(paragraphs=lines, title="Situs Pemerintah Tampilkan Halaman 404"), URL)
    assert article.page_problem is None
    assert article.is_article


def test_a_topic_page_is_not_an_article():
    items = "".join(f"<li><a href='/news/x/judul-berita-nomor-{i}'>Judul berita nomor {i} hari ini</a> "
                    f"<span>{i} jam lalu</span></li>" for i in range(20))
    html = f"<html><head><title>Berita Internasional</title></head><body><ul>{items}</ul></body></html>"
    assert not extract(html.encode(), "https://www.example.co.id/news/internasional").is_article


def test_article_pickles_and_round_trips_as_dict():
    article = extract(page(head=json_ld(headline="x")), URL)
    assert pickle.loads(pickle.dumps(article)) == article
    data = article.as_dict()
    assert data["paragraphs"] == BODY and isinstance(data["notes"], list)
    assert Article(**{**data, **{k: tuple(data[k]) for k in ("paragraphs", "captions", "notes")}}) == article
    assert json.loads(json.dumps(data)) == data


# ---------------------------------------------------------- the demo site

INEWS_SEED = "/inews/news/internasional/gembong-kudeta-kunjungi-moskow-rusia-bakal-perkuat-hubungan-militer-dengan-myanmar"
INEWS_SPLIT = "/inews/news/internasional/kapal-perang-inggris-hms-defender-diusir-rusia-di-laut-hitam"
ANALISA_SEED = "/analisa/berita/baca/2021/06/23/1023418/perkuat-militer-myanmar-junta-berterima-kasih-pada-rusia/"


@pytest.fixture(scope="module")
def demo():
    with demo_site() as site:
        outlets = tomllib.loads(site.outlets_toml())["outlets"]
        yield site, {key: outlets[key]["selectors"] for key in outlets}


def fetch(site: FakeSite, path: str) -> tuple[bytes, str, str]:
    response = site.respond(path)
    assert response.status == 200
    return response.body, site.base + path, response.content_type


def demo_article(site: FakeSite, key: str):
    return site.story(key)


@pytest.mark.parametrize("use_selectors", [True, False])
def test_demo_inews_article(demo, use_selectors):
    site, selectors = demo
    expected = demo_article(site, "inews-seed")
    body, url, ctype = fetch(site, INEWS_SEED)
    article = extract(body, url, ctype, selectors["demo-inews"] if use_selectors else None)
    assert article.title == expected.title
    assert article.paragraphs == tuple(expected.paragraphs)
    assert article.byline == "Ahmad Islamy Jamil"
    assert article.published == "2021-06-23T07:12:00+07:00"
    assert article.captions == (expected.caption,)
    assert article.canonical_url == url
    assert article.notes == () and article.page_problem is None and article.is_article
    assert article.language == "id"


@pytest.mark.parametrize("use_selectors", [True, False])
def test_demo_analisa_article(demo, use_selectors):
    site, selectors = demo
    expected = demo_article(site, "analisa-seed")
    body, url, ctype = fetch(site, ANALISA_SEED)
    article = extract(body, url, ctype, selectors["demo-analisa"] if use_selectors else None)
    assert article.title == expected.title
    assert article.paragraphs == (*expected.paragraphs, f"({expected.byline})")
    assert article.published == expected.published.isoformat()
    assert expected.caption in article.captions or not use_selectors


def test_demo_split_article_names_its_next_page(demo):
    site, selectors = demo
    expected = demo_article(site, "inews-hms-defender")
    first = extract(*fetch(site, INEWS_SPLIT), selectors["demo-inews"])
    second = extract(*fetch(site, INEWS_SPLIT + "/2"), selectors["demo-inews"])
    assert first.next_page_url == site.base + INEWS_SPLIT + "/2"
    assert second.next_page_url is None
    assert first.paragraphs + second.paragraphs == tuple(expected.paragraphs)


@pytest.mark.parametrize("path, outlet", [(INEWS_SEED, "demo-inews"), (INEWS_SPLIT, "demo-inews"),
                                          (ANALISA_SEED, "demo-analisa")])
@pytest.mark.parametrize("use_selectors", [True, False])
def test_demo_boilerplate_churn_never_changes_the_extraction(demo, path, outlet, use_selectors):
    site, selectors = demo
    first, second = fetch(site, path), fetch(site, path)
    assert first[0] != second[0]
    chosen = selectors[outlet] if use_selectors else None
    assert extract(*first, chosen) == extract(*second, chosen)


def test_demo_correction_round_puts_the_ralat_in_notes():
    with demo_site() as site:
        selectors = tomllib.loads(site.outlets_toml())["outlets"]["demo-inews"]["selectors"]
        site.advance()
        site.advance()
        expected = demo_article(site, "inews-seed")
        for chosen in (selectors, None):
            article = extract(*fetch(site, INEWS_SEED), chosen)
            assert article.notes == tuple(expected.notes) and len(article.notes) == 1
            assert article.notes[0].startswith("Ralat: Artikel ini sebelumnya memuat tanggal yang keliru")
            assert article.paragraphs == tuple(expected.paragraphs)
            assert "(23/6/2021)" in article.paragraphs[1]
            assert article.modified == "2021-06-24T09:30:00+07:00"


def test_demo_topic_and_404_pages(demo):
    site, selectors = demo
    topic = extract(*fetch(site, "/inews/news/internasional"), selectors["demo-inews"])
    assert not topic.is_article
    assert topic.next_page_url == site.base + "/inews/news/internasional?page=2"
    response = site.respond("/inews/news/internasional/tidak-ada-artikel-seperti-ini")
    assert response.status == 404
    gone = extract(response.body, site.base + "/x", response.content_type, selectors["demo-inews"])
    assert gone.page_problem == "not_found" and not gone.is_article


# ------------------------------------------------------ the Test News site


@pytest.fixture(scope="module")
def outlet():
    return news_site(articles=4, specials=True)


def test_news_site_article(outlet):
    story = outlet.story(1)
    html = outlet.respond(outlet.article_path(1)).body.decode()
    article = extract(html.encode(), outlet.url(outlet.article_path(1)), "text/html; charset=utf-8")
    assert article.title == story.title
    assert article.byline == story.byline
    assert article.published == story.published.isoformat()
    assert article.paragraphs == tuple(story.paragraphs)
    assert article.captions == (story.caption,)
    assert article.is_article and article.page_problem is None


def test_news_site_churn_and_notes(outlet):
    story = outlet.edit_article(2, notes=["Ralat: Nama narasumber pada paragraf kedua telah diperbaiki."])
    renders = [outlet.respond(outlet.article_path(2)).body.decode() for _ in range(3)]
    assert len(set(renders)) == 3
    articles = [extract(r.encode(), outlet.url(outlet.article_path(2))) for r in renders]
    assert articles[0] == articles[1] == articles[2]
    assert articles[0].notes == tuple(story.notes)
    assert articles[0].paragraphs == tuple(story.paragraphs)


def test_news_site_split_story(outlet):
    story = outlet.story(102)
    pages = [extract(outlet.respond(path).body, outlet.url("/news/102-split-story"))
             for path in ("/news/102-split-story", "/news/102-split-story/2", "/news/102-split-story/3")]
    assert [p.next_page_url for p in pages] == [outlet.url("/news/102-split-story/2"),
                                                outlet.url("/news/102-split-story/3"), None]
    assert sum((p.paragraphs for p in pages), ()) == tuple(story.paragraphs)


# ------------------------------------------------------------------ damaged pages

DAMAGED_BODY = "".join(f"<p>Paragraf {n}: Pemerintah kota menyatakan bahwa pembangunan jembatan baru akan "
                       f"selesai pada akhir tahun ini, sementara warga menunggu kabar dari dinas terkait.</p>"
                       for n in range(1, 7))
DAMAGED_URL = "https://www.contoh.test/berita/12345/jembatan-baru-selesai-akhir-tahun"


def test_windows_1252_bytes_declared_utf8_are_read_as_written():
    page = f"<html><head><title>Kafe</title></head><body><h1>Kafe</h1><p>Le café “naïve” di kota.</p>" \
           f"{DAMAGED_BODY}</body></html>"
    article = extract(page.encode("cp1252"), DAMAGED_URL, "text/html; charset=utf-8")
    assert "Le café “naïve” di kota." in article.paragraphs


def test_a_utf8_page_with_a_few_bad_bytes_stays_utf8():
    page = f"<html><head><title>Kota</title></head><body><h1>Kota</h1><p>Bogor — Jawa Barat Ibu\xff kota.</p>" \
           f"{DAMAGED_BODY}</body></html>"
    article = extract(page.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"), DAMAGED_URL,
                      "text/html; charset=utf-8")
    assert "Bogor — Jawa Barat Ibu\ufffd kota." in article.paragraphs


def test_text_nested_past_the_parsers_depth_is_kept():
    page = f"<html><head><title>Dalam</title></head><body>{'<div>' * 10_000}<h1>Dalam</h1>{DAMAGED_BODY}" \
           f"{'</div>' * 10_000}</body></html>"
    article = extract(page.encode(), DAMAGED_URL, "text/html")
    assert article.title == "Dalam"
    assert len(article.paragraphs) == 6 and article.paragraphs[0].startswith("Paragraf 1:")


@pytest.mark.parametrize("content_type, body", [
    ("application/pdf", b"%PDF-1.4\n" + DAMAGED_BODY.encode()),
    ("image/jpeg", b"\xff\xd8\xff\xe0" + DAMAGED_BODY.encode()),
    (None, b"%PDF-1.4\n" + DAMAGED_BODY.encode()),
])
def test_a_page_that_is_not_html_has_no_article(content_type, body):
    article = extract(body, DAMAGED_URL, content_type)
    assert article.page_problem == "not_html" and not article.paragraphs and not article.is_article


@pytest.mark.parametrize("count", ["Dibaca 1.404 kali", "404.000 penonton", "1,503 shares", "skor 2.500"])
def test_a_count_that_holds_404_or_500_does_not_make_a_short_article_an_error_page(count):
    # Counters on news pages ("Dibaca 1.404 kali") change on every visit: a short article
    # must not turn into a soft error page when one of them happens to spell 404 or 50x.
    article = extract(page(f"<p class='meta'>{count}</p>", title=f"Kabar Singkat, {count}"), URL)
    assert article.page_problem is None


# ------------------------------------------------- parsing as a browser does

def test_an_unclosed_div_in_a_header_button_does_not_swallow_the_article():
    # libxml2 keeps the <div> open past </button>, nesting the article inside the header
    # that pruning drops; a browser (and the HTML5 parser) closes it with the button.
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<html><head><title>Judul</title></head><body><header><button><div>Menu</button></header>" \
           f"<article><h1>Judul</h1>{paragraphs}</article></body></html>"
    root = parse_html(html)
    assert not root.xpath("//header//p") and len(root.xpath("/html/body/article/p")) == len(BODY)
    assert extract(html.encode(), URL).paragraphs == tuple(BODY)


def test_react_streamed_parts_are_read_where_the_page_puts_them():
    streamed = "".join(f"<p>{p}</p>" for p in BODY[2:])
    html = page('<template id="B:0"></template><p class="loading">Memuat...</p>', paragraphs=BODY[:2]).decode()
    html = html.replace("</body>", f'<div hidden id="S:0">{streamed}</div></body>')
    assert extract(html.encode(), URL).paragraphs == tuple(BODY)


# ------------------------------------------------------ what the body keeps

def test_link_free_list_items_of_the_article_stay_and_teaser_lists_go():
    items = ["Jarak tempuh", "Harga tiket", "Waktu tunggu di bandara"]
    content_list = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    teasers = "<ul>" + "".join(f"<li><a href='/{n}'>Judul berita lain nomor {n}</a> 3 jam lalu</li>" for n in range(3)) \
              + "</ul>"
    rating = "<ul><li>Rate artikel ini</li><li><a href='/like'>Like</a></li><li><a href='/no'>Dislike</a></li></ul>"
    paragraphs = extract(page(content_list + teasers + rating), URL).paragraphs
    assert paragraphs == tuple(BODY) + tuple(items)


def test_a_figure_that_sets_a_quote_stays_and_its_caption_goes():
    quote = "Kami bertekad melanjutkan kerja sama pertahanan dengan semua mitra lama kami di kawasan ini, " \
            "termasuk latihan bersama dan pengadaan senjata, katanya."
    figure = f"<figure class='pull-quote'><blockquote><p>{quote}</p></blockquote><figcaption>Foto: Kabar</figcaption>" \
             f"</figure><figure><img src='/a.jpg'><figcaption>Menteri Shoigu di Moskow</figcaption></figure>"
    paragraphs = extract(page(figure), URL).paragraphs
    assert quote in paragraphs and not any("Foto" in p or "Menteri Shoigu di" in p for p in paragraphs)


def test_blocks_named_like_widgets_that_lay_out_the_article_stay():
    # A page builder names every block "widget": together they hold the article.
    blocks = "".join(f"<div class='builder-widget builder-widget-heading'><h2>Bagian {n}</h2></div>"
                     f"<div class='builder-widget builder-widget-prose'><p>{p}</p></div>" for n, p in enumerate(BODY))
    html = f"<html><head><title>Judul</title></head><body><div class='content'>{blocks}</div>" \
           f"<div class='widget widget_recent'><ul><li><a href='/a'>Satu</a></li></ul></div></body></html>"
    root = lxml.html.fromstring(html)
    prune(root)
    assert [block.text for block in linearise(root)] == [t for n, p in enumerate(BODY) for t in (f"Bagian {n}", p)]


@pytest.mark.parametrize("lines", [["Penulis", ": Anju Christian", "Editor", ": Jalu Wisnu Wirajati"],
                                   ["telah dilihat 3584 kali"]])
def test_credit_labels_on_lines_of_their_own_and_view_counts_never_reach_the_body(lines):
    html = page(paragraphs=BODY[:2] + lines + BODY[2:])
    assert extract(html, URL).paragraphs == tuple(BODY)
