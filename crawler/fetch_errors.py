"""Naming why a fetch failed, in the few kinds a crawl summary counts."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy import exceptions as scrapy_errors
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_errors
from twisted.python.failure import Failure

from crawler.decoding import DecodedTooLarge

KINDS = ("dns", "refused", "timeout", "http_4xx", "http_5xx", "too_large", "too_large_decoded", "robots", "other")

_BY_TYPE = (
    ((scrapy_errors.CannotResolveHostError, net_errors.DNSLookupError), "dns"),
    ((scrapy_errors.DownloadConnectionRefusedError, net_errors.ConnectionRefusedError), "refused"),
    ((scrapy_errors.DownloadTimeoutError, net_errors.TimeoutError, net_errors.TCPTimedOutError), "timeout"),
    ((scrapy_errors.DownloadCancelledError,), "too_large"),
    ((DecodedTooLarge,), "too_large_decoded"),
)


@dataclass(frozen=True)
class FetchError:
    url: str
    kind: str
    status: int | None
    message: str


def classify(url: str, failure: Failure) -> FetchError:
    """The kind, HTTP status (if any) and a one-line message for a failed request."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        kind = "http_5xx" if status >= 500 else "http_4xx" if status >= 400 else "other"
        return FetchError(url, kind, status, f"HTTP {status}")
    if isinstance(error, scrapy_errors.IgnoreRequest) and "robots.txt" in str(error).lower():
        return FetchError(url, "robots", None, "forbidden by robots.txt")
    for types, kind in _BY_TYPE:
        if isinstance(error, types):
            return FetchError(url, kind, None, _one_line(error))
    return FetchError(url, "other", None, _one_line(error))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:500]
