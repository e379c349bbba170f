"""`arsip ingest [--rebuild]`: turn captures not yet ingested into stories and versions."""

from __future__ import annotations

import json

from archive.wording import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("ingest", help="make stories and versions of captures not yet ingested")
    parser.add_argument("--rebuild", action="store_true", help="forget all stories and versions and ingest every capture again")
    parser.add_argument("--workers", type=int, default=2,
                        help="extraction processes (default 2; 0: extract in this process)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.ingest.run import ingest_captures

    with open_catalog(config) as catalog:
        result = ingest_captures(config, catalog, say, rebuild=args.rebuild, workers=args.workers)
    if args.json:
        print(json.dumps(result.__dict__))
    return 0
