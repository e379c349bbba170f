"""Text as a reader sees it: the one normalisation arsip applies, when extracting and when comparing.

Only differences nobody can see are removed, since quotes, dashes, digits and spelling are
the edits people look for: stored text and the text a diff compares are normalised alike,
so a diff never shows a difference extraction would not have kept.
"""

from __future__ import annotations

import unicodedata

# Characters with no width and no glyph: a reader cannot see them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f"), None)


def normalise_text(text: str) -> str:
    """`text` as a reader sees it: Unicode NFC, invisible characters gone, each run of
    whitespace (NBSP and other spaces included) one space, no leading or trailing space.

    Quotes, dashes, digits, letters and punctuation are never changed.
    """
    if not text.isascii():  # ASCII is NFC already and holds none of the invisible characters
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())
