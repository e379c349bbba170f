"""`arsip db upgrade|stop`: manage the catalog database."""

from __future__ import annotations

from archive.wording import plural


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("db", help="manage the catalog database")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="apply pending schema migrations").set_defaults(run=upgrade)
    actions.add_parser("stop", help="stop the embedded PostgreSQL server, if running").set_defaults(run=stop)


def upgrade(args, config) -> int:
    from archive.catalog.db import open_catalog
    from archive.catalog.migrate import apply_migrations

    with open_catalog(config, migrate=False) as catalog:
        applied = apply_migrations(catalog)
    print(f"arsip: applied {plural(len(applied), 'migration')}" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def stop(args, config) -> int:
    from archive.catalog.db import stop_embedded

    stop_embedded(config)
    return 0
