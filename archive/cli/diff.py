"""`arsip diff STORY [--from N] [--to M] [--json]`: how a story changed between two versions."""

from __future__ import annotations

import json
import os
import sys

from archive.errors import ArsipError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="the diff between two versions of a story (default: the last two)")
    parser.add_argument("story", help="a story id, or any URL the story was seen at")
    parser.add_argument("--from", dest="old", type=int, help="the older version number")
    parser.add_argument("--to", dest="new", type=int, help="the newer version number")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import versions_of
    from archive.cli.options import load_story
    from archive.history.diff import diff_document, render_terminal

    with open_catalog(config) as catalog, catalog.connection() as conn:
        story = load_story(conn, args.story)
        versions = {v["number"]: v for v in versions_of(conn, story["id"])}
    if not versions:
        raise ArsipError(f"story {story['id']} has no versions yet")
    # The numbers asked for are checked first: a bad --to must not be reported as the --from derived from it.
    for number in (args.new, args.old):
        if number is not None and number not in versions:
            raise ArsipError(f"story {story['id']} has no version {number} ({_has(versions)})",
                             hint=f"`arsip versions {story['id']}` lists them")
    new = args.new if args.new is not None else max(versions)
    old = args.old if args.old is not None else max(new - 1, 1)
    document = diff_document(story["id"], versions[old], versions[new])
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    print(f"story {story['id']} ({story['outlet']}): version {old} -> {new}")
    print(render_terminal(document["fields"], color=color) or "(no difference in the article content)\n", end="")
    return 0


def _has(versions: dict) -> str:
    """The versions a story has, as an error names them: "it has versions 1-3", "it has only version 1"."""
    if len(versions) == 1:
        return f"it has only version {min(versions)}"
    return f"it has versions {min(versions)}-{max(versions)}"
