"""Naming why a fetch failed, in the few kinds a crawl summary counts."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy import exceptions as scrapy_errors
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_errors
from twisted.python.failure import Failure

from crawler.decoding import DecodedTooLarge
from crawler.offsite import OffsiteRequest
from crawler.retry_after import retry_after

KINDS = ("dns", "refused", "timeout", "http_4xx", "http_5xx", "throttled", "too_large", "too_large_decoded",
         "truncated", "bad_response", "offsite", "redirect_loop", "robots", "other")

_BY_TYPE = (
    ((scrapy_errors.CannotResolveHostError, net_errors.DNSLookupError), "dns"),
    ((scrapy_errors.DownloadConnectionRefusedError, net_errors.ConnectionRefusedError), "refused"),
    ((scrapy_errors.DownloadTimeoutError, net_errors.TimeoutError, net_errors.TCPTimedOutError), "timeout"),
    ((scrapy_errors.DownloadCancelledError,), "too_large"),
    ((DecodedTooLarge,), "too_large_decoded"),
    ((scrapy_errors.ResponseDataLossError,), "truncated"),
    ((scrapy_errors.DownloadFailedError,), "bad_response"),
)

_MESSAGES = {
    "truncated": "the connection closed before the whole body arrived",
    "bad_response": "the server's answer was not a readable HTTP response",
}


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
        return _http_error(url, error.response)
    if isinstance(error, OffsiteRequest):
        return FetchError(error.source, "offsite", None, f"{error.target} is off the outlet's domains: not fetched")
    if isinstance(error, scrapy_errors.IgnoreRequest):
        text = str(error).lower()
        if "robots.txt" in text:
            return FetchError(url, "robots", None, "forbidden by robots.txt")
        if "max redirections" in text:
            return FetchError(url, "redirect_loop", None, "too many redirects: not followed further")
    for types, kind in _BY_TYPE:
        if isinstance(error, types):
            return FetchError(url, kind, None, _MESSAGES.get(kind) or _one_line(error))
    return FetchError(url, "other", None, _one_line(error))


def redirect_loop(url: str, target: str) -> FetchError:
    """A redirect back to a page its own chain of redirects went through."""
    return FetchError(url, "redirect_loop", None, f"redirects back to {target}: not followed")


def _http_error(url: str, response) -> FetchError:
    status = response.status
    wait = retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
    later = f" (Retry-After {wait:.0f} s): left for a later round" if wait is not None else ""
    if status == 429:
        return FetchError(url, "throttled", status, f"HTTP 429 Too Many Requests{later}")
    kind = "http_5xx" if status >= 500 else "http_4xx" if status >= 400 else "other"
    return FetchError(url, kind, status, f"HTTP {status}{later}")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:500]
