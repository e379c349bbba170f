"""The embedded PostgreSQL's memory settings, sized for the machine it runs on.

PostgreSQL's defaults (shared_buffers 128 MB) suit a server sharing a small machine.
An archive's catalog outgrows that quickly: a search reads the search vectors of its
candidate versions (in the `versions` heap, ~2 rows a page) and the GIN index, and with
128 MB those pages keep coming from the operating system's cache or, when the machine
has trimmed that cache, from disk. A buffer pool sized with the machine keeps the hot
part of the catalog in the server's own memory.

Written to `arsip-memory.conf` in pgdata at every start (so a data directory moved to
another machine follows that machine) and included at the end of `postgresql.conf`:
a setting made with `ALTER SYSTEM` (postgresql.auto.conf, read last) or added below
the include line still wins.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_NAME = "arsip-memory.conf"
INCLUDE_LINE = f"include_if_exists = '{FILE_NAME}'"
MB = 1024 * 1024
# A buffer pool beyond this gains little for a catalog on one machine and takes memory
# from the crawl and its extraction workers.
MAX_SHARED_BUFFERS = 2048 * MB
MIN_SHARED_BUFFERS = 128 * MB  # PostgreSQL's own default

_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def machine_memory(cgroup_limits: tuple[str, ...] = _CGROUP_LIMITS) -> int:
    """Bytes of memory this process may use: physical memory, or a container's limit when lower."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for path in cgroup_limits:
        try:
            value = Path(path).read_text().strip()
        except OSError:
            continue
        if value.isdigit():  # "max" (v2) or a huge number (v1) mean no limit
            total = min(total, int(value))
    return total


def memory_settings(memory: int) -> dict[str, str]:
    """postgresql.conf settings for a machine with `memory` bytes that also runs the crawler."""
    # An eighth: the crawl, its extraction workers and the OS cache (which holds the WARC
    # files being written and the rest of the catalog) need the remainder.
    shared = min(max(memory // 8, MIN_SHARED_BUFFERS), MAX_SHARED_BUFFERS)
    return {
        "shared_buffers": f"{shared // MB}MB",
        # only steers the planner: how much of the catalog the OS cache may hold besides
        "effective_cache_size": f"{max(memory // 2, shared) // MB}MB",
    }


def write_memory_settings(pgdata: Path, owner: tuple[int, int] | None = None, memory: int | None = None) -> None:
    """Write `arsip-memory.conf` for this machine (owned by `owner`, a uid and gid, when given)
    and make sure postgresql.conf includes it."""
    conf = pgdata / "postgresql.conf"
    text = conf.read_text()  # first: a data directory without it gets nothing written into it
    settings = memory_settings(machine_memory() if memory is None else memory)
    lines = ["# Written by arsip at each start of the embedded server, sized for this machine's memory.",
             "# Do not edit: set these in postgresql.conf (below its include line) or with ALTER SYSTEM."]
    lines += [f"{name} = '{value}'" for name, value in settings.items()]
    target = pgdata / FILE_NAME
    tmp = pgdata / f".{FILE_NAME}.{os.getpid()}"
    tmp.write_text("\n".join(lines) + "\n")
    if owner is not None:
        os.chown(tmp, *owner)
    tmp.replace(target)
    if INCLUDE_LINE not in text.splitlines():
        with conf.open("a") as f:
            f.write(("" if text.endswith("\n") else "\n") + f"\n# arsip: memory sized for the machine\n{INCLUDE_LINE}\n")
