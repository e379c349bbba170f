"""`arsip service [OUTLET ...]`: run crawl rounds on each outlet's schedule until stopped.

`--list` prints when each outlet's next round is due and exits (no database needed).
Otherwise the service runs in the foreground, logging to stderr, and exits 0 after
SIGTERM or SIGINT once its running rounds have stopped. See crawler/schedule.py.
"""

from __future__ import annotations

import json

from archive.cli.options import add_setting_overrides, count
from archive.errors import UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("service", help="run crawl rounds on each outlet's schedule until stopped")
    parser.add_argument("outlet", nargs="*", help="outlet keys (default: every configured outlet)")
    parser.add_argument("--max-rounds", type=count("--max-rounds"), default=2, metavar="N",
                        help="crawl rounds running at once, at most (default 2)")
    parser.add_argument("--run-now", action="store_true",
                        help="start a round of each outlet at once, then follow the schedules")
    parser.add_argument("--poll", type=float, default=10.0, metavar="SECONDS",
                        help="how often a standby tries for the scheduler lock and the leader checks "
                             "its database connection (default 10)")
    add_setting_overrides(parser, help="override a Scrapy or arsip setting for every round")
    parser.add_argument("--list", action="store_true", help="print when each outlet's next round is due, and exit")
    parser.add_argument("--json", action="store_true", help="with --list: print one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.outlet import load_outlets
    from crawler.schedule import next_runs, serve

    if not args.poll > 0:
        raise UsageError("--poll must be more than 0 seconds")
    if args.json and not args.list:
        raise UsageError("--json goes with --list")
    outlets = load_outlets(config.outlets_file)
    unknown = [key for key in args.outlet if key not in outlets]
    if unknown:
        raise UsageError(f"unknown outlet {unknown[0]!r}", hint="`arsip outlets` lists the configured outlets")
    chosen = [outlets[key] for key in (dict.fromkeys(args.outlet) or sorted(outlets))]

    if args.list:
        due = next_runs(chosen)
        if args.json:
            print(json.dumps(due, ensure_ascii=False, indent=2))
        else:
            key_width = max(len(item["outlet"]) for item in due)
            cron_width = max(len(item["schedule"]) for item in due)
            for item in due:
                print(f"{item['outlet']:<{key_width}}  {item['schedule']:<{cron_width}}  next {item['next_run']}")
        return 0
    return serve(config, chosen, max_rounds=args.max_rounds, run_now=args.run_now, poll=args.poll,
                 overrides=args.settings, debug=args.debug)
