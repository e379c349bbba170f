"""One ingest of a catalog, as `arsip ingest`, `arsip crawl` and `arsip reindex` run it.

First the captures only the WARC files hold (written while the database was away, or by a
killed crawl) are catalogued, then every pending capture becomes stories and versions,
one ingest of a catalog at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from archive.catalog.db import Catalog, open_catalog
from archive.catalog.locks import ingest_lock
from archive.catalog.store import saved_outlets
from archive.catalog.stories import forget_ingest
from archive.config import Config
from archive.errors import ArsipError
from archive.ingest.ingester import Ingester, IngestResult
from archive.ingest.reindex import catalogue_unseen
from archive.ingest.workers import Extractions
from archive.outlet import Outlet, load_outlets, outlet_from_dict, owner_of
from archive.wording import plural


def ingest_captures(config: Config, catalog: Catalog, progress: Callable[[str], None], rebuild: bool = False,
                    workers: int = 2, extractions: Extractions | None = None) -> IngestResult:
    """Ingest pending captures (all of them again with `rebuild`); progress and a summary line to `progress`."""
    with ingest_lock(catalog, waiting=lambda: progress("waiting for another ingest of this catalog to finish")):
        if rebuild:
            with catalog.connection() as conn:
                forget_ingest(conn)
        outlets = known_outlets(config, catalog)
        found = catalogue_unseen(catalog, config.warc_dir, lambda url: owner_of(outlets, url), progress=progress)
        if found.new_captures:
            progress(f"catalogued {plural(found.new_captures, 'capture')} from {plural(found.files, 'WARC file')} "
                     "that the catalog had not seen whole (written while it was unreachable, or by a killed crawl)")
        result = Ingester(catalog, config.warc_dir, outlets, workers=workers, extractions=extractions,
                          progress=progress, max_decoded=config.max_decoded_size).run()
    refused = ", ".join(f"{k} {n}" for k, n in sorted(result.refused.items()))
    progress(f"ingested {plural(result.captures, 'capture')}: {plural(result.versions, 'new version')}, "
             f"{plural(result.stories, 'new story', 'new stories')}"
             + (f" (refused: {refused})" if refused else ""))
    if result.held_back_from:
        progress(f"captures fetched from {result.held_back_from} on wait for the crawl still running since then; "
                 "it ingests them when it ends")
    return result


def known_outlets(config: Config, catalog: Catalog) -> dict[str, Outlet]:
    """The configured outlets, over those recorded by earlier crawls (the demo's, a since-removed file's),
    which still own their captures."""
    with catalog.connection() as conn:
        outlets = {d["key"]: outlet_from_dict(d, "the catalog's outlets table") for d in saved_outlets(conn)}
    outlets.update(load_outlets(config.outlets_file))
    return outlets


def catalogue_missed(config: Config, count: int, progress: Callable[[str], None]) -> int:
    """After a round the catalog lost touch with, read its `count` captures back from the WARC files; how many were new.

    If the database is still away (ArsipError), the next round or `arsip ingest` does the same.
    """
    try:
        with open_catalog(config) as catalog:
            outlets = known_outlets(config, catalog)
            found = catalogue_unseen(catalog, config.warc_dir, lambda url: owner_of(outlets, url), progress=progress)
    except ArsipError as error:
        raise ArsipError(f"the catalog database went away during the round, and {plural(count, 'capture')} "
                         f"{'is' if count == 1 else 'are'} only in the WARC files for now ({error.message})",
                         hint="the next round or `arsip ingest` catalogues them by itself once the database is back") from None
    progress(f"the catalog database went away during the round; {plural(found.new_captures, 'capture')} it "
             f"missed {'was' if found.new_captures == 1 else 'were'} catalogued from {plural(found.files, 'WARC file')}")
    return found.new_captures
