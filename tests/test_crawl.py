"""End to end: `arsip crawl` on the test outlet server, into real WARC files and a real PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from archive.catalog.captures import CAPTURE_COLUMNS
from archive.catalog.migrate import apply_migrations
from archive.warc.reader import iter_records, read_record_at
from fakeoutlet import FakeSite
from fakeoutlet.news import SPECIAL_PATHS, news_site

# Fast and deterministic: no throttling, a short timeout for the slow story,
# a size limit below the huge story, one retry.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1",
        "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "ARSIP_PROGRESS_INTERVAL=0.5"]
WARCIO = str(Path(sys.executable).with_name("warcio"))


def arsip(env, *args, check=True, timeout=120):
    result = subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"arsip {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def outlet_file(site: FakeSite, path: Path) -> Path:
    # The test outlet's own pattern plus /private/, so robots.txt is what keeps the crawler out.
    text = site.outlets_toml(topic_depth=3).replace("/news/(?P<id>", "/(?:news|private)/(?P<id>")
    path.write_text(text, encoding="utf-8")
    return path


def rows(url, where="true"):
    with psycopg.connect(url) as conn:
        cur = conn.execute(f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures WHERE {where} ORDER BY record_id")
        return [dict(zip(CAPTURE_COLUMNS, row)) for row in cur.fetchall()]


def query(url, sql, *params):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def warc_dir(env) -> Path:
    return Path(env["ARSIP_DATA_DIR"]) / "warcs"


@pytest.fixture(scope="module")
def site():
    with news_site(articles=12, topic_pages=5, slow=5.0) as server:
        yield server


@pytest.fixture
def crawled(site, arsip_env, database_url, tmp_path):
    """One round over the test site; returns (env, database_url, completed process)."""
    outlets = outlet_file(site, tmp_path / "outlets.toml")
    env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
    result = arsip(env, "crawl", "testnews", *FAST)
    return env, database_url, result


def test_crawl_fetches_topic_pages_articles_and_split_pages(site, crawled):
    env, url, result = crawled
    assert "arsip: crawled testnews" in result.stderr
    fetched = {row["url"].split(str(site.port), 1)[1] for row in rows(url)}
    for article_id in site.ids_within_depth(3):
        assert site.article_path(article_id) in fetched
    for article_id in set(site.article_ids) - set(site.ids_within_depth(3)):
        assert site.article_path(article_id) not in fetched, "topic_depth bounds the pagination"
    for key in ("split", "split_2", "split_3", "chunked", "redirect", "redirect_target", "gone", "down"):
        assert SPECIAL_PATHS[key] in fetched, key
    assert {"/news/", "/news/?page=2", "/news/?page=3"} <= fetched and "/news/?page=4" not in fetched
    assert SPECIAL_PATHS["private"] not in fetched
    assert SPECIAL_PATHS["private"] not in site.paths_requested(), "robots.txt disallows /private/"


def test_summary_counts_errors_by_kind_and_records_them_per_url(site, crawled):
    env, url, result = crawled
    errors = dict(query(url, "SELECT kind, count(*) FROM fetch_errors GROUP BY kind"))
    assert errors == {"http_4xx": 1, "http_5xx": 1, "too_large": 1, "timeout": 1, "robots": 1}
    by_url = dict(query(url, "SELECT url, kind FROM fetch_errors"))
    assert by_url[site.url(SPECIAL_PATHS["gone"])] == "http_4xx"
    assert by_url[site.url(SPECIAL_PATHS["huge"])] == "too_large"
    assert by_url[site.url(SPECIAL_PATHS["private"])] == "robots"
    assert "5 errors (http_4xx 1, http_5xx 1, robots 1, timeout 1, too_large 1)" in result.stderr
    (run,) = query(url, "SELECT status, pages_fetched, new_captures, errors, finished_at FROM crawl_runs")
    assert run[0] == "finished" and run[1] == run[2] == len(rows(url)) and run[3] == 5 and run[4] is not None


def test_every_warc_reads_to_its_end_and_passes_warcio_check(crawled):
    env, url, _ = crawled
    files = sorted(warc_dir(env).iterdir())
    assert files and all(f.name.endswith(".warc.gz") for f in files), "no .open file is left behind"
    for path in files:
        records = list(iter_records(path))
        assert records[0].rec_type == "warcinfo"
        info = records[0].payload.decode()
        for field in ("software:", "format:", "conformsTo:", "isPartOf:", "robots:", "hostname:", "operator:"):
            assert field in info
        check = subprocess.run([WARCIO, "check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_each_capture_row_opens_exactly_its_record_and_its_request(crawled):
    env, url, _ = crawled
    requests = {}
    for path in warc_dir(env).iterdir():
        for record in iter_records(path, with_payload=False):
            if record.rec_type == "request":
                requests[record.rec_headers.get_header("WARC-Record-ID")] = record
    for row in rows(url):
        record = read_record_at(warc_dir(env) / row["warc_file"], row["warc_offset"], row["warc_length"])
        assert record.rec_headers.get_header("WARC-Record-ID") == row["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == row["payload_digest"]
        request = requests[row["request_record_id"]]
        assert request.rec_headers.get_header("WARC-Concurrent-To") == row["record_id"]
        assert request.rec_headers.get_header("WARC-Date") == record.rec_headers.get_header("WARC-Date")


def test_raw_wire_bytes_are_kept(site, crawled):
    env, url, _ = crawled
    article = rows(url, f"url = '{site.article_url(site.ids_within_depth(1)[0])}'")[0]
    record = read_record_at(warc_dir(env) / article["warc_file"], article["warc_offset"], article["warc_length"])
    assert record.http_headers.get_header("Content-Encoding") == "gzip"
    assert record.payload[:2] == b"\x1f\x8b", "the body is stored as it came off the wire"

    chunked = rows(url, f"url = '{site.url(SPECIAL_PATHS['chunked'])}'")[0]
    record = read_record_at(warc_dir(env) / chunked["warc_file"], chunked["warc_offset"], chunked["warc_length"])
    assert record.http_headers.get_header("Transfer-Encoding") is None
    assert b"<html" in record.payload.lower() and b"\r\n0\r\n" not in record.payload

    (redirect,) = rows(url, f"url = '{site.url(SPECIAL_PATHS['redirect'])}'")
    assert redirect["status"] == 301 and redirect["location"] == site.url(SPECIAL_PATHS["redirect_target"])
    statuses = {r["status"] for r in rows(url, f"url = '{site.url(SPECIAL_PATHS['down'])}'")}
    assert statuses == {503}


def test_recrawl_writes_revisits_that_point_at_existing_originals(site, crawled):
    env, url, _ = crawled
    arsip(env, "crawl", "testnews", "--recheck", *FAST)
    revisits = rows(url, "record_type = 'revisit'")
    assert revisits, "unchanged payloads are stored as revisit records"
    for revisit in revisits:
        (original,) = rows(url, f"record_type = 'response' AND url = '{revisit['refers_to_uri']}' "
                                f"AND fetched_at = '{revisit['refers_to_date'].isoformat()}'")
        assert original["payload_digest"] == revisit["payload_digest"]
        record = read_record_at(warc_dir(env) / revisit["warc_file"], revisit["warc_offset"], revisit["warc_length"])
        assert record.rec_headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert record.rec_headers.get_header("WARC-Refers-To") == original["record_id"]
    # Boilerplate churns on every load, so article pages are new full responses.
    article = site.article_url(site.ids_within_depth(1)[0])
    assert [r["record_type"] for r in rows(url, f"url = '{article}'")] == ["response", "response"]


def test_recheck_refetches_known_articles_beyond_the_topic_depth(site, arsip_env, database_url, tmp_path):
    outlets = outlet_file(site, tmp_path / "outlets.toml")
    env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
    arsip(env, "crawl", "testnews", *FAST)
    shallow = tmp_path / "shallow.toml"
    shallow.write_text(outlets.read_text().replace("topic_depth = 3", "topic_depth = 1"))
    deep_article = site.article_url(site.topic_page_ids(3)[0])
    before = len(rows(database_url, f"url = '{deep_article}'"))
    arsip(dict(env, ARSIP_OUTLETS=str(shallow)), "crawl", "testnews", *FAST)
    assert len(rows(database_url, f"url = '{deep_article}'")) == before, "not due yet"
    arsip(dict(env, ARSIP_OUTLETS=str(shallow)), "crawl", "testnews", "--recheck", *FAST)
    assert len(rows(database_url, f"url = '{deep_article}'")) == before + 1


def pages(url):
    return query(url, "SELECT url, outlet, host, first_fetched, last_fetched, last_status, payload_digest, "
                      "payload_fetched_at, payload_record_id FROM pages ORDER BY url")


def pages_from_captures(url):
    """What `pages` should hold, worked out from the captures alone, independently of how it is kept."""
    return query(url, """
        SELECT DISTINCT ON (c.url) c.url, c.outlet, c.host,
               min(c.fetched_at) OVER w, max(c.fetched_at) OVER w, c.status,
               r.payload_digest, r.fetched_at, r.record_id
        FROM captures c
        LEFT JOIN LATERAL (SELECT payload_digest, fetched_at, record_id FROM captures
                           WHERE url = c.url AND record_type = 'response' AND status BETWEEN 200 AND 299
                           ORDER BY fetched_at DESC LIMIT 1) r ON true
        WINDOW w AS (PARTITION BY c.url)
        ORDER BY c.url, c.fetched_at DESC""")


def test_pages_follow_the_captures(crawled):
    env, url, _ = crawled
    assert pages(url) == pages_from_captures(url)
    assert {p[5] for p in pages(url)} >= {200, 404}
    # A second round: revisits, whose pages keep pointing at the full responses they repeat.
    arsip(env, "crawl", "testnews", "--recheck", *FAST)
    assert rows(url, "record_type = 'revisit'")
    kept = pages(url)
    assert kept == pages_from_captures(url)
    # A catalog from before `pages` existed: the migration fills it from the captures.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE pages")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0006_pages.sql'")
        assert apply_migrations(conn) == ["0006_pages.sql"]
    assert pages(url) == kept


def test_reindex_reproduces_the_capture_rows(crawled):
    env, url, _ = crawled
    crawled_rows, crawled_pages = rows(url), pages(url)
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM captures")
        conn.execute("DELETE FROM pages")
    result = arsip(env, "reindex", "--json")
    assert rows(url) == crawled_rows
    assert pages(url) == crawled_pages
    assert '"new_captures": %d' % len(crawled_rows) in result.stdout
    again = arsip(env, "reindex", "--json")
    assert '"new_captures": 0' in again.stdout and rows(url) == crawled_rows


def test_robots_txt_holds_for_requests_queued_before_it_arrived(site, arsip_env, database_url, tmp_path):
    # Start requests are all queued while robots.txt is still on its way.
    disallowed = [site.url(f"/private/{i}-secret-article") for i in range(1, 9)]
    text = outlet_file(site, tmp_path / "outlets.toml").read_text()
    text = text.replace('topics = ["', "topics = [" + "".join(f'"{url}", ' for url in disallowed) + '"')
    (tmp_path / "outlets.toml").write_text(text)
    before = len(site.requests)
    arsip(dict(arsip_env, ARSIP_OUTLETS=str(tmp_path / "outlets.toml")), "crawl", "testnews", *FAST)
    assert not [r.path for r in site.requests[before:] if r.path.startswith("/private/")]
    assert dict(query(database_url, "SELECT kind, count(*) FROM fetch_errors WHERE url LIKE %s GROUP BY kind", "%/private/%")) == {"robots": 8}
