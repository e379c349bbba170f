"""One crawl round: run the spiders of some outlets to the end, then say what happened."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.config import Config
from archive.errors import ArsipError, UsageError
from archive.wording import plural
from crawler.context import close_catalogs
from archive.outlet import Outlet
from crawler.spiders.outlet import spider_class_for


_FETCH_FAILURE_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt",
                          "scrapy.core.downloader.handlers.http11")


@dataclass
class RoundSummary:
    outlets: list[str]
    seconds: float = 0.0
    pages_fetched: int = 0
    new_captures: int = 0
    revisits: int = 0
    errors_by_kind: Counter = field(default_factory=Counter)
    uncatalogued: int = 0
    stopped: str | None = None  # why the round ended before its work was done (its WARC files could not grow)

    @property
    def errors(self) -> int:
        return sum(self.errors_by_kind.values())

    def as_dict(self) -> dict:
        return {
            "outlets": self.outlets, "seconds": round(self.seconds, 3), "pages_fetched": self.pages_fetched,
            "new_captures": self.new_captures, "revisits": self.revisits, "errors": self.errors,
            "errors_by_kind": dict(sorted(self.errors_by_kind.items())), "uncatalogued": self.uncatalogued,
            "stopped": self.stopped,
        }

    @classmethod
    def from_dict(cls, document: dict) -> "RoundSummary":
        """The summary that `as_dict()` gave (the keys an `arsip crawl --json` document adds are left aside)."""
        return cls(outlets=list(document["outlets"]), seconds=document["seconds"],
                   pages_fetched=document["pages_fetched"], new_captures=document["new_captures"],
                   revisits=document["revisits"], errors_by_kind=Counter(document["errors_by_kind"]),
                   uncatalogued=document["uncatalogued"], stopped=document["stopped"])

    def line(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.errors_by_kind.items()))
        return (f"crawled {', '.join(self.outlets)} in {self.seconds:.1f}s: "
                f"{plural(self.pages_fetched, 'page')} fetched, "
                f"{plural(self.new_captures, 'new capture')} ({plural(self.revisits, 'revisit')}), "
                f"{plural(self.errors, 'error')}" + (f" ({kinds})" if kinds else "")
                + ("; stopped early" if self.stopped else ""))


    def failure(self) -> ArsipError | None:
        """Why the round fails its command, however much it caught: it stopped early, or fetched nothing."""
        if self.stopped:
            return ArsipError(f"the round stopped early: {self.stopped}",
                              hint="free some space there (or give a --data-dir with room); every capture written "
                                   "before it is whole, and the next round goes on from there")
        if self.pages_fetched == 0:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.errors_by_kind.items())) or "no pages found"
            return ArsipError(f"nothing could be fetched from {', '.join(self.outlets)} ({kinds})",
                              hint="check the outlets' topic URLs and the network; the fetch errors are in the catalog")
        return None


def crawl_settings(config: Config, overrides: dict[str, str] | None = None, log_level: str = "ERROR") -> Settings:
    """arsip's Scrapy settings for `config`, with `-s NAME=VALUE` overrides on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARSIP_DATA_DIR", str(config.data_dir), priority="project")
    settings.set("ARSIP_DATABASE_URL", config.database_url, priority="project")
    settings.set("ARSIP_OUTLETS", str(config.outlets_file) if config.outlets_file else None, priority="project")
    settings.set("ARSIP_WARC_MAX_SIZE", config.warc_max_size, priority="project")
    settings.set("ARSIP_MAX_DECODED_SIZE", config.max_decoded_size, priority="project")
    settings.set("LOG_LEVEL", log_level, priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_round(config: Config, outlets: dict[str, Outlet], keys: list[str], recheck: bool = False,
              overrides: dict[str, str] | None = None, log_level: str = "ERROR") -> RoundSummary:
    """Crawl the outlets named by `keys` (all when empty) once, concurrently; blocks until done."""
    unknown = [key for key in keys if key not in outlets]
    if unknown:
        raise UsageError(f"unknown outlet {unknown[0]!r}", hint="`arsip outlets` lists the configured outlets")
    chosen = keys or sorted(outlets)
    process = CrawlerProcess(crawl_settings(config, overrides, log_level))
    logging.getLogger("scrapy").setLevel(log_level)
    if log_level != "DEBUG":
        # Failed fetches are counted in the summary and kept per URL in the catalog;
        # Scrapy's own log lines (with tracebacks) for them would only bury that.
        for name in _FETCH_FAILURE_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawlers = []
    failures = []
    for key in chosen:
        crawler = process.create_crawler(spider_class_for(outlets[key]))
        # A crawler that cannot start (a component or setting that fails to load) only
        # fails this Deferred; unheard, the round would look like one that found nothing.
        process.crawl(crawler, recheck=recheck).addErrback(lambda failure, key=key: failures.append((key, failure)))
        crawlers.append(crawler)
    started = time.monotonic()
    try:
        process.start()
    finally:
        close_catalogs()
    if failures:
        key, failure = failures[0]
        error = failure.value
        raise ArsipError(f"the crawl of {key} could not start: {type(error).__name__}: {error}",
                         hint="check the -s settings of this round; --debug shows the traceback") from error
    summary = RoundSummary(outlets=chosen, seconds=time.monotonic() - started)
    for crawler in crawlers:
        stats = crawler.stats.get_stats()
        summary.pages_fetched += stats.get("arsip/captures", 0)
        summary.new_captures += stats.get("arsip/new_captures", 0)
        summary.revisits += stats.get("arsip/revisits", 0)
        summary.uncatalogued += stats.get("arsip/catalog_errors", 0)
        summary.stopped = summary.stopped or stats.get("arsip/stopped")
        for name, value in stats.items():
            if name.startswith("arsip/errors/"):
                summary.errors_by_kind[name.removeprefix("arsip/errors/")] += value
    return summary
