"""Writing captures into rotating WARC files, one gzip member per record.

A file is written as `<name>.open` and renamed to `<name>` when closed, so a
reader (or a replay tool) never mistakes a file that is still growing for a
finished one, and a killed process leaves a file that `repair` recognises.

A write that fails (a full disk, a quota, a file-size limit) never leaves half a
record behind: the file is cut back to its last whole exchange and closed there,
and the writer refuses every later write with `WarcWriteFailed`.
"""

from __future__ import annotations

import io
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import BufferWARCWriter

from archive.warc.naming import OPEN_SUFFIX, warc_file_name

try:
    # zlib-ng writes the same deflate format as zlib (any gzip reader reads it), at the
    # same level in under half zlib's CPU and within about 1% of its size; it also sets
    # up each gzip member (one per record) in 5 microseconds, zlib in 50 (docs/benchmark-notes.md).
    from zlib_ng import zlib_ng as deflate
except ImportError:  # no wheel for this platform: the standard library's zlib, same format
    import zlib as deflate

WARC_VERSION = "WARC/1.1"

# Level 6, chosen on purpose (bench/gzip_levels.py; the table is in docs/benchmark-notes.md).
# On real news pages sent uncompressed (~160 KB), through this writer with zlib-ng:
# level 9 saves under 1% of the bytes for 80% more CPU; level 3 saves 30% of the CPU
# (~0.5 ms a page) for 6% more bytes, level 1 40% more bytes. An archive pays for its
# bytes for as long as it keeps them, in every copy; the CPU is paid once, by a crawl
# that mostly waits on politeness delays. Bodies that came gzip- or br-encoded (most
# of the web) are stored as they came, and there the level changes neither size nor
# CPU much. Compression is still the largest part of capturing a page.
DEFAULT_GZIP_LEVEL = 6

# Hop-by-hop framing that describes the transfer, not the payload: the body we
# store is already de-chunked, so keeping the header would make replay tools
# try to de-chunk it again and would not match the payload digest.
_DROPPED_RESPONSE_HEADERS = {"transfer-encoding"}


@dataclass
class Exchange:
    """One HTTP fetch as it happened on the wire (body before any content decoding)."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    protocol: str = "HTTP/1.1"
    request_body: bytes = b""
    ip_address: str | None = None


@dataclass
class Revisit:
    """The earlier response whose payload a new fetch repeats."""

    uri: str
    date: datetime
    record_id: str | None = None


@dataclass
class WrittenRecord:
    """Where a record landed: enough to open it again without scanning the file."""

    warc_file: str
    offset: int
    length: int
    rec_headers: StatusAndHeaders
    http_headers: StatusAndHeaders | None

    @property
    def record_id(self) -> str:
        return self.rec_headers.get_header("WARC-Record-ID")


@dataclass
class WrittenExchange:
    response: WrittenRecord
    request: WrittenRecord


def payload_digest(body: bytes) -> str:
    """The WARC payload digest (`sha1:<base32>`) warcio would compute for `body`."""
    digester = RecordBuilder._create_digester()
    digester.update(body)
    return str(digester)


def iso_date(when: datetime) -> str:
    """WARC-Date with microseconds (WARC/1.1), always in UTC."""
    return datetime_to_iso_date(when.astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)


@dataclass
class WarcInfo:
    """The fields of the `warcinfo` record that opens every file."""

    software: str
    operator: str = ""
    is_part_of: str = "arsip"
    robots: str = "obey"
    hostname: str = field(default_factory=socket.gethostname)
    description: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "software": self.software,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": self.is_part_of,
            "robots": self.robots,
            "hostname": self.hostname,
            "operator": self.operator,
            "description": self.description,
        }


class WarcWriteFailed(Exception):
    """The WARC directory took no more bytes; what was written before is whole and closed."""

    def __init__(self, directory: Path, error: OSError):
        self.directory = directory
        self.error = error
        super().__init__(f"could not write to the WARC directory {directory}: {error.strerror or error}")


class WarcFileWriter:
    """Appends exchanges to `directory`, rotating files at `max_size` bytes."""

    def __init__(self, directory: Path, info: WarcInfo, max_size: int = 1_000_000_000,
                 gzip_level: int = DEFAULT_GZIP_LEVEL):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.info = info
        self.max_size = max_size
        self.gzip_level = gzip_level
        self._builder = BufferWARCWriter(gzip=False, warc_version=WARC_VERSION)
        self._serial = 0
        self._file: io.FileIO | None = None
        self._name: str | None = None
        self._offset = 0
        self._info_end = 0
        self.closed_files: list[str] = []
        self.failed: WarcWriteFailed | None = None

    @property
    def current_name(self) -> str | None:
        """The final (closed) name of the file being written, if any."""
        return self._name

    def write_exchange(self, exchange: Exchange, revisit: Revisit | None = None,
                       digest: str | None = None) -> WrittenExchange:
        """Write the response (or revisit) record, then its request record, sharing one WARC-Date.

        `digest` is `payload_digest(exchange.body)` when the caller has it already (the
        crawl does, to look up revisits), so the body is not hashed for it a second time.
        """
        date = iso_date(exchange.fetched_at)
        response = self._response_record(exchange, date, revisit, digest or payload_digest(exchange.body))
        request = self._request_record(exchange, date, response.rec_headers.get_header("WARC-Record-ID"))
        # Serialised together so the pair never straddles a rotation: a reader pairs them within one file.
        response_data, request_data = self._serialize(response), self._serialize(request)
        if self.failed is not None:
            raise self.failed
        self._rotate_if_full(len(response_data) + len(request_data))
        if self._file is None:
            self._open_next()
        offset = self._offset
        # One write for the pair: on failure the file is cut back to `offset`, so no
        # response is left without its request (nor half of either).
        self._write(response_data + request_data)
        return WrittenExchange(
            response=WrittenRecord(self._name, offset, len(response_data), response.rec_headers,
                                   response.http_headers),
            request=WrittenRecord(self._name, offset + len(response_data), len(request_data),
                                  request.rec_headers, request.http_headers),
        )

    def flush(self, sync: bool = True) -> None:
        """Make everything written so far durable, so catalog rows may point at it.

        The file is unbuffered (every record is written whole, at once), so only the
        fsync is left to do; a failed one (space is claimed late on some file systems)
        is a failed write like any other.
        """
        if self._file is not None and sync:
            try:
                os.fsync(self._file.fileno())
            except OSError as error:
                self._give_up(error)

    def close(self) -> None:
        """Finish the current file: fsync and drop the `.open` suffix."""
        if self._file is None:
            return
        self.flush(sync=True)
        self._finish()

    def _finish(self) -> None:
        self._file.close()
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        self.closed_files.append(self._name)
        self._file = None
        self._name = None

    # -- records ---------------------------------------------------------

    def _response_record(self, exchange: Exchange, date: str, revisit: Revisit | None, digest: str):
        headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in _DROPPED_RESPONSE_HEADERS]
        status_line = f"{exchange.status} {_reason(exchange.status)}"
        http_headers = StatusAndHeaders(status_line, headers, protocol=exchange.protocol)
        warc_headers = {"WARC-Date": date}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if revisit is not None:
            if revisit.record_id:
                warc_headers["WARC-Refers-To"] = revisit.record_id
            return self._builder.create_revisit_record(
                exchange.url, digest, revisit.uri, iso_date(revisit.date),
                http_headers=http_headers, warc_headers_dict=warc_headers,
            )
        # The WARC headers warcio would start from (same fields, same order), with the
        # payload digest already in place where warcio would append it: warcio then
        # skips hashing the body for it and hashes it only once more, for the block digest.
        rec_headers = StatusAndHeaders("", [
            *warc_headers.items(),
            ("WARC-Type", "response"),
            ("WARC-Record-ID", StatusAndHeadersParser.make_warc_id()),
            ("WARC-Target-URI", exchange.url),
            ("WARC-Payload-Digest", digest),
        ], protocol=WARC_VERSION)
        return self._builder.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
            http_headers=http_headers, warc_headers=rec_headers,
        )

    def _request_record(self, exchange: Exchange, date: str, response_id: str):
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(exchange.request_headers)
        if not any(k.lower() == "host" for k, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        # warcio takes the method as the "protocol" of a request, so the version goes in the line itself.
        http_headers = StatusAndHeaders(f"{exchange.method} {target} {exchange.protocol}", headers,
                                        is_http_request=True)
        return self._builder.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
        )

    # -- files -----------------------------------------------------------

    def _rotate_if_full(self, incoming: int) -> None:
        # A file holding only its warcinfo takes the exchange however big, or rotation would never end.
        if self._file is not None and self._offset > self._info_end and self._offset + incoming > self.max_size:
            self.close()

    def _write(self, data: bytes) -> None:
        """Append `data` whole, or cut the file back to where it was and stop writing."""
        view = memoryview(data)
        try:
            while view:  # a raw write may take only part (a file-size limit is reached mid-write)
                view = view[self._file.write(view):]
        except OSError as error:
            self._give_up(error)
        self._offset += len(data)

    def _give_up(self, error: OSError) -> None:
        """Close the file at its last whole exchange (or drop it if it holds none) and refuse all later writes."""
        self.failed = WarcWriteFailed(self.directory, error)
        path = self.directory / (self._name + OPEN_SUFFIX)
        try:
            # Truncating frees space, so the fsync and rename that close the file can succeed.
            os.ftruncate(self._file.fileno(), self._offset)
            if self._offset > self._info_end:
                os.fsync(self._file.fileno())
                self._finish()
            else:
                self._file.close()
                path.unlink()
                self._file = self._name = None
        except OSError:
            # Left as `.open`: the next crawl's repair cuts it back to its last whole record.
            self._file.close()
            self._file = self._name = None
        raise self.failed from error

    def _serialize(self, record) -> bytes:
        self._builder.out = io.BytesIO()
        self._builder.write_record(record)
        compressor = deflate.compressobj(self.gzip_level, deflate.DEFLATED, deflate.MAX_WBITS + 16)
        return compressor.compress(self._builder.out.getvalue()) + compressor.flush()

    def _open_next(self) -> None:
        self._serial += 1
        name = warc_file_name(self._serial)
        while (self.directory / name).exists() or (self.directory / (name + OPEN_SUFFIX)).exists():
            self._serial += 1
            name = warc_file_name(self._serial)
        self._name = name
        try:
            self._file = open(self.directory / (name + OPEN_SUFFIX), "xb", buffering=0)
        except OSError as error:
            self._name = None
            self.failed = WarcWriteFailed(self.directory, error)
            raise self.failed from error
        self._offset = self._info_end = 0
        self._write(self._serialize(self._builder.create_warcinfo_record(name, self.info.fields())))
        self._info_end = self._offset


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
