"""The downloader middleware that writes every response, as it came off the wire, to WARC.

It sits next to the downloader, so it sees bodies still content-encoded and
redirects before they are followed. After writing, it queues a capture row;
rows reach the catalog in batches, and only after the WARC file is fsynced.
"""

from __future__ import annotations

import getpass
import logging
import os
import socket
from importlib.metadata import PackageNotFoundError, version
from datetime import datetime, timezone

import psycopg
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import task, threads
from twisted.python.threadpool import ThreadPool
from twisted.internet.defer import DeferredList

from archive.catalog.captures import Capture, Placement, capture_row
from archive.catalog.queries import EarlierPayload, latest_payloads
from archive.catalog.store import insert_captures, mark_catalogued
from archive.warc.repair import repair_open_files
from archive.warc.writer import Exchange, Revisit, WarcFileWriter, WarcInfo, WarcWriteFailed, payload_digest
from crawler.context import CrawlContext
from archive.outlet import owner_of

log = logging.getLogger(__name__)


class WarcCaptureMiddleware:
    def __init__(self, crawler):
        if not crawler.settings.getbool("ARSIP_WARC_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.context = CrawlContext.of(crawler)
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("ARSIP_CATALOG_BATCH")
        self.interval = crawler.settings.getfloat("ARSIP_CATALOG_INTERVAL")
        self.gzip_level = crawler.settings.getint("ARSIP_WARC_GZIP_LEVEL")
        self.writer: WarcFileWriter | None = None
        self.earlier: dict[str, EarlierPayload] = {}
        self.pending: list[Capture] = []
        self.inserts = []
        self.ticker = None
        self.catalog_failed = False
        # One thread, so batches reach the catalog in order and one at a time.
        self.insert_thread = ThreadPool(minthreads=0, maxthreads=1, name="arsip-catalog")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        for repaired in repair_open_files(self.context.warc_dir):
            log.warning("repaired WARC file left open by an earlier crawl: %s (%d records kept, %d bytes dropped)",
                        repaired.path, repaired.kept_records, repaired.dropped_bytes)
        outlet = getattr(spider, "outlet", None)
        info = WarcInfo(
            software=f"arsip/{_version()} (Scrapy)",
            operator=self.crawler.settings.get("ARSIP_OPERATOR") or os.environ.get("ARSIP_OPERATOR")
            or f"{getpass.getuser()}@{socket.gethostname()}",
            is_part_of=f"arsip-{outlet.key}" if outlet else "arsip",
            robots="obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            description=f"crawl of {outlet.name}" if outlet else "",
        )
        self.writer = WarcFileWriter(self.context.warc_dir, info, self.context.config.warc_max_size,
                                     gzip_level=self.gzip_level)
        if outlet is not None:
            with self.context.catalog.connection() as conn:
                self.earlier = latest_payloads(conn, outlet.key)
        self.insert_thread.start()
        self.ticker = task.LoopingCall(self._commit_pending)
        self.ticker.start(self.interval, now=False)

    def process_response(self, request, response):
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_list(request.headers),
            status=response.status,
            response_headers=_header_list(response.headers),
            body=response.body,
            fetched_at=datetime.now(timezone.utc),
            protocol=response.protocol or "HTTP/1.1",
            request_body=request.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
        )
        digest = payload_digest(exchange.body)
        revisit = self._revisit_of(exchange, digest)
        try:
            written = self.writer.write_exchange(exchange, revisit, digest)
        except WarcWriteFailed as error:
            self._storage_failed(error)
            raise NotStored(exchange.url) from None
        if revisit is None and _revisitable(exchange):
            self.earlier[digest] = EarlierPayload(exchange.url, exchange.fetched_at, written.response.record_id)
        row = capture_row(
            written.response.rec_headers, written.response.http_headers,
            Placement(written.response.warc_file, written.response.offset, written.response.length),
            owner_of(self.context.outlets, exchange.url),
            written.request.rec_headers, written.request.http_headers,
        )
        self.pending.append(row)
        self.stats.inc_value("arsip/captures")
        if revisit is not None:
            self.stats.inc_value("arsip/revisits")
        if len(self.pending) >= self.batch_size:
            self._commit_pending()
        return response

    def _revisit_of(self, exchange: Exchange, digest: str) -> Revisit | None:
        """The earlier full capture whose payload this one repeats byte for byte, if any."""
        earlier = self.earlier.get(digest) if _revisitable(exchange) else None
        if earlier is None:
            return None
        return Revisit(uri=earlier.url, date=earlier.fetched_at, record_id=earlier.record_id)

    def _commit_pending(self):
        """Make written records durable, then hand their rows to the catalog off the reactor thread."""
        if not self.pending:
            return None
        try:
            self.writer.flush(sync=True)
        except WarcWriteFailed as error:
            # Not known to be durable: the rows stay out of the catalog, and the next
            # ingest reads back whatever the file holds (it is not recorded as catalogued).
            self.pending = []
            self._storage_failed(error)
            return None
        rows, self.pending = self.pending, []
        from twisted.internet import reactor  # the one Scrapy installed; importing earlier would install the default

        deferred = threads.deferToThreadPool(reactor, self.insert_thread, self._insert, rows)
        deferred.addCallback(lambda count: self.stats.inc_value("arsip/new_captures", count))
        deferred.addErrback(self._insert_failed, len(rows))
        self.inserts.append(deferred)
        deferred.addBoth(lambda result: (self.inserts.remove(deferred), result)[1])
        return deferred

    def _insert(self, rows) -> int:
        # Once the catalog has failed, later batches go straight to the WARC-only pile:
        # waiting out a pool timeout per batch would only stall the crawl.
        if self.catalog_failed:
            raise CatalogUnavailable("the catalog failed earlier in this crawl")
        try:
            with self.context.catalog.connection(timeout=10) as conn:
                return insert_captures(conn, rows, self.crawler.stats.get_value("arsip/crawl_run_id"))
        except psycopg.Error:
            self.catalog_failed = True
            raise

    def _insert_failed(self, failure, count):
        # The records are safe in the WARC file; the next ingest reads them back from it.
        first = not self.stats.get_value("arsip/catalog_errors", 0)
        self.stats.inc_value("arsip/catalog_errors", count)
        if first:  # later batches fail at once and say nothing new
            log.error("could not catalogue %d captures (they are in the WARC files, for the next ingest, as "
                      "are the rest of this crawl's): %s", count, failure.getErrorMessage())

    def _storage_failed(self, error: WarcWriteFailed, closing: bool = False) -> None:
        """Stop the round once: nothing fetched from now on could be kept."""
        if self.stats.get_value("arsip/stopped"):
            return
        self.stats.set_value("arsip/stopped", str(error))
        log.error("%s; the round stops here (every capture before this one is whole and kept)", error)
        if not closing:  # spider_closed (below) then closes the writer
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_failed"))

    async def spider_closed(self, spider):
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        self._commit_pending()
        # Close (and rename) the file only after every row pointing into it is settled.
        await maybe_deferred_to_future(DeferredList(list(self.inserts), consumeErrors=True))
        if self.writer is not None:
            try:
                self.writer.close()
            except WarcWriteFailed as error:
                self._storage_failed(error, closing=True)
            self._record_catalogued(self.writer.closed_files)
        self.insert_thread.stop()

    def _record_catalogued(self, names) -> None:
        """Record files all of whose rows reached the catalog; the rest are ingest's to read back."""
        if not names or self.stats.get_value("arsip/catalog_errors", 0) or self.stats.get_value("arsip/stopped"):
            return
        try:
            with self.context.catalog.connection(timeout=10) as conn:
                mark_catalogued(conn, names)
        except psycopg.Error as error:  # unrecorded files are only read back once more
            log.warning("could not record the WARC files as catalogued: %s", error)


class CatalogUnavailable(Exception):
    pass


class NotStored(IgnoreRequest):
    """A response fetched after the WARC directory stopped taking bytes: dropped, not a fetch error."""


def _revisitable(exchange: Exchange) -> bool:
    # Error pages and empty bodies say nothing worth deduplicating.
    return 200 <= exchange.status < 300 and bool(exchange.body)


def _header_list(headers) -> list[tuple[str, str]]:
    """Scrapy's multi-valued bytes headers as (name, value) text pairs, repeats kept."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def _version() -> str:
    try:
        return version("arsip")
    except PackageNotFoundError:
        return "0"
