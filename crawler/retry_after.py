"""A server that asks to be left alone for a while is not asked again in this round.

Scrapy retries a 429 or 503 within moments, whatever its `Retry-After` says, and has
no way to wait an hour without stalling the round. A response whose Retry-After
(seconds or an HTTP date) asks for more than `ARSIP_RETRY_AFTER_MAX` seconds is
therefore not retried in this round: it is recorded as a fetch error (`throttled` for
a 429) and the page is fetched again in a later round. A shorter wait is retried as
any failed fetch is. Sits in front of RetryMiddleware.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


class RetryAfterMiddleware:
    def __init__(self, longest_wait: float):
        self.longest_wait = longest_wait

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("ARSIP_RETRY_AFTER_MAX"))

    def process_response(self, request, response, spider=None):
        if response.status in (429, 503):
            wait = retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > self.longest_wait:
                request.meta["dont_retry"] = True
        return response


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a `Retry-After` header value asks to wait (None when absent or unreadable)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
