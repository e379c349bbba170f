"""What a diff amounts to: a version's `changes` list, and whether it was a silent edit.

Each change is `{"kind": K, ...}` (docs/json.md, the version shape), K one of
`headline`, `lede`, `byline`, `published`, `modified`, `body_added`,
`body_removed`, `body_edited`, `body_moved`, `caption`, `correction_notice`, in
that order. A paragraph split in two, or two merged, with the same sentences is a
`body_edited` whose `split` / `merged` name the paragraphs: the reader sees the
text laid out anew, and no sentence changed.
Edited sentences (and edited headlines and ledes) carry `labels` naming what kind
of words changed in them: `date` ("(23/2/2021)" -> "(23/6/2021)", "Selasa" ->
"Rabu", a year), `time` ("14.05 WIB") and `number` ("Rp11.317" -> "Rp11.371",
"tiga" -> "empat").
"""

from __future__ import annotations

import re

from archive.extract.notices import mentions_change
from archive.history.alignment import Op

__all__ = ["SUBSTANTIVE", "changes_of", "is_silent", "is_substantive", "labels", "regrouped"]

# Changes a reader of the story would notice: its wording.
SUBSTANTIVE = frozenset({"headline", "lede", "body_added", "body_removed", "body_edited", "body_moved"})
_SHORT_KINDS = (
    ("title", "headline"),
    ("lede", "lede"),
    ("byline", "byline"),
    ("published", "published"),
    ("modified", "modified"),
)
_LABELLED = frozenset({"headline", "lede"})

_PUNCT = "()[]{}\"'“”‘’«».,;:!?"
_DATE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{1,4})*|\d{1,2}[.-]\d{1,2}[.-](?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}\S*")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_DAY = re.compile(r"\d{1,2}")
_TIME = re.compile(r"\d{1,2}[.:]\d{2}(?::\d{2})?")
_MONTHS = frozenset(
    """
    januari februari maret april mei juni juli agustus september oktober november desember
    january february march may june july august october december
    jan feb mar apr jun jul aug agu agt sep sept oct okt nov dec des
    """.split()
)
_WEEKDAYS = frozenset(
    """
    senin selasa rabu kamis jumat jum'at sabtu minggu ahad
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
_TIME_CUES = frozenset("wib wita wit gmt utc pagi siang sore malam a.m. p.m. am pm".split())
_NUMBER_WORDS = frozenset(
    """
    nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh
    seratus ratus seribu ribu sejuta juta miliar milyar triliun separuh setengah
    zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty hundred thousand million billion trillion dozen half
    """.split()
)


def changes_of(fields: dict[str, list[Op]]) -> list[dict]:
    """The changes a diff's `fields` (`archive.history.diff.diff_versions`) amount to; empty when none."""
    changes = []
    for field, kind in _SHORT_KINDS:
        change = _short_change(kind, fields.get(field, []))
        if change:
            changes.append(change)
    changes.extend(_body_changes(fields.get("body", [])))
    caption = _caption_change(fields.get("captions", []))
    if caption:
        changes.append(caption)
    notice = _notice(fields.get("notes", []), fields.get("body", []))
    if notice:
        changes.append(notice)
    return changes


def is_substantive(changes: list[dict]) -> bool:
    """Whether the changes touch what the story says: its headline, lede or body's words
    (paragraphs split or merged alone say the same)."""
    return any(change["kind"] in SUBSTANTIVE and change.get("count") != 0 for change in changes)


def is_silent(changes: list[dict]) -> bool:
    """Whether the changes alter what the story says with neither a correction notice nor a new modified date."""
    kinds = {change["kind"] for change in changes}
    return is_substantive(changes) and not kinds & {"correction_notice", "modified"}


def labels(words: list[Op]) -> list[str]:
    """What the changed words of a sentence are, sorted: any of `date`, `number`, `time`."""
    found = set()
    for side in ("old", "new"):
        tokens: list[str] = []
        changed: list[bool] = []
        for op in words:
            if op[side] is not None:
                run = op[side].split()
                tokens.extend(run)
                changed.extend([op["op"] != "equal"] * len(run))
        for k, token in enumerate(tokens):
            if changed[k]:
                before = tokens[k - 1] if k else ""
                after = tokens[k + 1] if k + 1 < len(tokens) else ""
                label = _label(token, before, after)
                if label:
                    found.add(label)
    return sorted(found)


def _label(token: str, before: str, after: str) -> str | None:
    """`date`, `time` or `number` for one changed word, given its neighbours; None for other words."""
    core = token.strip(_PUNCT)
    if not core:
        return None
    lower = core.lower()
    if _DATE.fullmatch(core) or (core[0].isupper() and (lower in _MONTHS or lower in _WEEKDAYS)):
        return "date"
    if _TIME.fullmatch(core) and (":" in core or after.strip(_PUNCT).lower() in _TIME_CUES):
        return "time"
    if _YEAR.fullmatch(core):
        return "date"
    if _DAY.fullmatch(core) and (_is_month(before) or _is_month(after)):
        return "date"
    if any(c.isdigit() for c in core) or lower in _NUMBER_WORDS:
        return "number"
    return None


def _is_month(token: str) -> bool:
    core = token.strip(_PUNCT)
    return bool(core) and core[0].isupper() and core.lower() in _MONTHS


def _short_change(kind: str, ops: list[Op]) -> dict | None:
    op = next((op for op in ops if op["op"] != "equal"), None)
    if op is None:
        return None
    change = {"kind": kind, "old": op["old"], "new": op["new"]}
    if kind in _LABELLED and op.get("words"):
        change["labels"] = labels(op["words"])
    return change


def _body_changes(ops: list[Op]) -> list[dict]:
    changes = []
    inserted = [op for op in ops if op["op"] == "insert"]
    if inserted:
        changes.append({
            "kind": "body_added",
            "count": len(inserted),
            "sentences": [op["new"] for op in inserted],
            "paragraphs": _whole_paragraphs(ops, "insert", "new_para"),
        })
    deleted = [op for op in ops if op["op"] == "delete"]
    if deleted:
        changes.append({
            "kind": "body_removed",
            "count": len(deleted),
            "sentences": [op["old"] for op in deleted],
            "paragraphs": _whole_paragraphs(ops, "delete", "old_para"),
        })
    edited = [_edited(op) for op in ops if op["op"] == "replace"]
    split, merged = regrouped(ops)
    if edited or split or merged:
        found = sorted({label for sentence in edited for label in sentence["labels"]})
        change = {
            "kind": "body_edited",
            "count": len(edited),
            "sentences": edited,
            "labels": found,
            "dates_changed": "date" in found,
            "numbers_changed": "number" in found,
        }
        if split:
            change["split"] = split
        if merged:
            change["merged"] = merged
        changes.append(change)
    moved = [_moved(op) for op in ops if op["op"] == "move"]
    if moved:
        changes.append({"kind": "body_moved", "count": len(moved), "sentences": moved})
    return changes


def regrouped(ops: list[Op]) -> tuple[list[dict], list[dict]]:
    """Paragraphs split and merged: an old paragraph whose kept sentences (equal or edited in
    place) now sit in several new ones, and a new paragraph gathering several old ones'."""
    to_new: dict[int, set[int]] = {}
    to_old: dict[int, set[int]] = {}
    for op in ops:
        if op["op"] in ("equal", "replace") and op.get("old_para") is not None and op.get("new_para") is not None:
            to_new.setdefault(op["old_para"], set()).add(op["new_para"])
            to_old.setdefault(op["new_para"], set()).add(op["old_para"])
    split = [{"old_para": old, "new_paras": sorted(new)} for old, new in sorted(to_new.items()) if len(new) > 1]
    merged = [{"old_paras": sorted(old), "new_para": new} for new, old in sorted(to_old.items()) if len(old) > 1]
    return split, merged


def _caption_change(ops: list[Op]) -> dict | None:
    """Captions added, removed or reworded: what the photos are said to show."""
    added = [op["new"] for op in ops if op["op"] in ("insert", "replace")]
    removed = [op["old"] for op in ops if op["op"] in ("delete", "replace")]
    if not (added or removed):
        return None
    return {"kind": "caption", "added": added, "removed": removed}


def _edited(op: Op) -> dict:
    return {"old": op["old"], "new": op["new"], "labels": labels(op["words"])}


def _moved(op: Op) -> dict:
    moved = {"old": op["old"], "new": op["new"], "from_para": op.get("old_para"), "to_para": op.get("new_para")}
    if op.get("words"):
        moved["labels"] = labels(op["words"])
    return moved


def _whole_paragraphs(ops: list[Op], tag: str, key: str) -> list[int]:
    """The paragraphs (of one side) made only of `tag` ops: paragraphs added or removed whole."""
    tags: dict[int, set[str]] = {}
    for op in ops:
        if op.get(key) is not None:
            tags.setdefault(op[key], set()).add(op["op"])
    return sorted(para for para, seen in tags.items() if seen == {tag})


def _notice(note_ops: list[Op], body_ops: list[Op]) -> dict | None:
    """The correction notice: notes added or reworded, notes removed, notice-like sentences new in the body."""
    notes = [op["new"] for op in note_ops if op["op"] in ("insert", "replace")]
    removed = [op["old"] for op in note_ops if op["op"] == "delete"]
    in_body = [
        op["new"]
        for op in body_ops
        if op["op"] in ("insert", "replace") and mentions_change(op["new"]) and not mentions_change(op["old"] or "")
    ]
    if not (notes or removed or in_body):
        return None
    notice: dict = {"kind": "correction_notice", "notes": notes}
    if removed:
        notice["removed"] = removed
    if in_body:
        notice["in_body"] = in_body
    return notice
