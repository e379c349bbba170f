"""A page's markup as the tree a browser builds from it, in lxml's types.

Extraction works on lxml trees, but libxml2 (under lxml) recovers broken markup its
own way: an element left open inside a header `<button>` or `<nav>` ("<button><div>Menu
</button>") stays open there, and the rest of the page, article included, ends up
nested inside the header that pruning then drops. Browsers follow the HTML5 parsing
algorithm, which closes such elements where the page meant them closed. So the page is
parsed by lexbor (through selectolax), an HTML5 parser, serialised back, and that
well-nested markup is read by libxml2: its tree then has the browser's nesting.

Measured on the corpus (zyte-aeb and wcxb-dev, 815 pages, 181 kB mean), per page: libxml2
alone 1.8 ms; lexbor and reading its output into lxml 3.1 ms; html5lib (pure Python) 81 ms.

Pages rendered by React in streaming mode send parts of the article as `<div hidden
id="S:N">` at the end of the page, which an inline script moves into the placeholder
`<template id="B:N">` as the page loads; the tree puts them where that script would.

Lexbor has no depth limit, and on pages nested thousands of levels deep its time grows
with the square of the depth (20,000 levels: about a second); libxml2 stops at 256
levels. On a page with more than `PROBE_TAGS` tags a first libxml2 read tells whether it
nests that deep, and such a page is flattened (`archive.extract.html_depth`) before
lexbor sees it; a page with fewer tags cannot nest deep enough to matter (2% of the
corpus pages have more).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from archive.extract.html_depth import flatten_deep

_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
# Tags ("<") a page may hold before its depth is checked: nesting this many levels costs
# lexbor about 0.2 s at worst, and the check costs 2 ms on every page it runs on.
PROBE_TAGS = 5000


def _libxml2(markup: str):
    """(root, whether libxml2 stopped at its depth limit and dropped what lay deeper)."""
    root = lxml.html.document_fromstring(markup, parser=_PARSER)
    return root, any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log)


def parse_html(text: str):
    """The lxml root of `text` (decoded markup) with the nesting a browser gives it; None if it holds nothing.

    Text nested deeper than the parsers go is kept, beside its neighbours rather than
    inside them; `<noscript>` is read as a browser running scripts reads it (not shown).
    """
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.replace("\x00", ""))
    if not text.strip():
        return None
    try:
        if text.count("<") > PROBE_TAGS and _libxml2(text)[1]:
            text = flatten_deep(text)
        markup = LexborHTMLParser(text, scripting=True).html
        root, deep = _libxml2(markup)
        if deep:  # lexbor nests some misnested markup deeper than libxml2 did
            root, _ = _libxml2(flatten_deep(markup))
    except (etree.ParserError, ValueError):
        return None
    _place_streamed_parts(root)
    return root


def _place_streamed_parts(root) -> None:
    """Move each streamed part (`<div hidden id="S:N">`) where its script would: in place of `<template id="B:N">`."""
    parts = root.xpath("//div[@hidden][starts-with(@id, 'S:')]")
    if not parts:
        return
    placeholders = {el.get("id"): el for el in root.iter("template") if (el.get("id") or "").startswith("B:")}
    for part in parts:
        del part.attrib["hidden"]
        placeholder = placeholders.get("B:" + part.get("id")[2:])
        if placeholder is not None and placeholder.getparent() is not None:
            part.tail, placeholder.tail = placeholder.tail, None
            placeholder.getparent().replace(placeholder, part)
