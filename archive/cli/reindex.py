"""`arsip reindex [WARC ...]`: rebuild or extend the capture catalog from WARC files."""

from __future__ import annotations

import json
from pathlib import Path

from archive.errors import ArsipError
from archive.wording import plural, say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reindex", help="rebuild or extend the catalog from WARC files")
    parser.add_argument("warc", nargs="*", type=Path,
                        help="WARC files or directories of them (default: the data directory's)")
    parser.add_argument("--rebuild", action="store_true",
                        help="also forget every story and version and ingest all captures again")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.ingest.reindex import files_in, reindex
    from archive.ingest.run import ingest_captures, known_outlets
    from archive.outlet import owner_of

    paths = []
    for path in args.warc or ([config.warc_dir] if config.warc_dir.is_dir() else []):
        paths += files_in(path, note=lambda line: say(f"note: {line}")) if path.is_dir() else [path]
    for path in paths:
        # The catalog names a capture's file, not its path: it must be found in the data directory.
        if path.exists() and path.resolve().parent != config.warc_dir.resolve():
            raise ArsipError(f"{path}: not in this data directory's WARC files ({config.warc_dir})",
                             hint="captures are found by file name there: move or copy the file in, then reindex it")
    with open_catalog(config) as catalog:
        outlets = known_outlets(config, catalog)
        result = reindex(catalog, paths, lambda url: owner_of(outlets, url), progress=say)
        say(f"reindexed {plural(result.files, 'file')}: {plural(result.captures, 'capture')}, {result.new_captures} new")
        ingested = ingest_captures(config, catalog, say, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({"files": result.files, "captures": result.captures, "new_captures": result.new_captures,
                          "ingest": ingested.__dict__}))
    return 0
