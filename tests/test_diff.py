"""Diffs between versions (`archive.history.diff`, `archive.history.alignment`) and the changes they amount to (`archive.history.changes`)."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone

import pytest

from archive.extract.notices import split_notices
from archive.history.alignment import Unit, align, sides
from archive.history.changes import labels
from archive.history.diff import (
    change_kinds,
    diff_body,
    diff_notes,
    diff_text,
    diff_versions,
    diff_words,
    is_substantive,
    render_terminal,
    silent_edit,
    split_paragraphs,
)
from archive.history.sentences import split_sentences

# The seed iNews.id article (body shortened), with its date typos as first published.
TITLE = "Gembong Kudeta Kunjungi Moskow, Rusia Bakal Perkuat Hubungan Militer dengan Myanmar"
BODY = [
    "MOSKOW, iNews.id Rusia menyatakan bakal memperkuat hubungan militer dengan Myanmar. Komitmen itu disampaikan "
    "negara bekas Uni Soviet itu dalam kunjungan gembong kudeta yang juga pemimpin junta Myanmar, Jenderal Min Aung "
    "Hlaing, ke Moskow, Selasa (22/6/2/2021).",
    "“Kami bertekad untuk melanjutkan upaya kami untuk memperkuat hubungan bilateral berdasarkan saling pengertian, "
    "rasa hormat, dan kepercayaan yang telah dibangun antara negara kami,” kata Menteri Pertahanan Rusia, Sergei "
    "Shoigu, dikutip kembali dari kantor berita RIA, Rabu (23/2/2021).",
    "Min Aung Hlaing berada di Moskow untuk menghadiri konferensi keamanan yang digelar di ibu kota Rusia tersebut "
    "minggu ini.",
    "Para aktivis HAM menuduh Moskow melegitimasi junta militer Myanmar yang berkuasa di negara Asia Tenggara itu "
    "sejak kudeta 1 Februari lalu. Salah satu bentuk legitimasi dari Rusia tersebut adalah dengan melanjutkan "
    "kunjungan bilateral dan kesepakatan senjata dengan junta Myanmar.",
    "Pada Maret lalu, Rusia menyatakan bahwa pihaknya sangat prihatin dengan meningkatnya jumlah kematian warga "
    "sipil di Myanmar. Bisnis perang menghabiskan Rp11.317 triliun.",
]


def version(**changes) -> dict:
    base = {
        "title": TITLE,
        "lede": None,
        "byline": "Ahmad Islamy Jamil",
        "published": "2021-06-23T10:00:00+07:00",
        "modified": None,
        "paragraphs": list(BODY),
        "notes": [],
    }
    base.update(changes)
    return base


def body_with(*edits: tuple[int, str, str]) -> list[str]:
    body = list(BODY)
    for k, old, new in edits:
        assert old in body[k]
        body[k] = body[k].replace(old, new)
    return body


def changed(ops: list[dict]) -> list[dict]:
    return [op for op in ops if op["op"] != "equal"]


def kinds(changes: list[dict]) -> dict[str, dict]:
    return {change["kind"]: change for change in changes}


# Unchanged and whitespace ---------------------------------------------------------


def test_unchanged_versions_are_all_equal_and_have_no_changes():
    fields = diff_versions(version(), version())
    assert set(fields) == {"title", "lede", "byline", "published", "modified", "body", "notes"}
    assert fields["title"] == [{"op": "equal", "old": TITLE, "new": TITLE}]
    assert fields["lede"] == [] and fields["modified"] == [] and fields["notes"] == []
    assert [op["op"] for op in fields["body"]] == ["equal"] * 8
    assert change_kinds(version(), version()) == []
    assert render_terminal(fields) == ""


def test_whitespace_only_differences_never_show():
    spaced = [re.sub(" ", "  ", p).replace(". ", ".\n", 1) + "  " for p in BODY]
    fields = diff_versions(version(), version(title=f"  {TITLE.replace(' ', chr(160))}\n", paragraphs=spaced))
    assert all(op["op"] == "equal" for ops in fields.values() for op in ops)
    assert fields["body"][0]["new"] == fields["body"][0]["old"]  # ops carry collapsed text


def test_unicode_composition_never_shows():
    composed, decomposed = "Kafé di Bogor.", "Kafe\u0301 di Bogor."
    assert diff_body([composed], [decomposed]) == [
        {"op": "equal", "old": composed, "new": composed, "old_para": 0, "new_para": 0}
    ]


def test_paragraphs_merged_or_split_leave_the_sentences_equal():
    merged = [BODY[0], BODY[1] + " " + BODY[2], *BODY[3:]]
    ops = diff_body(BODY, merged)
    assert all(op["op"] == "equal" for op in ops)
    assert [(op["old_para"], op["new_para"]) for op in ops][2:4] == [(1, 1), (2, 1)]


def test_a_paragraph_split_in_two_is_a_body_edit_naming_the_paragraphs():
    first, second = split_sentences(BODY[3])
    split = [*BODY[:3], first, second, *BODY[4:]]
    changes = kinds(change_kinds(version(), version(paragraphs=split)))
    assert set(changes) == {"body_edited"}
    assert changes["body_edited"]["count"] == 0
    assert changes["body_edited"]["split"] == [{"old_para": 3, "new_paras": [3, 4]}]
    assert "merged" not in changes["body_edited"]
    assert not silent_edit(version(), version(paragraphs=split))   # the same words, laid out anew


def test_paragraphs_split_and_merged_show_in_the_terminal():
    first, second = split_sentences(BODY[3])
    split = diff_versions(version(), version(paragraphs=[*BODY[:3], first, second, *BODY[4:]]))
    assert render_terminal(split) == "@@ body @@\n~ ¶4 split into ¶4, ¶5\n"
    merged = diff_versions(version(), version(paragraphs=[BODY[0], BODY[1] + " " + BODY[2], *BODY[3:]]))
    assert render_terminal(merged) == "@@ body @@\n~ ¶2, ¶3 merged into ¶2\n"


def test_two_paragraphs_merged_is_a_body_edit_naming_the_paragraphs():
    merged = [BODY[0], BODY[1] + " " + BODY[2], *BODY[3:]]
    changes = kinds(change_kinds(version(), version(paragraphs=merged)))
    assert set(changes) == {"body_edited"}
    assert changes["body_edited"]["merged"] == [{"old_paras": [1, 2], "new_para": 1}]


def test_a_paragraph_added_at_the_top_is_no_split():
    grown = ["Kabar terbaru: delegasi Myanmar tiba di Moskow pada Senin malam waktu setempat.", *BODY]
    changes = kinds(change_kinds(version(), version(paragraphs=grown)))
    assert set(changes) == {"body_added"}


def test_a_caption_change_is_named():
    changes = change_kinds(version(captions=["Foto: Reuters"]), version(captions=["Foto: AFP"]))
    assert changes == [{"kind": "caption", "added": ["Foto: AFP"], "removed": ["Foto: Reuters"]}]
    assert change_kinds(version(captions=[]), version(captions=["Foto: AFP"]))[0]["added"] == ["Foto: AFP"]


# Short fields ------------------------------------------------------------------------


def test_short_fields_diff_as_one_op():
    assert diff_text(None, None) == [] and diff_text("", "  ") == []
    assert diff_text(None, "Ahmad") == [{"op": "insert", "old": None, "new": "Ahmad"}]
    assert diff_text("Ahmad", None) == [{"op": "delete", "old": "Ahmad", "new": None}]
    assert diff_text("Ahmad", "Ahmad ") == [{"op": "equal", "old": "Ahmad", "new": "Ahmad"}]
    assert diff_text("Rusia Bakal Perkuat Militer", "Rusia Bakal Memperkuat Militer") == [{
        "op": "replace",
        "old": "Rusia Bakal Perkuat Militer",
        "new": "Rusia Bakal Memperkuat Militer",
        "words": [
            {"op": "equal", "old": "Rusia Bakal", "new": "Rusia Bakal"},
            {"op": "replace", "old": "Perkuat", "new": "Memperkuat"},
            {"op": "equal", "old": "Militer", "new": "Militer"},
        ],
    }]


def test_dates_given_as_datetimes_diff_as_iso_text():
    old = datetime(2021, 6, 23, 3, 0, tzinfo=timezone.utc)
    new = datetime(2021, 6, 23, 4, 30, tzinfo=timezone.utc)
    [op] = diff_text(old, new)
    assert (op["old"], op["new"]) == ("2021-06-23T03:00:00+00:00", "2021-06-23T04:30:00+00:00")


def test_headline_change():
    new_title = "Rusia Bakal Memperkuat Hubungan Militer dengan Myanmar"
    changes = change_kinds(version(), version(title=new_title))
    assert changes == [{"kind": "headline", "old": TITLE, "new": new_title, "labels": []}]
    assert is_substantive(changes)


def test_byline_published_and_modified_changes():
    new = version(byline="Ahmad Islamy", published="2021-06-23T11:00:00+07:00", modified="2021-06-24T08:00:00+07:00")
    found = kinds(change_kinds(version(), new))
    assert list(found) == ["byline", "published", "modified"]
    assert found["modified"] == {"kind": "modified", "old": None, "new": "2021-06-24T08:00:00+07:00"}
    assert not is_substantive(list(found.values()))


# Body --------------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "old", "new"), [
    (1, "(23/2/2021).", "(23/6/2021)."),
    (0, "(22/6/2/2021).", "(22/6/2021)."),
])
def test_a_date_typo_fixed_is_one_replaced_word(k, old, new):
    ops = diff_body(BODY, body_with((k, old, new)))
    [op] = changed(ops)
    assert op["op"] == "replace" and op["old_para"] == op["new_para"] == k
    assert changed(op["words"]) == [{"op": "replace", "old": old, "new": new}]
    assert op["words"][0]["op"] == "equal" and len(op["words"]) == 2
    [change] = change_kinds(version(), version(paragraphs=body_with((k, old, new))))
    assert change["kind"] == "body_edited" and change["count"] == 1
    assert change["sentences"] == [{"old": op["old"], "new": op["new"], "labels": ["date"]}]
    assert change["dates_changed"] is True and change["numbers_changed"] is False


def test_a_number_fixed_is_labelled_number():
    body = body_with((4, "Rp11.317", "Rp11.371"))
    [op] = changed(diff_body(BODY, body))
    assert changed(op["words"]) == [{"op": "replace", "old": "Rp11.317", "new": "Rp11.371"}]
    edited = kinds(change_kinds(version(), version(paragraphs=body)))["body_edited"]
    assert edited["labels"] == ["number"] and edited["numbers_changed"] and not edited["dates_changed"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Selasa (22/6/2021) pukul 14.05 WIB.", "Rabu (22/6/2021) pukul 14.05 WIB.", ["date"]),
    ("Selasa pukul 14.05 WIB.", "Selasa pukul 15.05 WIB.", ["time"]),
    ("Pada 22 Juni 2021 ia tiba.", "Pada 23 Juni 2021 ia tiba.", ["date"]),
    ("Sejak 2020 harga naik.", "Sejak 2019 harga naik.", ["date"]),
    ("Tiga orang tewas.", "Empat orang tewas.", ["number"]),
    ("Naik 3,5 persen menjadi Rp 1,2 triliun.", "Naik 3,6 persen menjadi Rp 1,2 triliun.", ["number"]),
    ("Sebanyak 870 warga sipil tewas pada Maret.", "Sebanyak 880 warga sipil tewas pada April.", ["date", "number"]),
    ("Kepala junta berterima kasih.", "Pemimpin junta berterima kasih.", []),
])
def test_edit_labels(old, new, expected):
    assert labels(diff_words(old, new)) == expected


def test_a_paragraph_added_is_inserts():
    added = "Kremlin belum memberi tanggapan. Juru bicara menolak berkomentar."
    body = [*BODY[:3], added, *BODY[3:]]
    ops = diff_body(BODY, body)
    assert changed(ops) == [
        {"op": "insert", "old": None, "new": "Kremlin belum memberi tanggapan.", "old_para": None, "new_para": 3},
        {"op": "insert", "old": None, "new": "Juru bicara menolak berkomentar.", "old_para": None, "new_para": 3},
    ]
    added_change = kinds(change_kinds(version(), version(paragraphs=body)))["body_added"]
    assert added_change["count"] == 2 and added_change["paragraphs"] == [3]


def test_a_sentence_removed_is_a_delete_in_its_place():
    body = list(BODY)
    body[3] = BODY[3].split(". ")[0] + "."
    ops = diff_body(BODY, body)
    assert [op["op"] for op in ops] == ["equal"] * 5 + ["delete"] + ["equal"] * 2
    assert ops[5]["old"].startswith("Salah satu bentuk") and ops[5]["old_para"] == 3
    removed = kinds(change_kinds(version(), version(paragraphs=body)))["body_removed"]
    assert removed["count"] == 1 and removed["paragraphs"] == []


def test_a_paragraph_removed_whole_is_named():
    body = BODY[:2] + BODY[3:]
    removed = kinds(change_kinds(version(), version(paragraphs=body)))["body_removed"]
    assert removed["paragraphs"] == [2]


def test_a_sentence_moved_is_one_move_at_its_new_place():
    body = [BODY[2], *BODY[:2], *BODY[3:]]
    ops = diff_body(BODY, body)
    [op] = changed(ops)
    assert op == {"op": "move", "old": BODY[2], "new": BODY[2], "old_para": 2, "new_para": 0, "old_index": 3}
    assert ops[0] is op
    moved = kinds(change_kinds(version(), version(paragraphs=body)))["body_moved"]
    assert moved == {"kind": "body_moved", "count": 1,
                     "sentences": [{"old": BODY[2], "new": BODY[2], "from_para": 2, "to_para": 0}]}


def test_a_sentence_moved_and_edited_carries_its_words():
    edited = BODY[2].replace("minggu ini", "pekan ini")
    body = [*BODY[:2], *BODY[3:], edited]
    [op] = changed(diff_body(BODY, body))
    assert op["op"] == "move" and op["new"] == edited
    assert changed(op["words"]) == [{"op": "replace", "old": "minggu", "new": "pekan"}]


def test_two_sentences_swapped_within_a_paragraph():
    first, second = split_sentences(BODY[3])
    ops = diff_body([BODY[3]], [f"{second} {first}"])
    assert [op["op"] for op in ops] == ["move", "equal"] or [op["op"] for op in ops] == ["equal", "move"]


def test_a_rewritten_sentence_is_a_delete_and_an_insert():
    body = list(BODY)
    body[2] = "Kunjungan itu berlangsung tiga hari."
    assert [op["op"] for op in changed(diff_body(BODY, body))] == ["delete", "insert"]


def test_version_text_stands_in_for_paragraphs():
    old = {"title": TITLE, "text": "\n\n".join(BODY)}
    new = {"title": TITLE, "text": "\n\n".join(body_with((1, "(23/2/2021)", "(23/6/2021)")))}
    assert [op["op"] for op in changed(diff_versions(old, new)["body"])] == ["replace"]
    assert split_paragraphs("Satu.\n\n\nDua\nbaris dua.\n  \nTiga.") == ["Satu.", "Dua\nbaris dua.", "Tiga."]


def test_captions_are_diffed_when_versions_have_them():
    fields = diff_versions(version(captions=["Foto: Reuters"]), version(captions=["Foto: AFP"]))
    assert [op["op"] for op in fields["captions"]] == ["replace"]
    assert "captions" not in diff_versions(version(), version())


# Notes, silent edits -----------------------------------------------------------------


def test_notes_diff_as_a_list():
    assert diff_notes([], ["Ralat: tanggal diperbaiki."]) == [
        {"op": "insert", "old": None, "new": "Ralat: tanggal diperbaiki."}
    ]
    ops = diff_notes(["Ralat: tanggal diperbaiki.", "Koreksi: nama."], ["Ralat: tanggal kunjungan diperbaiki."])
    assert [op["op"] for op in ops] == ["replace", "delete"]


def test_a_note_added_is_a_correction_notice_and_no_silent_edit():
    body = body_with((1, "(23/2/2021)", "(23/6/2021)"))
    new = version(paragraphs=body, notes=["Ralat: tanggal kunjungan diperbaiki menjadi 23 Juni 2021."])
    changes = change_kinds(version(), new)
    assert kinds(changes)["correction_notice"] == {
        "kind": "correction_notice", "notes": ["Ralat: tanggal kunjungan diperbaiki menjadi 23 Juni 2021."]
    }
    assert not silent_edit(version(), new, changes)


def test_a_notice_written_into_the_body_counts_as_a_correction_notice():
    body = [*BODY, "Ralat: Artikel ini telah diperbarui untuk memperbaiki tanggal."]
    notice = kinds(change_kinds(version(), version(paragraphs=body)))["correction_notice"]
    assert notice["notes"] == [] and notice["in_body"] == [body[-1]]


@pytest.mark.parametrize("sentence", [
    "Hak jawab: Kementerian menyatakan kunjungan itu dijadwalkan ulang.",
    "Klarifikasi: Angka yang benar adalah 3.000 peserta.",
    "[Catatan Editor] Judul artikel ini diubah atas permintaan narasumber.",
    "Berita ini telah diperbarui dengan pernyataan resmi kementerian.",
])
def test_body_sentences_are_notices_by_the_same_pattern_extraction_uses(sentence):
    # Extraction moves these out of the body as notes; a page whose notice stayed in the body
    # (an outlet's selector, a new template) must still count as a correction notice.
    notice = kinds(change_kinds(version(), version(paragraphs=[*BODY, sentence])))["correction_notice"]
    assert notice["in_body"] == [sentence]
    assert split_notices([sentence])[1] == [sentence]


def test_silent_edit():
    body = body_with((4, "Rp11.317", "Rp11.371"))
    assert silent_edit(version(), version(paragraphs=body))
    assert not silent_edit(version(), version(paragraphs=body, modified="2021-06-24T08:00:00+07:00"))
    assert not silent_edit(version(), version(byline="Redaksi"))
    assert not silent_edit(version(), version())
    changes = change_kinds(version(), version(title="Judul Baru"))
    assert silent_edit(version(), version(title="Judul Baru"), changes)


# Rendering -----------------------------------------------------------------------------


def render_sample(color: bool) -> str:
    new = version(
        title=TITLE.replace("Perkuat", "Memperkuat"),
        paragraphs=[BODY[2], BODY[0], BODY[1].replace("(23/2/2021)", "(23/6/2021)"), *BODY[3:],
                    "Kremlin belum memberi tanggapan."],
        notes=["Ralat: tanggal diperbaiki."],
    )
    return render_terminal(diff_versions(version(), new), color=color)


def test_render_plain_like_git_word_diff():
    assert render_sample(color=False) == (
        "@@ title @@\n"
        "  Gembong Kudeta Kunjungi Moskow, Rusia Bakal [-Perkuat-]{+Memperkuat+} Hubungan Militer dengan Myanmar\n"
        "@@ body @@\n"
        f"~ ¶1 {BODY[2]} (moved from ¶3)\n"
        "  ¶3 “Kami bertekad untuk melanjutkan upaya kami untuk memperkuat hubungan bilateral berdasarkan saling "
        "pengertian, rasa hormat, dan kepercayaan yang telah dibangun antara negara kami,” kata Menteri Pertahanan "
        "Rusia, Sergei Shoigu, dikutip kembali dari kantor berita RIA, Rabu [-(23/2/2021).-]{+(23/6/2021).+}\n"
        "+ ¶6 Kremlin belum memberi tanggapan.\n"
        "@@ notes @@\n"
        "+ Ralat: tanggal diperbaiki.\n"
    )


def test_render_in_colour_paints_instead_of_bracketing():
    text = render_sample(color=True)
    assert "[-" not in text and "{+" not in text
    assert "\x1b[31m(23/2/2021).\x1b[m\x1b[32m(23/6/2021).\x1b[m" in text
    assert "\x1b[32m+ ¶6 Kremlin belum memberi tanggapan.\x1b[m" in text
    assert re.sub(r"\x1b\[\d*m", "", text).count("\n") == render_sample(color=False).count("\n")


def test_render_deleted_sentence():
    text = render_terminal({"body": diff_body(BODY, BODY[:4])})
    assert text == f"@@ body @@\n- ¶5 {split_sentences(BODY[4])[0]}\n- ¶5 {split_sentences(BODY[4])[1]}\n"


# Shape and round trip --------------------------------------------------------------------


def test_ops_are_json_and_keep_the_shape():
    new = version(title="Judul", paragraphs=[BODY[1], BODY[0].replace("Selasa", "Rabu"), "Baru."], notes=["Koreksi."])
    fields = diff_versions(version(), new)
    assert json.loads(json.dumps(fields)) == fields
    for ops in fields.values():
        for op in ops:
            assert op["op"] in {"equal", "insert", "delete", "replace", "move"}
            assert (op["old"] is None) == (op["op"] == "insert")
            assert (op["new"] is None) == (op["op"] == "delete")
            for word in op.get("words", []):
                assert set(word) == {"op", "old", "new"} and word["op"] != "move"
    assert json.loads(json.dumps(change_kinds(version(), new)))


VOCABULARY = (
    "Rusia Myanmar junta militer Moskow Jakarta pemerintah warga sipil kunjungan hubungan bilateral menteri "
    "pertahanan kerja sama senjata konferensi keamanan Rp11.317 triliun (23/2/2021) 14.05 WIB 3,5 persen kata "
    "dia “Kami menolak,” Dr. Budi Jl. Sudirman yang dan di itu dengan untuk dari"
).split()


def random_sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(3, 14))]
    return " ".join([words[0].capitalize(), *words[1:]]).rstrip(".,") + rng.choice([".", "?", "!"])


def random_body(rng: random.Random) -> list[list[str]]:
    return [[random_sentence(rng) for _ in range(rng.randint(1, 4))] for _ in range(rng.randint(1, 8))]


def random_edit(rng: random.Random, body: list[list[str]]) -> None:
    """One edit of a body held as paragraphs of sentences, in place."""
    places = [(p, s) for p, para in enumerate(body) for s in range(len(para))]
    kind = rng.choice(["word", "word", "insert", "delete", "move", "paragraph", "split"])
    if not places or kind == "paragraph":
        body.insert(rng.randint(0, len(body)), [random_sentence(rng) for _ in range(rng.randint(1, 3))])
        return
    p, s = rng.choice(places)
    if kind == "word":
        words = body[p][s].split()
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
        body[p][s] = " ".join(words)
    elif kind == "insert":
        body[p].insert(rng.randint(0, len(body[p])), random_sentence(rng))
    elif kind == "delete":
        del body[p][s]
    elif kind == "move":
        sentence = body[p].pop(s)
        q = rng.randrange(len(body))
        body[q].insert(rng.randint(0, len(body[q])), sentence)
    else:
        body.insert(p + 1, body[p][s:])
        del body[p][s:]


def as_paragraphs(body: list[list[str]]) -> list[str]:
    return [" ".join(para) for para in body if para]


def expected_sentences(paragraphs: list[str]) -> list[str]:
    return [" ".join(s.split()) for p in paragraphs for s in split_sentences(p)]


def test_ops_rebuild_both_sides_for_random_edits():
    rng = random.Random(20210623)
    for _ in range(400):
        old = random_body(rng)
        new = [list(para) for para in old]
        for _ in range(rng.randint(0, 6)):
            random_edit(rng, new)
        old_paragraphs, new_paragraphs = as_paragraphs(old), as_paragraphs(new)
        ops = diff_body(old_paragraphs, new_paragraphs)
        assert sides(ops) == (expected_sentences(old_paragraphs), expected_sentences(new_paragraphs))
        for op in ops:
            if "words" in op:
                old_words, new_words = sides(op["words"])
                assert (" ".join(old_words), " ".join(new_words)) == (op["old"], op["new"])
            if op["op"] == "equal":
                assert op["old"] == op["new"]


def test_unchanged_random_bodies_are_all_equal():
    rng = random.Random(7)
    for _ in range(50):
        paragraphs = as_paragraphs(random_body(rng))
        assert all(op["op"] == "equal" for op in diff_body(paragraphs, paragraphs))


def test_align_keeps_repeated_units_apart():
    units = [Unit.of(text) for text in ["(CSP)", "Satu.", "(CSP)"]]
    ops = align(units, units[1:])
    assert [op["op"] for op in ops] == ["delete", "equal", "equal"]
    assert sides(ops) == (["(CSP)", "Satu.", "(CSP)"], ["Satu.", "(CSP)"])


def test_a_large_rewrite_still_pairs_in_order():
    rng = random.Random(3)
    old = [" ".join(random_sentence(rng) for _ in range(3)) for _ in range(40)]
    new = [" ".join(random_sentence(rng) for _ in range(3)) for _ in range(40)]
    ops = diff_body(old, new)
    assert sides(ops) == (expected_sentences(old), expected_sentences(new))
