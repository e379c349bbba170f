"""How WARC files are named: `arsip-<14-digit UTC>-<serial>-<host>-<pid>.warc.gz`.

The host and process id in the name let several crawler nodes (and several
processes on one node) write into one directory without ever sharing a file.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import datetime, timezone

SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"
_UNSAFE = re.compile(r"[^A-Za-z0-9.]+")


def warc_file_name(serial: int, when: datetime | None = None, host: str | None = None, pid: int | None = None) -> str:
    """The final name of the `serial`-th file this process writes."""
    when = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    host = _UNSAFE.sub("_", host or socket.gethostname()).strip("_") or "host"
    return f"arsip-{when:%Y%m%d%H%M%S}-{serial:05d}-{host}-{pid or os.getpid()}{SUFFIX}"


def is_open_name(name: str) -> bool:
    return name.endswith(SUFFIX + OPEN_SUFFIX)


def closed_name(name: str) -> str:
    """`x.warc.gz.open` -> `x.warc.gz`; a closed name is returned unchanged."""
    return name[: -len(OPEN_SUFFIX)] if is_open_name(name) else name
