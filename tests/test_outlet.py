"""The outlet loader and the built-in outlet definitions (no network, no database)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from archive.errors import ArsipError
from archive.outlet import (
    BUILTIN_DIR,
    DEFAULT_SCHEDULE,
    Outlet,
    OutletError,
    check_ties,
    load_outlet_file,
    load_outlets,
    owner_of,
)

INEWS_SEED = (
    "https://www.inews.id/news/internasional/"
    "gembong-kudeta-kunjungi-moskow-rusia-bakal-perkuat-hubungan-militer-dengan-myanmar"
)
ANALISA_SEED = (
    "https://analisadaily.com/berita/baca/2021/06/23/1075375/"
    "perkuat-militer-myanmar-junta-berterima-kasih-pada-rusia/"
)

# key -> [(a realistic article URL, the article id it carries or None)]
ARTICLES: dict[str, list[tuple[str, str | None]]] = {
    "inews": [
        (INEWS_SEED, None),
        ("https://www.inews.id/news/nasional/jokowi-minta-ppkm-mikro-diperketat-mulai-besok", None),
        ("https://www.inews.id/finance/bisnis/harga-emas-antam-hari-ini-naik-rp3000", None),
        ("https://www.inews.id/regional/jawa-timur/banjir-rendam-ratusan-rumah-di-jember", None),
        ("https://www.inews.id/sport/soccer/hasil-euro-2020-italia-menang-1-0", None),
        ("https://www.inews.id/otomotif/mobil/mobil-listrik-baru-meluncur-di-indonesia", None),
        ("https://www.inews.id/lifestyle/health/5-manfaat-jalan-kaki-setiap-pagi", None),
    ],
    "analisadaily": [
        (ANALISA_SEED, "1075375"),
        (ANALISA_SEED.rstrip("/"), "1075375"),
        (ANALISA_SEED.replace("https://", "https://www."), "1075375"),
        ("https://analisadaily.com/berita/baca/2021/06/22/1074980/pemko-medan-gelar-vaksinasi-massal/", "1074980"),
    ],
    "detik": [
        ("https://news.detik.com/internasional/d-5617896/pemimpin-junta-myanmar-kunjungi-rusia", "5617896"),
        ("https://news.detik.com/berita/d-5617001/ppkm-mikro-diperketat", "5617001"),
        ("https://www.detik.com/jatim/berita/d-6400123/banjir-di-jember", "6400123"),
    ],
    "kompas": [
        (
            "https://internasional.kompas.com/read/2021/06/23/10301257/pemimpin-junta-myanmar-ke-rusia",
            "2021/06/23/10301257",
        ),
        ("https://nasional.kompas.com/read/2021/06/22/18013691/ppkm-mikro-diperketat", "2021/06/22/18013691"),
    ],
    "cnnindonesia": [
        (
            "https://www.cnnindonesia.com/internasional/20210623103512-106-658731/junta-myanmar-kunjungi-rusia",
            "658731",
        ),
        ("https://www.cnnindonesia.com/gaya-hidup/20210622120000-255-658100/tips-sehat-di-rumah", "658100"),
    ],
    "tempo": [
        ("https://dunia.tempo.co/read/1475480/pemimpin-junta-myanmar-kunjungi-rusia", "1475480"),
        ("https://nasional.tempo.co/read/1475111/ppkm-mikro-diperketat", "1475111"),
    ],
    "antaranews": [
        ("https://www.antaranews.com/berita/2227070/pemimpin-junta-myanmar-berkunjung-ke-rusia", "2227070"),
    ],
    "liputan6": [
        ("https://www.liputan6.com/global/read/4589420/pemimpin-junta-myanmar-kunjungi-rusia", "4589420"),
        ("https://www.liputan6.com/news/read/4588001/ppkm-mikro-diperketat", "4588001"),
    ],
    "tribunnews": [
        ("https://www.tribunnews.com/internasional/2021/06/23/pemimpin-junta-myanmar-kunjungi-rusia", None),
    ],
    "okezone": [
        ("https://news.okezone.com/read/2021/06/23/18/2429850/pemimpin-junta-myanmar-kunjungi-rusia", "2429850"),
    ],
    "republika": [
        ("https://internasional.republika.co.id/berita/qv4l8w335/pemimpin-junta-myanmar-kunjungi-rusia", "qv4l8w335"),
    ],
    "suara": [
        ("https://www.suara.com/news/2021/06/23/101513/pemimpin-junta-myanmar-kunjungi-rusia", "news/2021/06/23/101513"),
    ],
}

# key -> URLs that look close to an article but are not one (besides the outlet's topic pages)
NOT_ARTICLES: dict[str, list[str]] = {
    "inews": [
        INEWS_SEED + "/2",
        INEWS_SEED + "/all",
        INEWS_SEED + "/",
        INEWS_SEED + "?utm_source=x",
        INEWS_SEED.replace("www.inews.id/", "www.inews.id/amp/"),
        INEWS_SEED.replace("www.inews.id/", "www.inews.id/amp/") + "/all",
        "https://www.inews.id/news/internasional",
        "https://www.inews.id/news/internasional/2",
        "https://www.inews.id/tag/myanmar",
        "https://www.inews.id/video/news/video-junta-myanmar-kunjungi-rusia",
        "http://www.inews.id/news/internasional/gembong-kudeta-kunjungi-moskow",
        "https://www.inews.id.evil.example/news/internasional/gembong-kudeta-kunjungi-moskow",
    ],
    "analisadaily": [
        "https://analisadaily.com/",
        "https://analisadaily.com/berita/baca/2021/06/23/1075375/",
        "https://analisadaily.com/berita/baca/2021/06/23/abc/perkuat-militer/",
        ANALISA_SEED + "?page=2",
        "https://analisadaily.com.evil.example/berita/baca/2021/06/23/1075375/perkuat-militer/",
    ],
    "detik": ["https://news.detik.com/indeks?page=2", "https://news.detik.com/berita/sitemap_news.xml"],
    "kompas": [
        "https://indeks.kompas.com/?page=2",
        "https://internasional.kompas.com/read/2021/06/23/10301257/pemimpin-junta-myanmar-ke-rusia?page=all",
    ],
    "cnnindonesia": ["https://www.cnnindonesia.com/internasional/rss"],
    "tempo": ["https://dunia.tempo.co/read/1475480"],
    "antaranews": ["https://www.antaranews.com/terkini?page=2"],
    "liputan6": ["https://www.liputan6.com/global"],
    "tribunnews": [
        "https://www.tribunnews.com/internasional/sitemap-news.xml",
        "https://www.tribunnews.com/internasional/2021/06/23/pemimpin-junta-myanmar-kunjungi-rusia?page=all",
    ],
    "okezone": ["https://www.okezone.com/tag/rusia"],
    "republika": ["https://www.republika.co.id/tag/rusia"],
    "suara": ["https://www.suara.com/indeks"],
}

MINIMAL = """\
[outlets.{key}]
name = "Contoh"
domains = ["contoh.test", "www.contoh.test"]
topics = ["https://www.contoh.test/berita"]
article_url = '^https://www\\.contoh\\.test/berita/(?P<id>\\d+)/[a-z0-9-]+$'
"""


def write(tmp_path: Path, text: str, name: str = "outlets.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def outlet_toml(key: str = "contoh", **overrides: str | None) -> str:
    """An outlet table; each override is a TOML value (None drops the key)."""
    fields = {
        "name": '"Contoh"',
        "domains": '["contoh.test", "www.contoh.test"]',
        "topics": '["https://www.contoh.test/berita"]',
        "article_url": r"'^https://www\.contoh\.test/berita/(?P<id>\d+)/[a-z0-9-]+$'",
    }
    fields.update(overrides)
    lines = [f"[outlets.{key}]"]
    lines += [f"{name} = {value}" for name, value in fields.items() if value is not None and name != "selectors"]
    if fields.get("selectors") is not None:
        lines.append(f"[outlets.{key}.selectors]")
        lines.append(fields["selectors"])
    return "\n".join(lines) + "\n"


def load_error(path: Path) -> str:
    with pytest.raises(OutletError) as info:
        load_outlet_file(path)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message, message
    assert message == info.value.message
    return message


def assert_shape(message: str, path: Path, key: str, field: str) -> None:
    assert message.startswith(f"{path}: "), message
    assert f"outlet {key!r}" in message, message
    assert f"key {field!r}" in message, message


# ---------------------------------------------------------------- built-ins


@pytest.fixture(scope="module")
def builtins() -> dict[str, Outlet]:
    return load_outlets()


def test_builtins_load(builtins):
    assert len(builtins) >= 12
    assert {"inews", "analisadaily"} <= set(builtins)
    assert set(ARTICLES) <= set(builtins)
    for key, outlet in builtins.items():
        assert outlet.key == key
        assert outlet.language == "id"
        assert Path(outlet.source).parent == BUILTIN_DIR


def test_every_builtin_has_examples(builtins):
    assert set(builtins) == set(ARTICLES) == set(NOT_ARTICLES)


def test_one_outlet_per_builtin_file():
    files = sorted(BUILTIN_DIR.glob("*.toml"))
    assert len(files) >= 12
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#"), f"{path.name}: first line should say where the facts came from"
        data = tomllib.loads(text)
        assert list(data) == ["outlets"]
        assert list(data["outlets"]) == [path.stem], path.name


def test_builtin_inews_and_analisadaily(builtins):
    inews = builtins["inews"]
    assert inews.name == "iNews.id"
    assert set(inews.domains) == {"inews.id", "www.inews.id"}
    assert "https://www.inews.id/news/internasional" in inews.topics
    assert "https://www.inews.id/news/nasional" in inews.topics
    assert "id" not in inews.article_url.groupindex
    assert inews.selectors["body"] == ".content"
    assert inews.selectors["title"] == "h1"

    analisa = builtins["analisadaily"]
    assert set(analisa.domains) == {"analisadaily.com", "www.analisadaily.com"}
    assert "https://analisadaily.com/internasional" in analisa.topics
    assert "https://analisadaily.com/medan" in analisa.topics
    assert analisa.article_id(ANALISA_SEED) == "1075375"


@pytest.mark.parametrize(
    "key,url,article_id",
    [(key, url, article_id) for key, examples in ARTICLES.items() for url, article_id in examples],
)
def test_builtin_article_url_matches(builtins, key, url, article_id):
    outlet = builtins[key]
    assert outlet.is_article(url), url
    assert outlet.owns(url), url
    assert outlet.article_id(url) == article_id
    others = [k for k, o in builtins.items() if k != key and o.is_article(url)]
    assert others == [], f"{url} also matches {others}"


@pytest.mark.parametrize("key,url", [(key, url) for key, urls in NOT_ARTICLES.items() for url in urls])
def test_builtin_article_url_rejects_near_misses(builtins, key, url):
    assert not builtins[key].is_article(url), url


def test_builtin_topics_are_not_articles(builtins):
    for key, outlet in builtins.items():
        assert outlet.topics, key
        for topic in outlet.topics:
            assert outlet.owns(topic), (key, topic)
            assert not outlet.is_article(topic), (key, topic)
            assert not any(o.is_article(topic) for o in builtins.values()), (key, topic)


def test_builtin_regexes_are_anchored(builtins):
    for key, outlet in builtins.items():
        pattern = outlet.article_url.pattern
        assert pattern.startswith("^https://") and pattern.endswith("$"), key
        assert outlet.article_url.flags & re.IGNORECASE == 0, key


def test_builtin_schedules_are_staggered(builtins):
    # the first minute of the hour each outlet fires at: at most one outlet starts at :00
    first_minutes = [re.split(r"[-/,]", o.schedule.split()[0])[0] for o in builtins.values()]
    assert all(m == "*" or m.isdigit() for m in first_minutes), first_minutes
    assert sum(m in ("*", "0") for m in first_minutes) <= 1, first_minutes
    assert len(set(first_minutes)) == len(first_minutes), first_minutes


def test_builtin_selectors_use_known_keys(builtins):
    assert all(builtins[k].selectors for k in ("inews", "analisadaily", "detik", "kompas"))
    for outlet in builtins.values():
        for name, selector in outlet.selectors.items():
            assert selector.strip() == selector and selector


def test_as_dict_shape(builtins):
    data = builtins["inews"].as_dict()
    assert set(data) >= {"key", "name", "domains", "topics", "article_url", "language", "schedule", "selectors"}
    assert data["key"] == "inews"
    assert re.compile(data["article_url"]).search(INEWS_SEED)


# ---------------------------------------------------------------- user files


def test_user_file_adds_an_outlet(tmp_path, builtins):
    path = write(tmp_path, outlet_toml("contoh"))
    outlets = load_outlets(path)
    assert set(outlets) == set(builtins) | {"contoh"}
    contoh = outlets["contoh"]
    assert contoh.source == str(path)
    assert contoh.article_id("https://www.contoh.test/berita/42/judul-berita") == "42"
    assert contoh.schedule == DEFAULT_SCHEDULE
    assert contoh.language == "id"
    assert contoh.selectors == {}
    assert contoh.topic_depth == 3 and contoh.article_pages == 10


def test_user_file_replaces_a_builtin_whole(tmp_path, builtins):
    path = write(
        tmp_path,
        outlet_toml(
            "inews",
            name='"iNews lokal"',
            domains='["127.0.0.1:8080"]',
            topics='["http://127.0.0.1:8080/news/internasional"]',
            article_url=r"'^http://127\.0\.0\.1:8080/news/[a-z]+/[a-z0-9-]+$'",
            schedule='"*/5 * * * *"',
        ),
    )
    outlets = load_outlets(path)
    assert set(outlets) == set(builtins)
    inews = outlets["inews"]
    assert inews.name == "iNews lokal"
    assert inews.domains == ("127.0.0.1:8080",)
    assert inews.selectors == {}  # replaced whole, not merged
    assert inews.source == str(path)
    assert inews.owns("http://127.0.0.1:8080/news/internasional/x-y")
    assert not inews.owns(INEWS_SEED)
    assert outlets["analisadaily"] is not None and outlets["analisadaily"].source != str(path)


def test_user_file_with_several_outlets_and_all_keys(tmp_path):
    text = outlet_toml(
        "satu",
        language='"en"',
        schedule='"7-59/20 * * * *"',
        topic_depth="5",
        article_pages="4",
        selectors='title = "h1"\nbody = ".content p"\nnext_page = "a[rel=next]"\nnotes = ".ralat"',
    ) + outlet_toml("dua_2")
    outlets = load_outlet_file(write(tmp_path, text))
    assert set(outlets) == {"satu", "dua_2"}
    satu = outlets["satu"]
    assert satu.language == "en"
    assert satu.schedule == "7-59/20 * * * *"
    assert satu.topic_depth == 5 and satu.article_pages == 4
    assert satu.selectors == {"title": "h1", "body": ".content p", "next_page": "a[rel=next]", "notes": ".ralat"}


def test_empty_user_file_adds_nothing(tmp_path, builtins):
    assert load_outlet_file(write(tmp_path, "# nothing yet\n")) == {}
    assert set(load_outlets(write(tmp_path, ""))) == set(builtins)


@pytest.mark.parametrize("domain", ["127.0.0.1:8080", "localhost:8000", "LOCALHOST", "sub.contoh.test:443"])
def test_domains_with_ports_and_ips(tmp_path, domain):
    host = domain.lower()
    path = write(
        tmp_path,
        outlet_toml(
            "lokal",
            domains=f'["{domain}"]',
            topics=f'["http://{domain}/topik"]',
            article_url=r"'^http://[^/]+/artikel/(?P<id>\d+)$'",
        ),
    )
    lokal = load_outlet_file(path)["lokal"]
    assert lokal.domains == (host,)
    assert lokal.owns(f"http://{host}/artikel/1")
    assert lokal.owns(f"http://{domain}/artikel/1")
    assert not lokal.owns("http://example.test/artikel/1")
    assert lokal.article_id(f"http://{host}/artikel/17") == "17"


def lokal(tmp_path, domains: str, topic: str = "http://127.0.0.1:8080/topik") -> Outlet:
    path = write(tmp_path, outlet_toml("lokal", domains=domains, topics=f'["{topic}"]',
                                       article_url=r"'/artikel/(?P<id>\d+)$'"))
    return load_outlet_file(path)["lokal"]


def test_a_bare_domain_covers_its_subdomains_on_any_port(tmp_path):
    outlet = lokal(tmp_path, '["contoh.test"]', "https://www.contoh.test/berita")
    for url in ("https://contoh.test/artikel/1", "https://www.contoh.test/artikel/1",
                "http://sumut.contoh.test:8080/artikel/1", "https://WWW.Contoh.Test/artikel/1"):
        assert outlet.owns(url), url
    for url in ("https://notcontoh.test/artikel/1", "https://contoh.test.evil.test/artikel/1",
                "https://test/artikel/1", "https://user@evil.test/@contoh.test/artikel/1",
                "https://contoh.test:notaport/artikel/1"):
        assert not outlet.owns(url), url


def test_an_ip_address_covers_itself_on_any_port(tmp_path):
    outlet = lokal(tmp_path, '["127.0.0.1"]', "http://127.0.0.1:43210/topik")
    assert outlet.owns("http://127.0.0.1:43210/artikel/1") and outlet.owns("http://127.0.0.1/artikel/1")
    assert not outlet.owns("http://127.0.0.2:43210/artikel/1")
    assert not lokal(tmp_path, '["0.0.1"]', "http://0.0.1/topik").owns("http://127.0.0.1/artikel/1")


def test_host_and_port_matches_exactly(tmp_path):
    outlet = lokal(tmp_path, '["127.0.0.1:8080", "contoh.test:443"]')
    assert outlet.owns("http://127.0.0.1:8080/artikel/1")
    assert outlet.owns("https://contoh.test/artikel/1"), "443 is https's own port"
    for url in ("http://127.0.0.1:8081/artikel/1", "http://127.0.0.1/artikel/1", "http://127.0.0.2:8080/artikel/1",
                "http://contoh.test/artikel/1", "https://www.contoh.test/artikel/1"):
        assert not outlet.owns(url), url


def test_a_port_out_of_range_is_refused(tmp_path):
    message = load_error(write(tmp_path, outlet_toml("contoh", domains='["contoh.test:70000"]')))
    assert_shape(message, tmp_path / "outlets.toml", "contoh", "domains")


def test_the_most_specific_domain_owns_a_url(tmp_path):
    article = r"'/berita/(?P<id>\d+)$'"
    text = (outlet_toml("induk", domains='["contoh.test"]', topics='["https://www.contoh.test/"]', article_url=article)
            + outlet_toml("daerah", domains='["sumut.contoh.test"]', topics='["https://sumut.contoh.test/"]',
                          article_url=article)
            + outlet_toml("lokal", domains='["www.contoh.test:8080"]', topics='["http://www.contoh.test:8080/"]',
                          article_url=article))
    outlets = load_outlet_file(write(tmp_path, text))
    check_ties(outlets)
    assert owner_of(outlets, "https://www.contoh.test/berita/1") == "induk"
    assert owner_of(outlets, "https://medan.sumut.contoh.test/berita/1") == "daerah"
    assert owner_of(outlets, "http://www.contoh.test:8080/berita/1") == "lokal"
    assert owner_of(outlets, "http://www.contoh.test:8081/berita/1") == "induk"
    assert owner_of(outlets, "https://elsewhere.test/berita/1") is None


def test_outlets_sharing_a_host_are_told_apart_by_their_article_urls(tmp_path):
    text = (outlet_toml("satu", domains='["127.0.0.1:8080"]', topics='["http://127.0.0.1:8080/satu/"]',
                        article_url=r"'/satu/(?P<id>\d+)$'")
            + outlet_toml("dua", domains='["127.0.0.1:8080"]', topics='["http://127.0.0.1:8080/dua/"]',
                          article_url=r"'/dua/(?P<id>\d+)$'"))
    outlets = load_outlets(write(tmp_path, text))
    assert owner_of(outlets, "http://127.0.0.1:8080/dua/7") == "dua"
    assert owner_of(outlets, "http://127.0.0.1:8080/satu/7") == "satu"


def test_two_outlets_that_tie_are_one_error_naming_both(tmp_path):
    text = outlet_toml("satu") + outlet_toml("dua", topics='["https://www.contoh.test/lain"]')
    path = write(tmp_path, text)
    with pytest.raises(OutletError) as info:
        load_outlets(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert "'satu'" in message and "'dua'" in message and "contoh.test" in message


def test_a_user_outlet_that_ties_with_a_builtin_one_is_refused(tmp_path, builtins):
    inews = builtins["inews"]
    path = write(tmp_path, outlet_toml("inews2", domains='["www.inews.id"]', topics='["https://www.inews.id/news"]',
                                       article_url=f"'{inews.article_url.pattern}'"))
    with pytest.raises(OutletError, match="'inews'.*'inews2'|'inews2'.*'inews'"):
        load_outlets(path)


# ---------------------------------------------------------------- errors


def test_outlet_error_is_an_arsip_error():
    assert issubclass(OutletError, ArsipError)


def test_unknown_key(tmp_path):
    path = write(tmp_path, outlet_toml("contoh", article_regex="'x'"))
    message = load_error(path)
    assert_shape(message, path, "contoh", "article_regex")
    assert message.endswith("unknown key")


@pytest.mark.parametrize("pattern", ["'^https://(?P<id>\\d+$'", "'[a-'", "'(?P<id>a)(?P<id>b)'", "'*x'"])
def test_bad_regex(tmp_path, pattern):
    path = write(tmp_path, outlet_toml("contoh", article_url=pattern))
    message = load_error(path)
    assert_shape(message, path, "contoh", "article_url")
    assert ": bad regex: " in message


def test_bad_regex_spanning_lines_is_one_line(tmp_path):
    path = write(tmp_path, outlet_toml("contoh", article_url='"^a\\n(b$"'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "article_url")
    assert "bad regex" in message


@pytest.mark.parametrize("field", ["name", "domains", "topics", "article_url"])
def test_missing_field(tmp_path, field):
    path = write(tmp_path, outlet_toml("contoh", **{field: None}))
    message = load_error(path)
    assert_shape(message, path, "contoh", field)
    assert message.endswith("missing")


@pytest.mark.parametrize(
    "cron", ["* * * *", "*/15 * * * * *", "61 * * * *", "*/0 * * * *", "hourly", "", "0 25 * * *", "5-1 * * * *"]
)
def test_bad_cron(tmp_path, cron):
    path = write(tmp_path, outlet_toml("contoh", schedule=f'"{cron}"'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "schedule")
    assert f"bad cron string {cron!r}" in message


def test_cron_not_a_string(tmp_path):
    path = write(tmp_path, outlet_toml("contoh", schedule="15"))
    assert_shape(load_error(path), path, "contoh", "schedule")


@pytest.mark.parametrize("cron", ["*/15 * * * *", "7-59/20 * * * *", "0 6 * * mon-fri", "30 2 1 * *"])
def test_good_cron(tmp_path, cron):
    path = write(tmp_path, outlet_toml("contoh", schedule=f'"{cron}"'))
    assert load_outlet_file(path)["contoh"].schedule == cron


@pytest.mark.parametrize("selector", ["div[", "..x", "a >> b", "h1::text", "p {", "meta[property=article:x]"])
def test_bad_selector(tmp_path, selector):
    path = write(tmp_path, outlet_toml("contoh", selectors=f"body = '{selector}'"))
    message = load_error(path)
    assert_shape(message, path, "contoh", "selectors.body")
    assert f"bad CSS selector {selector!r}" in message


def test_selector_with_newline_is_reported_on_one_line(tmp_path):
    path = write(tmp_path, outlet_toml("contoh", selectors='title = "h1\\n{"'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "selectors.title")


def test_unknown_selector_key(tmp_path):
    path = write(tmp_path, outlet_toml("contoh", selectors='headline = "h1"'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "selectors.headline")
    assert "unknown key" in message


@pytest.mark.parametrize("value", ['""', '"   "', "3"])
def test_empty_or_non_string_selector(tmp_path, value):
    path = write(tmp_path, outlet_toml("contoh", selectors=f"body = {value}"))
    assert_shape(load_error(path), path, "contoh", "selectors.body")


def test_selectors_not_a_table(tmp_path):
    text = outlet_toml("contoh") + 'selectors = "h1"\n'
    path = write(tmp_path, text)
    assert_shape(load_error(path), path, "contoh", "selectors")


@pytest.mark.parametrize(
    "topic",
    [
        "https://elsewhere.test/berita",
        "https://contoh.test.evil.test/berita",
        "https://notcontoh.test/berita",
    ],
)
def test_topic_not_on_the_outlets_domains(tmp_path, topic):
    path = write(tmp_path, outlet_toml("contoh", topics=f'["{topic}"]'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "topics")
    assert "not on one of the outlet's domains" in message
    assert repr(topic) in message


@pytest.mark.parametrize("topic", ["ftp://www.contoh.test/berita", "www.contoh.test/berita", "https:///berita"])
def test_topic_not_an_http_url(tmp_path, topic):
    path = write(tmp_path, outlet_toml("contoh", topics=f'["{topic}"]'))
    message = load_error(path)
    assert_shape(message, path, "contoh", "topics")
    assert "http(s) URL" in message


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", '""'),
        ("name", "3"),
        ("domains", "[]"),
        ("domains", '"contoh.test"'),
        ("domains", '["contoh.test", ""]'),
        ("domains", '["https://contoh.test"]'),
        ("domains", '["contoh.test/berita"]'),
        ("domains", '["-contoh.test"]'),
        ("domains", '["contoh.test\\n"]'),
        ("topics", "[]"),
        ("topics", "[1]"),
        ("article_url", '""'),
        ("article_url", "['^x$']"),
        ("language", '"Indonesian"'),
        ("language", '"ID"'),
        ("language", '"id\\n"'),
        ("topic_depth", "0"),
        ("topic_depth", "true"),
        ("topic_depth", '"3"'),
        ("article_pages", "-1"),
        ("article_pages", "1.5"),
    ],
)
def test_bad_values(tmp_path, field, value):
    path = write(tmp_path, outlet_toml("contoh", **{field: value}))
    assert_shape(load_error(path), path, "contoh", field)


@pytest.mark.parametrize("key", ['"Contoh"', '"1contoh"', '"con toh"', '"contoh\\n"', '"contoh.dua"'])
def test_bad_outlet_key(tmp_path, key):
    path = write(tmp_path, outlet_toml(key))
    message = load_error(path)
    assert message.startswith(f"{path}: outlet ")
    assert "the key must be" in message


def test_outlet_not_a_table(tmp_path):
    path = write(tmp_path, "[outlets]\ncontoh = 3\n")
    message = load_error(path)
    assert message.startswith(f"{path}: outlet 'contoh'")


@pytest.mark.parametrize("text", ["outlets = 3\n", "outlets = [1, 2]\n"])
def test_outlets_not_a_table(tmp_path, text):
    path = write(tmp_path, text)
    assert load_error(path).startswith(f"{path}: 'outlets' must be a table")


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, outlet_toml("contoh") + '[settings]\nx = 1\n')
    message = load_error(path)
    assert message.startswith(f"{path}: unknown top-level key 'settings'")


@pytest.mark.parametrize(
    "text",
    [
        "[outlets.contoh\nname = 'x'\n",
        "[outlets.contoh]\nname = \n",
        "[outlets.contoh]\nname = 'x'\nname = 'y'\n",
        "[outlets.contoh]\narticle_url = \"^https://www\\.x$\"\n",  # \. is not a TOML escape
    ],
)
def test_invalid_toml(tmp_path, text):
    path = write(tmp_path, text)
    message = load_error(path)
    assert message.startswith(f"{path}: not valid TOML: ")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[outlets.contoh]\nname = "Berita \xe9"\n')
    message = load_error(path)
    assert message.startswith(f"{path}: not valid TOML: ")


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    message = load_error(path)
    assert message == f"{path}: outlet file not found"
    with pytest.raises(OutletError) as info:
        load_outlets(path)
    assert str(info.value) == message


def test_directory_instead_of_file(tmp_path):
    message = load_error(tmp_path)
    assert message.startswith(f"{tmp_path}: cannot read outlet file: ")


def test_user_file_error_surfaces_through_load_outlets(tmp_path):
    path = write(tmp_path, outlet_toml("inews", article_url="'('"))
    with pytest.raises(OutletError) as info:
        load_outlets(path)
    message = str(info.value)
    assert "\n" not in message
    assert_shape(message, path, "inews", "article_url")


def test_minimal_template_is_valid(tmp_path):
    assert set(load_outlet_file(write(tmp_path, MINIMAL.format(key="contoh")))) == {"contoh"}
