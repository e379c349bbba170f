"""Extracting a crawl round's article pages while the round is still fetching them."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archive.catalog import stories as catalog
from archive.catalog.db import Catalog
from archive.ingest.workers import Extractions, page_job, worker_start
from archive.outlet import Outlet
from archive.warc.payload import DEFAULT_MAX_DECODED

# At most this many pages are extracted ahead during a crawl round (their results wait in memory, ~15 KB each).
SPECULATE_LIMIT = 5000
# Niceness of extraction workers started during a crawl round: they take only CPU the round leaves idle.
SPECULATE_NICE = 19


class Speculation:
    """Extracting a crawl round's article pages while the round is still fetching them.

    A thread polls the catalog for new successful captures at article URLs (the capture
    middleware adds their rows once their WARC records are on disk) and hands them to
    extraction workers at the lowest priority, which only take the CPU the round leaves
    idle. Nothing is decided here: `Ingester(extractions=...)` runs after the round as
    always and takes the articles ready by then (an article is a function of its page
    and its outlet's selectors alone, so it does not matter when it was extracted); a
    split article's further pages are only looked for then, once the round has fetched
    them. When the round ends, the pages not started yet go to `workers` workers at
    normal priority, as ingest has them without a round.
    """

    def __init__(self, warc_dir: Path, outlets: Mapping[str, Outlet], workers: int = 2,
                 limit: int = SPECULATE_LIMIT, interval: float = 0.5, max_decoded: int = DEFAULT_MAX_DECODED):
        self.catalog: Catalog | None = None
        self.warc_dir = Path(warc_dir)
        self.max_decoded = max_decoded
        self.outlets = outlets
        self.limit, self.interval = limit, interval
        # During the round, one core is the round's own; extraction gets the others.
        self.pool = ProcessPoolExecutor(max(1, (os.cpu_count() or 2) - 1), initializer=worker_start,
                                        initargs=(SPECULATE_NICE,))
        self.after = ProcessPoolExecutor(max(1, workers), initializer=worker_start)
        # The workers start now, before the round's threads and the catalog pool's exist:
        # forking a process with threads running can copy a lock one of them holds.
        self.pool.submit(int).result()
        self.after.submit(int).result()
        self.extractions = Extractions(self.pool)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="arsip-speculation", daemon=True)
        self.error: BaseException | None = None

    def start(self, catalog_: Catalog) -> "Speculation":
        """Start looking for pages in `catalog_` (closed by `close()`)."""
        self.catalog = catalog_
        self._thread.start()
        return self

    def stop(self) -> Extractions:
        """Stop looking for pages; the extractions, for `Ingester`, now with the normal-priority workers."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.extractions.pool is self.pool:
            self.extractions.hand_over(self.after)
        return self.extractions

    def close(self) -> None:
        self.stop()
        self.pool.shutdown(cancel_futures=True)
        self.after.shutdown(cancel_futures=True)
        if self.catalog is not None:
            self.catalog.close()

    def _poll(self) -> None:
        last = 0
        try:
            while len(self.extractions) < self.limit:
                # A catalog gone away ends speculation soon (ingest extracts the rest); waiting
                # out the pool's default 30 s would hold up the end of the round.
                with self.catalog.connection(timeout=5) as conn:
                    captures = catalog.successful_captures_after(conn, last, self.limit - len(self.extractions))
                    if captures:
                        last = captures[-1].id
                    articles = [c for c in captures
                                if c.outlet in self.outlets and self.outlets[c.outlet].is_article(c.url)]
                    # A revisit's article is its original's (fetched in an earlier round, as ingest reads it).
                    originals = catalog.originals_of(conn, [c for c in articles if c.record_type == "revisit"])
                sources = [originals.get(c.id) if c.record_type == "revisit" else c for c in articles]
                self.extractions.submit(page_job(self.warc_dir, source, self.outlets[source.outlet], self.max_decoded)
                                        for source in sources if source is not None and source.outlet in self.outlets)
                if self._stop.wait(self.interval):
                    return
        except Exception as error:  # ingest then extracts what is missing itself, as without speculation
            self.error = error
