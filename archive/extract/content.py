"""The content of an article: the one type extraction produces and every version of a story is made of.

Extraction fills it from a page (`archive.extract.article.Article` is a `Content` with
what only the page tells: its canonical and next-page URLs, language, page problem);
`archive.history` hashes, judges and diffs it; the catalog stores it as a version's row.
It is defined with extraction, the first stage that makes one, so that the history of a
story reads what extraction wrote and never the other way round.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Fields of a version, in the order they are hashed.
CONTENT_FIELDS = ("title", "lede", "byline", "published", "modified", "paragraphs", "captions", "notes")

@dataclass(frozen=True)
class Content:
    """What a version of a story is made of: the eight CONTENT_FIELDS, normalised."""

    title: str | None
    lede: str | None
    byline: str | None
    published: str | None      # ISO 8601, with the UTC offset when known; "YYYY-MM-DD" when only a date is
    modified: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Every field, the tuples as lists (JSON's shape)."""
        data = asdict(self)
        for key in ("paragraphs", "captions", "notes"):
            data[key] = list(data[key])
        return data

    @property
    def text(self) -> str:
        """The body as a reader reads it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(" ".join(self.paragraphs).split())  # the same as counting paragraph by paragraph

    def has_words(self, count: int) -> bool:
        """Whether the body has at least `count` words (`words >= count`, reading only as far as needed)."""
        seen = 0
        for paragraph in self.paragraphs:
            seen += len(paragraph.split())
            if seen >= count:
                return True
        return seen >= count

    def without_lines(self, lines: frozenset[str]) -> "Content":
        """The same content with paragraphs in `lines` (learned boilerplate) dropped."""
        if not lines:
            return self
        kept = tuple(p for p in self.paragraphs if p not in lines)
        return Content(self.title, self.lede, self.byline, self.published, self.modified, kept,
                       self.captions, self.notes)
