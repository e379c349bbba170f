"""`arsip crawl [OUTLET ...] [--recheck]`: one crawl round now, then a summary."""

from __future__ import annotations

import json

from archive.cli.options import add_setting_overrides
from archive.wording import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("crawl", help="run one crawl round now")
    parser.add_argument("outlet", nargs="*", help="outlet keys (default: every configured outlet)")
    parser.add_argument("--recheck", action="store_true", help="re-fetch every known article, due or not")
    add_setting_overrides(parser, help="override a Scrapy or arsip setting for this round")
    parser.add_argument("--no-ingest", action="store_true", help="only capture; leave versions to `arsip ingest`")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from crawler.run import crawl

    result = crawl(config, args.outlet, recheck=args.recheck, overrides=args.settings, ingest=not args.no_ingest,
                   log_level="DEBUG" if args.debug else "ERROR", progress=say)
    if args.json:
        print(json.dumps(result.document, indent=2))
    if result.failure is not None:
        raise result.failure
    return 0
