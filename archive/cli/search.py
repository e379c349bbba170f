"""`arsip search TEXT [--json]`: full-text search over article versions."""

from __future__ import annotations

import json

from archive.cli.options import count
from archive.errors import UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("search", help="full-text search over article versions")
    parser.add_argument("text", help="words to look for (quotes for a phrase, -word to exclude)")
    parser.add_argument("--limit", type=count("--limit"), default=20, help="at most this many stories (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import search_versions

    if not any(ch.isalnum() for ch in args.text):
        # Nothing to look for would find nothing and look like "no such story".
        problem = "is empty" if not args.text.strip() else f"{args.text!r} has no words to look for"
        raise UsageError(f"search: the query {problem}",
                         hint="arsip search WORDS ('\"a phrase\"' for words side by side, -word to leave one out)")
    with open_catalog(config) as catalog, catalog.connection() as conn:
        hits = search_versions(conn, args.text, args.limit)
    if args.json:
        print(json.dumps(hits, ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        matched = ",".join(str(n) for n in hit["versions"])
        print(f"{hit['story_id']:>6} v{matched:<5} {hit['outlet']:<14} {hit['title']}")
        if hit["snippet"]:
            print(f"        {hit['snippet']}")
    return 0
