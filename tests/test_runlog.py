"""CrawlRunLog: a crawl run's `crawl_runs` row and liveness lock, its fetch errors per URL, progress lines.

The extension is driven as Scrapy drives it (spider_opened, the `fetch_failed` signal,
engine_stopped) on a real Crawler with arsip's settings, and once in a real crawl of
the outlet spider over a loopback site; the catalog is a real PostgreSQL.
"""

from __future__ import annotations

import logging
import time

import psycopg
import pytest
from scrapy.utils.test import get_crawler

from archive.catalog.locks import live_runs_since, run_key
from archive.errors import ArsipError
from archive.outlet import load_outlets
from crawler.fetch_errors import FetchError
from crawler.runlog import CrawlRunLog, fetch_failed
from crawler.spiders.outlet import spider_class_for

from crawling import FetchSpider, Page, Site, arsip_settings, crawl_config, reactor_driver, write_outlet  # noqa: F401

NOT_FOUND = FetchError("http://kabar.example/berita/2", "http_4xx", 404, "HTTP 404")
TIMED_OUT = FetchError("http://kabar.example/berita/3", "timeout", None, "took longer than 30.0 seconds")


@pytest.fixture
def outlets_file(tmp_path):
    with Site() as site:
        yield write_outlet(site, tmp_path / "outlets.toml")


def opened_run(settings: dict, outlets_file, **spider_args) -> tuple[CrawlRunLog, FetchSpider]:
    crawler = get_crawler(FetchSpider, settings)
    [runlog] = [e for e in crawler.extensions.middlewares if isinstance(e, CrawlRunLog)]  # arsip's settings enable it
    spider = FetchSpider.from_crawler(crawler, urls=[], outlet=load_outlets(outlets_file)["kabar"], **spider_args)
    runlog.spider_opened(spider)
    return runlog, spider


def fail(runlog: CrawlRunLog, spider, error: FetchError) -> None:
    """What the outlet spider does for a request that finally failed."""
    runlog.crawler.signals.send_catch_log(fetch_failed, error=error, spider=spider)


def run_row(url: str, run_id: int) -> dict:
    with psycopg.connect(url) as conn:
        cur = conn.execute("SELECT outlet, status, recheck, pages_fetched, new_captures, revisits, errors, "
                           "errors_by_kind, finished_at IS NOT NULL AS finished FROM crawl_runs WHERE id = %s",
                           (run_id,))
        return dict(zip([c.name for c in cur.description], cur.fetchone()))


def fetch_errors(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT crawl_run_id, outlet, url, kind, status, message FROM fetch_errors "
                            "ORDER BY id").fetchall()


def live_since(url: str):
    with psycopg.connect(url) as conn:
        return live_runs_since(conn)


def run_lock_held(url: str, run_id: int, within: float = 0) -> bool:
    """Whether some session holds the run's lock (still, after `within` seconds of asking: the
    server frees a session's locks as its backend ends, just after the client has gone)."""
    deadline = time.monotonic() + within
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            held = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                                "AND objsubid = 1 AND classid = %s::bigint::oid AND objid = %s::bigint::oid",
                                (run_key(run_id) >> 32, run_key(run_id) & 0xFFFFFFFF)).fetchone()[0] > 0
            if not held or time.monotonic() >= deadline:
                return held
            time.sleep(0.05)


@pytest.mark.parametrize("recheck", [False, True])
def test_the_run_is_open_and_live_until_the_engine_stops(reactor_driver, crawl_config, outlets_file, recheck):
    runlog, _ = opened_run(arsip_settings(crawl_config, outlets_file), outlets_file, recheck=recheck)
    run_id = runlog.crawler.stats.get_value("arsip/crawl_run_id")
    url = crawl_config.database_url
    assert run_row(url, run_id) | {"errors_by_kind": None} == {
        "outlet": "kabar", "status": "running", "recheck": recheck, "pages_fetched": 0, "new_captures": 0,
        "revisits": 0, "errors": 0, "errors_by_kind": None, "finished": False}
    assert run_lock_held(url, run_id)
    assert live_since(url) is not None, "an open run holds ingest back"
    assert run_row(url, run_id)["status"] == "running", "a live run is not taken for a dead one"

    for name, value in {"arsip/captures": 7, "arsip/new_captures": 6, "arsip/revisits": 1}.items():
        runlog.crawler.stats.set_value(name, value)
    runlog.engine_stopped()

    assert run_row(url, run_id) | {"recheck": None} == {
        "outlet": "kabar", "status": "finished", "recheck": None, "pages_fetched": 7, "new_captures": 6,
        "revisits": 1, "errors": 0, "errors_by_kind": {}, "finished": True}
    assert not run_lock_held(url, run_id, within=10), "the lock goes with the run"
    assert live_since(url) is None


@pytest.mark.parametrize("trouble", ["arsip/catalog_errors", "arsip/stopped"])
def test_a_run_whose_captures_did_not_all_reach_the_catalog_is_failed(reactor_driver, crawl_config, outlets_file,
                                                                      trouble):
    runlog, _ = opened_run(arsip_settings(crawl_config, outlets_file), outlets_file)
    runlog.crawler.stats.set_value(trouble, 1)
    runlog.engine_stopped()
    assert run_row(crawl_config.database_url, runlog.run_id)["status"] == "failed"


def test_fetch_errors_are_kept_per_url_and_counted_by_kind(reactor_driver, crawl_config, outlets_file):
    runlog, spider = opened_run(arsip_settings(crawl_config, outlets_file), outlets_file)
    for error in (NOT_FOUND, TIMED_OUT, TIMED_OUT):
        fail(runlog, spider, error)
    runlog.engine_stopped()

    run_id = runlog.run_id
    assert fetch_errors(crawl_config.database_url) == [
        (run_id, "kabar", NOT_FOUND.url, "http_4xx", 404, NOT_FOUND.message),
        (run_id, "kabar", TIMED_OUT.url, "timeout", None, TIMED_OUT.message),
        (run_id, "kabar", TIMED_OUT.url, "timeout", None, TIMED_OUT.message)]
    row = run_row(crawl_config.database_url, run_id)
    assert (row["errors"], row["errors_by_kind"]) == (3, {"http_4xx": 1, "timeout": 2})
    assert runlog.crawler.stats.get_value("arsip/errors/timeout") == 2


def test_progress_lines_say_pages_errors_and_waiting_and_save_the_errors_so_far(reactor_driver, crawl_config,
                                                                                outlets_file, capsys):
    runlog, spider = opened_run(arsip_settings(crawl_config, outlets_file, ARSIP_PROGRESS_INTERVAL=0.1),
                                outlets_file)
    stats = runlog.crawler.stats
    for name, value in {"arsip/captures": 1, "scheduler/enqueued": 5, "scheduler/dequeued": 2}.items():
        stats.set_value(name, value)
    fail(runlog, spider, NOT_FOUND)
    reactor_driver.pause(0.25)
    try:
        lines = capsys.readouterr().err.splitlines()
        assert lines and set(lines) == {"arsip: kabar: 1 page fetched, 1 error, 3 waiting"}
        assert len(fetch_errors(crawl_config.database_url)) == 1, "saved while the crawl goes on"
    finally:
        runlog.engine_stopped()
    assert len(fetch_errors(crawl_config.database_url)) == 1, "each error saved once"


def test_errors_the_catalog_refuses_are_kept_for_the_next_try(reactor_driver, crawl_config, outlets_file, catalog,
                                                              caplog):
    runlog, spider = opened_run(arsip_settings(crawl_config, outlets_file, ARSIP_PROGRESS_INTERVAL=0.1),
                                outlets_file)
    with catalog.connection() as conn:
        conn.execute("ALTER TABLE fetch_errors ADD CONSTRAINT refused CHECK (false) NOT VALID")
    fail(runlog, spider, NOT_FOUND)
    with caplog.at_level(logging.ERROR, logger="crawler.runlog"):
        reactor_driver.pause(0.25)
    assert "could not record 1 fetch errors in the catalog" in caplog.text
    with catalog.connection() as conn:
        conn.execute("ALTER TABLE fetch_errors DROP CONSTRAINT refused")
    fail(runlog, spider, TIMED_OUT)
    runlog.engine_stopped()
    assert [row[2] for row in fetch_errors(crawl_config.database_url)] == [NOT_FOUND.url, TIMED_OUT.url]


def test_a_catalog_out_of_reach_stops_the_crawl_before_any_fetch(crawl_config):
    settings = arsip_settings(crawl_config, ARSIP_DATABASE_URL="postgresql://postgres@127.0.0.1:1/none")
    with pytest.raises(ArsipError):
        get_crawler(FetchSpider, settings)


def test_a_real_crawl_records_its_run_and_each_failed_url(reactor_driver, crawl_config, tmp_path):
    article = b"<html><body><h1>Banjir</h1><p>Air naik.</p></body></html>"
    with Site() as site:
        away = f"http://127.0.0.2:{site.server.server_port}/berita/3"
        site.pages = {"/": Page(body=b'<a href="/berita/1">1</a> <a href="/berita/2">2</a> <a href="/berita/3">3</a>'),
                      "/berita/1": Page(body=article), "/berita/3": Page(302, b"", [("Location", away)])}
        outlet = load_outlets(write_outlet(site, tmp_path / "outlets.toml"))["kabar"]
        crawler = get_crawler(spider_class_for(outlet), arsip_settings(crawl_config, outlet.source))
        reactor_driver.wait(crawler.crawl(), timeout=60)

    run_id = crawler.stats.get_value("arsip/crawl_run_id")
    row = run_row(crawl_config.database_url, run_id)
    assert (row["status"], row["pages_fetched"], row["new_captures"]) == ("finished", 4, 4)
    assert row["errors_by_kind"] == {"http_4xx": 1, "offsite": 1}
    assert sorted(fetch_errors(crawl_config.database_url), key=lambda e: e[3]) == [
        (run_id, "kabar", site.url("/berita/2"), "http_4xx", 404, "HTTP 404"),
        (run_id, "kabar", site.url("/berita/3"), "offsite", None, f"{away} is off the outlet's domains: not fetched")]
    assert not run_lock_held(crawl_config.database_url, run_id, within=10)
