"""Captures for catalog tests, made as the crawl makes them but without WARC files behind them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from archive.catalog.captures import Capture

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
_offsets = itertools.count(1)


def at(hours: float) -> datetime:
    """`hours` after T0 (before it when negative)."""
    return T0 + timedelta(hours=hours)


def capture(url: str, fetched_at: datetime, status: int = 200, outlet: str | None = "demo",
            record_type: str = "response", digest: str | None = "sha1:AAAA", warc_file: str = "a.warc.gz") -> Capture:
    """A capture of `url`, at a place in `warc_file` of its own."""
    offset = next(_offsets)
    return Capture(
        record_id=f"<urn:uuid:{offset:08d}>", record_type=record_type, url=url, host=urlsplit(url).netloc,
        outlet=outlet, fetched_at=fetched_at, status=status, content_type="text/html", location=None,
        warc_file=warc_file, warc_offset=offset * 1000, warc_length=900, payload_digest=digest,
        refers_to_uri=url if record_type == "revisit" else None,
        refers_to_date=fetched_at - timedelta(hours=1) if record_type == "revisit" else None,
        request_record_id=f"<urn:uuid:r{offset:07d}>", request_method="GET", referrer=None)
