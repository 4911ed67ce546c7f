"""Turning date candidates into ISO values of known precision.

A candidate that states its year is resolved on its own. Everything else (a day and month
without a year, "kemarin", "Rabu lalu", "bulan lalu") needs a reference day, normally the
article's publication date; without one it stays unresolved (value None). The year is never
taken from the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from .scanner import Candidate

MIN_YEAR, MAX_YEAR = 1000, 2199  # outside this a four-digit number is not a year we can date


def _valid(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _with_time(day: date, c: Candidate) -> tuple[str, str]:
    if c.hour is None:
        return day.isoformat(), "day"
    value = f"{day.isoformat()}T{c.hour:02d}:{c.minute or 0:02d}"
    if c.time_grain == "second":
        value += f":{c.second or 0:02d}"
    return value, c.time_grain or "hour"


def _week_value(monday: date) -> tuple[str, str]:
    """A week as its ISO week date ("2013-W07")."""
    year, week, _ = monday.isocalendar()
    return f"{year:04d}-W{week:02d}", "week"


def coarsen_week(value: str) -> tuple[str | None, str | None]:
    """A week as the smallest calendar period holding all of it (never an invented day)."""
    monday = date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return f"{monday.year:04d}-{monday.month:02d}", "month"
    if monday.year == sunday.year:
        return f"{monday.year:04d}", "year"
    return None, None


PREFERENCES = ("nearest", "past", "future", "current")


def _nearest_year(
    month: int,
    day: int,
    weekday: int | None,
    ref: date,
    direction: int | None,
    prefer: str = "nearest",
):
    """The date with this month and day closest to ``ref`` in the direction given.

    direction -1: the latest on or before ``ref``; +1: the earliest on or after it; None: as
    ``prefer`` says (nearest of last, this and next year by default; "current": the
    reference's own year). A written weekday picks the year it agrees with.
    """
    if direction is None and prefer != "nearest":
        if prefer == "current":
            found = _valid(ref.year, month, day)
            if found is not None and (weekday is None or found.weekday() == weekday):
                return found
        else:
            direction = -1 if prefer == "past" else 1
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _valid(y, month, day))]
    if weekday is not None:
        agreeing = [d for d in options if d.weekday() == weekday]
        if agreeing:
            options = agreeing
    if direction == -1:
        options = [d for d in options if d <= ref]
        return max(options) if options else None
    if direction == 1:
        options = [d for d in options if d >= ref]
        return min(options) if options else None
    if not options:
        return None
    # ties go to the past: news reports more often look back
    return min(options, key=lambda d: (abs((d - ref).days), d > ref))


def resolve(
    c: Candidate,
    ref: date | None,
    ref_month: tuple[int, int] | None = None,
    prefer: str = "nearest",
) -> tuple[str | None, str | None]:
    """(ISO value, precision) of a candidate, or (None, None) when it cannot be resolved.

    ``ref`` is the reference day; without it, ``ref_month`` (year, month) still places a date
    written without its year ("Senin (20/10)", "Januari lalu") and months or years counted from
    it ("bulan lalu", "tahun ini"), never "kemarin" or "Rabu lalu".
    ``prefer`` settles what the text leaves open: a date without its year and with no "lalu"
    or "mendatang" ("nearest" to the reference by default, the news reading; "past", "future",
    or the reference's year, "current"), and a weekday standing alone (on or before the
    reference, except "future": the next one after it).
    """
    if c.unit is None:
        return _absolute(c, ref)
    if ref is None:
        if ref_month is None or c.unit not in ("day_month", "month_name", "month", "year"):
            return None, None
        if c.unit in ("month", "year"):  # "bulan lalu", "tahun ini": the month is enough
            return resolve(c, date(ref_month[0], ref_month[1], 1))
        return _in_month(c, ref_month)
    unit = c.unit
    if unit == "day":
        return _with_time(ref + timedelta(days=c.amount), c)
    if unit == "day_month":
        found = _nearest_year(c.month, c.day, c.weekday, ref, c.direction, prefer)
        return _with_time(found, c) if found else (None, None)
    if unit == "month_name":
        if c.direction == 0:
            year = ref.year
        elif c.direction == 1:
            year = ref.year if c.month > ref.month else ref.year + 1
        else:
            year = ref.year if c.month < ref.month else ref.year - 1
        return f"{year:04d}-{c.month:02d}", "month"
    if unit == "weekday":
        back = (ref.weekday() - c.weekday) % 7
        ahead = (c.weekday - ref.weekday()) % 7
        if c.bare_weekday:  # "kata dia, Selasa": this week's, on or before the reference
            if prefer == "future" and c.direction is None:
                return _with_time(ref + timedelta(days=ahead or 7), c)
            day = ref + timedelta(days=ahead) if c.direction == 1 else ref - timedelta(days=back)
            return _with_time(day, c)
        if c.direction == -1:
            return (ref - timedelta(days=back or 7)).isoformat(), "day"
        if c.direction == 1:
            return (ref + timedelta(days=ahead or 7)).isoformat(), "day"
        return (ref + timedelta(days=c.weekday - ref.weekday())).isoformat(), "day"
    if unit == "weekday_in_week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=c.amount)
        return (monday + timedelta(days=c.weekday)).isoformat(), "day"
    if unit == "week":
        return _week_value(ref - timedelta(days=ref.weekday()) + timedelta(weeks=c.amount))
    if unit == "month":
        year, month = _shift_month(ref.year, ref.month, c.amount)
        return f"{year:04d}-{month:02d}", "month"
    if unit == "year":
        return f"{ref.year + c.amount:04d}", "year"
    return None, None


def _in_month(c: Candidate, ref_month: tuple[int, int]) -> tuple[str | None, str | None]:
    """A date without its year placed against a reference known only to the month."""
    year, month = ref_month
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    if c.unit == "month_name":
        return resolve(c, last if c.direction == -1 else first)
    if c.direction == -1:
        found = _nearest_year(c.month, c.day, c.weekday, last, -1)
    elif c.direction == 1:
        found = _nearest_year(c.month, c.day, c.weekday, first, 1)
    else:
        found = _nearest_year(c.month, c.day, c.weekday, first + timedelta(days=14), None)
    return _with_time(found, c) if found else (None, None)


def _absolute(c: Candidate, ref: date | None) -> tuple[str | None, str | None]:
    if c.form == "time":
        if ref is None:
            return None, None
        return _with_time(ref, c)
    if c.year is None or not MIN_YEAR <= c.year <= MAX_YEAR:
        return None, None
    if c.ambiguous_order:
        return f"{c.year:04d}", "year"  # "3/4/2017" in English: the day and month are unsure
    if c.day is not None:
        found = _valid(c.year, c.month, c.day)
        return _with_time(found, c) if found else (None, None)
    if c.month is not None:
        return (f"{c.year:04d}-{c.month:02d}", "month") if 1 <= c.month <= 12 else (None, None)
    return f"{c.year:04d}", "year"
