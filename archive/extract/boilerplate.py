"""Boilerplate: what on a news page is never article content, and where the article text is.

Two kinds of knowledge live here, both generic (no outlet is named):

* lines: a paragraph that is a "Baca Juga" link, an ad label, a relative time, a
  view or share counter, a pagination strip or a cookie notice is boilerplate
  (`is_boilerplate_line`), whatever element it sits in;
* elements: scripts, menus, ad slots, share bars, related-article lists and the
  like are pruned from a page (`prune`) before `archive.extract.body` looks for the
  element holding the article text, in the manner of Readability.

Text comes out as `Block`s: one visible paragraph or line each, in reading order,
with how much of it is link text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

# -------------------------------------------------------------------- lines

_RELATED_WORDS = (
    r"baca|simak|lihat|cek|tonton|saksikan|klik|read|see|watch|listen|dengarkan"
)
# "Baca Juga: <link>", "BACA JUGA", "Simak juga video ...", "Read more: ..."
_READ_ALSO = re.compile(
    rf"^[\W_]*(?:{_RELATED_WORDS})\s+(?:juga|pula|selengkapnya|also|more|next)\b", re.I)
_RELATED_HEADING = re.compile(
    r"^[\W_]*(?:artikel|berita|topik|video|foto)\s+(?:terkait|terkini|terbaru|lainnya|populer|pilihan|rekomendasi)"
    r"|^[\W_]*(?:rekomendasi|terpopuler|populer|pilihan editor|trending|terkait|lainnya|berita lainnya"
    r"|related(?: articles?| stories| posts| news| content| coverage| topics)?|recommended(?: for you| stories)?"
    r"|(?:most )?(?:popular|read|viewed)(?: stories| articles| now)?|more (?:stories|news|from|on)\b.*"
    r"|you (?:may|might) (?:also )?like|latest(?: news| stories)?|top stories|trending now|editor'?s picks"
    r"|advertisement|iklan|sponsored|promoted|tags?|topik|kata kunci|share|bagikan|komentar|comments?)"
    r"[\W_]*$", re.I)
_AD_LINE = re.compile(
    r"^[\W_]*(?:advertisements?|iklan|ads?|sponsored(?: content)?|konten (?:bersponsor|sponsor)|promoted"
    r"|scroll(?: down)? to (?:continue|resume)(?: (?:with|reading))?(?: (?:the )?(?:content|article))?"
    r"|(?:article|story|content) continues below(?: advertisement)?|continue reading(?: below)?"
    r"|lanjut(?:kan)? (?:membaca|baca)(?: di bawah)?|gulir (?:untuk|ke bawah)(?: melanjutkan)?.*"
    r"|konten berikut adalah iklan.*|loading\.*|memuat\.*|tutup iklan|close ad|skip ad)[\W_]*$", re.I)
_UNITS_ID = r"detik|menit|jam|hari|minggu|pekan|bulan|tahun"
_UNITS_EN = r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
_RELATIVE_TIME = re.compile(
    rf"^[\W_]*(?:(?:diperbarui|diunggah|dipublikasikan|terbit|updated|posted|published)\s+)?"
    rf"(?:(?:\d+|se|satu|an?|one)\s*(?:{_UNITS_ID})(?:\s+(?:yang\s+)?(?:lalu|silam))"
    rf"|(?:\d+|an?|one)\s*(?:{_UNITS_EN})\s+ago|baru saja|just now|kemarin|yesterday)[\W_]*$", re.I)
_COUNTER = re.compile(
    r"^[\W_]*(?:(?:(?:telah|sudah|sebanyak)\s+)?(?:dibaca|dilihat|views?|viewed|pembaca|readers?)\s*:?\s*[\d.,]+\s*(?:[kmrb]b?|rb|ribu|juta)?\s*(?:kali|x|times)?"
    r"|[\d.,]+\s*(?:[kmrb]b?|rb|ribu|juta)?\s*(?:kali dibaca|dibaca|views?|pembaca|readers?|shares?|dibagikan|komentar"
    r"|comments?|likes?|suka|reactions?|orang membaca(?: saat ini)?|reading now))[\W_]*$", re.I)
_SHARE = re.compile(
    r"^[\W_]*(?:share|bagikan|sebarkan|share this(?: article| story)?|bagikan (?:artikel|berita) ini|follow us"
    r"|ikuti kami)?(?:\s+(?:on|ke|via|di))?\s*:?\s*"
    r"(?:(?:facebook|twitter|whatsapp|line|telegram|e-?mail|linkedin|pinterest|reddit|x|copy link|salin (?:tautan|link)"
    r"|instagram|tiktok|youtube|google news|print|cetak)\s*[,|/·•]?\s*)+$", re.I)
_PAGINATION = re.compile(
    r"^[\W_]*(?:(?:halaman|page|hal\.?)\s*:?\s*(?:\d+\s*(?:[,|/·•-]\s*)?)+"
    r"(?:\s*(?:selanjutnya|berikutnya|next|sebelumnya|previous|prev|tampilkan semua|show all|all)\b)*"
    r"|(?:halaman|page)\s+\d+\s+(?:dari|of)\s+\d+"
    r"|(?:[«‹<]\s*)?(?:\d+\s+)+\d+(?:\s*(?:selanjutnya|next|berikutnya|[»›>]))?"
    r"|(?:[«‹<]\s*)?(?:selanjutnya|sebelumnya|berikutnya|halaman (?:selanjutnya|berikutnya|sebelumnya)|next(?: page)?"
    r"|previous(?: page)?|prev|tampilkan semua|lihat semua|show all|load more|muat lebih banyak|lebih banyak"
    r"|view all|see all|more|older posts|newer posts)(?:\s*[»›>])?)[\W_]*$", re.I)
_COOKIE = re.compile(
    r"(?:\b(?:this|our) (?:web)?site uses cookies|\b(?:we|kami) (?:use|uses|menggunakan) (?:cookies?|kuki)"
    r"|\baccept (?:all )?cookies|\bcookie (?:policy|settings|preferences|notice|consent)|\bkebijakan (?:cookie|kuki)"
    r"|\b(?:situs|website|laman) ini menggunakan (?:cookie|kuki)"
    r"|\bby (?:continuing to (?:use|browse)|using) (?:this|our) (?:web)?site,? you (?:agree|consent|accept))", re.I)
_STRAY = re.compile(r"^[\W_]*$")    # punctuation, bullets, arrows only
_CREDIT = re.compile(
    r"^[\W_]*(?:editor|penyunting|redaktur|pewarta|reporter|penulis|kontributor|copy ?editor|fotografer"
    r"|editing by|reporting by|writing by|additional reporting by)(?:\s*:?\s*[\w .,'&/-]{2,60})?\s*:?$"
    r"|^\s*:\s*[\w .,'&/-]{2,60}$"    # the value of a credit whose label ("Penulis") is a line of its own
    r"|^[\W_]*(?:copyright|hak cipta)\b.{0,80}$|^\s*(?:©|\(c\))\s*.{0,80}$", re.I)
_CREDIT_LABEL = re.compile(r"^[\W_]*(?:penulis|editor|reporter|pewarta|oleh|by)\s*:", re.I)
_MONTHS = (r"januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|november|nopember"
           r"|desember|jan|feb|febr|mar|apr|jun|jul|agu|agt|aug|agst|sep|sept|okt|oct|nov|nop|des|dec"
           r"|january|february|march|may|june|july|august|october|december")
_DAYS = r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday" \
        r"|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_DATE_WORDS = re.compile(
    rf"\b(?:{_MONTHS}|{_DAYS}|wib|wita|wit|gmt|utc|est|edt|pst|pdt|bst|cet|am|pm|a\.m\.|p\.m\.|pukul|jam|pada"
    rf"|diperbarui|diterbitkan|dipublikasikan|terbit|published|updated|posted|last|on|at|views?|dibaca|dilihat"
    rf"|kali|x)\b|\d+(?:am|pm)\b|\d+", re.I)
_DATE_ANCHOR = re.compile(rf"\b(?:{_MONTHS})\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}\b", re.I)


def is_date_line(text: str) -> bool:
    """Whether a short line is only a date (with time, zone, weekday, "Updated", a view count)."""
    if len(text) > 100 or not _DATE_ANCHOR.search(text):
        return False
    rest = _DATE_WORDS.sub(" ", text)
    return not re.search(r"\w{2,}", rest)


def is_boilerplate_line(text: str) -> bool:
    """Whether a normalised paragraph or line is boilerplate wherever it appears.

    Short lines only: a long paragraph that happens to start with "Lihat juga"
    is still article text, except the read-also and cookie forms, which are
    boilerplate at any length up to a few sentences.
    """
    if not text or _STRAY.match(text):
        return True
    if len(text) <= 300 and (_READ_ALSO.match(text) or _COOKIE.search(text)):
        return True
    if len(text) <= 200 and _CREDIT_LABEL.match(text) and _DATE_ANCHOR.search(text):
        return True             # "Penulis: X Editor: Y Senin, 14 Juni 2021 10:00 WIB": the article's meta line
    if len(text) > 120:
        return False
    return bool(_AD_LINE.match(text) or _CREDIT.match(text) or is_date_line(text) or _RELATIVE_TIME.match(text) or _COUNTER.match(text)
                or _SHARE.match(text) or _PAGINATION.match(text) or _RELATED_HEADING.match(text))


RELATED_HEADING_MAX = 60  # characters: a longer line is text, not a heading over a list


def is_related_heading(text: str) -> bool:
    """Whether a short heading announces a list of other articles ("Artikel Terkait", "Baca Juga")."""
    return len(text) <= RELATED_HEADING_MAX and bool(_RELATED_HEADING.match(text) or _READ_ALSO.match(text))


# ----------------------------------------------------------------- elements

# Elements whose content a reader never reads as article text.
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "math",
    "button", "select", "option", "input", "textarea", "label", "nav", "aside", "footer",
    "header", "menu", "dialog", "audio", "video", "source", "picture", "img", "map", "head", "title",
    "meta", "link", "base",
})
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
    "figure", "figcaption", "header", "footer", "aside", "nav", "address", "hr", "center", "details",
    "summary", "fieldset", "body", "html", "form", "menu", "dialog", "hgroup",
    # trafilatura's output vocabulary
    "head", "list", "item", "quote", "row", "cell", "doc",
})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})

# class/id words of non-content blocks (Readability's list, plus Indonesian outlets' words)
_UNLIKELY = re.compile(
    r"-ad-|\bads?\b|ad[-_]?(?:slot|unit|wrap|container|box|banner)|adsense|advert|\biklan|banner|breadcrumb"
    r"|combx|comment|komentar|community|disqus|footer|gdpr|cookie|consent|\bheader|legends|\bmenu|masthead"
    r"|related|terkait|terkini|baca-?juga|bacajuga|rekomendasi|recommend|populer|popular|trending|most-?read"
    r"|remark|replies|\brss\b|shoutbox|sidebar|skyscraper|social|share|sharing|bagikan|sponsor|supplemental"
    r"|pagination|pager|paging|popup|modal|newsletter|subscribe|signup|promo|outbrain|taboola|dable|mgid"
    r"|\btags?\b|tag-?list|topik|widget|navbar|\bnav\b|author-?bio|toolbar|jump-?link"
    r"|more-?(?:stories|news|articles)|read-?more|next-?(?:article|post)|prev-?(?:article|post)|sr-only"
    r"|visually-?hidden|screen-?reader|video-?(?:player|wrap)|caption|credit|gallery|slideshow|carousel"
    r"|slider|photo|\bimg|image|\bmedia|figure|player|byline|dateline|timestamp|\bmeta\b|author|hidden",
    re.I)
_MAYBE = re.compile(r"article|body|column|content|main|entry|post|story|text|detail|isi|berita|konten", re.I)

@dataclass
class Block:
    """One visible paragraph or line of a page: its text, how much of it is link text, and its element."""

    text: str
    link_chars: int
    element: HtmlElement
    heading: bool = False
    list_item: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


def _attrs(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _is_media_figure(el) -> bool:
    """Whether `el` is a caption, or a figure of media: a figure that sets a quote or a table is text."""
    if el.tag == "figcaption":
        return True
    return el.tag == "figure" and next(el.iter("blockquote", "table"), None) is None


def _is_hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return ("display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None
            or el.get("aria-hidden") == "true") and not _is_collapsed_panel(el)


# class/id words of the panels of accordions and tabs: hidden until a reader opens them, but
# part of the article (FAQ answers, the steps of a guide); a panel of boilerplate still goes
# by its other names (menu, nav, banner)
_PANEL = re.compile(r"accordion|collaps|tab-?pane|tabpanel|toggle-?content|faq", re.I)


def _is_collapsed_panel(el) -> bool:
    """Whether a hidden `el` is the closed panel of an accordion or tabs (itself, or as what its holder names)."""
    if el.get("role") == "tabpanel" or _PANEL.search(_attrs(el)):
        return True
    parent = el.getparent()
    return parent is not None and bool(_PANEL.search(_attrs(parent)))


def drop(el) -> None:
    """Remove `el` from its tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def prune(root, *, aggressive: bool = True) -> None:
    """Remove from `root` (in place) what is never article text.

    Always: scripts, styles, forms, menus, media, hidden elements, figures of media
    (their captions are read separately). `aggressive` also drops blocks whose class or id
    names boilerplate (ads, share bars, related lists, comments) unless they also
    name content, and related-article lists introduced by a heading such as
    "Baca Juga" or "Artikel Terkait".
    """
    doomed = [el for el in root.iter() if not isinstance(el.tag, str)      # comments, PIs
              or el.tag in _DROP_TAGS or _is_media_figure(el) or _is_hidden(el)]
    _drop_all(doomed, root)
    if not aggressive:
        return
    suspects = []  # (element, whether it is a comment section) of the blocks named like boilerplate
    for el in root.iter():
        if el.tag not in ("html", "body", "article", "main", "a", "p"):
            comments = _is_comments(el)
            if comments or _unlikely(el):
                suspects.append((el, comments))
    # Comment sections go whatever they hold; a block only its class or id condemns stays
    # when it holds much of the prose, or when its class's blocks do together (a layout
    # class); prose is counted only when there is such a block.
    prose = _prose_chars(root) if not all(comments for _, comments in suspects) else {}
    enough = max(0.4 * prose.get(root, 0), 300)
    layout = _layout_classes([el for el, comments in suspects if not comments], prose, enough)
    _drop_all([el for el, comments in suspects
               if comments or not (prose.get(el, 0) > enough or layout.intersection(_unlikely_classes(el)))], root)
    _drop_related_lists(root)


_COMMENTS = re.compile(r"^(?:comments?|komentar|disqus|replies|respond)(?:[-_]?[a-z]*)?$", re.I)
_COMMENTS_NOT = re.compile(r"(?:open|closed|count|link|number|icon|btn|button)$", re.I)


def _is_comments(el) -> bool:
    """Whether a class or id token names a reader comment section (never article text, however long)."""
    return any(_COMMENTS.match(token) and not _COMMENTS_NOT.search(token) for token in _attrs(el).split())


def _unlikely(el) -> bool:
    attrs = _attrs(el)
    return bool(attrs.strip()) and bool(_UNLIKELY.search(attrs)) and not _MAYBE.search(attrs)


def _unlikely_classes(el) -> set[str]:
    """The class names of `el` that sound like boilerplate ("widget", "overflow-hidden")."""
    return {token for token in (el.get("class") or "").split() if _UNLIKELY.search(token)}


def _layout_classes(suspects: list, prose: dict, enough: float) -> set[str]:
    """Class names that sound like boilerplate but lay out the article on this page.

    Page builders and utility CSS name every block alike ("elementor-widget",
    "overflow-hidden"): the blocks that bear such a name hold much of the page's prose
    between them, though none holds enough alone. Every block of that name is then kept,
    the headings and lists between the paragraphs included.
    """
    held: dict[str, int] = {}
    counted: dict[str, object] = {}   # the last block counted per name: its descendants are in it
    for el in suspects:
        for name in _unlikely_classes(el):
            last = counted.get(name)
            if last is not None and any(a is last for a in el.iterancestors()):
                continue
            counted[name] = el
            held[name] = held.get(name, 0) + prose.get(el, 0)
    return {name for name, chars in held.items() if chars > enough}


def _drop_all(doomed: list, root) -> None:
    for el in doomed:
        if el is not root and el.getparent() is not None:
            drop(el)


def _prose_chars(root) -> dict:
    """Characters of prose (long, link-poor blocks) under each element: what a class name must not condemn."""
    prose: dict = {}
    for block in linearise(root):
        if len(block.text) < 80 or block.link_density > 0.3:
            continue
        el = block.element
        while el is not None:
            prose[el] = prose.get(el, 0) + len(block.text)
            el = el.getparent()
    return prose


def _drop_related_lists(root) -> None:
    """Drop a "Baca Juga" / "Artikel Terkait" heading and the list of links it introduces."""
    doomed = []
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "div", "span"):
        text = _short_text(el, RELATED_HEADING_MAX)
        if not text or not is_related_heading(text):
            continue
        nxt = el.getnext()
        if nxt is not None and _mostly_links(nxt):
            doomed.append(nxt)
        parent = el.getparent()
        if parent is not None and parent.tag not in ("body", "html", "article", "main") and _mostly_links(parent) \
                and len(text_of(parent)) < 2000:
            doomed.append(parent)
        else:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            drop(el)


def _short_text(el, limit: int) -> str | None:
    """`text_of(el)` when it is at most `limit` characters long, else None.

    Stops reading at the first `limit` visible characters: every container up to
    the whole article is asked whether it is a short heading.
    """
    pieces, visible = [], 0
    for piece in el.itertext():
        visible += len("".join(piece.split()))
        if visible > limit:
            return None
        pieces.append(piece)
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit else None


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def link_text_length(el) -> int:
    return sum(len(text_of(a)) for a in el.iter("a"))


def _mostly_links(el) -> bool:
    text = text_of(el)
    return bool(text) and link_text_length(el) >= 0.5 * len(text)


# ---------------------------------------------------------------- linearising

class _Collector:
    def __init__(self):
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.element = None
        self.heading = False
        self.list_item = False

    def add(self, text: str | None, element, in_link: bool, heading: bool, list_item: bool) -> None:
        if not text:
            return
        if not self.parts:
            self.element, self.heading, self.list_item = element, heading, list_item
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        if self.parts:
            text = " ".join("".join(self.parts).split())
            if text:
                self.blocks.append(Block(text, min(self.link_chars, len(text)), self.element, self.heading,
                                         self.list_item))
        self.parts, self.link_chars, self.element = [], 0, None


def linearise(root) -> list[Block]:
    """The visible text under `root` as blocks: each block element and each `<br>`-separated line is one."""
    out = _Collector()
    _walk(root, out, root, False, False, False)
    out.flush()
    return out.blocks


def _walk(el, out: _Collector, block_el, in_link: bool, heading: bool, list_item: bool) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("script", "style", "noscript", "template") or not tag:
        return
    if tag in ("br", "lb", "hr"):
        out.flush()
        return
    is_block = tag in _BLOCK_TAGS
    if is_block:
        out.flush()
        block_el = el
        heading = heading or tag in _HEADING_TAGS
        list_item = list_item or tag in ("li", "item", "dd", "dt")
    in_link = in_link or tag in ("a", "ref")
    out.add(el.text, block_el, in_link, heading, list_item)
    for child in el:
        _walk(child, out, block_el, in_link, heading, list_item)
        if child.tail:
            out.add(child.tail, block_el, in_link, heading, list_item)
    if is_block:
        out.flush()


def keep_block(block: Block) -> bool:
    """Whether a block inside the article container reads as article text, not a link list or label."""
    text = block.text
    if block.link_density > 0.5 and (len(text) < 200 or block.list_item):
        return False
    return True
