"""`arsip reindex [WARC ...]`: rebuild or extend the capture catalog from WARC files."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reindex", help="rebuild or extend the catalog from WARC files")
    parser.add_argument("warc", nargs="*", type=Path, help="WARC files (default: every file in the data directory)")
    parser.add_argument("--rebuild", action="store_true",
                        help="also forget every story and version and ingest all captures again")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.cli.ingest import ingest_captures, known_outlets
    from archive.reindex import reindex
    from archive.warc.reader import warc_files
    from archive.warc.repair import repair_open_files
    from crawler.outlet import load_outlets, owner_of

    outlets = load_outlets(config.outlets_file)
    paths = list(args.warc)
    if not paths:
        # Files a killed crawl left open hold whole records too; close them first.
        repair_open_files(config.warc_dir)
        paths = warc_files(config.warc_dir) if config.warc_dir.is_dir() else []
    with open_catalog(config) as catalog:
        outlets = known_outlets(config, catalog)
        result = reindex(catalog, paths, lambda url: owner_of(outlets, url),
                         progress=lambda line: print(f"arsip: {line}", file=sys.stderr, flush=True))
        print(f"arsip: reindexed {result.files} file(s): {result.captures} captures, {result.new_captures} new",
              file=sys.stderr)
        ingested = ingest_captures(config, catalog, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({"files": result.files, "captures": result.captures, "new_captures": result.new_captures,
                          "ingest": ingested.__dict__}))
    return 0
