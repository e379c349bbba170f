"""`arsip demo`: crawl a local demo news site for a few rounds, with edits between them.

For a newcomer without internet (or without wanting to hit real outlets): the
site runs on 127.0.0.1 in this process, and each round is an ordinary
`arsip crawl` of its two outlets into the configured catalog (by default the
embedded PostgreSQL in the data directory).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

from archive.cli.options import count
from archive.errors import ArsipError
from archive.wording import plural


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="crawl a local demo news site for a few rounds")
    parser.add_argument("--rounds", type=count("--rounds"), default=None,
                        help="crawl rounds, 1 or more (default: every scripted round)")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from fakeoutlet import demo

    rounds = args.rounds if args.rounds is not None else demo.ROUNDS
    _forget_earlier_demo(config, demo.OUTLETS)
    with demo.demo_site() as site, tempfile.TemporaryDirectory(prefix="arsip-demo-") as scratch:
        outlets_file = Path(scratch) / "demo-outlets.toml"
        outlets_file.write_text(site.outlets_toml(), encoding="utf-8")
        print(f"arsip demo: news site at {site.base} ({plural(rounds, 'round')}); data in {config.data_dir}",
              file=sys.stderr)
        for number in range(1, rounds + 1):
            if number > 1:
                print(f"arsip demo: {site.advance()}", file=sys.stderr)
            print(f"arsip demo: round {number}: crawling", file=sys.stderr, flush=True)
            _crawl(config, outlets_file, recheck=number > 1, debug=args.debug)
    print(f"arsip demo: done; WARC files are in {config.warc_dir}", file=sys.stderr)
    _show_changes(config, site_base=site.base)
    return 0


def _forget_earlier_demo(config, outlets: tuple[str, ...]) -> None:
    """Remove an earlier demo's stories, captures and WARC files, so that every demo shows the same.

    Kept, they would mix with this one's: the site's port, part of every story's key, is new each
    run (duplicate stories), and the restarted site's first round would undo the earlier run's edits.
    """
    from archive.ingest.run import forget_outlets_entirely

    forgotten = forget_outlets_entirely(config, outlets)
    if forgotten.stories or forgotten.captures:
        print(f"arsip demo: starting over: removed the earlier demo's {plural(forgotten.stories, 'story', 'stories')}, "
              f"{plural(forgotten.captures, 'capture')} and {plural(len(forgotten.warc_files), 'WARC file')}",
              file=sys.stderr)


def _show_changes(config, site_base: str) -> None:
    """What the rounds revealed: the demo's stories that changed, and how to look at them."""
    from archive.catalog.db import open_catalog
    from archive.catalog.queries import list_stories

    with open_catalog(config) as catalog, catalog.connection() as conn:
        changed = [s for s in list_stories(conn, changed=True) if s["url"].startswith(site_base)]
    print(f"\n{plural(len(changed), 'story', 'stories')} changed while arsip watched:")
    for story in changed:
        print(f"  {story['id']:>5}  {plural(story['versions'], 'version')}  {story['title']}")
    if changed:
        busiest = max(changed, key=lambda story: story["versions"])
        print(f"\nsee how: arsip versions {busiest['id']}; arsip diff {busiest['id']} --from 1 --to 2")
        # The ids are this run's: each demo starts over, and a catalog numbers its stories as they come.
        print("later: arsip stories --changed lists them (their ids change with each demo)")


def _crawl(config, outlets_file: Path, recheck: bool, debug: bool) -> None:
    from crawler.child import crawl_in_child
    from fakeoutlet import demo

    # Each round is its own process, exactly the command a user (or cron) would run.
    code = crawl_in_child(dataclasses.replace(config, outlets_file=outlets_file), demo.OUTLETS,
                          overrides={"AUTOTHROTTLE_ENABLED": "False", "ARSIP_PROGRESS_INTERVAL": "0"},
                          recheck=recheck, debug=debug)
    if code != 0:
        raise ArsipError(f"demo crawl round failed (exit status {code})")
