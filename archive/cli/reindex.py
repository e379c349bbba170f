"""`arsip reindex [WARC ...]`: rebuild or extend the capture catalog from WARC files."""

from __future__ import annotations

import json
from pathlib import Path

from archive.wording import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reindex", help="rebuild or extend the catalog from WARC files")
    parser.add_argument("warc", nargs="*", type=Path,
                        help="WARC files or directories of them (default: the data directory's)")
    parser.add_argument("--rebuild", action="store_true",
                        help="also forget every story and version and ingest all captures again")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.ingest.run import reindex_and_ingest

    result, ingested = reindex_and_ingest(config, args.warc, say, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({"files": result.files, "captures": result.captures, "new_captures": result.new_captures,
                          "ingest": ingested.__dict__}))
    return 0
