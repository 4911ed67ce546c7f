"""The publication date of an article: from the reader's metadata, else from the text.

The metadata date (HTML meta tags, JSON fields) wins when there is one. Otherwise the text is
read by four rules, in this order, each taking only a full date (day, month and year written):

* ``dateline``: the body's first line opens with the date, or with a few capitalised words
  (a place, an outlet) and the date followed by a dash ("Cúcuta (Norte de Santander),
  19 de febrero de 2021. –");
* ``byline``: a date with its time of day near the top ("Eko Wahyu 03 November 2017 16:34");
* ``signoff``: the body ends with the date after a short tag ("- HARAKAHDAILY 29/3/2018"),
  also when run on at the end of the last paragraph ("ujar beliau.-HARAKAHDAILY 5/2/2018");
* ``opening``: the reporting day, i.e. the last of the dates written with their weekday in the
  first paragraphs ("kata dia, Selasa (21/10/2025)"), leaving out those marked as past
  ("Sabtu (18/10) kemarin") or announced ("akan digelar Senin (27/10/2025)", "terhitung sejak
  ..."). It is stored as the day with its own method, ``opening``: Indonesian news is often
  published the morning after the day it reports (detik: the reporting day is the publication
  day in 270 of 331 articles, and no cue in the text tells the other 61 apart), so a user who
  needs the exact day can leave this method out, and relative expressions are resolved
  against it only to the month. A text that cites web pages is skipped, since the dates it
  opens with belong to the stories it quotes. What must not happen is a day further off, so:
  dates above an undated dateline ("TRIBUNNEWS.COM, JAKARTA -") are a photo caption's and are
  left out; a scheduling word ("akan", "mulai") up to six words before a date makes it
  announced, unless a speech verb stands between ("..., kata dia, Minggu (31/8/2025)"); a
  later weekday date, also one written without its year ("Minggu (19/10)"), moves the day
  forward only when nothing earlier in its sentence announces it. These settings
  (``OpeningRules``) are chosen leave-one-source-out in benchmarks/eval_dates.py.

A date without its year ("LONDON, April 1 -", "KUALA LUMPUR 4 Jun -") gives nothing: the
years a text mentions are those of the events it reports (Reuters: the only year written is
the dateline's in 11 articles and another in 56), and the clock is never read for one.
A date after the ingest time (in any time zone) or before 1900 is never a publication date,
and neither is a metadata date at the Unix epoch (a zeroed timestamp: "1970-01-01T00:00:00Z").
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
    if _zeroed(value):
        return NONE
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


def refused_meta(value: str, now: datetime) -> str | None:
    """Why ``from_meta`` gives no publication date for a metadata date: "in the future",
    "before 1900", "not a day on the calendar". None when it gives one, and for the zeroed
    epoch, which says "no date" rather than a wrong one."""
    if from_meta(value, "metadata", now) != NONE or _zeroed(value):
        return None
    m = _ISO.match(value)
    if m is None:
        return "not a date"
    try:
        first = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return "not a day on the calendar"
    return "before 1900" if first < EARLIEST else "in the future"


UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _zeroed(value: str) -> bool:
    """Whether a metadata date is the Unix epoch itself: a zeroed timestamp, not a date.

    Feeds and dumps write 0 for "no date", which comes out as 1970-01-01T00:00:00Z, or as the
    same moment in the writer's zone ("1970-01-01T07:00:00+07:00", "1969-12-31T19:00-05:00"),
    or as the bare day "1970-01-01" with no time.
    """
    instant = _instant(value)
    if instant is not None:
        return instant == UNIX_EPOCH
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return parsed == UNIX_EPOCH.replace(tzinfo=None)


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
# Words a few words before a date that make it a day announced or referred to, not the day of
# the report: "akan digelar Senin (27/10/2025)", "terhitung sejak Senin, 1 September 2025",
# "tanggal putusan Senin 22 September 2025".
_SCHEDULE_WORDS = (
    r"(?<!\w)(?:akan|bakal|hendak|dijadwalkan|rencananya|direncanakan|mulai|bermula|sejak|"
    r"semenjak|hingga|sehingga|sampai|terhitung|menjelang|jelang|batas|lambat|tanggal|tgl|"
    r"will|from|until|since|starting|desde|hasta|até|partir)"
)


def _schedule_before(words: int) -> re.Pattern:
    """A scheduling word at most ``words`` words before the end of the text."""
    return re.compile(
        _SCHEDULE_WORDS + rf"(?!\w)[^\w\n]*(?:\w+[^\w\n]+){{0,{words}}}$", re.IGNORECASE
    )


# Where a story starts when its dateline carries no date ("TRIBUNNEWS.COM, JAKARTA - "): a line
# opening with a few words, one of them in capitals, then a dash. What comes before it is a
# photo caption or a kicker, whose dates are those of the picture.
_UNDATED_DATELINE = re.compile(
    r"^[ \t]*(?=[^\n]{0,60}?\b[A-Z]{3,})[A-Z][\w.,'’ \t()/]{1,60}?[ \t][-–—][ \t]", re.MULTILINE
)


# The reporting date of a news story sits in its first paragraphs. 2,500 finds four more right
# days on all corpus sources together and one more day off by two or more; left out, the
# source that gains (detik) is not helped by it, so the shorter opening is kept.
OPENING_CHARS = 1500


@dataclass(frozen=True, slots=True)
class OpeningRules:
    """Settings of the ``opening`` rule; benchmarks/eval_dates.py picks them leave-one-source-out.

    ``schedule_words``: how many words may stand between a scheduling word ("akan", "mulai")
    and a date it announces; ``follow_days``: how many days after the first reporting day a
    later one may lie and still move the story's day; ``story_start``: whether dates before an
    undated dateline (a caption above it) are left out; ``yearless``: whether weekday dates
    written without their year ("Minggu (19/10)") may move the day too; ``opening_chars``: how
    far into the body the reporting date may stand.
    """

    schedule_words: int = 6
    follow_days: int = 7
    story_start: bool = True
    yearless: bool = True
    opening_chars: int = OPENING_CHARS


RULES = OpeningRules()
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


def full_days(cands, now):
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


# A sentence end, a dash and at most an upper-case outlet tag right before the closing date.
_TAG_BEFORE = re.compile(r"[.!?\"”'][ \t\u00a0]*[-–—][ \t\u00a0]*(?:[A-Z][A-Z.]{2,}[ \t\u00a0]*)?$")


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
    if _TAG_BEFORE.search(body, max(line_start, c.start - 40), c.start):
        # the sign-off run on at the end of the last paragraph: "... katanya. -HARAKAHDAILY
        # 29/3/2018", "katanya.- 27/6/2018"
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


def _reported(
    body: str, c, day: date, schedule: re.Pattern, begin: int = 0, until: int = OPENING_CHARS
) -> bool:
    """Whether a weekday date reads as the day something was reported, not one announced."""
    if not begin <= c.start <= until or c.weekday is None or c.weekday != day.weekday():
        return False
    if c.direction is not None or _PAST_AFTER.match(body, c.end):
        return False  # "Senin (20/10) kemarin": an earlier day the story looks back on
    line_start = body.rfind("\n", 0, c.start) + 1
    before = body[max(line_start, c.start - 90) : c.start]
    sentence = _ATTRIBUTION.split(re.split(r"[.!?] ", before)[-1])[-1]
    return schedule.search(sentence) is None


_ANNOUNCED = _schedule_before(60)
# A speech verb opens the clause that dates the statement ("..., kata dia, Minggu (31/8/2025)"):
# a scheduling word before it belongs to what was said.
_ATTRIBUTION = re.compile(
    r"(?<!\w)(?:kata|katanya|ujar|ujarnya|ucap|ucapnya|tutur|tuturnya|jelas|jelasnya|ungkap|"
    r"ungkapnya|tegas|tegasnya|terang|sebut|said|says|told|dijo|disse|sagte)(?!\w)",
    re.IGNORECASE,
)


def _announced_in_sentence(body: str, start: int) -> bool:
    """Whether the sentence holding ``start`` has a scheduling word before it."""
    line_start = body.rfind("\n", 0, start) + 1
    sentence = re.split(r"[.!?] ", body[max(line_start, start - 400) : start])[-1]
    return _ANNOUNCED.search(sentence) is not None


def story_start(body: str) -> int:
    """Where the story proper starts: at an undated dateline in its opening, else 0."""
    m = _UNDATED_DATELINE.search(body, 0, OPENING_CHARS)
    return m.start() if m else 0


def _yearless_day(c, first: date, follow_days: int) -> date | None:
    """The day of "Minggu (19/10)" in the days after ``first``, where its weekday agrees."""
    if c.unit != "day_month" or c.weekday is None or c.direction is not None:
        return None
    for year in (first.year, first.year + 1):
        try:
            day = date(year, c.month, c.day)
        except ValueError:
            continue
        if day.weekday() == c.weekday and 0 < (day - first).days <= follow_days:
            return day
    return None


def reporting_day(body: str, dated, cands=(), rules: OpeningRules = RULES) -> date | None:
    """The day a story reports from: the last of its opening weekday dates, or None.

    ``dated`` holds (candidate, day) pairs of the body's full dates, in order; ``cands`` all
    the body's candidates (for the weekday dates written without their year).
    """
    schedule = _schedule_before(rules.schedule_words)
    begin = story_start(body) if rules.story_start else 0
    until = rules.opening_chars
    reported = [(c, day) for c, day in dated if _reported(body, c, day, schedule, begin, until)]
    if not reported:
        return None
    first = reported[0][1]
    if rules.yearless:
        for c in cands:
            day = _yearless_day(c, first, rules.follow_days)
            if day is not None and _reported(body, c, day, schedule, begin, until):
                reported.append((c, day))
    # a later day moves the story's day only when nothing in its sentence announces it
    # ("... akan dimulai Rabu (11/7) dan puncaknya pada Sabtu (14/7/2018)")
    reported = [
        day for c, day in reported if day == first or not _announced_in_sentence(body, c.start)
    ]
    # a story told over several days ("Sabtu (18/10) ... Selasa (21/10)") was written on or
    # after the last of them; a date weeks later is something else (a deadline, a hearing)
    return max(d for d in reported if 0 <= (d - first).days <= rules.follow_days)


OPENING = "opening"


def _opening(body: str, dated, cands, rules: OpeningRules) -> Published:
    day = reporting_day(body, dated, cands, rules)
    if day is None:
        return NONE
    return Published(day.isoformat(), "day", OPENING)


def find(article, found, now: datetime, rules: OpeningRules = RULES) -> Published:
    """The article's publication date: metadata first, then the text (see the module notes)."""
    meta = from_meta(article.meta.published, article.meta.published_method, now)
    if meta.value is not None:
        return meta
    title_dated = full_days(found.get("title", []), now)
    if title_dated and title_dated[0][0].start == 0:
        # a text with no real title: the first line opens with its date
        result = _dateline(article.title, title_dated[:1])
        if result.value is not None:
            return result
    body = article.body
    dated = full_days(found.get("body", []), now)
    for rule in (_dateline, _byline, _signoff):
        result = rule(body, dated)
        if result.value is not None:
            return result
    if any(url.field == "body" for url in article.urls):
        # a text that cites web pages quotes other stories, whose reporting days are theirs
        # (fact-checks: the month of the opening date was wrong in 25 of 46)
        return NONE
    return _opening(body, dated, found.get("body", []), rules)
