"""Article content from one captured page: what a version of a story is made of.

`extract(body, url, content_type, selectors, drop_lines)` reads the payload of one
capture (live or from a WARC record) and returns an `Article`: headline, lede,
byline, published and modified dates, body paragraphs, image captions, correction
notes, canonical and next-page URLs, language, and whether the page is an article
at all or an error, consent or captcha page served with status 200.

Each field comes from the first layer that has it:

1. the outlet's CSS selectors (`[outlets.X.selectors]`), where given and matching;
2. structured data: JSON-LD (`NewsArticle` and kin), then `og:`/`article:` meta tags;
3. generic extraction: the body from two extractors agreeing (a Readability-style
   scorer in `archive.extract.body` and trafilatura), dates from htmldate.

Boilerplate ("Baca Juga" lines, relative times, counters, ads, pagination) never
reaches the body, correction notices go to `notes`, and text is normalised only
where a reader sees no difference (whitespace, zero-width characters, Unicode NFC).
`extract` is a pure function of its arguments; its arguments and result pickle, so
it runs as well in a process pool as inline.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.encoding import html_to_unicode

from archive.extract import boilerplate, notices, structured_data
from archive.extract.body import generic_lines
from archive.extract.dates import parse_date
from archive.extract.html_tree import parse_html
from archive.extract.content import Content
from archive.extract.text import holds, normalise_text, without_retellings, words_of

__all__ = ["Article", "extract", "no_article", "parse_date"]

# Without article markup, a page at an article-like URL with a body this long (words) is an article.
ARTICLE_WORDS = 80
# Below this many body words, a page is checked for being an error, consent or captcha page.
SHORT_BODY_WORDS = 120


@dataclass(frozen=True, kw_only=True)
class Article(Content):
    """The article of one captured page, normalised (see the module docstring): its `Content`,
    the eight fields a version is made of, and what only the page tells."""

    canonical_url: str | None
    next_page_url: str | None
    previous_page_url: str | None      # `rel=prev`: the page before, on page 2 and later of a split article
    language: str | None
    page_problem: str | None   # "not_found", "consent", "captcha", "access_denied", "paywall", "error", "empty",
                               # "not_html"; and, from ingest, "too_large_decoded", "truncated"
    is_article: bool


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return normalise_text(text) or None


# ------------------------------------------------------------------ the page

def _decode(body: bytes, content_type: str | None) -> str:
    """Text of the payload: charset from Content-Type, a BOM, or <meta charset>; else UTF-8 with replacement.

    A page declared UTF-8 whose bytes hold not one UTF-8 sequence beyond ASCII, yet do not
    decode as UTF-8, was written in windows-1252 (a common misconfiguration of old
    systems): reading it so keeps its accented letters and quotes instead of replacing them.
    """
    encoding, text = html_to_unicode(content_type, body, default_encoding="utf-8")
    if encoding == "utf-8" and "\ufffd" in text and not _UTF8_SEQUENCE.search(body):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace").removeprefix("\ufeff")
    return text


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class _Page:
    """What the layers share: the parsed page, its URL, its structured data."""

    root: Any
    url: str
    base: str
    json_ld: dict
    meta: dict[str, str]
    article_markup: bool

    def absolute(self, href: str | None) -> str | None:
        href = (href or "").strip()
        return urljoin(self.base, href) if href else None


# ---------------------------------------------------------------- selectors

def _selected(page: _Page, selectors: Mapping[str, str] | None, key: str) -> list:
    """Elements (or strings, for ::text / ::attr selectors) matching the outlet's selector for `key`."""
    css = (selectors or {}).get(key)
    if not css:
        return []
    try:
        found = Selector(root=page.root, type="html").css(css)
    except Exception:          # a selector the outlet file got wrong: the other layers still work
        return []
    return [item.root for item in found]


def _value_of(item) -> str | None:
    """What a selected element says: <meta> content, <time> datetime, a link's href, or its text."""
    if isinstance(item, str):
        return _clean(item)
    if not isinstance(getattr(item, "tag", None), str):
        return None
    for attr in ("content", "datetime"):
        if item.get(attr):
            return _clean(item.get(attr))
    return _clean(" ".join(b.text for b in boilerplate.linearise(item)))


def _selector_text(page: _Page, selectors, key: str) -> str | None:
    for item in _selected(page, selectors, key):
        value = _value_of(item)
        if value:
            return value
    return None


def _selector_date(page: _Page, selectors, key: str) -> str | None:
    for item in _selected(page, selectors, key):
        parsed = parse_date(_value_of(item))
        if parsed:
            return parsed
    return None


_PARAGRAPH_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"})


def _selector_blocks(page: _Page, selectors) -> list[str] | None:
    """Body lines from the outlet's `body` selector: matched paragraphs, or the blocks of matched containers."""
    items = _selected(page, selectors, "body")
    if not items:
        return None
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            lines.append(item)
            continue
        if not isinstance(getattr(item, "tag", None), str):
            continue
        element = copy.deepcopy(item)
        element.tail = None
        boilerplate.prune(element, aggressive=item.tag not in _PARAGRAPH_TAGS)
        lines.extend(b.text for b in boilerplate.linearise(element) if boilerplate.keep_block(b))
    return lines


# ------------------------------------------------------------ generic layer

def _kept_lines(lines: Iterable[str]) -> list[str]:
    return [line for line in map(normalise_text, lines) if line and not boilerplate.is_boilerplate_line(line)]


# ------------------------------------------------------------------ fields

def _title(page: _Page, selectors) -> str | None:
    chosen = _selector_text(page, selectors, "title") or structured_data.ld_text(page.json_ld.get("headline"))
    if chosen:
        return chosen
    site = page.meta.get("og:site_name")
    for key in ("og:title", "twitter:title"):
        if page.meta.get(key):
            return _strip_site_name(_clean(page.meta[key]), site)
    for h1 in page.root.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            return text
    title = page.root.find(".//title")
    if title is not None:
        return _strip_site_name(_clean(title.text_content()), site)
    return None


def _strip_site_name(title: str | None, site: str | None) -> str | None:
    """`title` without a trailing " - Site Name" / " | Site Name" naming the site."""
    if not title or not site:
        return title
    site = normalise_text(site).casefold()
    names = {site, site.removesuffix(".com"), site.split(".")[0]}
    match = _TITLE_SUFFIX.match(title)
    while match and match.group(2).strip().casefold() in names:
        title = match.group(1)
        match = _TITLE_SUFFIX.match(title)
    return title


_TITLE_SUFFIX = re.compile(r"^(.*\S)\s+[|\-–—:·•]\s+([^|\-–—:·•]+)$")


def _byline(page: _Page, selectors) -> str | None:
    chosen = _selector_text(page, selectors, "byline")
    if chosen:
        return chosen
    people = structured_data.names(page.json_ld.get("author"))
    names = [n for n in dict.fromkeys(normalise_text(n) for n in people) if n and not _is_publisher(page, n)]
    if names:
        return ", ".join(names)
    for key in ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"):
        value = _clean(page.meta.get(key))
        if value and not value.startswith(("http://", "https://")) and not _is_publisher(page, value):
            return value
    return None


def _is_publisher(page: _Page, name: str) -> bool:
    """Whether an "author" names the outlet itself ("Kompas Cyber Media", "Liputan6.com"), not a person."""
    folded = name.casefold()
    site = (page.meta.get("og:site_name") or "").casefold().strip()
    if site and (site in folded or folded in site):
        return True
    host = urlsplit(page.url).hostname or ""
    labels = [label for label in host.split(".") if len(label) > 3 and label not in ("www", "news", "com")]
    return any(label in folded.replace(" ", "") for label in labels)


def _lede(page: _Page, selectors) -> str | None:
    return (_selector_text(page, selectors, "lede") or structured_data.ld_text(page.json_ld.get("alternativeHeadline"))
            or structured_data.ld_text(page.json_ld.get("description")) or _clean(page.meta.get("og:description"))
            or _clean(page.meta.get("description")))


_PUBLISHED_META = ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
                   "publish-date", "dc.date.issued", "dc.date", "dcterms.created", "date", "sailthru.date",
                   "parsely-pub-date", "content_publisheddate", "og:article:published_time")
_MODIFIED_META = ("article:modified_time", "datemodified", "og:updated_time", "og:modified_time",
                  "last-modified", "dcterms.modified", "dc.date.modified", "og:article:modified_time")


def _dates(page: _Page, selectors) -> tuple[str | None, str | None]:
    published = _selector_date(page, selectors, "published") or parse_date(structured_data.ld_text(page.json_ld.get("datePublished")))
    modified = _selector_date(page, selectors, "modified") or parse_date(structured_data.ld_text(page.json_ld.get("dateModified")))
    published = published or next(filter(None, (parse_date(page.meta.get(k)) for k in _PUBLISHED_META)), None)
    modified = modified or next(filter(None, (parse_date(page.meta.get(k)) for k in _MODIFIED_META)), None)
    if published is None:
        published = _htmldate(page)
    return published, modified


def _htmldate(page: _Page) -> str | None:
    from htmldate import find_date  # imported on first use, like trafilatura

    try:
        return find_date(copy.deepcopy(page.root), url=page.url, original_date=True, extensive_search=False)
    except Exception:          # htmldate raises on odd trees; a missing date is not an error
        return None


def _captions(page: _Page, selectors) -> list[str]:
    """The page's image captions: the outlet's selector, else its `<figcaption>`s and the
    JSON-LD image's caption (an AMP copy and a template that sets the caption in a plain
    `<p>` tell the same caption in different places)."""
    if (selectors or {}).get("captions"):
        values = [_value_of(item) for item in _selected(page, selectors, "captions")]
    else:
        values = [_clean(el.text_content()) for el in page.root.iter("figcaption")
                  if not _under(el, ("aside", "nav", "footer", "header"))]
        values += [normalise_text(c) for c in structured_data.image_captions(page.json_ld.get("image"))]
    return without_retellings(v for v in values if v and not boilerplate.is_boilerplate_line(v))


def _under(el, tags: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _canonical(page: _Page) -> str | None:
    for link in page.root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return page.absolute(link.get("href"))
    return page.absolute(page.meta.get("og:url"))


def _next_page(page: _Page, selectors) -> str | None:
    for item in _selected(page, selectors, "next_page"):
        if isinstance(item, str):
            return page.absolute(item)
        href = item.get("href") if isinstance(getattr(item, "tag", None), str) else None
        if href:
            return page.absolute(href)
    return _rel_link(page, "next")


def _rel_link(page: _Page, rel: str) -> str | None:
    """The first `<a>` or `<link>` whose `rel` holds `rel`, as an absolute URL."""
    # Filtered on @rel by lxml: most pages have hundreds of links and few a rel.
    for el in page.root.xpath("descendant-or-self::a[@rel] | descendant-or-self::link[@rel]"):
        if rel in (el.get("rel") or "").lower().split() and el.get("href"):
            return page.absolute(el.get("href"))
    return None


def _language(page: _Page, paragraphs: list[str]) -> str | None:
    """The page's language (ISO 639 code): declared, unless the body plainly reads as the other of id/en."""
    declared = None
    for value in (structured_data.ld_text(page.json_ld.get("inLanguage")), page.meta.get("og:locale"),
                  page.meta.get("content-language"), page.meta.get("language"), page.root.get("lang")):
        match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value or "")
        if match:
            declared = _OLD_CODES.get(match.group(1).lower(), match.group(1).lower())
            break
    words = Counter(" ".join(paragraphs).lower().split())  # as paragraph by paragraph, without a generator
    votes = {lang: sum(words[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    total = sum(words.values())
    if total >= 50:
        best = max(votes, key=votes.get)
        if votes[best] >= 0.08 * total and votes[best] >= 3 * min(votes.values()) and declared in (None, *_STOPWORDS):
            return best
    return declared


_OLD_CODES = {"in": "id", "iw": "he", "ji": "yi"}   # ISO 639 codes withdrawn in 1989, still in templates
_STOPWORDS = {
    "id": frozenset("yang dan di ini itu dengan untuk dari tidak akan pada juga dalam ke karena oleh".split()),
    "en": frozenset("the and of to is that in for was with on as by it from at".split()),
}


# ------------------------------------------------------------- page problems

# A status code standing alone: not part of a larger number written with separators
# ("Dibaca 1.404 kali", "2.500 penonton"), which counters on real pages spell by chance.
_404 = r"(?<![\d.,])404(?![.,]?\d)"
_50X = r"(?<![\d.,])50[0234](?![.,]?\d)"

_PROBLEMS = (
    ("captcha", re.compile(
        r"captcha|are you (?:a )?(?:robot|human)|verify (?:that )?you are (?:a )?human|checking your browser"
        r"|attention required|just a moment\.\.\.|ddos protection|bot protection|unusual traffic", re.I)),
    ("access_denied", re.compile(
        r"access denied|403 forbidden|\bforbidden\b|akses ditolak|you don'?t have permission|request (?:was )?blocked"
        r"|you have been blocked", re.I)),
    ("not_found", re.compile(
        _404 + r"|not found|tidak ditemukan|tidak dapat ditemukan|halaman (?:yang anda cari )?tidak (?:ada|tersedia)"
        r"|(?:page|article|story) (?:does not|doesn'?t) exist|no longer (?:available|exists)|sudah dihapus"
        r"|telah dihapus|couldn'?t find (?:that|this|the) page|can'?t find (?:that|this|the) page", re.I)),
    ("consent", re.compile(
        r"cookie|consent|persetujuan|privacy (?:settings|choices|preferences)|we value your privacy"
        r"|before you continue|sebelum melanjutkan", re.I)),
    ("paywall", re.compile(
        r"subscribe to (?:continue|read)|to continue reading|already a subscriber|berlangganan untuk"
        r"|khusus (?:pelanggan|member|premium)|konten premium|log ?in to (?:continue|read)", re.I)),
    ("error", re.compile(
        _50X + r"|internal server error|service (?:temporarily )?unavailable|bad gateway|gateway time-?out"
        r"|sedang (?:dalam )?(?:pemeliharaan|perbaikan)|under maintenance|terjadi kesalahan|something went wrong",
        re.I)),
)


def _page_problem(page: _Page, title: str | None, words: int) -> str | None:
    """Why this page cannot be an article version, when its body is short enough to suspect it."""
    if words >= SHORT_BODY_WORDS:
        return None
    heads = [title or ""]
    title_el = page.root.find(".//title")
    if title_el is not None:
        heads.append(title_el.text_content())
    heads.extend(h.text_content() for h in page.root.iter("h1"))
    head_text = normalise_text(" ".join(heads))
    visible = _visible_text(page.root)
    for name, pattern in _PROBLEMS:
        if pattern.search(head_text):
            return name
    for name, pattern in _PROBLEMS:
        if name != "error" and pattern.search(visible[:3000]):
            return name
    return "empty" if words == 0 else None


def _visible_text(root) -> str:
    tree = copy.deepcopy(root)
    boilerplate.prune(tree, aggressive=False)
    return normalise_text(" ".join(b.text for b in boilerplate.linearise(tree)))


# ------------------------------------------------------------------- extract

def extract(body: bytes, url: str, content_type: str | None = None, selectors: Mapping[str, str] | None = None,
            drop_lines: frozenset[str] = frozenset()) -> Article:
    """The article content of one page.

    `body`: the payload with any Content-Encoding undone; `url`: where it was
    fetched (relative links resolve against it); `content_type`: the response's
    Content-Type header (its charset wins over the page's own declaration);
    `selectors`: the outlet's CSS selectors by field (the keys an outlet file may
    give, `archive.outlet.SELECTOR_KEYS`: `title`, `lede`, `byline`, `published`,
    `modified`, `body`, `captions`, `notes`, `next_page`);
    `drop_lines`: normalised lines learned as the outlet's boilerplate, dropped from
    the body. Never raises on malformed pages: an unreadable page comes back empty
    with `page_problem` "empty".
    """
    if not _may_be_html(body, content_type):
        return no_article(url, "not_html")
    root = parse_html(_decode(body, content_type))
    if root is None:
        return no_article(url)
    base = url
    base_el = root.find(".//base")
    if base_el is not None and base_el.get("href"):
        base = urljoin(url, base_el.get("href"))
    json_ld = structured_data.article_json_ld(root)
    meta = structured_data.meta_tags(root)
    markup = bool(json_ld) or (meta.get("og:type") or "").strip().lower() == "article"
    page = _Page(root, url, base, json_ld, meta, markup)

    title = _title(page, selectors)
    lede = _lede(page, selectors)
    byline = _byline(page, selectors)
    published, modified = _dates(page, selectors)
    captions = _captions(page, selectors)
    canonical = _canonical(page)
    next_page = _next_page(page, selectors)
    selector_notes = [v for v in map(_value_of, _selected(page, selectors, "notes")) if v]

    lines = _selector_blocks(page, selectors)
    kept = _kept_lines(lines) if lines is not None else []
    generic = not kept
    if generic:
        kept = _kept_lines(generic_lines(page.root, page.url, clean=_kept_lines))
    if generic:
        kept, captions = _captions_apart(kept, captions)
    paragraphs, notes = _body(kept, title, drop_lines)
    notes = notices.distinct_notes(
        selector_notes + [normalise_text(n) for n in notices.from_json_ld(json_ld.get("correction"))] + notes)
    if selector_notes:
        selected = set(selector_notes)
        paragraphs = [p for p in paragraphs if p not in selected]

    words = sum(len(p.split()) for p in paragraphs)
    problem = _page_problem(page, title, words)
    language = _language(page, paragraphs)
    return Article(
        title=title, lede=lede, byline=byline, published=published, modified=modified,
        paragraphs=tuple(paragraphs), captions=tuple(captions), notes=tuple(notes),
        canonical_url=canonical, next_page_url=next_page, previous_page_url=_rel_link(page, "prev"),
        language=language, page_problem=problem,
        is_article=problem is None and words > 0 and not _is_feed(root)
        and (markup or (words >= ARTICLE_WORDS and _article_like_url(canonical or url))),
    )


# Media types a page of text may come as; anything else (PDF, images, video) has no article to read.
_TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain"})
_BINARY_STARTS = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


def _may_be_html(body: bytes, content_type: str | None) -> bool:
    """Whether the payload can hold an article page: by its Content-Type, else by its first bytes."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media:
        return media in _TEXT_TYPES or media.endswith("+xml")
    return not body.lstrip()[:8].startswith(_BINARY_STARTS)


def _article_like_url(url: str) -> bool:
    """Whether a URL reads like one article's: a long slug or a numeric id, not a section or index."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    return any(s.count("-") >= 3 or re.search(r"\d{5,}", s) for s in segments) or bool(re.search(r"\d{5,}", parts.query))


def _is_feed(root) -> bool:
    return root.tag in ("rss", "feed", "rdf") or root.find(".//channel/item") is not None


# A line holding a caption's words (and a credit, "Foto: Reuters") is that caption, when the
# caption is long enough to be told apart from body words and the line adds only this many.
CAPTION_MIN_WORDS = 4
CAPTION_EXTRA_WORDS = 8


def _captions_apart(lines: list[str], captions: list[str]) -> tuple[list[str], list[str]]:
    """(body lines, captions): lines that tell one of the captions are captions, wherever
    the template put them, and the longer telling is the caption kept."""
    told = [words_of(caption) for caption in captions]
    body, found = [], []
    for line in lines:
        words = words_of(line)
        if any(words == caption or (len(caption) >= CAPTION_MIN_WORDS and holds(words, caption)
                                    and len(words) <= len(caption) + CAPTION_EXTRA_WORDS) for caption in told):
            found.append(line)
        else:
            body.append(line)
    return body, without_retellings([*captions, *found]) if found else captions


def _body(lines: list[str], title: str | None, drop_lines: frozenset[str]) -> tuple[list[str], list[str]]:
    """(paragraphs, notes) from kept body lines: notices split off, headline and learned lines dropped."""
    paragraphs, notes = notices.split_notices(lines)
    unwanted = set(drop_lines)
    heading = (title or "").casefold()
    kept = []
    for i, paragraph in enumerate(paragraphs):
        if paragraph in unwanted or (i < 3 and heading and paragraph.casefold() == heading):
            continue
        kept.append(paragraph)
    return kept, notes


def no_article(url: str, problem: str = "empty") -> Article:
    """The article of a page that has none to give, and why (`page_problem`)."""
    return Article(title=None, lede=None, byline=None, published=None, modified=None, paragraphs=(), captions=(),
                   notes=(), canonical_url=None, next_page_url=None, previous_page_url=None, language=None,
                   page_problem=problem,
                   is_article=False)
