"""Sentences of Indonesian and English news text.

`split_sentences` cuts a paragraph only where it has whitespace, after a sentence
terminator (`.`, `?`, `!`, an ellipsis, possibly followed by closing quotes or
brackets), and only when the next word can open a sentence (a capital, a digit,
an opening quote before one). Then it vetoes the cuts that are not sentence ends:
titles and other abbreviations ("Dr.", "Jl.", "Mr."), initials ("Susilo B.
Yudhoyono"), "No. 5", list numbers. Abbreviations that can also end a sentence
("dll.", "Tbk.", "U.S.") end one only before a word that usually opens one ("Ia",
"Namun", "The") or an opening quote.

Numbers, dates, times, URLs and e-mail addresses ("Rp11.317", "(22/6/2021)",
"22.06.2021", "14.05 WIB", "inews.id") hold no whitespace, so they are never cut;
datelines ("JAKARTA, iNews.id -", "MEDAN (Analisa) -") end in no terminator.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

OPENERS = "\"'“‘«([{"
CLOSERS = "\"'”’»)]}"

# A terminator (and closers) with whitespace after it: the next token is group 2.
_CANDIDATE = re.compile(r"[.?!…][\"'”’»)\]}]*(\s+)(?=(\S+))")
# A blank line is a paragraph break: always a sentence break too.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# "U.S.", "S.H.", "M.Si.", "Ph.D.", "a.m.", "J.K.": letters and dots only.
_DOTTED = re.compile(r"(?:[A-Za-z]{1,4}\.){2,}")
_LIST_NUMBER = re.compile(r"\d{1,2}\.")


def _cased(*words: str) -> frozenset[str]:
    """The words as given, capitalised and upper-cased (a lower-case entry matches all three).

    An entry written with a capital ("Sen") does not match its lower-case form, which
    is often an ordinary word ("sen", a cent).
    """
    forms = set()
    for word in words:
        forms.update((word, word[0].upper() + word[1:], word.upper()))
    return frozenset(forms)


# Never the end of a sentence: they come before a name, a place or a number.
_TITLES = _cased(
    # Indonesian titles, ranks, addresses
    "dr", "drg", "Drs", "Dra", "Prof", "Ir", "Hj", "KH", "Moh", "Muh", "Mhd", "Moch", "Abd",
    "Ust", "Sdr", "Sdri", "Bpk", "Ny", "Nn", "Tn", "Yth", "Alm", "Almh", "Pdt",
    "Jend", "Letjen", "Mayjen", "Brigjen", "Kol", "Letkol", "Kapt", "Pol", "Lt",
    "Jl", "Jln", "Gg", "Kec", "Kab", "Kel", "Ds", "Kep", "Prov", "Komp", "Perum",
    "PT", "CV", "Rp",
    # English
    "Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Mt", "Ft", "Gen", "Sen", "Rep", "Gov", "Col",
    "Capt", "Sgt", "Maj", "Adm", "Cmdr", "Pres", "Supt", "Insp", "Det", "Rev", "Hon", "Rt", "Fr",
    "vs", "cf", "ca", "approx", "viz",
)
_TITLES_DOTTED = _cased("a.n.", "u.p.", "e.g.", "i.e.", "s.d.", "d.a.", "c.q.", "u.b.", "a.l.")
# Not the end of a sentence when a number follows ("No. 5", "Jan. 22", "hlm. 3").
_BEFORE_NUMBER = _cased(
    "No", "Nos", "Nomor", "hlm", "hal", "tgl", "thn", "pkl", "Kav", "RT", "RW", "Vol",
    "Telp", "Tel", "Ext", "Art", "Fig", "p", "pp",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Agu", "Agt", "Sep", "Sept",
    "Oct", "Okt", "Nov", "Dec", "Des",
)
# Abbreviations that may also end a sentence.
_MAYBE_FINAL = _cased(
    "dll", "dsb", "dst", "dkk", "tsb", "sbb", "cs", "etc",
    "Tbk", "Inc", "Ltd", "Co", "Corp", "Bros", "Plc", "Jr", "Sr", "Ave", "Blvd", "Rd",
)
# Words that usually open a sentence: after a maybe-final abbreviation they mean a cut.
_STARTERS = frozenset(
    """
    Ia Dia Mereka Kami Kita Saya Aku Anda Beliau Ini Itu Hal Namun Tetapi Tapi Akan
    Pada Di Dalam Sementara Menurut Selain Sebelumnya Kemudian Lalu Adapun Sedangkan
    Dengan Untuk Para Sebuah Seorang Setelah Sejak Saat Ketika Jika Bila Apabila Meski
    Meskipun Walaupun Oleh Karena Sehingga Selanjutnya Sebab Maka Kini Bahkan Juga
    Tidak Tak Belum Sudah Berdasarkan Terkait Mengenai Selama Hingga Sampai Yang Ada
    Diketahui Dikatakan Disebutkan Sebagai Atas Bagi Baik Terlebih Apa Siapa Bagaimana
    The A An It He She They We I You This That These Those There Here But And Or So
    However In On At For As After Before When While If His Her Their Its Our My Your
    What Who Why How Where Meanwhile Also Yet Still Some Many Most No Not
    """.split()
)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, each stripped at its edges and never empty.

    Only whitespace between sentences is dropped: whitespace inside a sentence is
    kept as it was, and the sentences joined with single spaces hold exactly the
    words of `text` in order. A blank line always ends a sentence.
    """
    sentences: list[str] = []
    for block in _PARAGRAPH_BREAK.split(text):
        sentences.extend(_split_block(block))
    return sentences


def _split_block(text: str) -> list[str]:
    sentences = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.start(1)
        token = _token_before(text, start, end)
        first = token[0].isdigit() and not text[start:end - len(token)].strip()
        if _ends_sentence(token, match.group(2), first):
            sentence = text[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end(1)
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _token_before(text: str, start: int, end: int) -> str:
    """The whitespace-free token of `text` that ends at `end` (not reaching before `start`)."""
    space = text.rfind(" ", start, end)
    return text[space + 1 if space >= 0 else start:end].split()[-1]


def _ends_sentence(token: str, following: str, first: bool) -> bool:
    """Whether a sentence ends after `token` (which ends in a terminator), given the next token."""
    if not _opens_sentence(following):
        return False
    word = token.lstrip(OPENERS)
    if word != word.rstrip(CLOSERS):  # `selesai." Kemudian`: a quote or bracket closed the sentence
        return True
    if word.endswith(("?", "!", "…", "..")):
        return True
    stem = word[:-1]
    if stem in _TITLES or word in _TITLES_DOTTED:
        return False
    if len(stem) == 1 and stem.isupper():  # an initial: "J. K. Rowling", "Susilo B. Yudhoyono"
        return False
    if stem in _BEFORE_NUMBER:
        return not following.lstrip(OPENERS)[:1].isdigit()
    if stem in _MAYBE_FINAL or _DOTTED.fullmatch(word):
        return _usually_opens(following)
    if first and _LIST_NUMBER.fullmatch(word):  # "1. Pertama, ..."
        return False
    return True


def _opens_sentence(token: str) -> bool:
    """Whether `token` can be the first word of a sentence: a capital or a digit, after any opening quote."""
    word = token.lstrip(OPENERS)
    if not word:
        return False
    first = word[0]
    if first.isupper() or first.isdigit():
        return True
    return first.islower() and len(word) > 1 and word[1].isupper()  # "iNews.id", "eBay"


def _usually_opens(token: str) -> bool:
    """Whether `token` is a quote or a word that usually opens a sentence."""
    if token[0] in OPENERS:
        return True
    return token.rstrip(",.;:!?") in _STARTERS
