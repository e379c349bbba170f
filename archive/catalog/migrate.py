"""Schema migrations: numbered plain SQL files, applied in order, each once, each in its own transaction.

Migrations live in `archive/catalog/migrations/` as `NNNN_name.sql` (four digits, an
underscore, then lower-case letters, digits and underscores). Every file there that is
not hidden must be named so; directories (`__pycache__`) and dotfiles are ignored.
Applied migrations are recorded in `schema_migrations(version, name, applied_at)`.

A session-level advisory lock serialises migrators: a second process waits for the
first, then finds nothing left to do. Since each file runs inside a transaction it must
not contain BEGIN/COMMIT or statements that refuse transactions (CREATE INDEX
CONCURRENTLY, VACUUM, ...). The catalog must work on PostgreSQL 15 (what CI runs) as
well as the embedded 18, so migrations use nothing newer than 15.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Union

import psycopg

from archive.errors import ArsipError

if TYPE_CHECKING:
    from archive.catalog.db import Catalog

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
NAME_PATTERN = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# pg_advisory_lock key: a fixed bigint shared by every arsip process ("arsipmig" in ASCII)
LOCK_KEY = int.from_bytes(b"arsipmig", "big")

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""

Target = Union[psycopg.Connection, "Catalog"]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str  # the file name, e.g. "0001_captures.sql"
    path: Path


def list_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration in `directory`, in version order.

    Raises ArsipError naming the file if a file is misnamed or two files share a version.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ArsipError(f"migrations directory {directory} does not exist")
    found: dict[int, Migration] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        match = NAME_PATTERN.match(path.name)
        if not match:
            raise ArsipError(
                f"migration file {path} is misnamed: expected NNNN_name.sql "
                "(four digits, then lower-case letters, digits and underscores)"
            )
        version = int(match[1])
        if version in found:
            raise ArsipError(f"migration files {found[version].name} and {path.name} in {directory} share version {match[1]}")
        found[version] = Migration(version, path.name, path)
    return [found[v] for v in sorted(found)]


@contextlib.contextmanager
def _connection(target: Target) -> Iterator[psycopg.Connection]:
    if isinstance(target, psycopg.Connection):
        yield target
    else:
        with target.connection() as conn:
            yield conn


def _applied(conn: psycopg.Connection) -> set[int]:
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def pending_migrations(target: Target, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Names of the migrations in `directory` not yet applied to the database, in order.

    `target` is a psycopg Connection or a Catalog. Reads only; takes no lock.
    """
    migrations = list_migrations(directory)
    # transaction(): leave a caller's non-autocommit connection idle, as we found it
    with _connection(target) as conn, conn.transaction():
        if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return [m.name for m in migrations]
        applied = _applied(conn)
    return [m.name for m in migrations if m.version not in applied]


def apply_migrations(target: Target, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the pending migrations in `directory` in version order; return their names.

    `target` is a psycopg Connection (not inside a transaction; its autocommit setting is
    restored afterwards) or a Catalog. Each migration runs in its own transaction together
    with its `schema_migrations` row, so a failure leaves the earlier ones applied and
    none of the failing one. Concurrent callers on the same database apply each migration
    once. Raises ArsipError if a file is misnamed, a migration fails, or the database has
    a migration newer than any in `directory` (it was migrated by a newer arsip).
    """
    migrations = list_migrations(directory)  # validate names before touching the database
    with _connection(target) as conn:
        autocommit = conn.autocommit
        conn.autocommit = True  # explicit transactions below; the lock is per session
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                return _apply_locked(conn, migrations)
            finally:
                # a broken connection has released its locks already; do not mask the real error
                with contextlib.suppress(psycopg.Error):
                    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        finally:
            with contextlib.suppress(psycopg.Error):
                conn.autocommit = autocommit


def _apply_locked(conn: psycopg.Connection, migrations: list[Migration]) -> list[str]:
    conn.execute(CREATE_TABLE)  # under the lock: concurrent CREATE TABLE IF NOT EXISTS can collide
    applied = _applied(conn)
    known = max((m.version for m in migrations), default=0)
    if applied and max(applied) > known:
        raise ArsipError(
            f"the catalog database has migration {max(applied):04d}, newer than this arsip knows ({known:04d})",
            "upgrade arsip",
        )
    done = []
    for migration in migrations:
        if migration.version in applied:
            continue
        script = migration.path.read_text(encoding="utf-8")
        try:
            with conn.transaction():
                # no parameters: sent as a simple query, so a file may hold many statements
                conn.execute(script)  # type: ignore[arg-type]  # not a LiteralString, but our own file
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
        except psycopg.Error as err:
            first = next((line for line in str(err).splitlines() if line.strip()), type(err).__name__)
            raise ArsipError(f"migration {migration.name} failed: {first}") from err
        done.append(migration.name)
    return done
