"""Mending `.open` WARC files left behind by a crawler process that was killed.

The writer appends one gzip member per record and only renames `x.warc.gz.open`
to `x.warc.gz` on a clean close, so a killed process leaves an `.open` file
whose tail may be a half-written member. Repair keeps the longest prefix of
whole records, cuts the rest off, and gives the file its closed name.
"""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from archive.errors import ArsipError
from archive.warc.naming import OPEN_SUFFIX, SUFFIX, closed_name, is_open_name, warc_file_name
from archive.warc.reader import parse_member

# The host and pid parts of a name made by `naming.warc_file_name` (the host
# part has had everything but letters, digits and dots replaced by "_", so it
# never contains "-").
_NAME = re.compile(r"^arsip-\d{14}-\d+-(?P<host>[A-Za-z0-9._]+)-(?P<pid>\d+)" + re.escape(SUFFIX) + "$")

_CHUNK = 1 << 20


@dataclass
class RepairResult:
    """What became of one `.open` file."""

    path: Path | None  # the closed file, or None if nothing whole was left and it was deleted
    kept_records: int
    dropped_bytes: int  # bytes cut off the end (the whole file if deleted)


def repair_open_files(directory: Path | str) -> list[RepairResult]:
    """Repair (see `repair_file`) every abandoned `*.warc.gz.open` file in `directory`.

    A file counts as abandoned only if its name says it was written on this
    host either by a process that is no longer running, or by a process with
    our own pid while this process does not hold it open (an earlier process
    that had the same pid -- routine in containers, where the crawler is often
    pid 1). So it is safe to call while this process has writers open, as when
    several spiders share one crawl process and each repairs on opening.
    Everything else is left alone: a live process may be appending to it, and
    for a file from another host sharing the directory we cannot tell whether
    its writer is alive. Files not named by arsip's writer are not ours to cut.
    A file that disappears meanwhile (another process starting up repaired it
    first) is skipped.
    """
    results = []
    for path in sorted(Path(directory).glob("*" + SUFFIX + OPEN_SUFFIX)):
        if why_left_open(path) is not None:
            continue
        try:
            results.append(repair_file(path))
        except FileNotFoundError:
            continue
    return results


def repair_file(path: Path | str) -> RepairResult:
    """Cut the `.open` file at `path` back to its whole records and close it.

    Keeps the longest prefix of gzip members that each hold one whole WARC
    record (a file with only its warcinfo record is kept); everything from the
    first incomplete or unparseable member on is cut off. The file is then
    fsynced and renamed to its closed name. If not even one record is whole the
    file is deleted. Does not check whether a process is still writing it --
    that is the caller's job (see `repair_open_files`).
    Raises `ArsipError` if `path` is not an `.open` WARC file or its closed
    name is already taken (so a finished file is never overwritten).
    """
    path = Path(path)
    if not is_open_name(path.name):
        raise ArsipError(f"{path}: not an unfinished WARC file (name does not end in {SUFFIX + OPEN_SUFFIX})")
    final = path.with_name(closed_name(path.name))
    if final.exists() and path.exists():
        raise ArsipError(f"{path}: cannot close it, {final.name} already exists")

    with open(path, "r+b") as fh:
        size = os.fstat(fh.fileno()).st_size
        kept, end = _whole_prefix(fh, path)
        if kept:
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
    if not kept:
        path.unlink()
        _fsync_dir(path.parent)
        return RepairResult(None, 0, size)
    os.replace(path, final)
    _fsync_dir(path.parent)
    return RepairResult(final, kept, size - end)


def _whole_prefix(fh: BinaryIO, path: Path) -> tuple[int, int]:
    """(number of leading whole records, byte offset where they end)."""
    kept = end = 0
    for offset, member in _gzip_members(fh):
        try:
            parse_member(member, closed_name(path.name), offset, where=str(path))
        except ArsipError:
            break
        kept += 1
        end = offset + len(member)
    return kept, end


def _gzip_members(fh: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(offset, compressed bytes) of each complete gzip member from the start of `fh`.

    Stops at the first member that is cut short or is not gzip at all. A member
    only counts once zlib has seen its end *and* its CRC/size trailer (`eof`).
    """
    fh.seek(0)
    offset = 0
    pending = fh.read(_CHUNK)
    while pending:
        inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
        parts = []
        while True:
            try:
                inflater.decompress(pending)  # output unused: parse_member inflates it again
            except zlib.error:
                return
            if inflater.eof:
                used = len(pending) - len(inflater.unused_data)
                parts.append(pending[:used])
                pending = inflater.unused_data or fh.read(_CHUNK)
                break
            parts.append(pending)
            pending = fh.read(_CHUNK)
            if not pending:
                return
        member = b"".join(parts)
        yield offset, member
        offset += len(member)


def why_left_open(path: Path) -> str | None:
    """Why `repair_open_files` leaves the `.open` file at `path` alone, or None if it is abandoned.

    Abandoned: left by a dead process on this host (see repair_open_files).
    """
    owner = _owner(closed_name(path.name))
    if owner is None:
        return "not named by arsip's WARC writer"
    host, pid = owner
    here = _owner(warc_file_name(1))[0]
    if host != here:
        return (f"written on host {host!r}, not this one ({here!r}), so whether its writer is still "
                "running cannot be told from here; `arsip reindex` on that host closes it once its crawl has ended")
    if pid == os.getpid():
        return "being written by this process" if _held_open_here(path) else None
    return f"its writer, process {pid}, is still running" if _running(pid) else None


def written_by_live_process(path: Path) -> bool:
    """Whether the closed file at `path` comes from another process on this host that is still running.

    That crawl may still be inserting the file's rows, and records the file itself when done.
    """
    owner = _owner(path.name)
    here = _owner(warc_file_name(1))[0]
    return owner is not None and owner[0] == here and owner[1] != os.getpid() and _running(owner[1])


def _owner(name: str) -> tuple[str, int] | None:
    match = _NAME.match(name)
    return (match["host"], int(match["pid"])) if match else None


def _running(pid: int) -> bool:
    # os.kill(0, ...) would signal our own process group, and huge numbers
    # overflow: neither came from a real writer, so count them as running
    # (i.e. leave such files alone).
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, but belongs to another user
    except OverflowError:
        return True
    return True


def _held_open_here(path: Path) -> bool:
    """Whether this process has `path` open (Linux /proc; elsewhere assume it does)."""
    try:
        target = os.stat(path)
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return True  # cannot tell, so do not cut a file we may be writing
    for fd in fds:
        try:
            held = os.stat(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed since listing (e.g. the listing's own descriptor)
        if (held.st_dev, held.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _fsync_dir(directory: Path) -> None:
    # Make the rename/unlink itself durable, not just the file's bytes.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
