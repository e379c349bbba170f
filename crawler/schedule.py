"""`arsip service`: crawl rounds per outlet on each outlet's cron schedule, until told to stop.

* Schedules are cron strings read in UTC (an outlet's `schedule`), fired by APScheduler 3.
* Each round is a child process, `arsip crawl <key> --json` (crawler/child.py): a Scrapy
  reactor runs only once per process, and a round that crashes or hangs must not
  take the service with it. Its stderr is logged as it comes; how it went is read
  from its `--json` document.
* At most one round per outlet at a time (a round still running when its next time
  comes makes that time skipped), and at most `max_rounds` rounds at once (the
  others wait their turn).
* Only the holder of the scheduler lock in the catalog schedules (archive/catalog/leadership.py);
  other services wait as standbys and take over when it goes. A leader that loses
  its database connection stops its rounds and becomes a standby.
* `stop()` (on SIGTERM/SIGINT): no new rounds; running rounds get SIGTERM, which
  makes Scrapy finish in-flight fetches and close its WARC files; then the lock is
  released.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Iterable, Mapping

import psycopg
from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from archive.catalog.db import display_url, open_catalog, start_embedded
from archive.catalog.leadership import Leadership
from archive.config import Config
from archive.errors import ArsipError
from archive.outlet import Outlet
from archive.wording import first_line
from crawler.child import crawl_command, crawl_environment
from crawler.round import RoundSummary

UTC = timezone.utc
STOP_GRACE = 90.0  # seconds a round gets after SIGTERM before SIGKILL (systemd and compose allow 120)
ROUND_PROGRESS = "60"  # seconds between a round's progress lines: liveness in the log, not a flood

log = logging.getLogger("arsip.service")


class _UtcFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")


def setup_logging(stream=None) -> None:
    """Send the service's log to `stream` (stderr): "<ISO 8601 UTC time> arsip service: <message>"."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_UtcFormatter("%(asctime)s arsip service: %(message)s"))
    for name, level in (("arsip.service", logging.INFO), ("apscheduler", logging.ERROR)):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def trigger_for(outlet: Outlet) -> CronTrigger:
    """The outlet's `schedule` as a trigger, in UTC."""
    return CronTrigger.from_crontab(outlet.schedule, timezone=UTC)


def next_runs(outlets: Iterable[Outlet], now: datetime | None = None) -> list[dict]:
    """When each outlet's next round is due: `{"outlet", "name", "schedule", "next_run"}`, ISO 8601 in UTC."""
    now = now or datetime.now(UTC)
    return [{"outlet": o.key, "name": o.name, "schedule": o.schedule,
             "next_run": trigger_for(o).get_next_fire_time(None, now).isoformat()} for o in outlets]


def round_detail(document: str, error: str | None) -> str:
    """What the log says of how a round went: the summary line of the child's `--json` document, and its error."""
    try:
        summary = RoundSummary.from_dict(json.loads(document)).line()
    except ValueError:  # no document: the round ended before its summary (or crashed)
        summary = None
    return "; ".join(part for part in (summary, error) if part) or "no summary"


def _follow(key: str, child: subprocess.Popen) -> tuple[str, str | None]:
    """Log a child round's stderr as it comes, until it ends; its stdout (the `--json` document) and its error line."""
    stdout: list[str] = []
    # Read beside stderr: a child blocked on a full stdout pipe would never end its stderr.
    reader = threading.Thread(target=lambda: stdout.append(child.stdout.read()), name=f"round {key} stdout",
                              daemon=True)
    reader.start()
    error = None
    for line in child.stderr:
        text = line.rstrip().removeprefix("arsip: ")
        if text.startswith("error: "):
            error = text  # said once, in the line that logs the round's end
        elif text.startswith("crawled "):
            pass  # the summary: read from the --json document instead
        elif text and not text.startswith("hint: "):  # advice for a person at a terminal
            log.info("round %s: %s", key, text)
    reader.join()
    return "".join(stdout), error


def _exit_text(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"


class Rounds:
    """Runs crawl rounds as child processes and ends them all on `stop`.

    `run(key)` is the scheduler's job function: it blocks until the round's process
    exits and logs its start, its stderr, and its end with exit status and summary.
    """

    def __init__(self, config: Config, overrides: Mapping[str, str] | None = None, debug: bool = False):
        self.config = config
        self.overrides = dict(overrides or {})
        self.debug = debug
        self._lock = threading.Lock()  # a child is either registered before stop() looks, or never started
        self._children: dict[str, subprocess.Popen] = {}
        self._closed = False

    def command(self, key: str) -> list[str]:
        """The child's command line: `arsip crawl KEY --json`, progress now and then, the service's `-s` settings."""
        overrides = {"ARSIP_PROGRESS_INTERVAL": ROUND_PROGRESS, **self.overrides}
        return crawl_command(self.config, [key], overrides=overrides, debug=self.debug, json=True)

    def run(self, key: str) -> int | None:
        """One round of outlet `key`; its exit status, or None if the service is stopping."""
        with self._lock:
            if self._closed:
                return None
            # Own session: a Ctrl-C in the terminal reaches only the service, which then
            # sends one SIGTERM; a second signal would make Scrapy stop uncleanly.
            child = subprocess.Popen(self.command(key), env=crawl_environment(self.config), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                                     start_new_session=True)
            self._children[key] = child
        started = time.monotonic()
        log.info("round %s started (pid %d)", key, child.pid)
        try:
            document, error = _follow(key, child)
            code = child.wait()
        finally:
            with self._lock:
                self._children.pop(key, None)
        log.info("round %s ended (%s) after %.1fs: %s", key, _exit_text(code), time.monotonic() - started,
                 round_detail(document, error))
        return code

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._children)

    def stop(self, grace: float = STOP_GRACE) -> None:
        """Start no more rounds; SIGTERM the running ones and wait, SIGKILL any still running after `grace` s."""
        with self._lock:
            self._closed = True
            children = list(self._children.items())
        for key, child in children:
            log.info("round %s: asking it to stop (SIGTERM to pid %d)", key, child.pid)
            try:
                child.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for key, child in children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                # The next crawl repairs the WARC file it leaves open.
                log.info("round %s did not stop within %gs: killing it", key, grace)
                child.kill()
                child.wait()


class Service:
    """The scheduler loop: standby until leader, lead until stopped or the lock is lost, repeat."""

    def __init__(self, config: Config, outlets: list[Outlet], *, max_rounds: int = 2, run_now: bool = False,
                 poll: float = 10.0, overrides: Mapping[str, str] | None = None, debug: bool = False,
                 stop_grace: float = STOP_GRACE):
        self.config = config
        self.outlets = outlets
        self.max_rounds = max_rounds
        self.run_now = run_now
        self.poll = poll
        self.overrides = dict(overrides or {})
        self.debug = debug
        self.stop_grace = stop_grace
        self.stop_reason = "stop requested"
        self._stopping = threading.Event()

    def stop(self, reason: str = "stop requested") -> None:
        """Ask `run` to wind down; safe from a signal handler."""
        self.stop_reason = reason
        self._stopping.set()

    def run(self) -> int:
        """Schedule rounds until `stop()`; returns 0 once every round has ended and the lock is released."""
        keys = ", ".join(o.key for o in self.outlets)
        log.info("scheduling rounds of %s by cron in UTC, at most %d at once", keys, self.max_rounds)
        first_term = True
        while not self._stopping.is_set():
            leader = self._wait_for_leadership()
            if leader is None:
                break
            try:
                self._lead(leader, run_now=self.run_now and first_term)
            finally:
                leader.close()
            first_term = False
        log.info("stopped (%s)", self.stop_reason)
        return 0

    def _url(self) -> str:
        # The embedded server may have been stopped since the last connection: start it again.
        return self.config.database_url or start_embedded(self.config)

    def _wait_for_leadership(self) -> Leadership | None:
        leader: Leadership | None = None
        said_standby = said_outage = False
        while not self._stopping.is_set():
            try:
                url = self._url()
                if leader is None:
                    leader = Leadership.connect(url)
                if leader.try_acquire():
                    log.info("leader: holding the scheduler lock in %s", display_url(url))
                    return leader
                if not said_standby:
                    holder = leader.holder() or "another arsip service"
                    log.info("standby: %s holds the scheduler lock in %s; trying again every %gs",
                             holder, display_url(url), self.poll)
                    said_standby = True
            except (psycopg.Error, ArsipError) as error:
                if leader is not None:
                    leader.close()
                    leader = None
                if not said_outage:
                    log.info("cannot reach the catalog: %s; trying again every %gs", first_line(error), self.poll)
                    said_outage = True
            self._stopping.wait(self.poll)
        if leader is not None:
            leader.close()
        return None

    def _lead(self, leader: Leadership, run_now: bool) -> None:
        rounds = Rounds(self.config, self.overrides, self.debug)
        scheduler = scheduler_for(self.outlets, rounds.run, max_rounds=self.max_rounds, run_now=run_now)
        scheduler.start()
        if not run_now:
            job = min(scheduler.get_jobs(), key=lambda j: j.next_run_time)
            log.info("next round: %s at %s", job.id, job.next_run_time.isoformat())
        while not self._stopping.wait(self.poll):
            if not leader.alive():
                log.info("lost the connection that holds the scheduler lock: stopping rounds, then standby")
                break
        running = rounds.running()
        if self._stopping.is_set():
            log.info("stopping (%s): no new rounds%s", self.stop_reason,
                     f"; waiting for {', '.join(running)} to stop" if running else "")
        rounds.stop(self.stop_grace)
        scheduler.shutdown(wait=True)  # job threads log their rounds' ends


def serve(config: Config, outlets: list[Outlet], *, max_rounds: int = 2, run_now: bool = False, poll: float = 10.0,
          overrides: Mapping[str, str] | None = None, debug: bool = False) -> int:
    """`arsip service`: rounds of `outlets` on their schedules, logged on stderr, until SIGTERM or SIGINT; then 0."""
    # Reach (and migrate) the catalog first, so a wrong URL is one clear line and exit 1
    # rather than a standby that never gets anywhere.
    open_catalog(config).close()
    setup_logging()
    service = Service(config, outlets, max_rounds=max_rounds, run_now=run_now, poll=poll, overrides=overrides,
                      debug=debug)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: service.stop(signal.Signals(number).name))
    return service.run()


def scheduler_for(outlets: Iterable[Outlet], run: Callable[[str], object], *, max_rounds: int,
                  run_now: bool = False) -> BackgroundScheduler:
    """A scheduler (not started) calling `run(key)` on each outlet's schedule, in UTC.

    At most one call per outlet at a time (a time that comes while it runs is skipped, and
    logged), at most `max_rounds` calls at once; with `run_now`, a first call of each outlet at once.
    """
    scheduler = BackgroundScheduler(
        timezone=UTC, executors={"default": ThreadPoolExecutor(max_rounds)},
        # misfire_grace_time None: a round waiting for a free slot (max_rounds) still
        # runs however late; APScheduler would otherwise drop it as "missed".
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_listener(_log_skipped, EVENT_JOB_MAX_INSTANCES)
    now = datetime.now(UTC)
    for outlet in outlets:
        first = {"next_run_time": now} if run_now else {}
        scheduler.add_job(run, trigger_for(outlet), args=[outlet.key], id=outlet.key, name=f"round {outlet.key}",
                          **first)
    return scheduler


def _log_skipped(event) -> None:
    log.info("round %s skipped at %s: its previous round is still running or waiting for a slot",
             event.job_id, event.scheduled_run_times[-1].isoformat())
