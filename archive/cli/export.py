"""`arsip export --jsonl [--outlet O]`: every version, with its diff from the one before, as JSON lines."""

from __future__ import annotations

import json
import sys

from archive.errors import UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export the catalog (JSON lines of every version)")
    parser.add_argument("--jsonl", action="store_true", help="one JSON document per version, oldest story first")
    parser.add_argument("--outlet", help="only this outlet's stories")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import list_stories, versions_of
    from archive.cli.options import check_outlet
    from archive.history.diff import diff_document

    if not args.jsonl:
        raise UsageError("say what to export: --jsonl (JSON lines of every version)")
    with open_catalog(config) as catalog, catalog.connection() as conn:
        check_outlet(conn, config, args.outlet)
        stories = sorted(list_stories(conn, args.outlet), key=lambda story: story["id"])
        for story in stories:
            previous = None
            for version in versions_of(conn, story["id"]):
                record = {"story": story, **version}
                if previous is not None:
                    record["diff"] = diff_document(story["id"], previous, version)
                previous = version
                record.pop("paragraphs", None)
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
