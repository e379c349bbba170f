"""`arsip service`: next run times, real rounds on a schedule, a clean stop, and one leader per catalog."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import psycopg

from fakeoutlet import FakeSite
from fakeoutlet.news import news_site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ARSIP_CATALOG_INTERVAL=0.2", "-s", "ARSIP_CATALOG_BATCH=5"]


class Service:
    """`arsip service` as a subprocess, its stderr collected line by line as it comes."""

    def __init__(self, env, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "service", "--poll", "0.5", *args], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """The first line (seen so far or coming) containing `text`."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if text in line:
                    return line
            try:
                self.lines.append(self._queue.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} within {timeout}s:\n" + "\n".join(self.lines)) from None

    def stop(self, timeout: float = 15) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        time.sleep(0.1)  # let the reader thread drain the pipe
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def captures(url: str) -> int:
    with psycopg.connect(url) as conn:
        try:
            return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0


def outlet_file(site: FakeSite, path: Path, schedule: str) -> Path:
    path.write_text(site.outlets_toml().replace('schedule = "*/15 * * * *"', f'schedule = "{schedule}"'),
                    encoding="utf-8")
    return path


def test_list_json_gives_every_outlet_its_cron_and_next_run(tmp_path):
    with news_site(articles=1) as site:
        outlets = outlet_file(site, tmp_path / "outlets.toml", "7 3 * * *")
    env = dict(os.environ, ARSIP_OUTLETS=str(outlets))
    run = subprocess.run([sys.executable, "-m", "archive.cli", "service", "--list", "--json"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    listed = {item["outlet"]: item for item in json.loads(run.stdout)}
    known = subprocess.run([sys.executable, "-m", "archive.cli", "outlets", "--json"], env=env,
                           capture_output=True, text=True, timeout=60, check=True)
    assert {o["key"]: o["schedule"] for o in json.loads(known.stdout)} == \
           {key: item["schedule"] for key, item in listed.items()}
    for item in listed.values():
        due = datetime.fromisoformat(item["next_run"])
        assert due.utcoffset() is not None and due.utcoffset().total_seconds() == 0  # schedules are UTC
        assert due > datetime.now(due.tzinfo)
    due = datetime.fromisoformat(listed["testnews"]["next_run"])
    assert (due.hour, due.minute, due.second) == (3, 7, 0)


def test_bad_usage_exits_2(tmp_path):
    for args in (["nosuch", "--list"], ["--json"], ["--max-rounds", "0", "--list"]):
        run = subprocess.run([sys.executable, "-m", "archive.cli", "service", *args], capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 2, (args, run.stderr)
        assert run.stderr.startswith("arsip: error: ")


def test_service_crawls_on_schedule_and_stops_cleanly_on_sigterm(arsip_env, database_url, tmp_path):
    warcs = Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs"
    # Slow articles, so the round is still running when SIGTERM comes.
    with news_site(articles=40, topic_pages=4, specials=False, delay=0.3) as site:
        outlets = outlet_file(site, tmp_path / "outlets.toml", "* * * * *")
        env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
        service = Service(env, "testnews", "--run-now", *FAST)
        try:
            started = service.wait_for("round testnews started")
            assert started[:25].endswith("+00:00")  # an ISO 8601 timestamp with its offset
            deadline = time.monotonic() + 60
            while captures(database_url) == 0 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert captures(database_url) > 0
            assert service.proc.poll() is None
            stopping = time.monotonic()
            assert service.stop(timeout=30) == 0, "\n".join(service.lines)
            assert time.monotonic() - stopping < 10
        finally:
            service.kill()
    log = "\n".join(service.lines)
    assert "asking it to stop (SIGTERM" in log
    ended = service.wait_for("round testnews ended")
    assert "(exit 0)" in ended and "crawled testnews" in ended, log
    assert "stopped (SIGTERM)" in log
    assert not list(warcs.glob("*.open"))
    assert list(warcs.glob("*.warc.gz"))


def test_second_service_is_standby_until_the_leader_stops(arsip_env, tmp_path):
    with news_site(articles=1) as site:
        # A schedule that never comes up during the test: this is about leadership only.
        outlets = outlet_file(site, tmp_path / "outlets.toml", "0 0 1 1 *")
    env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
    first = Service(env, "testnews")
    second = None
    try:
        first.wait_for("leader: holding the scheduler lock")
        second = Service(env, "testnews")
        standby = second.wait_for("standby:")
        assert "arsip service" in standby  # names the holder
        time.sleep(1.5)  # several polls: still standby, and said so once
        assert not any("leader:" in line for line in second.lines)
        assert sum("standby:" in line for line in second.lines) == 1
        assert first.stop() == 0
        second.wait_for("leader: holding the scheduler lock", timeout=10)
        assert second.stop() == 0
    finally:
        first.kill()
        if second is not None:
            second.kill()
