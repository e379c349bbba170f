"""`arsip outlets [--json]`: the configured outlets."""

from __future__ import annotations

import json


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("outlets", help="list the configured outlets")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(run=run)


def run(args, config) -> int:
    from archive.outlet import load_outlets

    outlets = load_outlets(config.outlets_file)
    if args.json:
        print(json.dumps([outlets[key].as_dict() for key in sorted(outlets)], ensure_ascii=False, indent=2))
        return 0
    width = max(len(key) for key in outlets)
    for key in sorted(outlets):
        outlet = outlets[key]
        print(f"{key:<{width}}  {outlet.name:<22} {outlet.schedule:<14} {', '.join(outlet.topics)}")
    return 0
