"""Dates resolved against the article's own date."""
from __future__ import annotations

from datetime import date

import pytest

from loaders.dates import find_published, find_source, resolve

WED = date(2025, 1, 15)


@pytest.mark.parametrize("text,ref,ref_year,expected", [
    ("22 August 2025", None, None, "2025-08-22"),
    ("on 22nd of August, 2025", None, None, "2025-08-22"),
    ("August 22, 2025", None, None, "2025-08-22"),
    ("Aug. 5, 2024", None, None, "2024-08-05"),
    ("in January 2025", None, None, "2025-01"),
    ("2025-03-04", None, None, "2025-03-04"),
    ("on Tuesday", WED, None, "2025-01-14"),      # the Tuesday before a Wednesday paper
    ("on Wednesday", WED, None, "2025-01-15"),    # the paper's own day
    ("on Thursday", WED, None, "2025-01-09"),
    ("yesterday", WED, None, "2025-01-14"),
    ("in August", WED, None, "2024-08"),          # a January paper's August is last year's
    ("in August", None, 2025, "2025-08"),         # undated article: the year it mentions
    ("in August", None, None, None),              # nothing to place it by
    ("on Monday", None, None, None),
    ("decades", WED, None, None),
])
def test_resolve(text, ref, ref_year, expected):
    assert resolve(text, ref, ref_year) == expected


def test_published_prefers_first_published_over_page_date():
    text = "Sunday, January 25, 2026 | 07:37 PM IST\nStory...\nUpdated: Jan 16 2025\nFirst Published: Jan 15 2025 | 1:27 PM IST"
    assert find_published(text) == "2025-01-15"


def test_unlabelled_dates_are_not_taken_for_the_publication_date():
    assert find_published("Sunday, January 25, 2026\nThe minister met ...") is None
    assert find_published("The minister met the chief on 3 May 2019.\nLater ...") is None


def test_datelines_give_the_story_date():
    assert find_published("Port Sabre, 12th May, 2026: Admiral Keller paid a call ...") == "2026-05-12"
    assert find_published("Halvik, Ostrland Jan 12, 2024\n\nThe chief visited ...") == "2024-01-12"
    assert find_published("Northwire July 08, 2024\n\nHALVIK:\n\nThe minister ...") == "2024-07-08"
    assert find_published("OSTRLAND | 16-04-2024 12:52\n\nThe minister ...") == "2024-04-16"


def test_news_relative_days():
    ref = date(2026, 3, 10)
    assert resolve("last night", ref) == "2026-03-09"
    assert resolve("earlier today", ref) == "2026-03-10"


def test_source_line():
    assert find_source("Body text.\nSource: Example Wire\n") == "Example Wire"
    assert find_source("No source here.") is None
