"""The story lifecycle rules (archive.history.lifecycle): plain values in, a decision out; no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from archive.extract.article import Article
from archive.history.lifecycle import (
    CurrentVersion, StoryView, canonical_elsewhere, decide, is_article_capture, is_front_or_section,
    is_later_page, joined_content, next_page,
)
from archive.extract.content import Content
from archive.history.versions import content_hash
from archive.outlet import Outlet

SITE = "https://berita.example"
# Article URLs carry an id: /baca/<id>/<slug>
OUTLET = Outlet(key="berita", name="Berita", domains=("berita.example",), topics=(f"{SITE}/nasional",),
                article_url=re.compile(r"/baca/(?P<id>\d+)/[a-z0-9-]+$"), article_pages=3)
ARTICLE = f"{SITE}/baca/101/gempa-guncang-kota"
BODY = tuple(f"Paragraf nomor {n} tentang gempa yang mengguncang kota pada pagi hari ini." for n in range(4))
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Capture:
    id: int
    url: str
    status: int = 200
    location: str | None = None
    fetched_at: datetime = NOW


def page(paragraphs=BODY, title="Gempa Guncang Kota", problem=None, canonical=None, next_url=None,
         captions=(), notes=(), prev_url=None) -> Article:
    return Article(title=title, lede=None, byline="Redaksi", published="2026-01-05", modified=None,
                   paragraphs=tuple(paragraphs), captions=tuple(captions), notes=tuple(notes),
                   canonical_url=canonical, next_page_url=next_url, previous_page_url=prev_url, language="id",
                   page_problem=problem,
                   is_article=problem is None)


def known(story=7, address=ARTICLE, at_url=True, content: Content | None = None, number=1) -> StoryView:
    version = CurrentVersion(70, number, content) if content is not None else None
    return StoryView(story, address, at_url, version)


def content_of(article: Article) -> Content:
    return joined_content([(Capture(1, ARTICLE), article)])


# ---------------------------------------------------------------- not article pages

def test_a_capture_of_an_outlet_not_configured_is_no_outlet():
    decision = decide(Capture(1, ARTICLE), None, None, known())
    assert (decision.status, decision.story, decision.story_status) == ("no_outlet", None, None)


@pytest.mark.parametrize("status", [404, 410])
def test_the_current_address_going_away_deletes_the_story(status):
    decision = decide(Capture(1, ARTICLE, status), OUTLET, None, known(address=ARTICLE))
    assert (decision.status, decision.story, decision.story_status) == ("gone", 7, "deleted")


def test_an_old_slug_going_away_says_nothing_of_the_story():
    old_slug = f"{SITE}/baca/101/gempa-kota"
    decision = decide(Capture(1, old_slug, 404), OUTLET, None, known(address=ARTICLE))
    assert (decision.status, decision.story, decision.story_status) == ("gone", 7, None)


@pytest.mark.parametrize("target", [f"{SITE}/", SITE, f"{SITE}/nasional/", f"{SITE}/nasional?utm_source=x"])
def test_a_redirect_to_the_front_or_a_section_page_deletes_the_story(target):
    decision = decide(Capture(1, ARTICLE, 301, target), OUTLET, None, known())
    assert (decision.status, decision.reason, decision.story_status) == (
        "gone", "redirect to a front or section page", "deleted")
    assert decision.story == 7 and not decision.story_urls


def test_a_redirect_to_another_article_marks_the_story_redirected():
    decision = decide(Capture(1, ARTICLE, 301, f"{SITE}/baca/202/berita-lain"), OUTLET, None, known())
    assert (decision.status, decision.story_status, decision.story_urls) == ("redirect", "redirected", frozenset())


def test_a_redirect_to_a_new_slug_of_the_same_story_adds_the_target():
    new_slug = f"{SITE}/baca/101/gempa-besar-guncang-kota"
    decision = decide(Capture(1, ARTICLE, 308, new_slug), OUTLET, None, known())
    assert (decision.status, decision.story, decision.story_status) == ("redirect", 7, None)
    assert decision.story_urls == {new_slug}


def test_a_redirect_elsewhere_changes_nothing_of_the_story():
    decision = decide(Capture(1, ARTICLE, 302, f"{SITE}/tentang/kami"), OUTLET, None, known())
    assert (decision.status, decision.story, decision.story_status, decision.story_urls) == (
        "redirect", 7, None, frozenset())


def test_a_redirect_where_no_story_is_known_is_not_an_article():
    decision = decide(Capture(1, ARTICLE, 301, f"{SITE}/"), OUTLET, None, None)
    assert (decision.status, decision.story, decision.story_status) == ("not_article", None, None)


@pytest.mark.parametrize("story, expected", [(known(), 7), (None, None)])
def test_a_server_error_is_only_that(story, expected):
    decision = decide(Capture(1, ARTICLE, 503), OUTLET, None, story)
    assert (decision.status, decision.story, decision.story_status) == ("server_error", expected, None)


def test_anything_else_is_not_an_article_or_other():
    assert decide(Capture(1, f"{SITE}/nasional", 200), OUTLET, None, None).status == "not_article"
    other = decide(Capture(1, ARTICLE, 403), OUTLET, None, known())
    assert (other.status, other.story, other.story_status) == ("other", 7, None)


def test_only_a_success_at_an_article_url_is_read_as_an_article():
    assert is_article_capture(Capture(1, ARTICLE), OUTLET)
    assert not is_article_capture(Capture(1, ARTICLE, 301), OUTLET)
    assert not is_article_capture(Capture(1, f"{SITE}/nasional"), OUTLET)
    assert not is_article_capture(Capture(1, ARTICLE), None)


def test_front_and_section_pages():
    assert is_front_or_section(OUTLET, f"{SITE}/") and is_front_or_section(OUTLET, f"{SITE}/nasional#atas")
    assert not is_front_or_section(OUTLET, f"{SITE}/nasional/daerah") and not is_front_or_section(OUTLET, ARTICLE)


# ---------------------------------------------------------------- article pages

def test_split_pages_join_the_article():
    second, third = f"{ARTICLE}?page=2", f"{ARTICLE}?page=3"
    pages = [(Capture(1, ARTICLE), page(BODY[:2], captions=("Foto 1",), notes=("Ralat: tanggal.",))),
             (Capture(2, second), page(BODY[2:3], title="ignored", captions=("Foto 2",), notes=("Ralat: tanggal.",))),
             (Capture(3, third), page(BODY[3:], notes=("Ralat: nama.",)))]
    decision = decide(Capture(1, ARTICLE), OUTLET, pages, None)
    content = decision.new_version.content
    assert content.paragraphs == BODY and content.captions == ("Foto 1", "Foto 2")
    assert content.notes == ("Ralat: tanggal.", "Ralat: nama.") and content.title == "Gempa Guncang Kota"
    assert decision.split_pages == (2, 3)
    assert decision.story_urls == {ARTICLE, second, third}


def test_the_chain_of_split_pages_follows_rel_next_until_it_ends():
    first = (Capture(1, ARTICLE), page(next_url=f"{ARTICLE}?page=2"))
    assert next_page(OUTLET, [first]) == f"{ARTICLE}?page=2"
    assert next_page(OUTLET, [(Capture(1, ARTICLE), page(next_url="https://elsewhere.example/x"))]) is None
    assert next_page(OUTLET, [(Capture(1, ARTICLE), page(next_url=f"{SITE}/baca/202/berita-lain"))]) is None
    assert next_page(OUTLET, [(Capture(1, ARTICLE), page(next_url=ARTICLE))]) is None  # already in the chain
    three = [first, (Capture(2, f"{ARTICLE}?page=2"), page(next_url=f"{ARTICLE}?page=3")),
             (Capture(3, f"{ARTICLE}?page=3"), page(next_url=f"{ARTICLE}?page=4"))]
    assert next_page(OUTLET, three[:2]) == f"{ARTICLE}?page=3"
    assert next_page(OUTLET, three) is None  # the outlet's article_pages


# An outlet whose article pattern, as users write it, also matches a split article's
# further pages (no `$`) and the AMP copies.
LOOSE = Outlet(key="berita", name="Berita", domains=("berita.example",), topics=(f"{SITE}/nasional",),
               article_url=re.compile(r"/(?:amp/)?baca/(?P<id>\d+)/[a-z0-9-]+"), article_pages=3)
NO_IDS = Outlet(key="x", name="X", domains=("berita.example",), topics=(), article_url=re.compile(r"/baca/"))


@pytest.mark.parametrize("url, prev, outlet", [
    (f"{ARTICLE}?page=2", None, LOOSE),
    (f"{ARTICLE}?utm_source=x&hal=3", None, LOOSE),
    (f"{ARTICLE}/2", ARTICLE, LOOSE),                        # rel=prev to page 1, the same id
    (f"{ARTICLE}/3", f"{ARTICLE}/2", NO_IDS),                 # no ids: the same address without page numbers
])
def test_a_later_page_of_a_split_article_is_known_as_one(url, prev, outlet):
    assert is_later_page(outlet, url, page(prev_url=prev))


@pytest.mark.parametrize("url, prev", [
    (ARTICLE, None),
    (f"{ARTICLE}?page=1", None),
    (f"{ARTICLE}?page=all", None),
    (f"{ARTICLE}?p=12345", None),                             # WordPress's post id, not a page number
    (ARTICLE, f"{SITE}/baca/100/berita-sebelumnya"),          # rel=prev to the article before: another story
    (ARTICLE, "https://elsewhere.example/baca/101/gempa-guncang-kota"),
])
def test_a_whole_article_is_no_later_page(url, prev):
    assert not is_later_page(LOOSE, url, page(prev_url=prev))


@pytest.mark.parametrize("story", [None, "known", "by_key"])
def test_a_later_page_never_makes_a_version_or_a_story(story):
    view = {None: None, "known": known(content=content_of(page())),
            "by_key": known(at_url=False, content=content_of(page()))}[story]
    second = Capture(2, f"{ARTICLE}?page=2")
    decision = decide(second, LOOSE, [(second, page(BODY[2:3], prev_url=ARTICLE, canonical=ARTICLE))], view)
    assert (decision.status, decision.new_version, decision.extends, decision.story_key) == (
        "split_page", None, None, None)
    assert decision.story == (7 if story else None) and not decision.seen_live and not decision.new_story


AMP = f"{SITE}/amp/baca/101/gempa-guncang-kota"


def test_a_copy_names_its_canonical_elsewhere():
    assert canonical_elsewhere(LOOSE, AMP, page(canonical=ARTICLE)) == ARTICLE
    assert canonical_elsewhere(LOOSE, f"{ARTICLE}?page=all", page(canonical=ARTICLE)) == ARTICLE
    assert canonical_elsewhere(LOOSE, f"{ARTICLE}?utm_source=x", page(canonical=ARTICLE)) is None
    assert canonical_elsewhere(LOOSE, ARTICLE, page(canonical=None)) is None
    assert canonical_elsewhere(LOOSE, ARTICLE, page(canonical="https://elsewhere.example/x")) is None


def test_a_copy_that_differs_from_the_canonical_page_makes_no_version():
    amp = Capture(3, AMP)
    with_caption = page(BODY + ("Foto: warga mengungsi ke lapangan kota setelah gempa pagi tadi.",), canonical=ARTICLE)
    decision = decide(amp, LOOSE, [(amp, with_caption)], known(address=ARTICLE, content=content_of(page())))
    assert (decision.status, decision.reason, decision.new_version, decision.story) == ("refused", "copy", None, 7)
    assert not decision.seen_live


def test_a_copy_that_reads_the_same_joins_the_version_and_leaves_the_address():
    amp = Capture(3, AMP)
    decision = decide(amp, LOOSE, [(amp, page(canonical=ARTICLE))], known(address=ARTICLE, content=content_of(page())))
    assert (decision.status, decision.extends, decision.seen_live, decision.keep_address) == (
        "unchanged", 70, True, True)


def test_a_copy_speaks_while_its_canonical_page_was_never_seen():
    amp = Capture(3, AMP)
    first = decide(amp, LOOSE, [(amp, page(canonical=ARTICLE))], None)
    assert first.status == "version" and not first.keep_address
    edited = BODY[:3] + ("Paragraf nomor 3 tentang gempa yang mengguncang kota pada siang hari ini.",)
    later = decide(amp, LOOSE, [(amp, page(edited, canonical=ARTICLE))], known(address=AMP, content=content_of(page())))
    assert later.status == "version" and not later.keep_address


def test_a_page_problem_at_an_unknown_url_makes_no_story():
    for story in (None, known(at_url=False)):  # no story, or one only by the article's key
        decision = decide(Capture(1, ARTICLE), OUTLET, [(Capture(1, ARTICLE), page(problem="consent"))], story)
        assert (decision.status, decision.reason, decision.story, decision.story_key) == (
            "refused", "consent", None, None)
        assert decision.new_version is None and not decision.story_urls and not decision.refused_version


def test_a_page_problem_at_a_known_url_never_makes_a_version():
    pages = [(Capture(1, ARTICLE), page()), (Capture(2, f"{ARTICLE}?page=2"), page(problem="error"))]
    decision = decide(Capture(1, ARTICLE), OUTLET, pages, known(content=content_of(page(BODY[:1]))))
    assert (decision.status, decision.reason, decision.story) == ("refused", "error", 7)
    assert decision.new_version is None and decision.extends is None and not decision.seen_live
    assert decision.refused_version and decision.split_pages == (2,)


def test_the_story_is_found_at_its_url_or_by_its_key_or_made():
    pages = [(Capture(1, ARTICLE), page(canonical=f"{ARTICLE}?utm_source=feed"))]
    at_url = decide(Capture(1, ARTICLE), OUTLET, pages, known())
    assert (at_url.story, at_url.story_key, at_url.new_story) == (7, None, False)
    by_key = decide(Capture(1, ARTICLE), OUTLET, pages, known(at_url=False))
    assert (by_key.story, by_key.story_key, by_key.new_story) == (None, "id:101", False)
    made = decide(Capture(1, ARTICLE), OUTLET, pages, None)
    assert (made.story, made.story_key, made.new_story) == (None, "id:101", True)
    assert made.story_urls == {ARTICLE}  # the canonical URL, cleaned, is the same
    no_ids = Outlet(key="x", name="X", domains=("berita.example",), topics=(), article_url=re.compile(r"/baca/"))
    assert decide(Capture(1, ARTICLE), no_ids, pages, None).story_key == f"url:{ARTICLE}"


def test_learned_boilerplate_lines_are_removed():
    follow = "Ikuti kami di media sosial untuk berita terbaru setiap hari."
    decision = decide(Capture(1, ARTICLE), OUTLET, [(Capture(1, ARTICLE), page(BODY + (follow,)))], None,
                      frozenset({follow}))
    assert decision.new_version.content.paragraphs == BODY


def test_the_same_content_extends_the_current_version():
    decision = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page())], known(content=content_of(page())))
    assert (decision.status, decision.extends, decision.new_version, decision.seen_live) == (
        "unchanged", 70, None, True)
    assert decision.learn is None


def test_a_shrunken_or_empty_page_is_refused():
    # 24 words, enough for an article, after 96: less than half the body left
    shrunken = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page(BODY[:2]))],
                      known(content=content_of(page(BODY + BODY))))
    assert (shrunken.status, shrunken.reason, shrunken.story, shrunken.new_version) == ("refused", "shrunken", 7, None)
    empty = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page(("Singkat.",)))], None)
    assert (empty.status, empty.reason, empty.story_key) == ("refused", "no_article_body", "id:101")
    assert empty.refused_version and not empty.seen_live


def test_a_new_version_records_its_changes_and_whether_it_was_silent():
    current = content_of(page())
    edited = BODY[:3] + ("Paragraf nomor 3 tentang gempa yang mengguncang kota pada siang hari ini.",)
    silent = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page(edited))],
                    known(content=current, number=2))
    assert (silent.status, silent.new_version.number, silent.new_version.silent_edit) == ("version", 3, True)
    assert [change["kind"] for change in silent.new_version.changes] == ["body_edited"]
    assert silent.seen_live and silent.story == 7
    noted = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page(edited, notes=("Ralat: siang.",)))],
                   known(content=current))
    assert noted.new_version.silent_edit is False


def test_the_first_version_teaches_the_outlets_lines():
    follow = "Ikuti kami di media sosial untuk berita terbaru setiap hari."
    first = decide(Capture(1, ARTICLE), OUTLET, [(Capture(1, ARTICLE), page(BODY + (follow,)))], None,
                   frozenset({follow}))
    assert (first.new_version.number, first.new_version.changes, first.new_version.silent_edit) == (1, None, False)
    assert first.learn == set(BODY)  # what the version holds, learned lines already gone
    later = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), page(BODY + BODY[:1]))],
                   known(content=content_of(page())))
    assert later.status == "version" and later.learn is None


# ---------------------------------------------------------------- reading pages anew

def test_a_page_read_as_one_of_the_versions_readings_joins_it():
    reading = page(title="Gempa Guncang Kota Pagi Ini")           # how a later arsip reads the same page
    decision = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), reading)], StoryView(
        7, ARTICLE, True, CurrentVersion(70, 1, content_of(page()), readings=frozenset({content_hash(content_of(reading))}))))
    assert (decision.status, decision.extends, decision.reading, decision.wants_reread) == ("unchanged", 70, None, False)


def test_a_new_version_wants_the_current_one_read_again_and_joins_it_when_it_reads_the_same():
    reading = page(title="Gempa Guncang Kota Pagi Ini")
    view = known(content=content_of(page()))
    first = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), reading)], view)
    assert first.status == "version" and first.wants_reread
    again = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), reading)],
                   StoryView(7, ARTICLE, True, CurrentVersion(70, 1, content_of(page()), reread=content_of(reading))))
    assert (again.status, again.extends, again.new_version, again.seen_live) == ("unchanged", 70, None, True)
    assert again.reading == content_hash(content_of(reading))


def test_a_real_edit_read_anew_is_a_version_with_only_the_newsrooms_changes():
    edited = page(BODY + ("Paragraf tambahan tentang pengungsi yang kembali ke rumah mereka sore ini.",),
                  title="Gempa Guncang Kota Pagi Ini")
    again = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), edited)], StoryView(
        7, ARTICLE, True, CurrentVersion(70, 1, content_of(page()), reread=content_of(page(title="Gempa Guncang Kota Pagi Ini")))))
    assert again.status == "version" and again.reading is None
    assert [change["kind"] for change in again.new_version.changes] == ["body_added"]   # no headline: it is a new reading


def test_a_shrunken_page_that_reads_as_the_version_read_anew_joins_it():
    shorter = page(BODY[:2])                                       # a later arsip leaves out what it took for boilerplate
    first = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), shorter)], known(content=content_of(page(BODY * 3))))
    assert (first.status, first.reason, first.wants_reread) == ("refused", "shrunken", True)
    again = decide(Capture(5, ARTICLE), OUTLET, [(Capture(5, ARTICLE), shorter)], StoryView(
        7, ARTICLE, True, CurrentVersion(70, 1, content_of(page(BODY * 3)), reread=content_of(shorter))))
    assert (again.status, again.extends, again.reading) == ("unchanged", 70, content_hash(content_of(shorter)))
