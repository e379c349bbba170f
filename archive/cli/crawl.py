"""`arsip crawl [OUTLET ...] [--recheck]`: one crawl round now, then a summary."""

from __future__ import annotations

import dataclasses
import json

from archive.cli.options import add_setting_overrides
from archive.errors import ArsipError
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
    from archive.catalog.db import open_catalog
    from archive.ingest.run import catalogue_missed, ingest_captures
    from archive.ingest.speculation import Speculation
    from archive.outlet import load_outlets
    from crawler.overrides import unknown_names
    from crawler.round import run_round

    overrides = args.settings
    for name in unknown_names(overrides):
        say(f"note: -s {name}: not a setting of Scrapy or arsip, so it changes nothing")
    if "ARSIP_MAX_DECODED_SIZE" in overrides:
        # The ingest after the round decodes the same payloads, and must refuse the same ones.
        config = dataclasses.replace(config, max_decoded_size=int(overrides["ARSIP_MAX_DECODED_SIZE"]))
    outlets = load_outlets(config.outlets_file)
    # Reach (and migrate) the catalog before any fetch, so a dead database is one clear line.
    open_catalog(config).close()
    speculation = None
    try:
        if not args.no_ingest:
            # Extraction of the round's article pages starts while it fetches, in worker
            # processes that take only the CPU the round leaves idle (never in the reactor's
            # process); every decision (stories, versions) waits for the round to end.
            speculation = Speculation(config.warc_dir, outlets, max_decoded=config.max_decoded_size)
            speculation.start(open_catalog(config, migrate=False))
        summary = run_round(config, outlets, args.outlet, recheck=args.recheck, overrides=overrides,
                            log_level="DEBUG" if args.debug else "ERROR")
        say(summary.line())
        document = summary.as_dict()
        still_away = None
        if summary.uncatalogued:
            try:
                document["catalogued_after_round"] = catalogue_missed(config, summary.uncatalogued, say)
            except ArsipError as error:
                still_away = error
        if not args.no_ingest and still_away is None:
            extractions = speculation.stop()
            if speculation.error is not None:
                say(f"note: extraction during the round stopped early ({speculation.error}); ingest extracts the rest")
            with open_catalog(config) as catalog:
                document["ingest"] = ingest_captures(config, catalog, say, extractions=extractions).__dict__
    finally:
        if speculation is not None:
            speculation.close()
    if args.json:
        print(json.dumps(document, indent=2))
    if summary.stopped:
        raise ArsipError(f"the round stopped early: {summary.stopped}",
                         hint="free some space there (or give a --data-dir with room); every capture written "
                              "before it is whole, and the next round goes on from there")
    if still_away is not None:
        raise still_away
    if summary.pages_fetched == 0:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary.errors_by_kind.items())) or "no pages found"
        raise ArsipError(f"nothing could be fetched from {', '.join(summary.outlets)} ({kinds})",
                         hint="check the outlets' topic URLs and the network; the fetch errors are in the catalog")
    return 0
