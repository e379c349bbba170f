"""Aligning two sequences of sentences (or notes): which stayed, changed, left, arrived or moved.

`align` pairs the units of two sequences into ops `{"op", "old", "new"}`:
`equal` for unchanged text, `replace` for an old unit paired with a new one at
least `SIMILAR` alike (word-level ratio) in the same stretch of text, `delete` and
`insert` for the rest, and `move` for a deleted unit whose text (or nearly, at
least `MOVED` alike) was inserted elsewhere. `replace`, and a `move` whose wording
changed, carry `"words"`: word-level ops, a word being whatever lies between
spaces (punctuation included). `sides` rebuilds both sequences from the ops.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from archive.extract.text import normalise_text

__all__ = ["MOVED", "SIMILAR", "Op", "Unit", "align", "diff_words", "sides"]

Op = dict[str, Any]

SIMILAR = 0.5  # a replace pairs an old and a new unit at least this alike (word-level ratio)
MOVED = 0.8  # a deleted and an inserted unit at least this alike are one moved unit
_PAIR_BUDGET = 2500  # unit pairs compared at most per changed block, and for moves


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence (or note): its collapsed text, its words, its paragraph."""

    text: str
    words: tuple[str, ...]
    para: int | None = None

    @classmethod
    def of(cls, text: str, para: int | None = None) -> "Unit":
        """The unit of `text` (collapsed with `normalize`) in paragraph `para`."""
        text = normalise_text(text)
        return cls(text, tuple(text.split()), para)


def diff_words(old: str, new: str) -> list[Op]:
    """The word-level ops turning `old` into `new`: runs of equal, inserted, deleted and replaced words."""
    return _word_ops(_matcher(tuple(normalise_text(old).split()), tuple(normalise_text(new).split())))


def sides(ops: list[Op]) -> tuple[list[str], list[str]]:
    """The old and the new sequence of sentences (or notes) that `ops` were made from."""
    old: list[str] = []
    moved: list[tuple[int, str]] = []
    new: list[str] = []
    for op in ops:
        if op["op"] == "move":
            moved.append((op["old_index"], op["old"]))
        elif op["old"] is not None:
            old.append(op["old"])
        if op["new"] is not None:
            new.append(op["new"])
    for index, text in sorted(moved):
        old.insert(index, text)
    return old, new


def align(old: list[Unit], new: list[Unit], *, paras: bool = False) -> list[Op]:
    """The ops turning `old` into `new`, each unit of either side in exactly one op.

    Ops follow the new sequence's order; deleted units sit where they were among
    the unchanged ones, moves at their new place with `old_index` (their place in
    `old`). With `paras`, each op also names its units' paragraphs (`old_para`, `new_para`).
    """
    matcher = SequenceMatcher(None, [u.text for u in old], [u.text for u in new], autojunk=False)
    steps: list[list] = []  # [tag, old index | None, new index | None, words | None]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(["equal", i, j, None] for i, j in zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            steps.extend(_pair(old, new, i1, i2, j1, j2))
        else:
            steps.extend(["delete", i, None, None] for i in range(i1, i2))
            steps.extend(["insert", None, j, None] for j in range(j1, j2))
    steps = _find_moves(old, new, steps)
    return [_op(step, old, new, paras) for step in steps]


def _pair(old: list[Unit], new: list[Unit], i1: int, i2: int, j1: int, j2: int) -> list[list]:
    """A changed block as replaces (alike sentences, in order) and deletes and inserts.

    Picks the in-order pairing with the greatest total likeness (a small dynamic
    programme); blocks too large to compare every pair compare only near the diagonal.
    """
    n, m = i2 - i1, j2 - j1
    band = None if n * m <= _PAIR_BUDGET else max(2, _PAIR_BUDGET // max(n, m))
    alike: dict[tuple[int, int], SequenceMatcher] = {}
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            if band is None or abs(i * m - j * n) <= band * max(n, m):
                matcher = _alike(old[i1 + i - 1].words, new[j1 + j - 1].words, SIMILAR)
                if matcher is not None:
                    alike[i - 1, j - 1] = matcher
                    best = max(best, score[i - 1][j - 1] + matcher.ratio())
            score[i][j] = best
    steps: list[list] = []
    i, j = n, m
    while i or j:
        matcher = alike.get((i - 1, j - 1)) if i and j else None
        if matcher is not None and score[i][j] == score[i - 1][j - 1] + matcher.ratio():
            steps.append(["replace", i1 + i - 1, j1 + j - 1, _word_ops(matcher)])
            i, j = i - 1, j - 1
        elif j and (not i or score[i][j] == score[i][j - 1]):
            steps.append(["insert", None, j1 + j - 1, None])
            j -= 1
        else:
            steps.append(["delete", i1 + i - 1, None, None])
            i -= 1
    steps.reverse()
    return steps


def _find_moves(old: list[Unit], new: list[Unit], steps: list[list]) -> list[list]:
    """Turn a deleted sentence and an inserted one of the same (or nearly the same) text into one move."""
    deleted = {k: step[1] for k, step in enumerate(steps) if step[0] == "delete"}
    inserted = {k: step[2] for k, step in enumerate(steps) if step[0] == "insert"}
    if not deleted or not inserted:
        return steps
    pairs: dict[int, tuple[int, SequenceMatcher | None]] = {}  # insert step -> (delete step, matcher)
    by_text: dict[str, list[int]] = {}
    for k, i in deleted.items():
        by_text.setdefault(old[i].text, []).append(k)
    for k, j in inserted.items():
        same = by_text.get(new[j].text)
        if same:
            pairs[k] = (same.pop(0), None)
    taken = {d for d, _ in pairs.values()}
    left_d = [k for k in deleted if k not in taken]
    left_i = [k for k in inserted if k not in pairs]
    if left_d and left_i and len(left_d) * len(left_i) <= _PAIR_BUDGET:
        candidates = []
        for ki in left_i:
            for kd in left_d:
                matcher = _alike(old[deleted[kd]].words, new[inserted[ki]].words, MOVED)
                if matcher is not None:
                    candidates.append((-matcher.ratio(), ki, kd, matcher))
        for _, ki, kd, matcher in sorted(candidates, key=lambda c: c[:3]):
            if ki not in pairs and kd not in taken:
                pairs[ki] = (kd, matcher)
                taken.add(kd)
    for ki, (kd, matcher) in pairs.items():
        steps[ki] = ["move", deleted[kd], inserted[ki], _word_ops(matcher) if matcher else None]
    return [step for k, step in enumerate(steps) if k not in taken]


def _alike(a: tuple[str, ...], b: tuple[str, ...], threshold: float) -> SequenceMatcher | None:
    """A word matcher of `a` and `b` when their word-level ratio reaches `threshold`, else None."""
    total = len(a) + len(b)
    if not total or 2 * min(len(a), len(b)) < threshold * total:
        return None
    if 2 * sum((Counter(a) & Counter(b)).values()) < threshold * total:
        return None
    matcher = _matcher(a, b)
    return matcher if matcher.ratio() >= threshold else None


def _matcher(a: tuple[str, ...], b: tuple[str, ...]) -> SequenceMatcher:
    return SequenceMatcher(None, a, b, autojunk=False)


def _word_ops(matcher: SequenceMatcher) -> list[Op]:
    a, b = matcher.a, matcher.b
    return [
        {"op": tag, "old": " ".join(a[i1:i2]) or None, "new": " ".join(b[j1:j2]) or None}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _op(step: list, old: list[Unit], new: list[Unit], paras: bool) -> Op:
    tag, i, j, words = step
    a = old[i] if i is not None else None
    b = new[j] if j is not None else None
    op: Op = {"op": tag, "old": a.text if a else None, "new": b.text if b else None}
    if paras:
        op["old_para"] = a.para if a else None
        op["new_para"] = b.para if b else None
    if tag == "move":
        op["old_index"] = i
    if words is not None:
        op["words"] = words
    return op
