import pytest

from archive.extract.content import Content
from archive.history.versions import content_hash, judge

BODY = tuple(f"Kalimat nomor {i} dari berita ini memuat cukup banyak kata untuk diuji dengan baik." for i in range(6))


def content(**changes):
    fields = dict(title="Judul", lede=None, byline="Redaksi", published="2021-06-22T10:00:00+07:00",
                  modified=None, paragraphs=BODY, captions=(), notes=())
    fields.update(changes)
    return Content(**fields)


def test_first_capture_makes_version_one():
    assert judge(None, content()).action == "new_version"


def test_identical_content_joins_the_current_version():
    assert judge(content(), content()).action == "same_version"
    assert content_hash(content()) == content_hash(content())


def test_each_kind_of_edit_makes_a_new_version():
    for edit in (dict(title="Judul Baru"), dict(modified="2021-06-23T08:00:00+07:00"),
                 dict(paragraphs=BODY + ("Paragraf tambahan.",)), dict(notes=("Ralat: tanggal diperbaiki.",)),
                 dict(paragraphs=(BODY[0].replace("nomor", "no."),) + BODY[1:])):
        assert judge(content(), content(**edit)).action == "new_version", edit


def test_error_pages_and_shrunken_bodies_are_refused():
    assert judge(content(), content(), page_problem="not_found") == judge(None, content(), page_problem="not_found")
    assert judge(content(), content(), page_problem="consent").reason == "consent"
    assert judge(content(), content(paragraphs=BODY[:2])).reason == "shrunken"
    assert judge(None, content(paragraphs=("Singkat.",))).reason == "no_article_body"


def test_learned_boilerplate_never_makes_a_version():
    line = "Ikuti berita terbaru kami di Google News dan WhatsApp Channel sekarang juga."
    early = content(paragraphs=BODY + (line,))
    assert judge(early, content(), boilerplate=frozenset({line})).action == "same_version"
    assert judge(early, content()).action == "new_version"


def test_boilerplate_is_learned_only_from_lines_many_stories_share():
    from archive.history.versions import learned_boilerplate

    counts = {"Ikuti kami di Google News.": 9, "Kalimat biasa.": 1, "Muncul di empat.": 4}
    assert learned_boilerplate(counts, stories=10) == {"Ikuti kami di Google News.", "Muncul di empat."}
    assert learned_boilerplate(counts, stories=40) == {"Ikuti kami di Google News."}
    assert learned_boilerplate(counts, stories=3) == {"Ikuti kami di Google News.", "Muncul di empat."}


def test_learned_lines_kept_up_to_date_match_learning_from_scratch():
    import random

    from archive.history.versions import LearnedLines, learned_boilerplate

    rng = random.Random(7)
    lines = [f"Baris {i}." for i in range(40)]
    learned = LearnedLines({"Baris 0.": 3}, stories=3)
    for _ in range(300):
        # common lines recur, rare ones come and go: some join the learned set, some drop out of it
        story_lines = {line for i, line in enumerate(lines) if rng.random() < 1 / (1 + i)}
        learned.learn(story_lines)
        assert learned.boilerplate == learned_boilerplate(learned.counts, learned.stories)
    assert learned.boilerplate and learned.boilerplate != set(lines)


def test_learned_lines_from_part_of_the_counts_match_learning_from_all_of_them():
    import random

    from archive.history.versions import LearnedLines, learn_threshold

    rng = random.Random(11)
    lines = [f"Baris {i}." for i in range(30)]
    whole = LearnedLines({}, stories=0)
    for _ in range(60):
        whole.learn({line for i, line in enumerate(lines) if rng.random() < 1 / (1 + i)})
    # As ingest starts a later run: only the lines learned by now, the rest made known on demand.
    part = LearnedLines({k: n for k, n in whole.counts.items() if n >= learn_threshold(whole.stories)}, whole.stories,
                        complete=False)
    whole_after = LearnedLines(dict(whole.counts), whole.stories)
    assert part.boilerplate == whole.boilerplate
    for _ in range(200):
        story = {line for i, line in enumerate(lines) if rng.random() < 1 / (1 + i)}
        part.know({line: whole_after.counts.get(line, 0) for line in part.unknown(story)})
        part.learn(story)
        whole_after.learn(story)
        assert part.boilerplate == whole_after.boilerplate
    with pytest.raises(KeyError):
        part.learn({"Baris yang belum pernah dikenal."})
