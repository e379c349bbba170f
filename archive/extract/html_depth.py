"""Pages nested deeper than the HTML parser goes, flattened so that their text survives.

libxml2 (under lxml) stops building the tree at 256 levels and drops whatever lies
deeper, so a page that wraps its article in thousands of `<div>`s (by accident or to
defeat scrapers) would lose the article. Browsers keep such text: Chromium stops
nesting at 512 levels and puts deeper elements beside each other. `flatten_deep` does
the like on the markup before it is parsed again: below `limit` levels it drops the
tags of wrappers and keeps those of the elements that carry an article's structure.
`archive.extract.html_tree` also flattens such pages before lexbor's HTML5 parse, whose
time grows with the square of the depth.
"""

from __future__ import annotations

import re

# Levels kept as they are: well inside the parser's 256 (lxml counts its own <html>, <body>).
DEPTH_LIMIT = 200

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
# Elements whose tags still matter below the limit: paragraphs, headings, lists, quotes, figures.
_STRUCTURE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "figure",
                        "figcaption", "table", "tr", "td", "th", "pre"})


def flatten_deep(markup: str, limit: int = DEPTH_LIMIT) -> str:
    """`markup` with the wrapper tags below `limit` levels of nesting removed (their text kept)."""
    depth = 0  # open elements whose tags are kept
    dropped = 0  # open elements whose tags were dropped
    parts: list[str] = []
    last = 0
    for tag in _TAG.finditer(markup):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID or tag.group(0).endswith("/>"):
            continue
        keep = True
        if not closing:
            keep = depth < limit or (name in _STRUCTURE and depth < limit + 40)
            if keep:
                depth += 1
            else:
                dropped += 1
        elif dropped and (name not in _STRUCTURE or depth >= limit + 40):
            dropped -= 1
            keep = False
        else:
            depth = max(0, depth - 1)
        if not keep:
            parts.append(markup[last:tag.start()])
            parts.append(" ")
            last = tag.end()
    parts.append(markup[last:])
    return "".join(parts)
