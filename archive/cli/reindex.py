"""`arsip reindex [WARC ...]`: rebuild or extend the capture catalog from WARC files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.errors import ArsipError
from archive.wording import plural


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
    from archive.cli.ingest import ingest_captures, known_outlets
    from archive.reindex import reindex
    from crawler.outlet import load_outlets, owner_of

    outlets = load_outlets(config.outlets_file)
    paths = []
    for path in args.warc or ([config.warc_dir] if config.warc_dir.is_dir() else []):
        paths += files_in(path) if path.is_dir() else [path]
    for path in paths:
        # The catalog names a capture's file, not its path: it must be found in the data directory.
        if path.exists() and path.resolve().parent != config.warc_dir.resolve():
            raise ArsipError(f"{path}: not in this data directory's WARC files ({config.warc_dir})",
                             hint="captures are found by file name there: move or copy the file in, then reindex it")
    with open_catalog(config) as catalog:
        outlets = known_outlets(config, catalog)
        result = reindex(catalog, paths, lambda url: owner_of(outlets, url),
                         progress=lambda line: print(f"arsip: {line}", file=sys.stderr, flush=True))
        print(f"arsip: reindexed {plural(result.files, 'file')}: {plural(result.captures, 'capture')}, "
              f"{result.new_captures} new", file=sys.stderr)
        ingested = ingest_captures(config, catalog, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({"files": result.files, "captures": result.captures, "new_captures": result.new_captures,
                          "ingest": ingested.__dict__}))
    return 0


def files_in(directory: Path) -> list[Path]:
    """The closed WARC files of `directory`, once the ones killed crawls left open are closed.

    What is left out is said, one note per file, so that nothing is skipped unseen.
    """
    from archive.warc.naming import OPEN_SUFFIX, SUFFIX
    from archive.warc.reader import warc_files
    from archive.warc.repair import repair_open_files, why_left_open

    # Files a killed crawl left open hold whole records too.
    repair_open_files(directory)
    for path in sorted(directory.iterdir()):
        if path.name.endswith(SUFFIX + OPEN_SUFFIX):
            reason = why_left_open(path)
        elif path.name.endswith(SUFFIX) and path.is_file():
            continue
        else:
            reason = f"not a WARC file of arsip's (their names end in {SUFFIX})"
        if reason:
            print(f"arsip: note: skipped {path}: {reason}", file=sys.stderr)
    return warc_files(directory)
