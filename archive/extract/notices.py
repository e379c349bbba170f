"""Correction notices: the paragraphs in which an outlet says it corrected or updated an article.

Recognised in Indonesian and English at the start of a paragraph ("Ralat:",
"*Koreksi -", "[Catatan Redaksi]", "Hak Jawab:", "Artikel ini telah diperbarui ...",
"Correction:", "Editor's note:") and in schema.org `correction` (a string or a
CorrectionComment). Notices are kept apart from the body, so that a version's
`notes` say what the outlet admitted and the body says what it shows.

A notice speaks about the article ("artikel ini telah diperbarui", "this story has
been updated to include ..."). "Update:" opens news as often as notices ("Update:
Hingga Rabu sore, pemerintah belum memberikan tanggapan"), so a paragraph under an
update label is a notice only when it speaks about the article; otherwise it is
body, and its arrival is a body addition. One notice is one note, whatever its
sources: the JSON-LD `correction` and the visible "Correction: ..." line with the
same words are one (`distinct_notes`).
"""

from __future__ import annotations

import re
from typing import Any

from archive.extract.text import without_retellings, words_of

# Words that open a notice only when a delimiter follows ("Ralat:", "[Ralat]", "RALAT -"),
# so that "Koreksi fiskal pemerintah ..." or "Update terbaru ..." stay body text.
_LABELS = (
    r"ralat|koreksi|catatan redaksi|catatan editor|hak jawab|hak koreksi|klarifikasi|perbaikan|pembaruan"
    r"|correction|corrections|clarification|update|updated|editor'?s note|editors'? note"
)
# Of those, the labels that also open news ("UPDATE 2 - Police say ..."): the paragraph
# must speak about the article to be a notice.
_NEWS_LABELS = frozenset({"update", "updated", "pembaruan"})
# What speaks about the article itself, rather than about the events it reports.
_ABOUT_ARTICLE = re.compile(
    r"\b(?:artikel|berita|tulisan|naskah|judul|paragraf|foto|keterangan foto) (?:ini|sebelumnya)\b"
    r"|\bversi sebelumnya\b|\b(?:sebelumnya|semula) (?:tertulis|disebutkan|ditulis|memuat|menyebut|berjudul)\b"
    r"|\b(?:telah|sudah) (?:di)?(?:perbarui|koreksi|ralat|revisi|tambahkan|ubah|sunting)\b"
    r"|\b(?:salah (?:tulis|ketik|sebut)|keliru)\b"
    r"|\b(?:this|an? earlier|a previous|the previous|the original) (?:version|article|story|post|piece|report"
    r"|headline|caption)\b"
    r"|\b(?:updated|corrected|amended|revised) (?:to|with)\b|\bto (?:include|reflect|clarify|correct)\b"
    r"|\b(?:misstated|misspelled|misidentified|misattributed|erroneously|incorrectly)\b",
    re.I)
# Sentences that open a notice by themselves.
_PHRASES = (
    r"(?:artikel|berita|tulisan) ini (?:telah|sudah) (?:diperbarui|dikoreksi|diralat|diubah|direvisi"
    r"|mengalami (?:perubahan|perbaikan|koreksi|penyuntingan))"
    r"|(?:artikel|berita|tulisan) ini (?:sebelumnya|semula) (?:memuat|menyebut|menyebutkan|ditulis|berjudul|tertulis)"
    r"|(?:redaksi|kami) (?:mohon maaf|memohon maaf|meralat|mengoreksi)"
    r"|(?:this|the) (?:article|story|post|report) (?:has been|was|is) (?:updated|corrected|amended|changed|revised)"
    r"|an? (?:earlier|previous) version of this (?:article|story|post|report)"
)
_OPEN = r"^[\s*_•·\-–—\[\(【«\"“]*"
_NOTICE = re.compile(
    _OPEN + rf"(?:(?P<label>{_LABELS})(?:\s*\([^()]{{0,40}}\))?\s*(?:[\]\)】»\"”]\s*[:\-–—.]?|[:\-–—])|(?:{_PHRASES})\b)",
    re.I)
_LABEL_ONLY = re.compile(_OPEN + r"(?P<label>ralat|koreksi|catatan redaksi|hak jawab|correction|corrections"
                                 r"|editor'?s note|update|pembaruan)[\s\]\)】»:.\-–—]*$", re.I)


# Inside a sentence, not only at its start: a body sentence that says the article was changed.
_SAYS_CHANGED = re.compile(
    rf"\b(?:{_PHRASES})\b|\b(?:telah|sudah) (?:di)?(?:perbarui|koreksi|ralat|revisi)|\bhas been (?:updated|corrected|amended)",
    re.I)


def is_notice(paragraph: str) -> bool:
    """Whether a normalised paragraph opens with a correction or update notice (one that
    speaks about the article, for labels that also open news)."""
    match = _NOTICE.match(paragraph)
    return bool(match) and _speaks_as_notice(match, paragraph)


def _speaks_as_notice(match: re.Match, text: str) -> bool:
    label = match.group("label")
    return label is None or label.lower() not in _NEWS_LABELS or bool(_ABOUT_ARTICLE.search(text))


def mentions_change(sentence: str) -> bool:
    """Whether a sentence is a notice or says, anywhere in it, that the article was corrected or updated.

    Used on sentences a new version added to its body: an outlet that puts its notice inside
    the text still made a correction notice.
    """
    return is_notice(sentence) or bool(_SAYS_CHANGED.search(sentence))


def split_notices(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(body, notices): notice paragraphs moved out of the body, in order.

    A paragraph that is only a label ("Ralat", "[Koreksi]") takes the paragraph
    after it along as one notice.
    """
    body: list[str] = []
    notices: list[str] = []
    i = 0
    while i < len(paragraphs):
        text = paragraphs[i]
        label = _LABEL_ONLY.match(text)
        if label and i + 1 < len(paragraphs) and _speaks_as_notice(label, paragraphs[i + 1]):
            notices.append(f"{text} {paragraphs[i + 1]}")
            i += 2
            continue
        (notices if is_notice(text) else body).append(text)
        i += 1
    return body, notices


def from_json_ld(value: Any) -> list[str]:
    """The texts of schema.org `correction`: a string, a CorrectionComment (`text`), or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        text = value.get("text") or value.get("description") or value.get("name")
        return [text] if isinstance(text, str) else []
    if isinstance(value, list):
        return [text for item in value for text in from_json_ld(item)]
    return []


def distinct_notes(notes: list[str]) -> list[str]:
    """`notes` with each notice once, in order: notes alike in their words without the label
    ("Correction:", "Ralat -") are one notice told again (`without_retellings`)."""
    return without_retellings(notes, _notice_words)


def _notice_words(note: str) -> tuple[str, ...]:
    match = _NOTICE.match(note) or _LABEL_ONLY.match(note)
    rest = note[match.end():] if match and match.group("label") else note
    return words_of(rest) or words_of(note)
