"""Diffs between two versions of a story, field by field, and the changes they amount to.

Every diff is a list of ops `{"op", "old", "new"}` (docs/json.md, the diff shape).
Short fields (title, lede, byline, dates) diff as one op. The body diffs sentence
by sentence (`archive.history.alignment`): unchanged sentences are `equal`, a changed
sentence paired with its new wording is a `replace` carrying `"words"`, the
word-level ops inside it, and a sentence that left one place and turned up
(perhaps reworded) in another is a `move`. Body ops also say which paragraph each
side sits in (`old_para`, `new_para`, counted from 0), and a move where its
sentence was (`old_index`, among the old version's sentences). Notes diff like
sentences, one op per note.

Text is compared with its whitespace collapsed (and Unicode composed), so
whitespace never makes a difference, and ops carry that collapsed text.
`change_kinds` sums a diff up as a version's `changes` (`archive.history.changes`).
"""

from __future__ import annotations

from datetime import date, datetime

from archive.extract.text import normalise_text
from archive.history.alignment import Op, Unit, align, diff_words, sides
from archive.history.changes import changes_of, is_silent, is_substantive, regrouped
from archive.history.sentences import split_sentences

__all__ = [
    "SHORT_FIELDS",
    "Op",
    "change_kinds",
    "diff_body",
    "diff_notes",
    "diff_text",
    "diff_versions",
    "diff_words",
    "is_substantive",
    "render_terminal",
    "sides",
    "silent_edit",
    "split_paragraphs",
]

SHORT_FIELDS = ("title", "lede", "byline", "published", "modified")


def diff_text(old: str | None, new: str | None) -> list[Op]:
    """The diff of a short field: no op when both sides are empty, else one op.

    `equal` (same text), `insert` or `delete` (one side empty), or `replace` with `words`.
    """
    a, b = normalise_text(_as_text(old) or ""), normalise_text(_as_text(new) or "")
    if not a and not b:
        return []
    if a == b:
        return [{"op": "equal", "old": a, "new": b}]
    if not a:
        return [{"op": "insert", "old": None, "new": b}]
    if not b:
        return [{"op": "delete", "old": a, "new": None}]
    return [{"op": "replace", "old": a, "new": b, "words": diff_words(a, b)}]


def diff_body(old_paragraphs: list[str], new_paragraphs: list[str]) -> list[Op]:
    """The sentence-by-sentence diff of two bodies, in the new body's reading order.

    Each sentence of either side appears in exactly one op (`sides` rebuilds both).
    Deleted sentences sit where they were among the unchanged ones; moves sit at
    their new place.
    """
    return align(_sentence_units(old_paragraphs), _sentence_units(new_paragraphs), paras=True)


def diff_notes(old: list[str], new: list[str]) -> list[Op]:
    """The diff of two lists of correction notes, one op per note, aligned like body sentences."""
    return align(_note_units(old), _note_units(new))


def diff_versions(old: dict, new: dict) -> dict[str, list[Op]]:
    """The `fields` of a diff between two versions: one list of ops per field, every field present.

    A version is a dict with `title`, `lede`, `byline`, `published`, `modified`,
    `paragraphs` (or `text`, paragraphs separated by blank lines) and `notes`;
    missing keys count as empty. `captions` is diffed too when either side has it.
    """
    fields = {name: diff_text(old.get(name), new.get(name)) for name in SHORT_FIELDS}
    fields["body"] = diff_body(_paragraphs(old), _paragraphs(new))
    fields["notes"] = diff_notes(old.get("notes") or [], new.get("notes") or [])
    if "captions" in old or "captions" in new:
        fields["captions"] = diff_notes(old.get("captions") or [], new.get("captions") or [])
    return fields


def diff_document(story_id: int, old: dict, new: dict) -> dict:
    """The diff between two versions of a story in its JSON shape (`arsip diff --json`, `arsip export`)."""
    return {"story_id": story_id, "from": old["number"], "to": new["number"], "fields": diff_versions(old, new)}


def change_kinds(old: dict, new: dict, fields: dict[str, list[Op]] | None = None) -> list[dict]:
    """The `changes` of version `new` over version `old`; empty when they read the same.

    `fields` is their diff (`diff_versions(old, new)`), computed when not given.
    """
    return changes_of(diff_versions(old, new) if fields is None else fields)


def silent_edit(old: dict, new: dict, changes: list[dict] | None = None) -> bool:
    """Whether `new` changed what the story says (headline, lede, body) with neither a
    correction notice nor a change of its modified date: a stealth edit.

    `changes` are `change_kinds(old, new)`, computed when not given.
    """
    return is_silent(change_kinds(old, new) if changes is None else changes)


# Inputs --------------------------------------------------------------------------


def _sentence_units(paragraphs: list[str]) -> list[Unit]:
    units = []
    for para, paragraph in enumerate(paragraphs):
        units.extend(Unit.of(sentence, para) for sentence in split_sentences(paragraph))
    return units


def _note_units(notes: list[str]) -> list[Unit]:
    units = (Unit.of(note) for note in notes)
    return [unit for unit in units if unit.text]


def _paragraphs(version: dict) -> list[str]:
    if version.get("paragraphs") is not None:
        return list(version["paragraphs"])
    return split_paragraphs(version.get("text") or "")


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a version's `text` (separated by blank lines), without empty ones."""
    paragraphs, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


# Rendering -----------------------------------------------------------------------

_RED, _GREEN, _YELLOW, _CYAN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[m"


def render_terminal(diff_fields: dict[str, list[Op]], color: bool = False) -> str:
    """A diff for a terminal, like `git diff --word-diff`: only the fields and sentences that changed.

    Each changed field opens with `@@ field @@`. A replaced sentence shows inline,
    deleted words `[-so-]` and inserted `{+so+}` (red and green instead when `color`);
    an inserted sentence starts with `+`, a deleted one with `-`, a moved one with `~`,
    and so does a paragraph split or merged (`~ ¶4 split into ¶4, ¶5`).
    Body lines name their paragraph (`¶3`, counted from 1). Empty when nothing changed.
    """
    lines = []
    for field, ops in diff_fields.items():
        changed = [_render_op(op, color) for op in ops if op["op"] != "equal"]
        if field == "body":
            changed.extend(_paint(line, _YELLOW, color) for line in _regrouping(ops))
        if not changed:
            continue
        lines.append(_paint(f"@@ {field} @@", _CYAN, color))
        lines.extend(changed)
    return "".join(line + "\n" for line in lines)


def _regrouping(ops: list[Op]) -> list[str]:
    """Paragraphs split or merged, which no sentence op shows: `~ ¶4 split into ¶4, ¶5`."""
    split, merged = regrouped(ops)
    return ([f"~ ¶{s['old_para'] + 1} split into {', '.join(f'¶{p + 1}' for p in s['new_paras'])}" for s in split]
            + [f"~ {', '.join(f'¶{p + 1}' for p in m['old_paras'])} merged into ¶{m['new_para'] + 1}" for m in merged])


def _render_op(op: Op, color: bool) -> str:
    tag = op["op"]
    if tag == "insert":
        return _paint(f"+ {_where(op, 'new_para')}{op['new']}", _GREEN, color)
    if tag == "delete":
        return _paint(f"- {_where(op, 'old_para')}{op['old']}", _RED, color)
    text = _render_words(op["words"], color) if op.get("words") else op["new"]
    if tag == "move":
        origin = _origin(op)
        return _paint("~ ", _YELLOW, color) + _where(op, "new_para") + text + _paint(origin, _YELLOW, color)
    return f"  {_where(op, 'new_para')}{text}"


def _render_words(words: list[Op], color: bool) -> str:
    parts = []
    for word in words:
        if word["op"] == "equal":
            parts.append(word["new"])
            continue
        deleted = word["old"] and (_paint(word["old"], _RED, color) if color else f"[-{word['old']}-]")
        inserted = word["new"] and (_paint(word["new"], _GREEN, color) if color else f"{{+{word['new']}+}}")
        parts.append((deleted or "") + (inserted or ""))
    return " ".join(parts)


def _origin(op: Op) -> str:
    if op.get("old_para") is None:
        return " (moved)"
    if op["old_para"] == op.get("new_para"):
        return " (moved within the paragraph)"
    return f" (moved from ¶{op['old_para'] + 1})"


def _where(op: Op, key: str) -> str:
    return f"¶{op[key] + 1} " if op.get(key) is not None else ""


def _paint(text: str, colour: str, color: bool) -> str:
    return f"{colour}{text}{_RESET}" if color else text
