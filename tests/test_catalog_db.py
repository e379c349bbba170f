"""The catalog's connection layer: migrations, connection errors, and the embedded PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import pwd
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from archive.catalog.db import (
    Catalog,
    _postmaster_state,
    _socket_dir,
    display_url,
    open_catalog,
    start_embedded,
    stop_embedded,
)
from archive.catalog.migrate import apply_migrations, list_migrations, pending_migrations
from archive.catalog.server_memory import machine_memory, memory_settings
from archive.config import Config
from archive.errors import ArsipError
from archive.extract.content import Content

from conftest import with_dbname

REPO = Path(__file__).resolve().parent.parent


def write_migrations(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def recorded(conn: psycopg.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


# ---------------------------------------------------------------------------- migrations


def test_migrations_apply_in_version_order_and_are_recorded(tmp_path, database_url):
    directory = write_migrations(tmp_path / "m", {
        # 0002 needs 0001's table and 0010 needs 0002's column: only numeric order works
        "0010_index.sql": "CREATE INDEX notes_body ON notes (body);",
        "0001_notes.sql": "CREATE TABLE notes (id int PRIMARY KEY);\nINSERT INTO notes VALUES (1);",
        "0002_body.sql": "ALTER TABLE notes ADD COLUMN body text;\n-- 100% literal, no parameters\n"
                         "UPDATE notes SET body = '50%';",
    })
    with psycopg.connect(database_url) as conn:
        assert pending_migrations(conn, directory) == ["0001_notes.sql", "0002_body.sql", "0010_index.sql"]
        assert apply_migrations(conn, directory) == ["0001_notes.sql", "0002_body.sql", "0010_index.sql"]
        assert recorded(conn) == [(1, "0001_notes.sql"), (2, "0002_body.sql"), (10, "0010_index.sql")]
        assert conn.execute("SELECT body FROM notes").fetchone() == ("50%",)
        assert pending_migrations(conn, directory) == []
        assert conn.autocommit is False  # the caller's setting is restored


def test_rerunning_applies_nothing_and_later_files_apply_alone(tmp_path, database_url):
    directory = write_migrations(tmp_path / "m", {"0001_a.sql": "CREATE TABLE a (x int);"})
    with psycopg.connect(database_url, autocommit=True) as conn:
        assert apply_migrations(conn, directory) == ["0001_a.sql"]
        assert apply_migrations(conn, directory) == []
        write_migrations(directory, {"0002_b.sql": "CREATE TABLE b (x int);"})
        assert pending_migrations(conn, directory) == ["0002_b.sql"]
        assert apply_migrations(conn, directory) == ["0002_b.sql"]
        assert [v for v, _ in recorded(conn)] == [1, 2]


def test_a_failing_migration_rolls_back_alone(tmp_path, database_url):
    directory = write_migrations(tmp_path / "m", {
        "0001_ok.sql": "CREATE TABLE ok (x int);",
        "0002_broken.sql": "CREATE TABLE half (x int);\nSELECT no_such_column FROM ok;",
    })
    with psycopg.connect(database_url, autocommit=True) as conn:
        with pytest.raises(ArsipError) as info:
            apply_migrations(conn, directory)
        assert str(info.value).startswith('migration 0002_broken.sql failed: column "no_such_column" does not exist')
        assert recorded(conn) == [(1, "0001_ok.sql")]
        assert conn.execute("SELECT to_regclass('half')").fetchone() == (None,)
        (directory / "0002_broken.sql").write_text("CREATE TABLE half (x int);")
        assert apply_migrations(conn, directory) == ["0002_broken.sql"]


def test_concurrent_migrators_apply_each_migration_once(tmp_path, database_url):
    # the sleep holds the first migrator inside 0001 while the second waits for the lock;
    # CREATE TABLE without IF NOT EXISTS fails if anything is applied twice
    directory = write_migrations(tmp_path / "m", {
        "0001_slow.sql": "SELECT pg_sleep(0.5); CREATE TABLE slow (x int);",
        "0002_next.sql": "CREATE TABLE next (x int);",
    })
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            with psycopg.connect(database_url) as conn:
                barrier.wait()
                results.append(apply_migrations(conn, directory))
        except BaseException as err:  # surfaced in the main thread below
            errors.append(err)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [[], ["0001_slow.sql", "0002_next.sql"]]
    with psycopg.connect(database_url) as conn:
        assert [v for v, _ in recorded(conn)] == [1, 2]


@pytest.mark.parametrize("bad", ["1_init.sql", "0001_Init.sql", "0001-init.sql", "0001_init.SQL", "0001_init.sql.orig"])
def test_a_misnamed_migration_file_is_an_error_naming_it(tmp_path, bad):
    directory = write_migrations(tmp_path / "m", {"0001_ok.sql": "SELECT 1;", bad: "SELECT 1;"})
    with pytest.raises(ArsipError) as info:
        list_migrations(directory)
    assert f"migration file {directory / bad} is misnamed" in str(info.value)


def test_misnamed_file_is_reported_before_touching_the_database(tmp_path, database_url):
    directory = write_migrations(tmp_path / "m", {"0001_ok.sql": "CREATE TABLE ok (x int);", "two.sql": ""})
    with psycopg.connect(database_url, autocommit=True) as conn:
        with pytest.raises(ArsipError, match="two.sql"):
            apply_migrations(conn, directory)
        assert conn.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,)


def test_hidden_files_and_directories_are_ignored_and_duplicate_versions_are_not(tmp_path):
    directory = write_migrations(tmp_path / "m", {"0001_a.sql": "", ".0002_b.sql.swp": ""})
    (directory / "__pycache__").mkdir()
    assert [m.name for m in list_migrations(directory)] == ["0001_a.sql"]
    write_migrations(directory, {"0001_b.sql": ""})
    with pytest.raises(ArsipError, match="0001_a.sql and 0001_b.sql .* share version 0001"):
        list_migrations(directory)


def test_a_database_migrated_by_a_newer_arsip_is_refused(tmp_path, database_url):
    newer = write_migrations(tmp_path / "newer", {"0001_a.sql": "", "0002_b.sql": ""})
    older = write_migrations(tmp_path / "older", {"0001_a.sql": ""})
    with psycopg.connect(database_url, autocommit=True) as conn:
        apply_migrations(conn, newer)
        with pytest.raises(ArsipError, match=r"has migration 0002, newer than this arsip knows \(0001\)"):
            apply_migrations(conn, older)


def test_the_catalog_fixture_is_migrated_and_pooled(catalog):
    assert isinstance(catalog, Catalog)
    assert pending_migrations(catalog) == []
    with catalog.connection() as conn:
        assert conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone() == (True,)
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")  # committed when the block ends
    with pytest.raises(ZeroDivisionError):
        with catalog.connection() as conn:
            conn.execute("INSERT INTO t VALUES (2)")
            1 / 0  # noqa: B018  # rolled back
    with catalog.connection() as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_versions_are_stored_with_lz4_where_the_server_has_it(catalog):
    with catalog.connection() as conn:
        has_lz4 = conn.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                               "WHERE name = 'default_toast_compression'").fetchone()[0]
        columns = dict(conn.execute("SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'versions'::regclass "
                                    "AND attname IN ('paragraphs', 'search') AND NOT attisdropped").fetchall())
    assert columns == dict.fromkeys(("paragraphs", "search"), "l" if has_lz4 else "")


def test_a_versions_text_is_its_paragraphs_joined_by_a_blank_line(catalog):
    with catalog.connection() as conn:
        assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'versions'::regclass "
                            "AND attname = 'text' AND NOT attisdropped").fetchone()[0] == 0  # not stored twice
        for paragraphs in (["Satu.", "Dua “kutipan”.", "Tiga"], ["Sendiri"], []):
            derived = conn.execute("SELECT version_text(%s)", (Jsonb(paragraphs),)).fetchone()[0]
            assert derived == Content(None, None, None, None, None, tuple(paragraphs)).text


def test_a_versions_search_vector_is_kept_in_its_row_not_in_toast(catalog):
    # 150 distinct words of 32 random letters: a vector of some 6 KB that compression cannot
    # shrink (neither pglz nor lz4), which the default storage moves to TOAST and which fits a page
    letters = str.maketrans("0123456789", "ghijklmnop")
    words = " ".join(hashlib.md5(str(n).encode()).hexdigest().translate(letters) for n in range(150))
    with catalog.connection() as conn, conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL session_replication_role = replica")  # no story or captures behind the row

        def toast_rows(table: str) -> int:
            toast = conn.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = %s::regclass",
                                 (table,)).fetchone()[0]
            return conn.execute(f"SELECT count(*) FROM {toast}").fetchone()[0]

        conn.execute("CREATE TEMP TABLE default_storage (search tsvector)")
        conn.execute("INSERT INTO default_storage SELECT to_tsvector('simple', %s)", (words,))
        assert toast_rows("default_storage") > 0
        assert 5000 < conn.execute("SELECT pg_column_size(search) FROM default_storage").fetchone()[0] < 7000
        before = toast_rows("versions")
        conn.execute("INSERT INTO versions (story_id, number, content_hash, paragraphs, first_capture_id, "
                     "last_capture_id, first_seen, last_seen, search) "
                     "VALUES (1, 1, 'h', '[\"kata\"]', 1, 1, now(), now(), to_tsvector('simple', %s))", (words,))
        assert toast_rows("versions") == before


def test_a_version_written_without_its_vector_computed_ahead_gets_the_same_one(catalog):
    from datetime import datetime, timezone

    from archive.catalog.stories import IngestBatch, SearchVectors

    content = Content("Banjir di Kupang", "Warga mengungsi.", None, None, None,
                      ("Hujan deras sejak pagi.", "Ratusan rumah terendam."), (), ("Ralat: jumlah rumah diperbaiki.",))
    search = SearchVectors(catalog)
    vectors = []
    try:
        for ahead in (search, None):  # computed on the search connections; or by the INSERT itself
            with catalog.connection() as conn, conn.transaction(force_rollback=True):
                conn.execute("SET LOCAL session_replication_role = replica")  # no story or captures behind it
                batch = IngestBatch(conn, search=ahead)
                batch.insert_version(1, 1, content, None, False, 1, datetime.now(timezone.utc), "id")
                batch.write(conn, batch.allocate())
                vectors.append(conn.execute("SELECT search::text FROM versions").fetchone()[0])
    finally:
        search.close()
    assert vectors[0] == vectors[1]
    assert all(word in vectors[0] for word in ("'kupang':3A", "'rumah'", "'ralat'"))


def test_a_line_keeps_its_text_once_it_is_in_two_stories(catalog):
    from archive.catalog.stories import IngestBatch, outlet_line_counts, outlet_lines_at_least

    def count(conn, stories_lines: list[set[str]]) -> None:  # one batch of first versions
        batch = IngestBatch(conn)
        for lines in stories_lines:
            batch.count_lines("o", lines)
        batch.write(conn, {})

    with catalog.connection() as conn:
        count(conn, [{"once", "twice", "sign-off"}, {"sign-off", "in one batch"}, {"in one batch"}])
        count(conn, [{"twice", "sign-off"}])
        rows = dict(conn.execute("SELECT line_hash, line FROM outlet_lines").fetchall())
        counts = outlet_line_counts(conn, "o", ["once", "twice", "sign-off", "in one batch", "never"])
        learned = outlet_lines_at_least(conn, "o", 2)
    # a line in one story is a hash and a count; its text is the paragraph's, in the version
    assert sorted(rows.values(), key=str) == sorted([None, "twice", "sign-off", "in one batch"], key=str)
    assert counts == {"once": 1, "twice": 2, "sign-off": 3, "in one batch": 2, "never": 0}
    assert learned == {"twice": 2, "sign-off": 3, "in one batch": 2}


def test_learned_lines_are_read_through_the_index_of_repeated_lines(catalog):
    from archive.catalog.stories import outlet_lines_at_least

    with catalog.connection() as conn:
        conn.execute("INSERT INTO outlet_lines (outlet, line_hash, line, stories) "
                     "SELECT 'o', md5(n::text), 'line ' || n, CASE WHEN n % 100 = 0 THEN 5 ELSE 1 END "
                     "FROM generate_series(1, 2000) AS n")
        conn.execute("ANALYZE outlet_lines")
        assert outlet_lines_at_least(conn, "o", 4.2) == {f"line {n}": 5 for n in range(100, 2001, 100)}
        assert outlet_lines_at_least(conn, "o", 5.5) == {}
        plan = "\n".join(row[0] for row in conn.execute(
            "EXPLAIN SELECT line, stories FROM outlet_lines WHERE outlet = 'o' AND stories >= 5 AND stories >= 2"))
    assert "outlet_lines_repeated" in plan


# ---------------------------------------------------------------------------- reaching the database


def test_display_url_hides_passwords():
    assert display_url("postgresql://bob:secret@db.example:5432/arsip") == "postgresql://bob:***@db.example:5432/arsip"
    assert display_url("postgres://bob@h/db?password=secret&sslmode=require") == \
        "postgres://bob@h/db?password=***&sslmode=require"
    assert display_url("host=h user=bob password='se cret' dbname=x") == "host=h user=bob password=*** dbname=x"
    assert display_url("postgresql://bob@h/db") == "postgresql://bob@h/db"


def test_an_unreachable_server_fails_fast_with_one_line_and_no_password(tmp_path):
    config = Config(data_dir=tmp_path, database_url="postgresql://bob:secret@127.0.0.1:1/nowhere", outlets_file=None)
    started = time.monotonic()
    with pytest.raises(ArsipError) as info:
        open_catalog(config)
    assert time.monotonic() - started < 3
    error = info.value
    assert str(error) == "cannot reach the catalog database at postgresql://bob:***@127.0.0.1:1/nowhere: connection refused"
    assert error.hint == f"check ARSIP_DATABASE_URL, or unset it to use the embedded PostgreSQL in {tmp_path}"
    assert "secret" not in str(error) + error.hint
    assert "\n" not in str(error)


def test_a_missing_database_is_named(tmp_path, postgres_server_url):
    url = with_dbname(postgres_server_url, "arsip_no_such_db")
    with pytest.raises(ArsipError) as info:
        open_catalog(Config(data_dir=tmp_path, database_url=url, outlets_file=None))
    assert str(info.value) == f'cannot reach the catalog database at {display_url(url)}: database "arsip_no_such_db" does not exist'


def test_an_unknown_host_and_a_malformed_url_are_one_line_errors(tmp_path):
    for url, message in [
        ("postgresql://bob:secret@no-such-host.invalid/x", "cannot reach the catalog database at "
         "postgresql://bob:***@no-such-host.invalid/x: unknown host no-such-host.invalid"),
        ("password=secret nonsense", "invalid catalog database URL password=*** nonsense: "),
    ]:
        with pytest.raises(ArsipError) as info:
            open_catalog(Config(data_dir=tmp_path, database_url=url, outlets_file=None))
        assert str(info.value).startswith(message)
        assert "secret" not in str(info.value) and "\n" not in str(info.value)


# ---------------------------------------------------------------------------- embedded PostgreSQL


def test_embedded_memory_follows_the_machine_within_bounds():
    mb, gb = 1024 * 1024, 1024 ** 3
    assert memory_settings(512 * mb) == {"shared_buffers": "128MB", "effective_cache_size": "256MB"}
    assert memory_settings(4 * gb) == {"shared_buffers": "512MB", "effective_cache_size": "2048MB"}
    assert memory_settings(64 * gb)["shared_buffers"] == "2048MB"  # capped: the crawl needs the rest


def test_a_container_limit_below_physical_memory_is_what_counts(tmp_path):
    limited, unlimited = tmp_path / "memory.max", tmp_path / "v2-unlimited"
    limited.write_text("1073741824\n")
    unlimited.write_text("max\n")
    physical = machine_memory(())
    assert physical > 0
    assert machine_memory((str(unlimited),)) == physical
    assert machine_memory((str(tmp_path / "missing"), str(limited))) == min(physical, 1024 ** 3)


def postmaster_pid(config: Config) -> int | None:
    state, pid = _postmaster_state(config.pgdata_dir.resolve())
    return pid if state == "ours" else None


def test_a_data_dir_without_its_configuration_is_a_one_line_error_that_keeps_it(tmp_path):
    config = Config(data_dir=tmp_path / "data", database_url=None, outlets_file=None)
    config.pgdata_dir.mkdir(parents=True)
    (config.pgdata_dir / "PG_VERSION").write_text("18\n")  # started once, postgresql.conf since lost
    (config.pgdata_dir / "postmaster.opts").write_text("postgres\n")
    with pytest.raises(ArsipError) as caught:
        start_embedded(config)
    message = str(caught.value)
    assert "\n" not in message
    assert "cannot write the embedded PostgreSQL's settings" in message and "postgresql.conf" in message
    assert sorted(p.name for p in config.pgdata_dir.iterdir()) == ["PG_VERSION", "postmaster.opts"]  # nothing removed or added
    assert (config.pgdata_dir / "PG_VERSION").read_text() == "18\n"


def test_embedded_server_starts_persists_is_reused_and_stops(tmp_path):
    config = Config(data_dir=tmp_path / "data", database_url=None, outlets_file=None)
    try:
        with open_catalog(config) as first:
            assert first.url.startswith("postgresql://postgres@/arsip?host=")
            with first.connection() as conn:
                conn.execute("CREATE TABLE kept (x text)")
                conn.execute("INSERT INTO kept VALUES ('still here')")
        pid = postmaster_pid(config)
        assert pid is not None  # closing the catalog leaves the server running
        assert (config.data_dir / "embedded-postgres.url").read_text().strip() == first.url
        if os.geteuid() == 0:  # PostgreSQL will not run as root: the data belongs to embedded_postgres
            assert config.pgdata_dir.stat().st_uid == pwd.getpwnam("embedded_postgres").pw_uid
            assert oct(config.pgdata_dir.stat().st_mode & 0o777) == "0o700"

        with open_catalog(config) as second:
            with second.connection() as conn:
                assert conn.execute("SELECT x FROM kept").fetchall() == [("still here",)]
                # the buffer pool is sized for this machine, not PostgreSQL's 128 MB default
                expected = memory_settings(machine_memory())
                for name in ("shared_buffers", "effective_cache_size"):  # shown as 2GB, written as 2048MB
                    assert conn.execute("SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)",
                                        (name, expected[name])).fetchone()[0], name
            # a setting of the user's own outlives the next start
            with psycopg.connect(second.url, autocommit=True) as conn:  # not in a transaction block
                conn.execute("ALTER SYSTEM SET shared_buffers = '200MB'")
        assert postmaster_pid(config) == pid

        assert stop_embedded(config) is True
        assert postmaster_pid(config) is None
        assert stop_embedded(config) is False

        # a stale postmaster.pid naming a live process that is not postgres (PID reuse)
        (config.pgdata_dir / "postmaster.pid").write_text(f"{os.getpid()}\n")
        with open_catalog(config) as third:
            with third.connection() as conn:
                assert conn.execute("SELECT x FROM kept").fetchall() == [("still here",)]
                assert conn.execute("SHOW shared_buffers").fetchone()[0] == "200MB"
        assert postmaster_pid(config) not in (None, pid)
    finally:
        stop_embedded(config)


STARTER = """
import sys
from pathlib import Path
from archive.catalog.db import start_embedded
from archive.config import Config
print(start_embedded(Config(data_dir=Path(sys.argv[1]), database_url=None, outlets_file=None)))
"""


def test_concurrent_processes_start_one_server_that_outlives_them(tmp_path):
    # a data dir too long for a socket name in pgdata: the socket moves to /tmp
    data_dir = tmp_path / ("long-" * 20) / "data"
    config = Config(data_dir=data_dir, database_url=None, outlets_file=None)
    try:
        starters = [
            subprocess.Popen([sys.executable, "-c", STARTER, str(data_dir)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in starters]
        assert [p.returncode for p in starters] == [0, 0], outputs
        urls = {out.strip() for out, _ in outputs}
        assert len(urls) == 1
        url = urls.pop()
        assert "host=/tmp/arsip-pg-" in url
        assert all(err == "" for _, err in outputs)  # nothing printed, no warnings
        with psycopg.connect(url) as conn:  # both starters have exited; the server has not
            assert conn.execute("SELECT current_database()").fetchone() == ("arsip",)
    finally:
        assert stop_embedded(config) is True
        socket_dir = _socket_dir(config.pgdata_dir.resolve())
        if socket_dir.exists():
            socket_dir.rmdir()  # empty once the server is down; do not litter /tmp
