"""The `arsip` command: parse arguments, run one command, report errors in one place.

Each command lives in its own module with `add_parser(subparsers)` and
`run(args, config) -> int`; heavy imports happen inside `run`, so `arsip outlets`
does not pay for Scrapy.
"""

from __future__ import annotations

import argparse
import gc
import sys
import traceback

from archive.config import load_config
from archive.errors import ArsipError, UsageError
from archive.wording import first_line

COMMANDS = ("crawl", "service", "ingest", "stories", "versions", "diff", "search", "export", "outlets", "reindex",
            "db", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsip", description="Archive news outlets: crawl, keep WARCs, catalog versions.")
    parser.add_argument("--data-dir", help="where WARCs and the embedded database live (default: $ARSIP_DATA_DIR)")
    parser.add_argument("--database-url", help="PostgreSQL URL of the catalog (default: $ARSIP_DATABASE_URL, else embedded)")
    parser.add_argument("--outlets", help="a TOML file of outlets that adds to or overrides the built-in ones ($ARSIP_OUTLETS)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and crawler logs")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = __import__(f"archive.cli.{name}", fromlist=["add_parser"])
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:  # an option's value, refused by its type (archive/cli/options.py)
        return _report(error)
    try:
        config = load_config(args.data_dir, args.database_url, args.outlets)
        return args.run(args, config)
    except BrokenPipeError:
        # `arsip outlets --json | head`: the reader has gone; say nothing more.
        sys.stderr.close()
        return 141
    except KeyboardInterrupt:
        print("arsip: interrupted", file=sys.stderr)
        return 130
    except ArsipError as error:
        if args.debug:
            traceback.print_exc()
        return _report(error)
    except Exception as error:
        # The catalog failing mid-command (server stopped, connection cut): its transaction
        # is rolled back, nothing stored is lost; say so in one line, not a traceback.
        # psycopg is only looked up, never imported here: most commands start faster without it.
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(error, psycopg.Error):
            raise
        if args.debug:
            traceback.print_exc()
        print(f"arsip: error: the catalog database failed during `{args.command}`: {first_line(error)}", file=sys.stderr)
        return 1


def _report(error: ArsipError) -> int:
    """Say what went wrong, in one line and an optional hint; the exit status for it."""
    print(f"arsip: error: {error.message}", file=sys.stderr)
    if error.hint:
        print(f"hint: {error.hint}", file=sys.stderr)
    return 2 if isinstance(error, UsageError) else 1


def console() -> int:
    """The `arsip` program: `main()`, then an exit that leaves the process's memory to the system."""
    code = main()
    # After a crawl round and its ingest the heap holds hundreds of MB of small objects;
    # freeing them one by one as the interpreter shuts down took ~0.5 s on a busy 2-core
    # machine, for memory the system takes back at once. Files and connections are
    # closed by then; only garbage collection of what is left is skipped.
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(console())
