"""A capture as the catalog holds it: what it keeps about one HTTP fetch, derived from its WARC records.

The crawl (right after writing) and `arsip reindex` (reading files back) both
build rows here from the same inputs, the record headers and where the record
sits, so a rebuilt catalog holds exactly the rows the crawl wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_datetime


@dataclass(frozen=True)
class Placement:
    """Where a record lives: file name (closed form), byte offset and length of its gzip member."""

    warc_file: str
    offset: int
    length: int


@dataclass(frozen=True)
class Capture:
    """A capture as the catalog holds it: one HTTP fetch, its WARC records' headers and where they sit.

    The fields are the `captures` columns a capture is written with, in table order; what
    ingest later adds to the row (its story, version and status) is not part of it.
    """

    record_id: str
    record_type: str
    url: str
    host: str
    outlet: str | None  # None when no configured outlet owns the host
    fetched_at: datetime
    status: int
    content_type: str | None
    location: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    payload_digest: str | None
    refers_to_uri: str | None
    refers_to_date: datetime | None
    request_record_id: str | None
    request_method: str | None
    referrer: str | None


@dataclass(frozen=True)
class StoredCapture(Capture):
    """A capture read back from the catalog: the same capture, with the id its row was given."""

    id: int


# The columns a capture is written with, in table order (every capture insert and comparison uses them).
CAPTURE_COLUMNS = tuple(field.name for field in fields(Capture))
# The columns a `StoredCapture` is read from, in the order of its fields.
STORED_CAPTURE_COLUMNS = tuple(field.name for field in fields(StoredCapture))


def capture_row(
    rec_headers: StatusAndHeaders,
    http_headers: StatusAndHeaders | None,
    placement: Placement,
    outlet: str | None,
    request_headers: StatusAndHeaders | None = None,
    request_http_headers: StatusAndHeaders | None = None,
) -> Capture:
    """The row for one response or revisit record, plus the request record that pairs with it."""
    record_type = rec_headers.get_header("WARC-Type")
    if record_type not in ("response", "revisit"):
        raise ValueError(f"not a capture record: {record_type}")
    url = rec_headers.get_header("WARC-Target-URI")
    status = int(http_headers.get_statuscode()) if http_headers is not None else 0
    location = http_headers.get_header("Location") if http_headers is not None else None
    refers_to_date = rec_headers.get_header("WARC-Refers-To-Date")
    return Capture(
        record_id=rec_headers.get_header("WARC-Record-ID"),
        record_type=record_type,
        url=url,
        host=urlsplit(url).netloc.lower(),
        outlet=outlet,
        fetched_at=_parse_date(rec_headers.get_header("WARC-Date")),
        status=status,
        content_type=_media_type(http_headers),
        location=urljoin(url, location) if location and 300 <= status < 400 else None,
        warc_file=placement.warc_file,
        warc_offset=placement.offset,
        warc_length=placement.length,
        payload_digest=rec_headers.get_header("WARC-Payload-Digest"),
        refers_to_uri=rec_headers.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=_parse_date(refers_to_date) if refers_to_date else None,
        request_record_id=request_headers.get_header("WARC-Record-ID") if request_headers else None,
        request_method=_request_method(request_http_headers),
        referrer=request_http_headers.get_header("Referer") if request_http_headers else None,
    )


def _parse_date(value: str) -> datetime:
    # warcio returns naive UTC datetimes; the catalog stores timestamptz, so say so.
    return iso_date_to_datetime(value).replace(tzinfo=timezone.utc)


def _media_type(http_headers: StatusAndHeaders | None) -> str | None:
    if http_headers is None:
        return None
    value = http_headers.get_header("Content-Type")
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _request_method(http_headers: StatusAndHeaders | None) -> str | None:
    # warcio parses a request line into protocol=<method>, statusline=<target> <version>.
    if http_headers is None:
        return None
    return http_headers.protocol or None
