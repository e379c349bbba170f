"""Story identity: which story a captured page belongs to.

A story is one article of one outlet. Where the outlet's article URLs carry an
id, that id is the story; otherwise its canonical URL (rel=canonical, og:url,
else the URL the page was finally served at) with tracking parameters, the
fragment and default ports stripped. So a slug change (same id), a 301 from an
old URL, an AMP copy pointing at its canonical page, and the further pages of a
split article all land on one story.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_[a-z]+|_ga|igshid|ref|ref_src|src|source|from|"
    r"amp|share|s_cid|cmp|cid|yclid|wt_[a-z]+|spm|tracking|_gl)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def clean_url(url: str) -> str:
    """`url` without tracking parameters, fragment or default port; scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def story_key(article_id: str | None, canonical_url: str | None, final_url: str) -> str:
    """The key that names a story within its outlet: `id:<article id>` or `url:<clean canonical URL>`."""
    if article_id:
        return f"id:{article_id}"
    return f"url:{clean_url(canonical_url or final_url)}"
