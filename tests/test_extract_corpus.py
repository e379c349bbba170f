"""Extraction quality on real news pages (shared/corpus) must not fall below what arsip reached.

The figures come from `bench/extract_quality.py` (mean per-page word-token F1 of
the extracted body against the ground truth, article pages only); docs/benchmark-notes.md
has the full table. The floor is the figure reached minus a small margin, so a
change that makes extraction worse anywhere on the corpus fails here.

Without the corpus the test is skipped, except under continuous integration (`CI=true`),
where a missing corpus fails it: there, a skip would pass a change nobody measured.
"""

from __future__ import annotations

import os

import pytest

from bench.extract_quality import default_corpus, folders, score

# Mean per-page F1 reached by arsip's layered extraction, minus 0.005.
FLOORS = {"id-news": 0.957, "zyte-aeb": 0.965, "wcxb-dev": 0.940}

CORPUS = default_corpus()


def require_corpus(folder: str) -> None:
    """Skip without the corpus folder, or fail under CI, saying where it was looked for."""
    if folder in folders(CORPUS):
        return
    why = (f"no extraction corpus at {CORPUS}: {CORPUS / folder / 'manifest.json'} is missing "
           "(the corpus is $ARSIP_CORPUS, else shared/corpus beside the checkout or a directory above it)")
    if os.environ.get("CI") == "true":
        pytest.fail(why, pytrace=False)
    pytest.skip(why)


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_body_f1_stays_above_the_floor(folder):
    require_corpus(folder)
    summary = score(CORPUS, folder, "arsip").summary()
    assert summary["pages"] >= 30
    assert summary["f1"] >= FLOORS[folder], f"{folder}: F1 {summary['f1']:.4f} < floor {FLOORS[folder]}"
