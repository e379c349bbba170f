"""One ingest of a catalog, as `arsip ingest`, `arsip crawl` and `arsip reindex` run it.

First the captures only the WARC files hold (written while the database was away, or by a
killed crawl) are catalogued, then every pending capture becomes stories and versions,
one ingest of a catalog at a time. Also what the commands do around an ingest: reindexing
WARC files before it, and forgetting outlets entirely (a demo starting over).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from archive.catalog.db import Catalog, open_catalog
from archive.catalog.locks import ingest_lock
from archive.catalog.store import Forgotten, forget_outlets, saved_outlets
from archive.catalog.stories import forget_ingest
from archive.config import Config
from archive.errors import ArsipError
from archive.ingest.ingester import Ingester, IngestResult
from archive.ingest.reindex import ReindexResult, catalogue_unseen, files_in, reindex
from archive.ingest.workers import Extractions
from archive.outlet import Outlet, load_outlets, outlet_from_dict, owner_of
from archive.warc.naming import OPEN_SUFFIX
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


def forget_outlets_entirely(config: Config, keys: Sequence[str]) -> Forgotten:
    """Remove every row of the outlets `keys` from the catalog, then the WARC files that held only theirs.

    What was removed is returned; the outlets of other keys, and files shared with them, are untouched.
    """
    with open_catalog(config) as catalog, catalog.connection() as conn:
        forgotten = forget_outlets(conn, keys)
    # Only once the rows are gone: no row may point at a file that is not there.
    for name in forgotten.warc_files:
        for path in (config.warc_dir / name, config.warc_dir / (name + OPEN_SUFFIX)):
            path.unlink(missing_ok=True)
    return forgotten


def reindex_and_ingest(config: Config, paths: Sequence[Path], progress: Callable[[str], None],
                       rebuild: bool = False) -> tuple[ReindexResult, IngestResult]:
    """Catalogue the captures of WARC files `paths` (files, or directories of them; none: the data directory's),
    then ingest (all captures again with `rebuild`).

    A file outside the data directory is refused before anything is read: the catalog names a
    capture's file, not its path, and finds it there.
    """
    files = []
    for path in paths or ([config.warc_dir] if config.warc_dir.is_dir() else []):
        files += files_in(path, note=lambda line: progress(f"note: {line}")) if path.is_dir() else [path]
    for path in files:
        if path.exists() and path.resolve().parent != config.warc_dir.resolve():
            raise ArsipError(f"{path}: not in this data directory's WARC files ({config.warc_dir})",
                             hint="captures are found by file name there: move or copy the file in, then reindex it")
    with open_catalog(config) as catalog:
        outlets = known_outlets(config, catalog)
        result = reindex(catalog, files, lambda url: owner_of(outlets, url), progress=progress)
        progress(f"reindexed {plural(result.files, 'file')}: {plural(result.captures, 'capture')}, "
                 f"{result.new_captures} new")
        return result, ingest_captures(config, catalog, progress, rebuild=rebuild)
