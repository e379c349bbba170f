"""Structured data on a page: JSON-LD (schema.org articles) and `<meta>` tags.

What an outlet declares about its article for search engines and social sites:
headline, description, author, dates, language, corrections. `article_json_ld`
finds the page's article object wherever the JSON-LD nests it (`@graph`,
`mainEntity`, lists); `meta_tags` maps `og:`/`article:`/`name=` keys to values.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Iterable

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle",
    "BlogPosting", "LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle", "SocialMediaPosting",
})


def meta_tags(root) -> dict[str, str]:
    """`<meta>` values by lower-cased property / name / itemprop; the first of each wins."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def json_ld_objects(root) -> Iterable[dict]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
                    if isinstance(item.get(key), (list, dict)):
                        stack.append(item[key])


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def article_json_ld(root) -> dict:
    """The page's JSON-LD article object (the one with the most fields when there are several)."""
    articles = [obj for obj in json_ld_objects(root) if _types(obj) & ARTICLE_TYPES]
    return max(articles, key=lambda obj: (bool(obj.get("headline")), len(obj)), default={})


def names(value: Any) -> list[str]:
    """Author names from a JSON-LD `author`: a string, a Person/Organization, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return names(name) if name else []
    if isinstance(value, list):
        return [name for item in value for name in names(item)]
    return []


def image_captions(value: Any) -> list[str]:
    """Captions from a JSON-LD `image`: an ImageObject's `caption` (text, or an object with
    `text`), or a list of them; image URLs have none."""
    if isinstance(value, list):
        return [caption for item in value for caption in image_captions(item)]
    if not isinstance(value, dict):
        return []
    caption = value.get("caption")
    if isinstance(caption, dict):
        caption = caption.get("text")
    text = ld_text(caption)
    return [text] if text else []


def ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return None
    return " ".join(unicodedata.normalize("NFC", value).split()) or None
