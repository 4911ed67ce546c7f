"""The publication date of an article: from the reader's metadata, else from the text.

The metadata date (HTML meta tags, JSON fields) wins when there is one. Otherwise the text is
read by four rules, in this order, each taking only a full date (day, month and year written):

* ``dateline``: the body's first line opens with the date, or with a few capitalised words
  (a place, an outlet) and the date followed by a dash ("Cúcuta (Norte de Santander),
  19 de febrero de 2021. –");
* ``byline``: a date with its time of day near the top ("Eko Wahyu 03 November 2017 16:34");
* ``signoff``: the body ends with the date after a short tag ("- HARAKAHDAILY 29/3/2018");
* ``opening``: the first date written with its weekday ("kata dia, Selasa (21/10/2025)"),
  when no later date follows and no "lalu"/"kemarin" marks it as past. In Indonesian news this
  is the day of the reported statement, which is the publication day only about 80 % of the time
  (detik: the article often appears the next morning), so only its month is kept.

A date after the ingest time (in any time zone) or before 1900 is never a publication date.
Everything else gives None: a guess would corrupt every count made from the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?\s*$")
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date, its precision and how it was found (all None when unknown)."""

    value: str | None = None
    precision: str | None = None
    method: str | None = None


NONE = Published()


def parse_iso_day(value: str | None) -> date | None:
    """The day of an ISO date or datetime string ("2017-11-15T10:00+07:00"), or None."""
    if not value:
        return None
    m = _ISO.match(value)
    if not m or not m.group(3):
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def latest_day(now: datetime) -> date:
    """The latest calendar day anywhere on Earth at ``now`` (UTC+14): no later date exists yet."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return (now.astimezone(UTC) + timedelta(hours=14)).date()


def possible(day: date, now: datetime) -> bool:
    """Whether ``day`` can be a publication date at ingest time ``now``."""
    return EARLIEST <= day <= latest_day(now)


def from_meta(value: str | None, method: str | None, now: datetime) -> Published:
    """The reader's publication date, checked against the ingest time."""
    if not value:
        return NONE
    m = _ISO.match(value)
    if not m:
        return NONE
    year, month, day = m.group(1), m.group(2), m.group(3)
    method = method or "meta"
    try:
        if day:
            found = date(int(year), int(month), int(day))
            if not possible(found, now):
                return NONE
            instant = _instant(value)
            if instant is not None and instant > now.astimezone(UTC) + timedelta(minutes=5):
                return NONE
            return Published(found.isoformat(), "day", method)
        if month:
            first = date(int(year), int(month), 1)
            return Published(f"{year}-{month}", "month", method) if possible(first, now) else NONE
        first = date(int(year), 1, 1)
        return Published(year, "year", method) if possible(first, now) else NONE
    except ValueError:
        return NONE


def _instant(value: str) -> datetime | None:
    """The moment of an ISO datetime with a time zone, else None."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else None


_DASH_AFTER = re.compile(r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?:\([^()\n]{1,40}\)[ \t\u00a0]*)?[-–—]")
_PAST_AFTER = re.compile(
    r"[ \t\u00a0)]*(?:yang )?(?:lalu|kemarin|silam|lepas|pasado|passado|ago)\b", re.IGNORECASE
)
_SENTENCE_END_AFTER = re.compile(r"[ \t\u00a0]*\.(?:\s|$)")
# A dateline's lead: a few capitalised words (a place, an outlet, a byline) and punctuation.
_LEAD = re.compile(
    r"[\W_]*+(?:(?:[A-ZÀ-Þ][\w.'’&-]*+|de|del|da|do|dos|di|van|von|al|el|la|bin|binti)"
    r"[ \t\u00a0,/|()]*+){0,8}(?:by|oleh|por|von)?[ \t\u00a0]*"
)


def _day(c) -> date | None:
    if c.unit is not None or c.year is None or c.day is None or c.ambiguous_order:
        return None
    try:
        return date(c.year, c.month, c.day)
    except ValueError:
        return None


def _dated(cands, now):
    """(candidate, day) for every absolute day-precision date that can be a publication date."""
    out = []
    for c in cands:
        day = _day(c)
        if day is not None and possible(day, now):
            out.append((c, day))
    return out


def _dateline(body: str, dated) -> Published:
    line_end = body.find("\n")
    line_end = len(body) if line_end < 0 else line_end
    for c, day in dated:
        if c.start > 150 or c.end > line_end:
            break
        lead = body[: c.start]
        if len(lead) > 90 or not _LEAD.fullmatch(lead):
            continue
        after = body[c.end : c.end + 50]
        if _DASH_AFTER.match(after):
            return Published(day.isoformat(), "day", "dateline")
        if not lead.strip() and (_SENTENCE_END_AFTER.match(after) or c.end == line_end):
            return Published(day.isoformat(), "day", "dateline")
    return NONE


def _signoff(body: str, dated) -> Published:
    if not dated:
        return NONE
    c, day = dated[-1]
    if body[c.end :].strip(" \t\u00a0\n.)") != "":
        return NONE
    line_start = body.rfind("\n", 0, c.start) + 1
    lead = body[line_start : c.start]
    if len(lead) <= 60 and re.search(r"[-–—(]|\b[A-Z]{3,}\b", lead):
        return Published(day.isoformat(), "day", "signoff")
    return NONE


def _byline(body: str, dated) -> Published:
    for c, day in dated:
        if c.start > 300:
            break
        if c.hour is None:
            continue
        line_start = body.rfind("\n", 0, c.start) + 1
        if any(q in body[line_start : c.start] for q in '"“”«»'):
            continue
        return Published(day.isoformat(), "day", "byline")
    return NONE


def _opening(body: str, dated) -> Published:
    if not dated:
        return NONE
    c, day = dated[0]
    if c.start > 1500 or c.weekday is None or c.weekday != day.weekday():
        return NONE
    if c.direction is not None or _PAST_AFTER.match(body, c.end):
        return NONE
    later = [d for other, d in dated[1:] if d > day]
    if later:
        return NONE
    return Published(day.isoformat()[:7], "month", "opening")


def find(article, found, now: datetime) -> Published:
    """The article's publication date: metadata first, then the text (see the module notes)."""
    meta = from_meta(article.meta.published, article.meta.published_method, now)
    if meta.value is not None:
        return meta
    title_dated = _dated(found.get("title", []), now)
    if title_dated and title_dated[0][0].start == 0:
        # a text with no real title: the first line opens with its date
        result = _dateline(article.title, title_dated[:1])
        if result.value is not None:
            return result
    body = article.body
    dated = _dated(found.get("body", []), now)
    for rule in (_dateline, _byline, _signoff, _opening):
        result = rule(body, dated)
        if result.value is not None:
            return result
    return NONE
