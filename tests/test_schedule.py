"""crawler/schedule.py and crawler/child.py: the child round's command and environment, how its result
is read, and the caps on rounds; `arsip service` end to end is tests/test_cli_service.py."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import psutil
import psycopg
import pytest

from archive.config import Config
from archive.outlet import load_outlets
from crawler.child import crawl_command, crawl_environment
from crawler.round import RoundSummary
from crawler.schedule import ROUND_PROGRESS, Rounds, round_detail, scheduler_for
from fakeoutlet.news import news_site


SECRET_URL = "postgresql://arsip:s3cret-word@127.0.0.1:1/nowhere"  # port 1: refused at once


def test_the_child_command_is_crawl_json_with_the_service_settings_and_no_database_url(tmp_path):
    config = Config(tmp_path / "data", SECRET_URL, tmp_path / "outlets.toml")
    rounds = Rounds(config, {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_TIMEOUT": "5"}, debug=True)
    assert rounds.command("kompas") == [
        sys.executable, "-m", "archive.cli", "--data-dir", str(tmp_path / "data"),
        "--outlets", str(tmp_path / "outlets.toml"), "--debug", "crawl", "kompas",
        "-s", f"ARSIP_PROGRESS_INTERVAL={ROUND_PROGRESS}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_TIMEOUT=5", "--json"]
    assert crawl_environment(config)["ARSIP_DATABASE_URL"] == SECRET_URL


def test_the_services_own_setting_of_progress_gives_way_to_its_dash_s():
    command = Rounds(Config(Path("/d"), None, None), {"ARSIP_PROGRESS_INTERVAL": "5"}).command("kompas")
    assert [item for item in command if item.startswith("ARSIP_PROGRESS_INTERVAL=")] == ["ARSIP_PROGRESS_INTERVAL=5"]
    assert "--outlets" not in command and "--debug" not in command


def test_a_demo_rounds_command_holds_its_outlets_and_recheck_and_no_database_url(tmp_path):
    config = Config(tmp_path, SECRET_URL, None)
    command = crawl_command(config, ["demo-inews", "demo-analisa"], overrides={"ARSIP_PROGRESS_INTERVAL": "0"},
                            recheck=True)
    assert command[command.index("crawl"):] == ["crawl", "demo-inews", "demo-analisa",
                                                "-s", "ARSIP_PROGRESS_INTERVAL=0", "--recheck"]
    assert not any("s3cret" in item for item in command)


def test_a_database_url_without_config_leaves_the_environment_as_it_is(tmp_path, monkeypatch):
    monkeypatch.delenv("ARSIP_DATABASE_URL", raising=False)
    assert "ARSIP_DATABASE_URL" not in crawl_environment(Config(tmp_path, None, None))


def _log_of(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "arsip.service"]


def test_a_real_child_round_has_its_password_only_in_its_environment(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="arsip.service")
    rounds = Rounds(Config(tmp_path / "data", SECRET_URL, None))
    ended = threading.Thread(target=rounds.run, args=["kompas"])
    ended.start()
    seen = None
    deadline = time.monotonic() + 30
    while seen is None and ended.is_alive() and time.monotonic() < deadline:
        for child in psutil.Process().children():
            try:
                seen = (child.cmdline(), child.environ())  # /proc/<pid>/cmdline and /proc/<pid>/environ
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.005)
    ended.join(60)
    assert seen is not None, "the child ended before it was seen"
    cmdline, environment = seen
    assert "crawl" in cmdline and not any("s3cret" in item for item in cmdline)
    assert environment["ARSIP_DATABASE_URL"] == SECRET_URL
    # The database is refused: the child's error line, not its (absent) summary, says how it went.
    end = [line for line in _log_of(caplog) if line.startswith("round kompas ended")]
    assert len(end) == 1 and "(exit 1)" in end[0] and "error: " in end[0] and "no summary" not in end[0], end
    assert "s3cret" not in "\n".join(_log_of(caplog))


def test_a_child_rounds_summary_is_read_from_its_json_and_logged_once(tmp_path, database_url, caplog):
    caplog.set_level(logging.INFO, logger="arsip.service")
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        config = Config(tmp_path / "data", database_url, site.write_outlet_file(tmp_path / "outlets.toml"))
        code = Rounds(config, {"AUTOTHROTTLE_ENABLED": "False"}).run("testnews")
    log = _log_of(caplog)
    assert code == 0, log
    assert [line for line in log if "crawled testnews" in line] == [next(line for line in log if "ended" in line)]
    assert "round testnews ended (exit 0)" in log[-1] and ": crawled testnews in " in log[-1]
    with psycopg.connect(database_url) as conn:
        captured = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    assert captured > 2 and f"{captured} pages fetched, {captured} new captures (0 revisits), 0 errors" in log[-1]
    assert any(line.startswith(f"round testnews: ingested {captured} captures") for line in log), log


def test_the_round_detail_is_the_json_summary_line_then_the_error():
    summary = RoundSummary(outlets=["kabar"], seconds=3.21, pages_fetched=2, new_captures=1, revisits=1,
                           errors_by_kind=Counter(http_4xx=1), stopped="no space left in /warcs")
    document = {**summary.as_dict(), "ingest": {"captures": 2}}
    text = json.dumps(document, indent=2)
    assert round_detail(text, None) == summary.line()
    assert round_detail(text, "error: the round stopped early") == summary.line() + "; error: the round stopped early"
    assert round_detail("", "error: cannot reach the catalog") == "error: cannot reach the catalog"
    assert round_detail("", None) == "no summary"


def test_rounds_are_capped_at_max_rounds_and_one_per_outlet(caplog):
    caplog.set_level(logging.INFO, logger="arsip.service")
    outlets = [load_outlets(None)[key] for key in sorted(load_outlets(None))[:3]]
    release = threading.Event()
    running: list[str] = []
    most = Counter()
    lock = threading.Lock()

    def run(key: str) -> None:
        with lock:
            running.append(key)
            most["at once"] = max(most["at once"], len(running))
        release.wait(10)
        with lock:
            running.remove(key)

    scheduler = scheduler_for(outlets, run, max_rounds=2, run_now=True)
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while len(running) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        assert len(running) == 2, running
        busy = running[0]
        scheduler.get_job(busy).modify(next_run_time=datetime.now(timezone.utc))  # its time comes again
        deadline = time.monotonic() + 5
        while not any("skipped" in line for line in _log_of(caplog)) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert any(line.startswith(f"round {busy} skipped at ") for line in _log_of(caplog)), _log_of(caplog)
    finally:
        release.set()
        scheduler.shutdown(wait=True)
    assert most["at once"] == 2


@pytest.mark.parametrize("max_rounds", [1, 3])
def test_the_scheduler_runs_each_outlet_once_at_first_with_run_now(max_rounds):
    outlets = [load_outlets(None)[key] for key in sorted(load_outlets(None))[:3]]
    ran: list[str] = []
    scheduler = scheduler_for(outlets, ran.append, max_rounds=max_rounds, run_now=True)
    scheduler.start()
    deadline = time.monotonic() + 10
    while len(ran) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    scheduler.shutdown(wait=True)
    assert sorted(ran) == [outlet.key for outlet in outlets]
