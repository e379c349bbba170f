"""Fixtures for tests that need a real PostgreSQL.

The server is `$ARSIP_TEST_DATABASE_URL` when set (CI: a PostgreSQL 15 service), else an
embedded PostgreSQL started once per session in a temporary directory and stopped at the
end. Every test that asks for `database_url` gets a fresh database of its own on it,
dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from archive.catalog.db import Catalog, open_catalog, start_embedded, stop_embedded
from archive.config import Config


def with_dbname(url: str, dbname: str) -> str:
    """`url` pointing at database `dbname` instead (URLs stay URLs, so they can go in env vars)."""
    if re.match(r"postgres(ql)?://", url):
        return urlunsplit(urlsplit(url)._replace(path="/" + dbname))
    return make_conninfo(url, dbname=dbname)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A URL on the test server, to a database that tests must leave alone (used for CREATE/DROP DATABASE)."""
    explicit = os.environ.get("ARSIP_TEST_DATABASE_URL")
    if explicit:
        yield explicit
        return
    # Not under pytest's own temporary directory: each pytest run as root makes
    # /tmp/pytest-of-root mode 0700 again, which would cut the server (run by another
    # user when we are root) off from its files if a second test session starts meanwhile.
    data_dir = Path(tempfile.mkdtemp(prefix="arsip-test-pg-"))
    config = Config(data_dir=data_dir, database_url=None, outlets_file=None)
    try:
        url = start_embedded(config)
        try:
            yield url
        finally:
            stop_embedded(config)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def scratch_database(server_url: str, prefix: str = "arsip_test") -> Iterator[str]:
    """URL of a new, empty database (<prefix>_<random>) on the test server, dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_dbname(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            # FORCE: a subprocess or leaked connection must not keep the database alive
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    """URL of a new, empty database of the test's own."""
    with scratch_database(postgres_server_url) as url:
        yield url


@pytest.fixture
def catalog(tmp_path: Path, database_url: str) -> Iterator[Catalog]:
    """An open, migrated Catalog on a fresh database."""
    cat = open_catalog(Config(data_dir=tmp_path, database_url=database_url, outlets_file=None))
    try:
        yield cat
    finally:
        cat.close()


@pytest.fixture
def arsip_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """Environment for running the `arsip` CLI as a subprocess against a fresh database."""
    env = dict(os.environ)
    env["ARSIP_DATA_DIR"] = str(tmp_path / "data")
    env["ARSIP_DATABASE_URL"] = database_url
    return env


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "broken_warcs: the test writes damaged WARC files on purpose")


@pytest.fixture(autouse=True)
def written_warcs_are_whole(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    """After each test, every `*.warc.gz` it left in its tmp_path reads to its end and passes `warcio check`."""
    yield
    if request.node.get_closest_marker("broken_warcs"):
        return
    from archive.warc.reader import iter_records

    files = sorted(path for path in tmp_path.rglob("*.warc.gz") if path.is_file())
    for path in files:
        assert sum(1 for _ in iter_records(path, with_payload=False)) >= 1, path
    if files:
        check = subprocess.run([sys.executable, "-c", WARCIO_CHECK, "check", *map(str, files)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


# `warcio check`, with brotli hidden from warcio: warcio 1.8 sets an attribute on the
# decompressor that the brotli package's (which Scrapy needs) does not allow, and so
# fails on any record of a brotli-encoded response. Without brotli it checks such a
# record's digests on its bytes as stored, as it does for every coding it does not know.
WARCIO_CHECK = "import sys; sys.modules['brotli'] = None; from warcio.cli import main; sys.exit(main())"
