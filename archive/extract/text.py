"""Text as a reader sees it: the one normalisation arsip applies, when extracting and when comparing.

Only differences nobody can see are removed, since quotes, dashes, digits and spelling are
the edits people look for: stored text and the text a diff compares are normalised alike,
so a diff never shows a difference extraction would not have kept.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

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


_WORD = re.compile(r"\w+")


def words_of(text: str) -> tuple[str, ...]:
    """The words of `text`, case-folded: what two tellings of one thing share."""
    return tuple(_WORD.findall(text.casefold()))


def without_retellings(texts: Iterable[str], key: Callable[[str], tuple[str, ...]] = words_of) -> list[str]:
    """`texts` with each thing told once, in order: a text whose words (`key`) another one
    already holds, contiguously, is the same thing told again (a JSON-LD caption beside the
    page's, a notice in JSON-LD and on the page). Of two tellings the longer is kept, at
    the place of the first, so that pages telling it either way agree."""
    kept: list[tuple[tuple[str, ...], str]] = []
    for text in texts:
        words = key(text)
        if not words:
            continue
        for i, (held, told) in enumerate(kept):
            if holds(held, words):
                break
            if holds(words, held):
                kept[i] = (words, text)
                break
        else:
            kept.append((words, text))
    return [text for _, text in kept]


def holds(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether the word sequence `inner` occurs in `outer`, contiguously."""
    n = len(inner)
    return n <= len(outer) and any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))
