"""The demo news site behind `arsip demo` (crawler/demo), fetched over loopback with urllib."""

from __future__ import annotations

import http.client
import re
import tomllib
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from crawler.demo import DemoSite
from archive.outlet import load_outlet_file

INEWS_SEED = "/inews/news/internasional/gembong-kudeta-kunjungi-moskow-rusia-bakal-perkuat-hubungan-militer-dengan-myanmar"
INEWS_SPLIT = "/inews/news/internasional/kapal-perang-inggris-hms-defender-diusir-rusia-di-laut-hitam"
INEWS_NEW = "/inews/news/internasional/gedung-apartemen-12-lantai-runtuh-di-miami-puluhan-penghuni-hilang"
ANALISA_SEED = "/analisa/berita/baca/2021/06/23/1023418/perkuat-militer-myanmar-junta-berterima-kasih-pada-rusia/"
ANALISA_OLIMPIADE = "/analisa/berita/baca/2021/06/22/1022891/jepang-izinkan-penonton-lokal-di-olimpiade-tokyo/"
ANALISA_OLIMPIADE_NEW = (
    "/analisa/berita/baca/2021/06/22/1022891/olimpiade-tokyo-batasi-penonton-lokal-maksimal-10000-orang-per-venue/"
)
ANALISA_MCAFEE = "/analisa/berita/baca/2021/06/24/1023702/pendiri-mcafee-ditemukan-tewas-di-penjara-spanyol/"
ANALISA_DELETED = "/analisa/berita/baca/2021/06/22/1022960/etiopia-gelar-pemilu-di-tengah-konflik-tigray/"


@pytest.fixture
def site():
    with DemoSite() as running:
        yield running


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(site: DemoSite, path: str, follow: bool = True) -> tuple[int, dict, str, str]:
    """(status, headers, text, final URL) of a GET; HTTP errors are answers, not exceptions."""
    url = path if path.startswith("http") else site.base + path
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8"), resp.geturl()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8"), url


def get(site: DemoSite, path: str) -> str:
    status, _, text, _ = fetch(site, path)
    assert status == 200, f"{path}: HTTP {status}"
    return text


class _Scan(HTMLParser):
    """Links, <link rel> targets, and the text of <p> elements inside the body container."""

    def __init__(self, body_class: str):
        super().__init__(convert_charrefs=True)
        self.body_class = body_class
        self.links: list[str] = []
        self.rel: dict[str, list[str]] = {}
        self.paragraphs: list[str] = []
        self.title = ""
        self._depth = 0          # open <div>s inside the body container (0: outside)
        self._p: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            if tag == "a":
                self.links.append(a["href"])
            for rel in (a.get("rel") or "").split():
                self.rel.setdefault(rel, []).append(a["href"])
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif self.body_class in (a.get("class") or "").split():
                self._depth = 1
        if tag == "p" and self._depth:
            self._p = []
        if tag in ("h1", "h3") and not self.title:
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1
        if tag == "p" and self._p is not None:
            self.paragraphs.append(" ".join("".join(self._p).split()))
            self._p = None
        if tag in ("h1", "h3"):
            self._in_title = False

    def handle_data(self, data):
        if self._p is not None:
            self._p.append(data)
        if self._in_title:
            self.title += data


def scan(text: str, body_class: str = "content") -> _Scan:
    parser = _Scan(body_class)
    parser.feed(text)
    parser.close()
    return parser


def article_text(text: str, body_class: str) -> list[str]:
    """The body paragraphs a reader reads: without the "Baca Juga" lines."""
    return [p for p in scan(text, body_class).paragraphs if not p.startswith("Baca Juga")]


def outlets(site: DemoSite) -> dict:
    return tomllib.loads(site.outlets_toml())["outlets"]


def topic_article_links(site: DemoSite, topic: str) -> tuple[set[str], list[str]]:
    """Every absolute link on a topic page and its rel=next pages; and the pages visited."""
    links, pages, url = set(), [], site.base + topic
    while url and url not in pages:
        pages.append(url)
        parsed = scan(get(site, url))
        links.update(urljoin(url, href) for href in parsed.links)
        nxt = parsed.rel.get("next", [])
        url = urljoin(url, nxt[0]) if nxt else None
    return links, pages


# ----------------------------------------------------------------------- serving


def test_start_binds_a_free_loopback_port_and_stop_releases_it():
    site = DemoSite()
    assert site.round == 1 and DemoSite.ROUNDS == 3
    assert site.start() is site
    try:
        assert site.port > 0 and site.base == f"http://127.0.0.1:{site.port}"
        assert fetch(site, "/")[0] == 200
    finally:
        site.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(site.base + "/", timeout=2)
    site.stop()  # stopping twice is harmless


def test_pages_serve_with_utf8_html_and_content_length(site):
    for path in ("/inews/news/internasional", INEWS_SEED, INEWS_SPLIT, INEWS_SPLIT + "/2",
                 "/analisa/internasional", ANALISA_SEED):
        status, headers, text, _ = fetch(site, path)
        assert status == 200, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert int(headers["Content-Length"]) == len(text.encode("utf-8"))
    status, headers, text, _ = fetch(site, "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert [line for line in text.splitlines() if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert fetch(site, "/no/such/page")[0] == 404
    assert fetch(site, "/inews/news/internasional/no-such-article")[0] == 404


def test_keep_alive_serves_several_requests_on_one_connection(site):
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        for path in ("/inews/news/internasional", INEWS_SEED, "/robots.txt", "/missing", ANALISA_SEED):
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert len(body) == int(resp.getheader("Content-Length"))
            assert not resp.will_close, path
        conn.request("HEAD", INEWS_SEED)
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b"" and int(resp.getheader("Content-Length")) > 0
    finally:
        conn.close()


def test_seed_articles_carry_their_real_text(site):
    inews = get(site, INEWS_SEED)
    assert scan(inews).title == "Gembong Kudeta Kunjungi Moskow, Rusia Bakal Perkuat Hubungan Militer dengan Myanmar"
    paragraphs = article_text(inews, "content")
    assert paragraphs[0].startswith("MOSKOW, iNews.id Rusia menyatakan bakal memperkuat hubungan militer")
    assert "(22/6/2/2021)" in paragraphs[0] and "(23/2/2021)" in paragraphs[1]
    assert len(paragraphs) == 5
    assert '<div class="author">' in inews and "Ahmad Islamy Jamil" in inews
    assert '<div class="createdAt">Rabu, 23 Juni 2021' in inews
    assert "Editor : <span>Ahmad Islamy Jamil</span>" in inews
    assert "Artikel Terkait" in inews and "Berita Terkini" in inews
    assert '"@type": "NewsArticle"' in inews and 'property="og:title"' in inews
    assert f'<link rel="canonical" href="{site.base}{INEWS_SEED}">' in inews

    analisa = get(site, ANALISA_SEED)
    assert "<h3>Perkuat Militer Myanmar, Junta Berterima Kasih Pada Rusia</h3>" in analisa
    assert '<div class="dateNews">' in analisa
    body = article_text(analisa, "isiNews")
    assert body[0].startswith("Analisadaily.com, Yangon - Kepala junta Myanmar")
    assert body[-1] == "(CSP)"
    assert "Baca Juga" in analisa and "Rekomendasi" in analisa


# ------------------------------------------------------------- topics and regexes


def test_inews_topic_paginates_over_two_pages(site):
    first = scan(get(site, "/inews/news/internasional"))
    assert first.rel["next"][0] == site.base + "/inews/news/internasional?page=2"
    second = scan(get(site, "/inews/news/internasional?page=2"))
    assert "next" not in second.rel
    assert second.rel["prev"][0] == site.base + "/inews/news/internasional"
    assert fetch(site, "/inews/news/internasional?page=3")[0] == 404


def test_regexes_from_outlets_toml_match_the_topic_page_articles(site):
    table = outlets(site)
    assert set(table) == {"demo-inews", "demo-analisa"}
    host = f"127.0.0.1:{site.port}"
    for key, topic, expected in (
        ("demo-inews", "/inews/news/internasional", 5),
        ("demo-analisa", "/analisa/internasional", 6),
    ):
        outlet = table[key]
        assert outlet["domains"] == [host]
        assert outlet["topics"] == [site.base + topic]
        regex = re.compile(outlet["article_url"])
        links, pages = topic_article_links(site, topic)
        articles = {link for link in links if regex.search(link)}
        assert len(articles) == expected, (key, sorted(articles))
        assert not any(regex.search(page) for page in pages)
        for url in articles:
            assert fetch(site, url, follow=False)[0] == 200, url
        if key == "demo-analisa":
            ids = {regex.search(url).group("id") for url in articles}
            assert len(ids) == expected and all(i.isdigit() for i in ids)
            assert regex.search(site.base + ANALISA_SEED).group("id") == "1023418"
    inews = re.compile(table["demo-inews"]["article_url"])
    assert inews.search(site.base + INEWS_SPLIT)
    assert not inews.search(site.base + INEWS_SPLIT + "/2")
    assert not inews.search(site.base + "/inews/news/internasional?page=2")
    assert inews.search(f"http://127.0.0.1:{site.port + 1}{INEWS_SPLIT}") is None


def test_split_article_links_its_second_page(site):
    first_html = get(site, INEWS_SPLIT)
    first = scan(first_html)
    assert first.rel["next"] == [site.base + INEWS_SPLIT + "/2"] * 2   # <link> and <a rel=next>
    second_html = get(site, INEWS_SPLIT + "/2")
    second = scan(second_html)
    assert second.rel["prev"][0] == site.base + INEWS_SPLIT
    assert "next" not in second.rel
    one, two = article_text(first_html, "content"), article_text(second_html, "content")
    assert len(one) == 4 and len(two) == 4 and not set(one) & set(two)
    assert "Editor :" not in first_html and "Editor :" in second_html
    assert fetch(site, INEWS_SPLIT + "/3")[0] == 404


def test_outlet_file_from_outlets_toml_loads(site, tmp_path):
    path = tmp_path / "demo-outlets.toml"
    path.write_text(site.outlets_toml(), encoding="utf-8")
    loaded = load_outlet_file(path)
    assert set(loaded) == {"demo-inews", "demo-analisa"}
    inews, analisa = loaded["demo-inews"], loaded["demo-analisa"]
    assert inews.owns(site.base + INEWS_SEED) and analisa.owns(site.base + ANALISA_SEED)
    assert inews.is_article(site.base + INEWS_SEED)
    assert not inews.is_article(site.base + INEWS_SPLIT + "/2")
    assert not inews.is_article(site.base + ANALISA_SEED)
    assert not analisa.is_article(site.base + INEWS_SEED)
    assert analisa.article_id(site.base + ANALISA_SEED) == "1023418"
    assert inews.article_id(site.base + INEWS_SEED) is None


def test_outlets_toml_needs_a_started_site():
    with pytest.raises(RuntimeError):
        DemoSite().outlets_toml()


# ------------------------------------------------------------------ churn vs text


@pytest.mark.parametrize("path, body_class", [
    (INEWS_SEED, "content"), (INEWS_SPLIT, "content"), (ANALISA_SEED, "isiNews"), (ANALISA_MCAFEE, "isiNews"),
])
def test_boilerplate_churns_but_the_article_does_not(site, path, body_class):
    first, second = get(site, path), get(site, path)
    assert first != second
    tokens = re.compile(r'(?:csrf-token" content|name="_token" value)="([^"]+)"')
    assert tokens.findall(first) and tokens.findall(first) != tokens.findall(second)
    ads = re.compile(r'(?:data-ad-token="|/analisa/iklan\?t=)([0-9a-f]+)')
    assert ads.findall(first) and set(ads.findall(first)).isdisjoint(ads.findall(second))
    counters = re.compile(r"Dibaca:? ([\d.]+) kali")
    assert counters.search(first).group(1) != counters.search(second).group(1)
    assert article_text(first, body_class) == article_text(second, body_class)
    assert scan(first, body_class).title == scan(second, body_class).title


def test_topic_pages_churn_relative_times_and_order(site):
    relative = re.compile(r"\d+ (?:menit|jam|hari) lalu")
    inews = [get(site, "/inews/news/internasional") for _ in range(6)]
    assert all(relative.search(page) for page in inews)
    assert len({tuple(relative.findall(page)) for page in inews}) > 1
    terkini = [re.findall(r'<li><a href="([^"]+)"', page.split("Berita Terkini", 1)[1]) for page in inews]
    assert len({tuple(order) for order in terkini}) > 1
    analisa = [get(site, "/analisa/internasional") for _ in range(3)]
    assert len({tuple(relative.findall(page)) for page in analisa}) > 1


# ------------------------------------------------------------------------ rounds


def test_round_two_corrects_the_inews_seed_dates(site):
    before = get(site, INEWS_SEED)
    description = site.advance()
    assert site.round == 2
    assert description and "\n" not in description
    after = get(site, INEWS_SEED)
    old, new = article_text(before, "content"), article_text(after, "content")
    assert "(22/6/2021)" in new[0] and "(22/6/2/2021)" not in new[0]
    assert "(23/6/2021)" in new[1] and "(23/2/2021)" not in new[1]
    assert old[2:] == new[2:]
    modified = re.compile(r'article:modified_time" content="([^"]+)"')
    assert modified.search(before).group(1) != modified.search(after).group(1)
    assert re.search(r'"dateModified": "2021-06-23T14:05:00\+07:00"', after)
    # the other articles stay as they were
    assert article_text(get(site, ANALISA_SEED), "isiNews")[0].startswith("Analisadaily.com, Yangon")
    assert fetch(site, INEWS_NEW)[0] == 404


def test_round_three_edits_adds_and_deletes(site):
    before = {path: get(site, path) for path in (ANALISA_OLIMPIADE, ANALISA_MCAFEE)}
    site.advance()
    description = site.advance()
    assert site.round == 3
    assert description and "\n" not in description

    # a reworded headline (and slug); the old URL leads to the new one
    status, headers, _, _ = fetch(site, ANALISA_OLIMPIADE, follow=False)
    assert status == 301 and headers["Location"] == site.base + ANALISA_OLIMPIADE_NEW
    renamed = get(site, ANALISA_OLIMPIADE_NEW)
    assert scan(renamed, "isiNews").title != scan(before[ANALISA_OLIMPIADE], "isiNews").title
    assert "<h3>Olimpiade Tokyo Batasi Penonton Lokal" in renamed
    assert article_text(renamed, "isiNews") == article_text(before[ANALISA_OLIMPIADE], "isiNews")

    # a paragraph added
    old, new = article_text(before[ANALISA_MCAFEE], "isiNews"), article_text(get(site, ANALISA_MCAFEE), "isiNews")
    assert len(new) == len(old) + 1 and set(old) < set(new)
    assert any("Javier Villalba" in p for p in new)

    # a correction note on the iNews seed (whose dates round 2 fixed)
    seed = article_text(get(site, INEWS_SEED), "content")
    assert seed[-1].startswith("Ralat:") and "(23/6/2021)" in seed[1]

    # a new article on the topic page, an old one gone
    inews_links, _ = topic_article_links(site, "/inews/news/internasional")
    assert site.base + INEWS_NEW in inews_links
    assert fetch(site, INEWS_NEW)[0] == 200
    analisa_links, _ = topic_article_links(site, "/analisa/internasional")
    assert site.base + ANALISA_DELETED not in analisa_links
    assert site.base + ANALISA_OLIMPIADE_NEW in analisa_links
    assert fetch(site, ANALISA_DELETED)[0] == 404
    assert all(ANALISA_DELETED not in get(site, path) for path in (ANALISA_SEED, ANALISA_MCAFEE))

    # the regexes still hold for the new and renamed articles
    table = outlets(site)
    assert re.search(table["demo-inews"]["article_url"], site.base + INEWS_NEW)
    assert re.search(table["demo-analisa"]["article_url"], site.base + ANALISA_OLIMPIADE_NEW).group("id") == "1022891"


def test_advancing_past_the_last_round_keeps_the_last_state(site):
    for _ in range(DemoSite.ROUNDS - 1):
        site.advance()
    last = {path: article_text(get(site, path), cls)
            for path, cls in ((INEWS_SEED, "content"), (ANALISA_MCAFEE, "isiNews"), (INEWS_NEW, "content"))}
    description = site.advance()
    assert site.round == DemoSite.ROUNDS + 1 and description
    for path, cls in ((INEWS_SEED, "content"), (ANALISA_MCAFEE, "isiNews"), (INEWS_NEW, "content")):
        assert article_text(get(site, path), cls) == last[path]
    assert fetch(site, ANALISA_DELETED)[0] == 404
