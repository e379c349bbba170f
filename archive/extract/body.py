"""Where a page's article text is, found without knowing the outlet.

Two extractors read the page: a Readability-style scorer (the element where long,
comma-rich, link-poor paragraphs cluster, widened to the wrapper that holds it and
to siblings that continue it) and trafilatura in its precision mode. Paragraphs
both find make the body; a paragraph only one finds joins it when it reads as prose
(long, ending like a sentence), so each extractor rescues the other's misses
without letting in its link lists and labels. Both run after `archive.extract.boilerplate`
has pruned what is never article text.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Callable, Iterable

from archive.extract.boilerplate import Block, keep_block, linearise, link_text_length, prune, text_of

# A paragraph found by only one extractor joins the body when it is this long and
# ends like a sentence; shorter ones need both extractors to agree.
LONE_PARAGRAPH_CHARS = 120
# A line this short (in words) counts as found by both only when the other found that
# very line: its few words turning up somewhere in the other's text prove nothing
# (a breadcrumb's "Daerah" against "pemerintah daerah" in the body).
SHORT_LINE_WORDS = 4
# A list item of the article container is article text when at most this share of its text is links.
ITEM_LINK_DENSITY = 0.25
# The container widens to an ancestor when it holds under this share of the ancestor's prose.
WIDEN_SHARE = 0.5

_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|detail|isi|konten"
    r"|berita|read__|txt", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|komentar|com-|contact|foot|footer|footnote"
    r"|gdpr|masthead|media|meta|outbrain|promo|related|terkait|scroll|share|shoutbox|sidebar|skyscraper"
    r"|sponsor|shopping|tags|tool|widget|iklan|baca-?juga|rekomendasi|populer|trending|newsletter", re.I)


_LIST_TAGS = frozenset({"ul", "ol", "dl", "li"})
_PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6"})


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + text.count("،") + min(len(text) // 100, 3)


def _class_weight(el) -> int:
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            if _NEGATIVE.search(value):
                weight -= 25
            if _POSITIVE.search(value):
                weight += 25
    return weight


def _initial_score(el) -> float:
    tag = el.tag
    base = {"div": 5, "article": 8, "section": 3, "pre": 3, "td": 3, "blockquote": 3, "main": 5,
            "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
            "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5}.get(tag, 0)
    return base + _class_weight(el)


def main_element(root, blocks: list[Block]):
    """The element that holds the article text: where long, link-poor paragraphs score highest."""
    scores: dict = {}
    for block in blocks:
        if len(block.text) < 25 or block.link_density > 0.33 or block.heading:
            continue
        el = block.element
        if el is None or el is root:
            continue
        score = _paragraph_score(block.text)
        # a <p> scores its container; text straight inside a <div> scores that div; an item
        # scores what holds its list (a list is part of the text around it, not a container)
        ancestor, level = (el.getparent() if el.tag in _PARAGRAPH_TAGS else el), 0
        while ancestor is not None and ancestor.tag in _LIST_TAGS:
            ancestor = ancestor.getparent()
        while ancestor is not None and level < 5:
            if ancestor not in scores:
                scores[ancestor] = _initial_score(ancestor)
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[ancestor] += score / divider
            ancestor, level = ancestor.getparent(), level + 1
    if not scores:
        return None, scores
    link_cache: dict = {}

    def final(el) -> float:
        text_len = len(text_of(el)) or 1
        link_cache[el] = link_text_length(el) / text_len
        return scores[el] * (1 - link_cache[el])

    return max(scores, key=final), scores


def _wrapper_of(top, root):
    """The outermost ancestor of `top` that holds little but `top` (a wrapper adds no text of its own)."""
    size = len(text_of(top))
    while True:
        parent = top.getparent()
        if parent is None or parent is root or parent.tag in ("body", "html") \
                or size < 0.85 * len(text_of(parent)):
            return top
        top = parent


def _siblings(top) -> list:
    """`top` and those of its siblings that read as more of the same article (Readability's rule)."""
    parent = top.getparent()
    if parent is None:
        return [top]
    top_class = top.get("class")
    top_kind = _class_kind(top)
    kept = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            kept.append(sib)
            continue
        text = text_of(sib)
        if not text:
            continue
        density = link_text_length(sib) / len(text)
        if density < 0.25 and top_class and _class_kind(sib) == top_kind and len(text) > 80:
            kept.append(sib)
        elif sib.tag == "p" and ((len(text) > 80 and density < 0.25)
                                 or (len(text) <= 80 and density == 0 and re.search(r"\.( |$)", text))):
            kept.append(sib)
    return kept


def _class_kind(el) -> frozenset[str]:
    """The class names of `el`, less the number that ends a name: that names one instance
    ("et_pb_row_2", "section-3"), so blocks of one kind differ only there."""
    return frozenset(_INSTANCE_NUMBER.sub("", name) for name in (el.get("class") or "").split())


_INSTANCE_NUMBER = re.compile(r"\d+$")


def _widened(top, root, blocks: list[Block]):
    """`top`, or the ancestor of it that holds the rest of an article split into blocks.

    Some pages set each section of the article in a block of its own (rich-text blocks of
    a page builder, panels of an accordion) that no class name ties together; the
    scorer then picks one section. The container goes up to the ancestor while it holds
    under half of that ancestor's link-free prose and the ancestor is mostly text, not links;
    never out of an <article> or <main>: those mark where the article ends.
    """
    prose: dict = {}
    for block in blocks:
        if len(block.text) < 80 or block.link_chars or block.list_item or block.element is None:
            continue            # a teaser's excerpt is prose too, but under a link or in a list of teasers
        for el in block.element.iterancestors():
            prose[el] = prose.get(el, 0) + len(block.text)
        prose[block.element] = prose.get(block.element, 0) + len(block.text)
    top = _wrapper_of(top, root)
    while True:
        parent = top.getparent()
        if parent is None or parent is root or parent.tag in ("body", "html") or top.tag in ("article", "main") \
                or prose.get(top, 0) >= WIDEN_SHARE * prose.get(parent, 0) \
                or link_text_length(parent) > 0.25 * (len(text_of(parent)) or 1):
            return top
        top = _wrapper_of(parent, root)


def _inside(el, containers: list) -> bool:
    while el is not None:
        if any(el is c for c in containers):
            return True
        el = el.getparent()
    return False


def main_blocks(root) -> list[Block]:
    """The blocks of the article text, found generically; `root` is pruned in place first."""
    prune(root)
    blocks = linearise(root)
    top, _ = main_element(root, blocks)
    if top is None:
        return []
    narrow = _siblings(_wrapper_of(top, root))
    wide = _widened(top, root, blocks)
    kept = _kept(blocks, narrow)
    if any(c is wide for c in narrow):
        return kept
    widened = _kept(blocks, _siblings(wide))
    # a second copy of the article's text (a variant of the layout for another screen size) is
    # not more of the article
    own = {b.text for b in kept if len(b.text) >= 25}
    if any(b.text in own for b in widened if not _inside(b.element, narrow)):
        return kept
    return widened


def _kept(blocks: list[Block], containers: list) -> list[Block]:
    return [b for b in blocks if b.element is not None and _inside(b.element, containers)
            and keep_block(b) and b.element.tag != "h1"]         # an <h1> in the article is its headline


def _trafilatura_lines(tree, url: str) -> list[str]:
    import trafilatura  # imported on first use: it is slow to import and only this layer needs it

    try:
        document = trafilatura.bare_extraction(tree, url=url, favor_precision=True, include_comments=False,
                                               include_tables=True, with_metadata=False)
    except Exception:          # trafilatura gives up on some malformed pages; the other extractor remains
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    return [b.text for b in linearise(body) if b.element.get("rend") != "h1"]


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def _covered(paragraph: str, tokens: Counter) -> bool:
    own = _tokens(paragraph)
    total = sum(own.values())
    return total > 0 and sum((own & tokens).values()) >= 0.8 * total


def _line_key(line: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", line.lower()))


def _reads_as_prose(paragraph: str) -> bool:
    return len(paragraph) >= LONE_PARAGRAPH_CHARS and bool(re.search(r"[.!?\"”’)\]:…]$", paragraph))


def _combine(scored: list[str], trafilatura_lines: list[str], items: frozenset[str] = frozenset()) -> list[str]:
    """The generic body: paragraphs both extractors found, plus those only one found that read as prose,
    plus the scorer's `items` (the link-free items of the article container's lists).

    Order follows the scorer's (document order); a paragraph only trafilatura found
    goes after the last paragraph both found before it.
    """
    scored_tokens = _tokens(" ".join(scored))
    other_tokens = _tokens(" ".join(trafilatura_lines))
    other_lines = {_line_key(line) for line in trafilatura_lines}
    out = [p for p in scored if p in items or _reads_as_prose(p) or (_covered(p, other_tokens) and (
        sum(_tokens(p).values()) >= SHORT_LINE_WORDS or _line_key(p) in other_lines))]
    position = {p: i for i, p in enumerate(out)}
    anchor = -1
    for paragraph in trafilatura_lines:
        if paragraph in position:
            anchor = max(anchor, position[paragraph])
            continue
        if _covered(paragraph, scored_tokens) or not _reads_as_prose(paragraph):
            continue
        anchor += 1
        out.insert(anchor, paragraph)
        position = {p: i for i, p in enumerate(out)}
    return out


def generic_lines(root, url: str, clean: Callable[[Iterable[str]], list[str]]) -> list[str]:
    """The article text of a page (its parsed `root`, left as it is) as normalised lines.

    `clean` normalises lines and drops boilerplate ones; it runs on each
    extractor's output before the two are combined.
    """
    blocks = main_blocks(copy.deepcopy(root))
    scored = clean(b.text for b in blocks)
    other = clean(_trafilatura_lines(copy.deepcopy(root), url))
    if not scored or not other:
        return scored or other
    return _combine(scored, other, frozenset(clean(b.text for b in _content_items(blocks))))


def _content_items(blocks: list[Block]) -> list[Block]:
    """The blocks that are items of a list of content: in the article container, article text.

    Listicles and reviews carry their items in lists too short to read as prose. What
    such an item is not: a link (related articles, tags), an item of a list of teasers,
    a label/value pair of a <dl> ("Penulis", "Editor"), a lone item among links (a "Rate
    this article" widget), or a machine name ("landscape-tablet") from a list the page's
    CSS hides.
    """
    content_items: dict = {}   # per list: how many of its items are content (counted once)
    found = []
    for block in blocks:
        if not block.list_item or block.link_chars or _MACHINE_NAME.match(block.text):
            continue
        item = block.element if block.element.tag == "li" else \
            next((el for el in block.element.iterancestors() if el.tag == "li"), None)
        parent = item.getparent() if item is not None else None
        if parent is None or not _linkless_item(item):
            continue
        if parent not in content_items:
            content_items[parent] = sum(1 for child in parent if child.tag == "li" and _linkless_item(child))
        if content_items[parent] >= 2:
            found.append(block)
    return found


def _linkless_item(item) -> bool:
    """Whether a <li> has text and little of it is links (not a teaser: a linked headline, its byline beneath)."""
    text = text_of(item)
    return bool(text) and link_text_length(item) <= ITEM_LINK_DENSITY * len(text)


_MACHINE_NAME = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
