"""`arsip ingest [--rebuild]`: turn captures not yet ingested into stories and versions."""

from __future__ import annotations

import json
import sys

from archive.wording import plural


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("ingest", help="make stories and versions of captures not yet ingested")
    parser.add_argument("--rebuild", action="store_true", help="forget all stories and versions and ingest every capture again")
    parser.add_argument("--workers", type=int, default=2,
                        help="extraction processes (default 2; 0: extract in this process)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog

    with open_catalog(config) as catalog:
        result = ingest_captures(config, catalog, rebuild=args.rebuild, workers=args.workers)
    if args.json:
        print(json.dumps(result.__dict__))
    return 0


def ingest_captures(config, catalog, rebuild: bool = False, workers: int = 2, extractions=None):
    """Ingest pending captures (all of them again with `rebuild`); progress and summary on stderr."""
    from archive.catalog.locks import ingest_lock
    from archive.catalog.stories import forget_ingest
    from archive.ingest import Ingester
    from archive.reindex import catalogue_unseen
    from crawler.outlet import owner_of

    def say(line: str) -> None:
        print(f"arsip: {line}", file=sys.stderr, flush=True)

    with ingest_lock(catalog, waiting=lambda: say("waiting for another ingest of this catalog to finish")):
        if rebuild:
            with catalog.connection() as conn:
                forget_ingest(conn)
        outlets = known_outlets(config, catalog)
        # Captures a crawl could not catalogue (the database was away) are in its WARC files.
        found = catalogue_unseen(catalog, config.warc_dir, lambda url: owner_of(outlets, url), progress=say)
        if found.new_captures:
            say(f"catalogued {plural(found.new_captures, 'capture')} from {plural(found.files, 'WARC file')} that the catalog "
                "had not seen whole (written while it was unreachable, or by a killed crawl)")
        result = Ingester(catalog, config.warc_dir, outlets, workers=workers, extractions=extractions,
                          progress=say, max_decoded=config.max_decoded_size).run()
    refused = ", ".join(f"{k} {n}" for k, n in sorted(result.refused.items()))
    say(f"ingested {plural(result.captures, 'capture')}: {plural(result.versions, 'new version')}, "
        f"{plural(result.stories, 'new story', 'new stories')}"
        + (f" (refused: {refused})" if refused else ""))
    if result.held_back_from:
        say(f"captures fetched from {result.held_back_from} on wait for the crawl still running since then; "
            "it ingests them when it ends")
    return result


def known_outlets(config, catalog) -> dict:
    """The configured outlets, over those recorded by earlier crawls (the demo's, a since-removed file's),
    which still own their captures."""
    from archive.catalog.store import saved_outlets
    from crawler.outlet import load_outlets, outlet_from_dict

    with catalog.connection() as conn:
        outlets = {d["key"]: outlet_from_dict(d, "the catalog's outlets table") for d in saved_outlets(conn)}
    outlets.update(load_outlets(config.outlets_file))
    return outlets
