"""A first start of the embedded PostgreSQL killed anywhere: the next command repairs it by itself.

The killed command is the real `arsip` in a session of its own, killed with its whole
process group (initdb and its standalone backend too), as a terminal's Ctrl-C or a
service manager would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.catalog.db import open_catalog, start_embedded, stop_embedded
from archive.config import Config
from archive.errors import ArsipError

ARSIP = str(Path(sys.executable).with_name("arsip"))
KILL_POINTS = 9  # spread over a whole first start, not one lucky moment
NOTE = "was never finished (its first start was interrupted); making it again"


def embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ARSIP_DATABASE_URL"}
    env["ARSIP_DATA_DIR"] = str(data_dir)
    return env


def stories(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([ARSIP, "stories", "--json"], env=embedded_env(data_dir), capture_output=True,
                          text=True, timeout=180)


def killed_after(data_dir: Path, seconds: float) -> None:
    proc = subprocess.Popen([ARSIP, "stories"], env=embedded_env(data_dir), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def stop(data_dir: Path) -> None:
    stop_embedded(Config(data_dir=data_dir, database_url=None, outlets_file=None))


def test_a_first_command_killed_at_any_point_leaves_a_data_dir_the_next_command_repairs(tmp_path):
    began = time.monotonic()
    whole = stories(tmp_path / "uninterrupted")
    first_start = time.monotonic() - began
    stop(tmp_path / "uninterrupted")
    assert whole.returncode == 0 and whole.stdout.strip() == "[]", whole.stderr

    repaired = 0
    for point in range(KILL_POINTS):
        data_dir = tmp_path / f"killed-{point}"
        # from before initdb starts to after the first migration has run
        killed_after(data_dir, first_start * 1.1 * point / (KILL_POINTS - 1))
        try:
            after = stories(data_dir)
            assert after.returncode == 0, f"killed at point {point}: {after.stderr}"
            assert after.stdout.strip() == "[]"
            lines = after.stderr.splitlines()
            assert lines == [] or (len(lines) == 1 and NOTE in lines[0]), after.stderr
            repaired += bool(lines)
        finally:
            stop(data_dir)
    assert repaired >= 2  # some points did fall inside initdb


def test_a_repair_killed_in_its_turn_is_repaired_by_the_next(tmp_path):
    data_dir = tmp_path / "data"
    try:
        for seconds in (0.3, 0.4):
            killed_after(data_dir, seconds)
        after = stories(data_dir)
        assert after.returncode == 0, after.stderr
    finally:
        stop(data_dir)


def test_a_dead_standalone_backends_negative_pid_is_stale(tmp_path):
    config = Config(data_dir=tmp_path / "data", database_url=None, outlets_file=None)
    try:
        open_catalog(config).close()
        stop_embedded(config)
        dead = subprocess.Popen(["true"])
        dead.wait()
        (config.pgdata_dir / "postmaster.pid").write_text(f"-{dead.pid}\n{config.pgdata_dir}\n")
        with open_catalog(config) as catalog, catalog.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop_embedded(config)


def test_an_unfinished_cluster_holding_other_files_is_refused_and_kept(tmp_path):
    config = Config(data_dir=tmp_path / "data", database_url=None, outlets_file=None)
    config.pgdata_dir.mkdir(parents=True)
    (config.pgdata_dir / "PG_VERSION").write_text("18\n")
    (config.pgdata_dir / "notes.txt").write_text("mine\n")
    with pytest.raises(ArsipError) as caught:
        start_embedded(config)
    assert str(caught.value) == f"{config.pgdata_dir.resolve()} is not an embedded PostgreSQL that arsip made: it holds notes.txt"
    assert sorted(p.name for p in config.pgdata_dir.iterdir()) == ["PG_VERSION", "notes.txt"]
