"""The crawl run's record: a `crawl_runs` row, its fetch errors, and progress on stderr.

A Scrapy extension: it opens the run when the spider opens, collects every
failed fetch (sent by the spider as the `fetch_failed` signal), prints a
progress line now and then, and closes the run with its counts when the
engine has stopped (by then every capture row has been written).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from datetime import datetime, timezone

import psycopg
from scrapy import signals
from twisted.internet import task

from archive.catalog.locks import RunLock
from archive.catalog.store import finish_crawl_run, insert_fetch_errors, save_outlets
from archive.wording import first_line, plural
from crawler.context import CrawlContext

log = logging.getLogger(__name__)

# Sent by spiders with `error=FetchError` for every request that finally failed.
fetch_failed = object()


class CrawlRunLog:
    def __init__(self, crawler):
        self.crawler = crawler
        self.context = CrawlContext.of(crawler)
        self.context.catalog  # fail now, before any fetch, if the catalog cannot be reached
        self.interval = crawler.settings.getfloat("ARSIP_PROGRESS_INTERVAL")
        self.errors_by_kind: Counter[str] = Counter()
        self.unsaved_errors: list[dict] = []
        self.run_id: int | None = None
        self.run_lock: RunLock | None = None  # held while the run is open: it tells ingests the run is live
        self.outlet_key: str | None = None
        self.ticker = None

    @classmethod
    def from_crawler(cls, crawler):
        runlog = cls(crawler)
        crawler.signals.connect(runlog.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(runlog.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(runlog.fetch_failed, signal=fetch_failed)
        return runlog

    def spider_opened(self, spider):
        outlet = getattr(spider, "outlet", None)
        self.outlet_key = outlet.key if outlet else spider.name
        with self.context.catalog.connection() as conn:
            save_outlets(conn, [o.as_dict() for o in self.context.outlets.values()])
        self.run_lock = RunLock.start(self.context.catalog, self.outlet_key, bool(getattr(spider, "recheck", False)))
        self.run_id = self.run_lock.run_id
        self.crawler.stats.set_value("arsip/crawl_run_id", self.run_id)
        if self.interval > 0:
            self.ticker = task.LoopingCall(self._progress)
            self.ticker.start(self.interval, now=False)

    def fetch_failed(self, error, spider):
        self.errors_by_kind[error.kind] += 1
        self.crawler.stats.inc_value(f"arsip/errors/{error.kind}")
        self.unsaved_errors.append({
            "outlet": self.outlet_key, "url": error.url, "kind": error.kind, "status": error.status,
            "message": error.message, "occurred_at": datetime.now(timezone.utc),
        })

    def _save_errors(self):
        errors, self.unsaved_errors = self.unsaved_errors, []
        if not errors:
            return
        try:
            # Short wait: this runs on the reactor thread, between fetches.
            with self.context.catalog.connection(timeout=5) as conn:
                insert_fetch_errors(conn, self.run_id, errors)
        except psycopg.Error as error:
            # Keep them for the next try; a catalog outage must not stop the crawl.
            self.unsaved_errors[:0] = errors
            log.error("could not record %d fetch errors in the catalog: %s", len(errors), first_line(error))

    def _progress(self):
        self._save_errors()
        stats = self.crawler.stats
        waiting = (stats.get_value("scheduler/enqueued", 0) or 0) - (stats.get_value("scheduler/dequeued", 0) or 0)
        print(f"arsip: {self.outlet_key}: {plural(stats.get_value('arsip/captures', 0), 'page')} fetched, "
              f"{plural(sum(self.errors_by_kind.values()), 'error')}, {waiting} waiting", file=sys.stderr, flush=True)

    def engine_stopped(self):
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        if self.run_id is None:
            return
        self._save_errors()
        stats = self.crawler.stats
        counts = {
            "pages_fetched": stats.get_value("arsip/captures", 0),
            "new_captures": stats.get_value("arsip/new_captures", 0),
            "revisits": stats.get_value("arsip/revisits", 0),
        }
        failed = stats.get_value("arsip/catalog_errors") or stats.get_value("arsip/stopped")
        status = "failed" if failed else "finished"
        try:
            with self.context.catalog.connection(timeout=5) as conn:
                finish_crawl_run(conn, self.run_id, status, counts, self.errors_by_kind)
        except psycopg.Error as error:
            log.error("could not close crawl run %s in the catalog: %s", self.run_id, first_line(error))
        finally:
            # Only now: the run counts as live until its last capture row is in.
            self.run_lock.close()
