"""Extraction worker processes: pages read from their WARC records and extracted, each page once.

Extraction is the CPU-heavy part of ingest and depends on the page and its outlet's
selectors alone, so it runs in a pool of processes, ahead of the decisions, and even
while a crawl round is still fetching (`archive.ingest.speculation`).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

from archive.catalog.captures import StoredCapture
from archive.extract.article import Article, extract, no_article
from archive.outlet import Outlet
from archive.warc.naming import OPEN_SUFFIX
from archive.warc.payload import DEFAULT_MAX_DECODED, PayloadTooLarge, decode_payload
from archive.warc.reader import read_record_at

# Pages per task sent to an extraction worker: fewer, larger messages between processes.
CHUNK = 8


@dataclass(frozen=True)
class PageJob:
    """One captured page to extract, in a form a worker process can take (and a key for its result)."""

    path: str  # the WARC file by its finished name; a worker also tries its `.open` name
    offset: int
    length: int
    url: str
    selectors: tuple[tuple[str, str], ...]
    max_decoded: int = DEFAULT_MAX_DECODED  # bytes the payload may decode to


def extract_page(job: PageJob) -> Article:
    """Read one response record and extract its article (runs in a worker process).

    A page that decodes to more than `job.max_decoded` bytes, or whose encoded stream is
    cut short, has no article: refused with "too_large_decoded" or "truncated".
    """
    record = _read_record(job)
    headers = record.http_headers
    try:
        decoded = decode_payload(record.payload or b"", headers.get_header("Content-Encoding") if headers else None,
                                 job.max_decoded)
    except PayloadTooLarge:
        return no_article(job.url, "too_large_decoded")
    if not decoded.complete:
        return no_article(job.url, "truncated")
    content_type = headers.get_header("Content-Type") if headers else None
    return extract(decoded.body, job.url, content_type, dict(job.selectors))


def extract_pages(jobs: list[PageJob]) -> list[Article]:
    return [extract_page(job) for job in jobs]


def _read_record(job: PageJob):
    # A file being written is `<name>.open` until it is finished and renamed, which may
    # happen between any two looks: the finished name, the open one, then the finished again.
    try:
        return read_record_at(job.path, job.offset, job.length)
    except FileNotFoundError:
        pass
    try:
        return read_record_at(job.path + OPEN_SUFFIX, job.offset, job.length)
    except FileNotFoundError:
        return read_record_at(job.path, job.offset, job.length)


class Extractions:
    """Pages being extracted by a pool of worker processes (or inline, without one), each page once.

    `submit` sends pages off in chunks; `get` waits for one page's article.
    """

    def __init__(self, pool: Executor | None):
        self.pool = pool
        self._results: dict[PageJob, Article | tuple[Future, int]] = {}

    def __len__(self) -> int:
        return len(self._results)

    def submit(self, jobs: Iterable[PageJob]) -> int:
        """Start extracting the pages of `jobs` not started yet; how many that was."""
        fresh = [job for job in dict.fromkeys(jobs) if job not in self._results]
        if self.pool is not None:
            for i in range(0, len(fresh), CHUNK):
                chunk = fresh[i:i + CHUNK]
                future = self.pool.submit(extract_pages, chunk)
                for n, job in enumerate(chunk):
                    self._results[job] = (future, n)
        return len(fresh)

    def get(self, job: PageJob) -> Article:
        found = self._results.get(job)
        if found is None:
            if self.pool is not None:
                self.submit([job])
                return self.get(job)
            found = self._results[job] = extract_page(job)
        elif isinstance(found, tuple):
            future, n = found
            found = self._results[job] = future.result()[n]
        return found

    def hand_over(self, pool: Executor) -> None:
        """Extract with `pool` from now on, pages sent off but not started yet included."""
        self.pool = pool
        moved: dict[Future, list[tuple[int, PageJob]]] = {}
        for job, found in list(self._results.items()):
            if isinstance(found, tuple) and (found[0] in moved or found[0].cancel()):
                moved.setdefault(found[0], []).append((found[1], job))
        for items in moved.values():
            chunk = [job for _, job in sorted(items, key=lambda item: item[0])]
            future = pool.submit(extract_pages, chunk)
            for n, job in enumerate(chunk):
                self._results[job] = (future, n)

    def ready(self) -> int:
        """How many pages are extracted already."""
        return sum(1 for found in self._results.values() if not isinstance(found, tuple) or found[0].done())

    def forget(self, jobs: Iterable[PageJob]) -> None:
        for job in jobs:
            self._results.pop(job, None)


def page_job(warc_dir: Path | str, capture: StoredCapture, outlet: Outlet,
             max_decoded: int = DEFAULT_MAX_DECODED) -> PageJob:
    return PageJob(os.path.join(warc_dir, capture.warc_file), capture.warc_offset, capture.warc_length, capture.url,
                   tuple(sorted(outlet.selectors.items())), max_decoded)


def worker_start(nice: int = 0) -> None:
    """What each extraction worker process does first."""
    # Ctrl-C reaches the whole process group: a crawl stops gracefully and ingests what
    # it fetched, so its workers must outlive the signal (they end with their pool).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    # A parent killed outright (SIGKILL, OOM) never shuts its pool down: end with it
    # instead of waiting for work forever.
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="arsip-orphan-watch", daemon=True).start()
