"""Correction notices: the paragraphs in which an outlet says it corrected or updated an article.

Recognised in Indonesian and English at the start of a paragraph ("Ralat:",
"*Koreksi -", "[Catatan Redaksi]", "Hak Jawab:", "Artikel ini telah diperbarui ...",
"Correction:", "UPDATE (22/6):", "Editor's note:") and in schema.org `correction`
(a string or a CorrectionComment). Notices are kept apart from the body, so that
a version's `notes` say what the outlet admitted and the body says what it shows.
"""

from __future__ import annotations

import re
from typing import Any

# Words that open a notice only when a delimiter follows ("Ralat:", "[Ralat]", "RALAT -"),
# so that "Koreksi fiskal pemerintah ..." or "Update terbaru ..." stay body text.
_LABELS = (
    r"ralat|koreksi|catatan redaksi|catatan editor|hak jawab|hak koreksi|klarifikasi|perbaikan|pembaruan"
    r"|correction|corrections|clarification|update|updated|editor'?s note|editors'? note"
)
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
    _OPEN + rf"(?:(?:{_LABELS})(?:\s*\([^()]{{0,40}}\))?\s*(?:[\]\)】»\"”]\s*[:\-–—.]?|[:\-–—])|(?:{_PHRASES})\b)",
    re.I)
_LABEL_ONLY = re.compile(_OPEN + r"(?:ralat|koreksi|catatan redaksi|hak jawab|correction|corrections"
                                 r"|editor'?s note|update|pembaruan)[\s\]\)】»:.\-–—]*$", re.I)


# Inside a sentence, not only at its start: a body sentence that says the article was changed.
_SAYS_CHANGED = re.compile(
    rf"\b(?:{_PHRASES})\b|\b(?:telah|sudah) (?:di)?(?:perbarui|koreksi|ralat|revisi)|\bhas been (?:updated|corrected|amended)",
    re.I)


def is_notice(paragraph: str) -> bool:
    """Whether a normalised paragraph opens with a correction or update notice."""
    return bool(_NOTICE.match(paragraph))


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
        if _LABEL_ONLY.match(text) and i + 1 < len(paragraphs):
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
