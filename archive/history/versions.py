"""Versions: when a capture's article content is a new version of its story, and when it is not.

Pure decisions over extracted content; the catalog side lives in `archive.ingest.ingester`.
A version is the normalised article content (headline, lede, byline, dates,
body paragraphs of all pages, captions, correction notes). A new version starts
whenever that content differs from the story's current version; pages that are
errors, or that lost most of the body, never become versions.

The content is `archive.extract.content.Content`, the one type of it: what extraction
produces and what a version stored in the catalog holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from archive.extract.content import CONTENT_FIELDS, Content

# A new extraction holding less than this share of the previous body's words is
# taken for a broken page (a paywall, a half-loaded template), not an edit.
SHRINK_LIMIT = 0.5
# Bodies shorter than this (in words) are not articles worth versioning.
MIN_BODY_WORDS = 20


def content_hash(content: Content) -> str:
    """A stable digest of the content (sha256 of its canonical JSON)."""
    canonical = json.dumps([getattr(content, name) for name in CONTENT_FIELDS], ensure_ascii=False,
                           separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """What one capture means for its story: `new_version`, `same_version`, or refused with a reason."""

    action: str
    reason: str | None = None


def judge(previous: Content | None, current: Content, page_problem: str | None = None,
          boilerplate: frozenset[str] = frozenset()) -> Verdict:
    """Whether `current` starts a new version after `previous` (None: the story has none yet).

    Both sides are compared without the outlet's learned boilerplate lines, so a
    line learned only after an early version was stored never makes a version.
    """
    if page_problem:
        return Verdict("refused", page_problem)
    if not current.has_words(MIN_BODY_WORDS):
        return Verdict("refused", "no_article_body")
    if previous is None:
        return Verdict("new_version")
    before, after = previous.without_lines(boilerplate), current.without_lines(boilerplate)
    if content_hash(before) == content_hash(after):
        return Verdict("same_version")
    if after.words < SHRINK_LIMIT * before.words:
        return Verdict("refused", "shrunken")
    return Verdict("new_version")


# A paragraph in the first versions of at least this many of an outlet's stories
# (and of this share of them) is the outlet's boilerplate ("follow us on ...").
LEARN_MIN_STORIES = 4
LEARN_MIN_SHARE = 0.2


def learned_boilerplate(line_counts: dict[str, int], stories: int) -> frozenset[str]:
    """The lines that recur across enough of an outlet's stories to be its boilerplate."""
    needed = learn_threshold(stories)
    return frozenset(line for line, count in line_counts.items() if count >= needed)


def learn_threshold(stories: int) -> float:
    """How many of an outlet's `stories` a line must be in to be learned as boilerplate."""
    return max(LEARN_MIN_STORIES, LEARN_MIN_SHARE * stories)


class LearnedLines:
    """One outlet's line counts and story count, and `learned_boilerplate` of them kept up to date.

    `boilerplate` is what `learned_boilerplate(counts, stories)` returns, without looking at
    every line ever counted each time: counts and the story count only grow, so a line can
    only join the learned set when its own count grows, and only leave it when the story
    count (and with it the threshold) does.

    With `complete=False`, `counts` need not hold every line the outlet ever had, only
    the learned ones (those at `threshold()` or above) and every line given to `learn`:
    the caller adds the others with `know` before it learns them, and a line it forgot
    is a KeyError rather than a count silently restarted from 0.
    """

    def __init__(self, line_counts: dict[str, int] | None = None, stories: int = 0, complete: bool = True):
        self.counts = line_counts if line_counts is not None else {}
        self.stories = stories
        self.complete = complete
        self.boilerplate = learned_boilerplate(self.counts, stories)

    def threshold(self) -> float:
        """The count at which a line is learned now."""
        return learn_threshold(self.stories)

    def unknown(self, lines) -> set[str]:
        """Those of `lines` whose count is not held here."""
        return {line for line in lines if line not in self.counts}

    def know(self, counts: dict[str, int]) -> None:
        """Counts of lines not held yet (below the threshold, or they would have been)."""
        for line, count in counts.items():
            self.counts.setdefault(line, count)

    def learn(self, lines: set[str]) -> None:
        """One more story whose first version has `lines`."""
        self.stories += 1
        needed = learn_threshold(self.stories)
        kept = {line for line in self.boilerplate if self.counts[line] >= needed}
        for line in lines:
            count = (self.counts.get(line, 0) if self.complete else self.counts[line]) + 1
            self.counts[line] = count
            if count >= needed:
                kept.add(line)
        if kept != self.boilerplate:
            self.boilerplate = frozenset(kept)
