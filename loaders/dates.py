"""Dates in news text, resolved against the article's own date.

``resolve("on Tuesday", ref=date(2025, 1, 15))`` -> "2025-01-14"; "22 August 2025" -> "2025-08-22";
"in January 2025" -> "2025-01"; "in August" -> "2025-08" given the reference year. The result is an
ISO string at the precision the text gives (day, month or year), or None when it cannot be placed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["resolve", "is_same_day", "parse_published", "find_published", "find_source", "year_mentions", "MONTHS"]

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MON},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b", re.I),
    re.compile(rf"\b{_MON}\s+{_DAY}\b(?!,?\s*\d)", re.I),
    re.compile(rf"\b{_MON}\b", re.I),
]
_WEEKDAY = re.compile(r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE = re.compile(r"\b(?P<rel>today|tonight|this morning|this afternoon|this evening|earlier today|yesterday|"
                       r"last night|overnight|(?:earlier |later )?this week|last week|the previous week|"
                       r"(?:(?:at|over|during) )?the weekend|this weekend|last weekend|(?:earlier )?this month|last month|"
                       r"the previous month|this year|last year|(?P<n>two|three|four|five|six|\d) days ago)\b", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SAME_DAY = {"today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"}
_BARE_YEAR = re.compile(rf"^(?:in\s+|during\s+|since\s+)?{_YEAR}$", re.I)


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d:
            return date(y, m, d).isoformat()
    except ValueError:
        return None
    if m:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def resolve(text: str, ref: date | None = None, ref_year: int | None = None) -> str | None:
    """An ISO date for a date expression. ``ref`` is the article's date; ``ref_year`` the year to
    assume for month-only dates when the article's date is unknown (the latest year it mentions)."""
    t = " ".join(text.split())
    year_hint = ref.year if ref else ref_year
    for pat in _PATTERNS:
        m = pat.search(t)
        if not m:
            continue
        g = m.groupdict()
        if g.get("mnum"):
            return _iso(int(g["year"]), int(g["mnum"]), int(g["dnum"]))
        mon = MONTHS.get(g["mon"].lower().rstrip("."))
        day = int(g["day"]) if g.get("day") else None
        if g.get("year"):
            return _iso(int(g["year"]), mon, day)
        if year_hint is None:
            return None
        year = year_hint
        # "in August" in a January article is last August
        if ref and (mon > ref.month or (mon == ref.month and day and day > ref.day)):
            year -= 1
        return _iso(year, mon, day)
    m = _WEEKDAY.search(t)
    if m and ref:
        back = (ref.weekday() - WEEKDAYS[m["wd"].lower()]) % 7
        # "on Tuesday" in Tuesday's paper is usually that day; in later papers the last one before.
        return (ref - timedelta(days=back)).isoformat()
    m = _RELATIVE.search(t)
    if m and ref:
        rel = m["rel"].lower()
        if rel in _SAME_DAY:
            return ref.isoformat()
        if rel in {"yesterday", "last night", "overnight"}:
            return (ref - timedelta(days=1)).isoformat()
        if m["n"]:
            return (ref - timedelta(days=_COUNTS.get(m["n"].lower()) or int(m["n"]))).isoformat()
        if rel.endswith("weekend"):
            # the weekend just past: this one when the paper is of a Saturday or Sunday
            sat = ref - timedelta(days=ref.weekday() - 5 if ref.weekday() >= 5 and rel != "last weekend"
                                  else ref.weekday() + 2)
            return sat.isoformat()
        if rel in {"last week", "the previous week"}:
            # a week is not a day: the month it (mostly) fell in, by its Thursday
            thursday = ref - timedelta(days=ref.weekday() + 4)
            return f"{thursday.year:04d}-{thursday.month:02d}"
        if rel.endswith("this week"):
            return f"{ref.year:04d}-{ref.month:02d}"
        if rel.endswith("this month"):
            return f"{ref.year:04d}-{ref.month:02d}"
        if rel in {"last month", "the previous month"}:
            first = ref.replace(day=1) - timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}"
        if rel == "this year":
            return f"{ref.year:04d}"
        if rel == "last year":
            return f"{ref.year - 1:04d}"
        return None
    m = _BARE_YEAR.match(t)
    if m:
        return m["year"]
    return None


def is_same_day(text: str) -> bool:
    """'today', 'this morning', 'earlier today': the day the story is told."""
    m = _RELATIVE.search(" ".join(text.split()))
    return bool(m) and m["rel"].lower() in _SAME_DAY


def parse_published(value: str | None) -> date | None:
    """An ISO day from a caller-given or container date ('2025-01-15', '2025-01-15T10:00Z', 'Jan 15 2025')."""
    if not value:
        return None
    iso = resolve(str(value))
    if iso and len(iso) == 10:
        return date.fromisoformat(iso)
    return None


_PUBLISHED = re.compile(
    r"(?:first\s+published|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|date)\s*[:|-]?\s*(?P<d>[^|\n]{6,40})", re.I)


def find_published(text: str) -> str | None:
    """The article's own date from a labelled line ('First Published: Jan 15 2025'), preferring
    'first published' over 'updated'. Unlabelled dates are not guessed: a page header's date is
    often when the page was saved, not when the story ran."""
    best = None
    for m in _PUBLISHED.finditer(text):
        iso = resolve(m["d"])
        if iso and len(iso) == 10:
            label = m.group(0).lower()
            rank = 0 if "first" in label else 1 if "publish" in label or "posted" in label else 2
            if best is None or rank < best[0]:
                best = (rank, iso)
    return best[1] if best else _dateline_date(text)


# A story's first lines: a dateline ('Port Sabre, 12th May, 2026:', 'CITY, Jan 12, 2024 -') or a
# date with its place or agency ('AFP July 08, 2024', 'ARGENTINA | 16-04-2024 12:52', '30 January 2024').


def _dateline_date(text: str) -> str | None:
    lines = [ln.strip() for ln in text[:2000].splitlines() if ln.strip()][:6]
    for ln in lines:
        head = re.split(r"\s[:\u2013\u2014-]\s|:\s", ln, maxsplit=1)[0]
        if len(head) > 60 or _WEEKDAY.match(head):
            continue  # 'Sunday, January 25, 2026' alone is a site's header: the day the page was saved
        if sum(1 for w in re.findall(r"[A-Za-z]+", head) if w.islower() and w not in {"of", "th", "st", "nd", "rd"}) > 1:
            continue  # a sentence, not a dateline
        m = re.search(r"\b(?P<d>[0-3]?\d)-(?P<m>[01]?\d)-(?P<y>(?:19|20)\d\d)\b", head)
        if m:  # day-month-year, as news sites outside the US write it
            iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
            if iso:
                return iso
        iso = resolve(head)
        if iso and len(iso) == 10 and re.search(r"(?:19|20)\d\d", head):
            return iso
    return None


_SOURCE = re.compile(r"^\s*(?:source|courtesy|via)\s*[:\-]\s*(?P<s>[A-Z][\w .&'-]{1,60}?)\s*$", re.I | re.M)


def find_source(text: str) -> str | None:
    """A 'Source: X' line, as news sites print at the end of syndicated stories."""
    m = _SOURCE.search(text)
    return m["s"].strip() if m else None


_YEAR_ANY = re.compile(r"\b(?:19|20)\d\d\b")


def year_mentions(text: str) -> list[int]:
    return [int(y) for y in _YEAR_ANY.findall(text)]
