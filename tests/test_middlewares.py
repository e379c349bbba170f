"""WarcCaptureMiddleware: every response as it came off the wire, in WARC, then in the catalog.

Real crawls of a site on 127.0.0.1 with arsip's settings (tests/crawling.py), and the
middleware's own hooks called on real Request and Response objects where the order of
events is the point. Every WARC file a test leaves is read back and `warcio check`ed
by conftest's `written_warcs_are_whole`.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import os
import resource
import time

import psycopg
import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from archive.ingest.reindex import catalogue_unseen
from archive.outlet import load_outlets
from archive.warc.reader import iter_records, read_record_at
from crawler.middlewares import WarcCaptureMiddleware

from crawling import FetchSpider, Page, Site, arsip_settings, crawl_config, reactor_driver, write_outlet  # noqa: F401

ARTICLE = b"<html><body><h1>Banjir</h1><p>Air naik setinggi lutut di Medan.</p></body></html>"


def crawl(driver, settings: dict, urls: list[str], **spider_args):
    """A crawler of arsip's that has fetched `urls` in order and closed."""
    crawler = get_crawler(FetchSpider, settings)
    driver.wait(crawler.crawl(urls=urls, **spider_args), timeout=60)
    return crawler


def responses(warc_dir) -> list:
    """Every response and revisit record of the closed files, in file and record order."""
    assert not list(warc_dir.glob("*.open")), "a file was left open"
    return [record for path in sorted(warc_dir.glob("*.warc.gz")) for record in iter_records(path)
            if record.rec_type in ("response", "revisit")]


def captures(url: str, columns: str = "record_id, url, status, location, record_type") -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT {columns} FROM captures ORDER BY fetched_at, id").fetchall()


def catalogued_files(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM catalogued_warc_files")}


def test_the_response_is_kept_still_encoded_and_the_spider_gets_it_decoded(reactor_driver, crawl_config, tmp_path):
    encoded = gzip.compress(ARTICLE)
    with Site({"/berita/1": Page(body=encoded, headers=[("Content-Type", "text/html"),
                                                        ("Content-Encoding", "gzip")])}) as site:
        settings = arsip_settings(crawl_config, write_outlet(site, tmp_path / "outlets.toml"))
        crawler = crawl(reactor_driver, settings, [site.url("/berita/1")])

    assert crawler.spider.bodies == {site.url("/berita/1"): ARTICLE}
    [record] = responses(crawl_config.warc_dir)
    assert record.rec_type == "response" and record.payload == encoded
    assert record.http_headers.get_header("Content-Encoding") == "gzip"
    [(record_id, outlet, status, content_type, warc_file, offset, length, request_id, run_id)] = captures(
        crawl_config.database_url, "record_id, outlet, status, content_type, warc_file, warc_offset, "
        "warc_length, request_record_id, crawl_run_id")
    assert (record_id, outlet, status, content_type) == (record.record_id, "kabar", 200, "text/html")
    assert run_id == crawler.stats.get_value("arsip/crawl_run_id") is not None
    assert read_record_at(crawl_config.warc_dir / warc_file, offset, length).payload == encoded
    [request] = [r for r in iter_records(crawl_config.warc_dir / warc_file) if r.rec_type == "request"]
    assert request.record_id == request_id
    assert catalogued_files(crawl_config.database_url) == {warc_file}


def test_a_redirect_is_captured_before_it_is_followed(reactor_driver, crawl_config):
    with Site({"/lama": Page(301, b"", [("Location", "/baru")]), "/baru": Page(body=ARTICLE)}) as site:
        crawler = crawl(reactor_driver, arsip_settings(crawl_config), [site.url("/lama")])

    assert list(crawler.spider.bodies) == [site.url("/baru")]
    assert [(r.target_uri, r.http_headers.get_statuscode()) for r in responses(crawl_config.warc_dir)] == [
        (site.url("/lama"), "301"), (site.url("/baru"), "200")]
    assert [row[1:4] for row in captures(crawl_config.database_url)] == [
        (site.url("/lama"), 301, site.url("/baru")), (site.url("/baru"), 200, None)]


def test_a_repeated_payload_becomes_a_revisit_of_its_first_capture(reactor_driver, crawl_config):
    pages = {"/a": Page(body=ARTICLE), "/b": Page(body=ARTICLE), "/kosong": Page(body=b""),
             "/kosong-lagi": Page(body=b""), "/galat": Page(500, ARTICLE)}
    with Site(pages) as site:
        crawler = crawl(reactor_driver, arsip_settings(crawl_config), [site.url(p) for p in pages])

    first, again, empty, empty_again, error = responses(crawl_config.warc_dir)
    assert again.rec_type == "revisit"
    assert again.rec_headers.get_header("WARC-Refers-To-Target-URI") == site.url("/a")
    assert again.rec_headers.get_header("WARC-Refers-To") == first.record_id
    # Empty bodies and error pages say nothing worth deduplicating: each is stored whole.
    assert [r.rec_type for r in (first, empty, empty_again, error)] == ["response"] * 4
    assert crawler.stats.get_value("arsip/revisits") == 1
    assert crawler.stats.get_value("arsip/captures") == crawler.stats.get_value("arsip/new_captures") == 5


def test_an_unchanged_page_in_a_later_crawl_is_a_revisit_of_the_earlier_one(reactor_driver, crawl_config, tmp_path):
    with Site({"/berita/1": Page(body=ARTICLE)}) as site:
        outlets_file = write_outlet(site, tmp_path / "outlets.toml")
        outlet = load_outlets(outlets_file)["kabar"]
        settings = arsip_settings(crawl_config, outlets_file)
        crawl(reactor_driver, settings, [site.url("/berita/1")], outlet=outlet)
        crawl(reactor_driver, settings, [site.url("/berita/1")], outlet=outlet)

    first, again = responses(crawl_config.warc_dir)
    assert (first.rec_type, again.rec_type) == ("response", "revisit")
    assert again.rec_headers.get_header("WARC-Refers-To") == first.record_id


def test_rows_reach_the_catalog_a_batch_at_a_time_after_their_records(reactor_driver, crawl_config):
    settings = arsip_settings(crawl_config, ARSIP_CATALOG_BATCH=2, ARSIP_CATALOG_INTERVAL=3600)
    middleware, spider = opened_middleware(settings)

    middleware.process_response(*exchange("http://kabar.example/1"))
    reactor_driver.pause(0.3)
    assert captures(crawl_config.database_url) == [], "a batch waits until it is full"

    middleware.process_response(*exchange("http://kabar.example/2"))
    rows = wait_for_captures(reactor_driver, crawl_config.database_url, 2)
    open_file = crawl_config.warc_dir / (middleware.writer.current_name + ".open")
    assert {warc_file for warc_file, _, _ in rows} == {middleware.writer.current_name}
    for _, offset, length in rows:
        assert read_record_at(open_file, offset, length).rec_type == "response"

    middleware.process_response(*exchange("http://kabar.example/3"))
    reactor_driver.wait(middleware.spider_closed(spider))
    assert len(captures(crawl_config.database_url)) == 3, "closing sends the last, partial batch"
    assert catalogued_files(crawl_config.database_url) == {rows[0][0]}


def test_a_partial_batch_still_reaches_the_catalog_within_the_interval(reactor_driver, crawl_config):
    middleware, spider = opened_middleware(arsip_settings(crawl_config, ARSIP_CATALOG_INTERVAL=0.2))
    try:
        middleware.process_response(*exchange("http://kabar.example/1"))
        wait_for_captures(reactor_driver, crawl_config.database_url, 1, timeout=3)
    finally:
        reactor_driver.wait(middleware.spider_closed(spider))


def test_rows_the_catalog_refuses_are_left_in_the_warc_file_for_the_next_ingest(reactor_driver, crawl_config,
                                                                               catalog):
    with catalog.connection() as conn:
        conn.execute("ALTER TABLE captures ADD CONSTRAINT refused CHECK (false) NOT VALID")
    with Site({f"/{n}": Page(body=ARTICLE + bytes([n])) for n in range(3)}) as site:
        crawler = crawl(reactor_driver, arsip_settings(crawl_config, ARSIP_CATALOG_BATCH=1),
                        [site.url(f"/{n}") for n in range(3)])
    with catalog.connection() as conn:
        conn.execute("ALTER TABLE captures DROP CONSTRAINT refused")

    assert crawler.stats.get_value("arsip/catalog_errors") == 3
    assert not crawler.stats.get_value("arsip/new_captures")
    assert catalogued_files(crawl_config.database_url) == set(), "a file with rows missing is not recorded whole"
    found = catalogue_unseen(catalog, crawl_config.warc_dir, lambda url: None)
    assert (found.files, found.new_captures) == (1, 3)


def test_a_warc_directory_that_takes_no_more_bytes_stops_the_round(reactor_driver, crawl_config):
    size = 30_000  # random, so gzip leaves it as big: three exchanges fit under the limit, not four
    pages = {f"/{n}": Page(body=os.urandom(size)) for n in range(8)}
    with Site(pages) as site, file_size_limit(100_000):
        crawler = crawl(reactor_driver, arsip_settings(crawl_config), [site.url(p) for p in pages])

    assert crawler.stats.get_value("finish_reason") == "warc_write_failed"
    assert crawler.stats.get_value("arsip/stopped").startswith(
        f"could not write to the WARC directory {crawl_config.warc_dir}: File too large")
    kept = responses(crawl_config.warc_dir)
    assert [r.target_uri for r in kept] == [site.url(f"/{n}") for n in range(3)]
    assert list(crawler.spider.bodies) == [r.target_uri for r in kept], "what could not be kept is not parsed"
    assert [row[0] for row in captures(crawl_config.database_url)] == [r.record_id for r in kept]
    assert catalogued_files(crawl_config.database_url) == set(), "a stopped round leaves its files to the next ingest"
    assert len(site.requested) < len(pages)


def test_it_stays_out_when_warc_capture_is_off(crawl_config):
    with pytest.raises(NotConfigured):
        WarcCaptureMiddleware.from_crawler(get_crawler(FetchSpider, arsip_settings(crawl_config,
                                                                                   ARSIP_WARC_ENABLED=False)))


def opened_middleware(settings: dict):
    crawler = get_crawler(FetchSpider, settings)
    middleware = WarcCaptureMiddleware.from_crawler(crawler)
    spider = FetchSpider.from_crawler(crawler, urls=[])
    middleware.spider_opened(spider)
    return middleware, spider


def exchange(url: str) -> tuple[Request, HtmlResponse]:
    request = Request(url, headers={"Accept": "text/html"})
    response = HtmlResponse(url, status=200, headers={"Content-Type": "text/html"}, body=ARTICLE + url.encode(),
                            request=request, ip_address=ipaddress.ip_address("127.0.0.1"), protocol="HTTP/1.1")
    return request, response


def wait_for_captures(driver, database_url: str, count: int, timeout: float = 10) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while len(rows := captures(database_url, "warc_file, warc_offset, warc_length")) < count:
        assert time.monotonic() < deadline, f"{len(rows)} of {count} capture rows in the catalog"
        driver.pause(0.05)
    return rows


@contextlib.contextmanager
def file_size_limit(limit: int):
    """Every file this process grows past `limit` bytes fails to, as on a full disk (SIGXFSZ is ignored)."""
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
