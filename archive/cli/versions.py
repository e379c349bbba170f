"""`arsip versions STORY [--json]`: one story's versions, oldest first."""

from __future__ import annotations

import json

from archive.wording import plural, readable_time


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("versions", help="one story's versions, oldest first")
    parser.add_argument("story", help="a story id, or any URL the story was seen at")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import versions_of
    from archive.cli.options import load_story

    with open_catalog(config) as catalog, catalog.connection() as conn:
        story = load_story(conn, args.story)
        versions = versions_of(conn, story["id"])
    if args.json:
        for version in versions:
            version.pop("paragraphs", None)
        print(json.dumps(versions, ensure_ascii=False, indent=2))
        return 0
    print(f"story {story['id']} ({story['outlet']}, {story['status']}): {story['title']}\n{story['url']}")
    for version in versions:
        kinds = ", ".join(change["kind"] for change in version.get("changes", []))
        silent = " (silent edit)" if version["silent_edit"] else ""
        print(f"  v{version['number']}  {readable_time(version['first_seen'], 'seconds')} .. "
              f"{readable_time(version['last_seen'], 'seconds')}  "
              f"{plural(len(version['captures']), 'capture')}  {kinds or 'first seen'}{silent}")
    return 0
