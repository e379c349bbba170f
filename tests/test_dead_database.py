"""The catalog database dying mid-crawl: the WARC files stay whole, and `arsip reindex` catalogues them later."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outlet_server import OutletServer  # noqa: E402

from archive.warc.reader import iter_records  # noqa: E402


def arsip(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 180), **kwargs)


@pytest.fixture
def embedded_env():
    """An environment on arsip's own embedded PostgreSQL in a fresh data directory (stopped afterwards).

    Not under pytest's tmp_path: as root, the server runs as another user that must
    traverse the parent directories, and pytest resets its base directory to 0700.
    """
    data = Path(tempfile.mkdtemp(prefix="arsip-test-"))
    env = {k: v for k, v in os.environ.items() if k != "ARSIP_DATABASE_URL"}
    env["ARSIP_DATA_DIR"] = str(data / "data")
    yield env
    arsip(env, "db", "stop")
    shutil.rmtree(data, ignore_errors=True)


def test_database_stopped_mid_crawl_loses_nothing(embedded_env, tmp_path):
    data = Path(embedded_env["ARSIP_DATA_DIR"])
    with OutletServer(articles=60, topic_pages=3, specials=False, delay=0.1) as site:
        env = dict(embedded_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=3)))
        assert arsip(env, "db", "upgrade").returncode == 0
        url = (data / "embedded-postgres.url").read_text().strip()
        crawl = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "ARSIP_CATALOG_BATCH=5", "-s", "ARSIP_CATALOG_INTERVAL=0.2"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with psycopg.connect(url) as conn:
                if conn.execute("SELECT count(*) FROM captures").fetchone()[0] >= 10:
                    break
            time.sleep(0.1)
        assert arsip(env, "db", "stop").returncode == 0
        _, stderr = crawl.communicate(timeout=180)

    assert crawl.returncode == 1
    assert "captures could not be added to the catalog; they are safe in the WARC files" in stderr
    assert "hint: run `arsip reindex` once the database is reachable again" in stderr
    warcs = sorted((data / "warcs").glob("*.warc.gz"))
    assert warcs and not list((data / "warcs").glob("*.open"))
    responses = {r.record_id for path in warcs for r in iter_records(path, with_payload=False)
                 if r.rec_type in ("response", "revisit")}
    assert len(responses) >= 60

    # The database comes back (reindex starts the embedded server); the files fill the gaps.
    result = arsip(env, "reindex", "--json")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url) as conn:
        catalogued = {row[0] for row in conn.execute("SELECT record_id FROM captures")}
    assert catalogued == responses
