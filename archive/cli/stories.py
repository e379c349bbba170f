"""`arsip stories [--outlet O] [--changed] [--since WHEN] [--json]`: stories, newest first."""

from __future__ import annotations

import json
from datetime import datetime

from archive.cli.options import count
from archive.errors import UsageError
from archive.wording import readable_time


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("stories", help="list stories, newest first")
    parser.add_argument("--outlet", help="only this outlet's stories")
    parser.add_argument("--changed", action="store_true", help="only stories with more than one version")
    parser.add_argument("--since", help="only stories seen since this ISO 8601 time or date")
    parser.add_argument("--limit", type=count("--limit"), default=None, help="at most this many")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import list_stories
    from archive.cli.options import check_outlet

    since = _parse_since(args.since) if args.since else None
    with open_catalog(config) as catalog, catalog.connection() as conn:
        check_outlet(conn, config, args.outlet)
        stories = list_stories(conn, args.outlet, args.changed, since, args.limit)
    if args.json:
        print(json.dumps(stories, ensure_ascii=False, indent=2))
        return 0
    for story in stories:
        marker = {"deleted": " [deleted]", "redirected": " [redirected]"}.get(story["status"], "")
        print(f"{story['id']:>6}  {story['outlet']:<14} v{story['versions']:<3} {readable_time(story['last_seen'])}  "
              f"{story['title'] or story['url']}{marker}")
    return 0


def _parse_since(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text}: not an ISO 8601 date or time (e.g. 2021-06-22 or 2021-06-22T10:00+07:00)")
    return when if when.tzinfo else when.astimezone()
