"""One crawl, as `arsip crawl` runs it: a round, its pages extracted while it fetches, then their ingest.

Before any fetch the catalog is reached (and migrated), so a dead database is one clear line.
During the round, worker processes extract its article pages from the CPU it leaves idle
(never in the reactor's process); every decision (stories, versions) waits for it to end.
After it, the captures the catalog missed while it was away are read back from the WARC
files, then everything pending is ingested.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from archive.catalog.db import open_catalog
from archive.config import Config
from archive.errors import ArsipError
from archive.ingest.ingester import IngestResult
from archive.ingest.run import catalogue_missed, ingest_captures
from archive.ingest.speculation import Speculation
from archive.outlet import load_outlets
from archive.wording import say
from crawler.overrides import unknown_names
from crawler.round import RoundSummary, run_round


@dataclass
class CrawlResult:
    summary: RoundSummary
    document: dict  # what `--json` prints: the summary, and what followed the round
    failure: ArsipError | None = None  # why the command fails, once the document is out


def crawl(config: Config, keys: Sequence[str], *, recheck: bool = False, overrides: Mapping[str, str] | None = None,
          ingest: bool = True, log_level: str = "ERROR", progress: Callable[[str], None] = say) -> CrawlResult:
    """Crawl the outlets `keys` (all when empty) once, then (with `ingest`) make stories and versions of it.

    Says the round's summary and what came after it to `progress`. Raises only before the round
    has fetched; a round that stopped early, fetched nothing or left captures in the WARC files
    alone comes back with its `failure`, after its document.
    """
    overrides = dict(overrides or {})
    for name in unknown_names(overrides):
        progress(f"note: -s {name}: not a setting of Scrapy or arsip, so it changes nothing")
    if "ARSIP_MAX_DECODED_SIZE" in overrides:
        # The ingest after the round decodes the same payloads, and must refuse the same ones.
        config = dataclasses.replace(config, max_decoded_size=int(overrides["ARSIP_MAX_DECODED_SIZE"]))
    outlets = load_outlets(config.outlets_file)
    open_catalog(config).close()
    speculation = None
    try:
        if ingest:
            speculation = Speculation(config.warc_dir, outlets, max_decoded=config.max_decoded_size)
            speculation.start(open_catalog(config, migrate=False))
        summary = run_round(config, outlets, list(keys), recheck=recheck, overrides=overrides, log_level=log_level)
        progress(summary.line())
        document = summary.as_dict()
        still_away = None
        if summary.uncatalogued:
            try:
                document["catalogued_after_round"] = catalogue_missed(config, summary.uncatalogued, progress)
            except ArsipError as error:
                still_away = error
        if speculation is not None and still_away is None:
            document["ingest"] = _ingest_after(config, speculation, progress).__dict__
    finally:
        if speculation is not None:
            speculation.close()
    # A catalog still away implies pages were fetched: only a round stopped early says more.
    return CrawlResult(summary, document, failure=summary.failure() or still_away)


def _ingest_after(config: Config, speculation: Speculation, progress: Callable[[str], None]) -> IngestResult:
    """The ingest after a round, with what was extracted during it."""
    extractions = speculation.stop()
    if speculation.error is not None:
        progress(f"note: extraction during the round stopped early ({speculation.error}); ingest extracts the rest")
    with open_catalog(config) as catalog:
        return ingest_captures(config, catalog, progress, extractions=extractions)

