"""Settings that come from the environment, read once and passed along."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archive.errors import ArsipError, UsageError


@dataclass(frozen=True)
class Config:
    """Where arsip keeps things.

    `database_url` is None when the embedded PostgreSQL in `data_dir` is to be used.
    """

    data_dir: Path
    database_url: str | None
    outlets_file: Path | None
    warc_max_size: int = 1_000_000_000
    # No payload that decodes to more than this is read for its text (archive.warc.payload).
    max_decoded_size: int = 20 * 1024 * 1024

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warcs"

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"


def default_data_dir() -> Path:
    """`$ARSIP_DATA_DIR`, else `$XDG_DATA_HOME/arsip`, else `~/.local/share/arsip`."""
    explicit = os.environ.get("ARSIP_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "arsip"


def load_config(
    data_dir: str | Path | None = None,
    database_url: str | None = None,
    outlets_file: str | Path | None = None,
) -> Config:
    """Flags win over the environment; the environment wins over defaults."""
    max_size = _size_setting("ARSIP_WARC_MAX_SIZE")
    max_decoded = _size_setting("ARSIP_MAX_DECODED_SIZE")
    if data_dir:
        chosen, source = Path(data_dir).expanduser(), "--data-dir"
    else:
        chosen, source = default_data_dir(), "ARSIP_DATA_DIR" if os.environ.get("ARSIP_DATA_DIR") else "the data directory"
    _check_data_dir(chosen, source)
    return Config(
        data_dir=chosen,
        database_url=database_url or os.environ.get("ARSIP_DATABASE_URL") or None,
        outlets_file=Path(outlets_file) if outlets_file else (
            Path(os.environ["ARSIP_OUTLETS"]) if os.environ.get("ARSIP_OUTLETS") else None
        ),
        warc_max_size=max_size or 1_000_000_000,
        max_decoded_size=max_decoded or Config.max_decoded_size,
    )


def _check_data_dir(path: Path, source: str) -> None:
    """Refuse a data directory that is, or lies under, something other than a directory.

    Every command would otherwise fail deep inside (a WARC writer, the embedded
    server's lock) with an OSError of its own; this names the path once.
    """
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return
        if candidate.exists() or candidate.is_symlink():
            kind = "a file" if candidate.is_file() else "not a directory"
            problem = f"is {kind}" if candidate == path else f"lies under {candidate}, which is {kind}"
            raise UsageError(f"{source} {path}: {problem}",
                             "point it at a directory, or at a path where one can be made")


def _size_setting(name: str) -> int | None:
    """A byte count from the environment variable `name` (None when unset)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ArsipError(f"{name}={value!r}: expected a positive number of bytes")
    return int(value)
