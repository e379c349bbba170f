"""Reading Retry-After, which decides whether a throttled page waits for a later round."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.retry_after import retry_after

NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)


def test_seconds_and_http_dates():
    assert retry_after(b"3600", NOW) == 3600.0
    assert retry_after(" 0 ", NOW) == 0.0
    assert retry_after("Thu, 03 Dec 2026 13:00:00 GMT", NOW) == 3600.0
    assert retry_after("Thu, 03 Dec 2026 11:00:00 GMT", NOW) == 0.0, "a time already past asks for no wait"


def test_absent_or_unreadable_values_ask_for_nothing():
    for value in (None, b"", "soon", "-5", "1.5e9x"):
        assert retry_after(value, NOW) is None, value
