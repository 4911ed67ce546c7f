"""Turning date candidates into ISO values of known precision.

A candidate that states its year is resolved on its own. Everything else (a day and month
without a year, "kemarin", "Rabu lalu", "bulan lalu") needs a reference day, normally the
article's publication date; without one it stays unresolved (value None). The year is never
taken from the clock.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta

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


PREFERENCES = ("past", "nearest", "future", "current")
PAST_GRACE_DAYS = 1


def _nearest_year(
    month: int,
    day: int,
    weekday: int | None,
    ref: date,
    direction: int | None,
    prefer: str = "past",
):
    """The date with this month and day closest to ``ref`` in the direction given.

    direction -1: the latest on or before ``ref``; +1: the earliest on or after it; None: as
    ``prefer`` says (the latest on or before it by default, since news reports look back;
    "nearest" of last, this and next year; "current": the reference's own year). A written
    weekday picks the year it agrees with.
    """
    latest = ref
    if direction == 0:  # "2 Oktober ini": this year's
        return _valid(ref.year, month, day)
    if direction is None and prefer != "nearest":
        if prefer == "current":
            found = _valid(ref.year, month, day)
            if found is not None and (weekday is None or found.weekday() == weekday):
                return found
        else:
            direction = -1 if prefer == "past" else 1
            # the reference is a publication or reporting day, a day off now and then
            # ("HULU SELANGOR 29 Mei -" published on 28 May in another time zone)
            latest = ref + timedelta(days=PAST_GRACE_DAYS)
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _valid(y, month, day))]
    agreeing = [d for d in options if d.weekday() == weekday] if weekday is not None else []
    if agreeing:
        options = agreeing
    if direction == -1:
        before = [d for d in options if d <= latest]
        if before or not agreeing:
            return max(before) if before else None
    elif direction == 1:
        after = [d for d in options if d >= ref]
        if after or not agreeing:
            return min(after) if after else None
    # a written weekday settles the year even against the direction ("akan ... Kamis (18/9)")
    if not options:
        return None
    # ties go to the past: news reports more often look back
    return min(options, key=lambda d: (abs((d - ref).days), d > ref))


def resolve(
    c: Candidate,
    ref: date | None,
    ref_month: tuple[int, int] | None = None,
    prefer: str = "past",
    ref_time: datetime | None = None,
) -> tuple[str | None, str | None]:
    """(ISO value, precision) of a candidate, or (None, None) when it cannot be resolved.

    ``ref`` is the reference day; without it, ``ref_month`` (year, month) still places a date
    written without its year ("Senin (20/10)", "Januari lalu") and months or years counted from
    it ("bulan lalu", "tahun ini"), never "kemarin" or "Rabu lalu". ``ref_time`` is the
    reference instant (wall-clock), needed for hours, minutes and seconds ("2 jam yang lalu").
    A stretch ("7 hari terakhir") resolves to its first period; ``span_end`` gives its end.
    ``prefer`` settles what the text leaves open: a date without its year and with no "lalu"
    or "mendatang" (the last one on or before the reference by default, "past", the news
    reading: a story reports what has happened; "nearest", "future", or the reference's year,
    "current"), and a weekday standing alone (on or before the reference, except "future":
    the next one after it).
    """
    try:
        return _resolve(c, ref, ref_month, prefer, ref_time)
    except OverflowError:  # a reference at the edge of the calendar ("besok" on 9999-12-31)
        return None, None


def _resolve(c, ref, ref_month, prefer, ref_time):
    if c.unit is None:
        return _absolute(c, ref)
    if c.unit == "part" and c.year is not None:  # "kuartal III 2025"
        if not MIN_YEAR <= c.year <= MAX_YEAR:
            return None, None
        return f"{c.year:04d}-{c.month:02d}", "month"
    if ref is None:
        if ref_month is None or c.unit not in _MONTH_ENOUGH:
            return None, None
        if c.unit in ("month", "year"):  # "bulan lalu", "tahun ini": the month is enough
            value, precision = _resolve(c, date(ref_month[0], ref_month[1], 1), None, prefer, None)
            if precision == "day":  # "tiga bulan lalu" counted from an unknown day
                return (value[:7], "month") if c.unit == "month" else (value[:4], "year")
            return value, precision
        return _in_month(c, ref_month, prefer)
    unit = c.unit
    if c.last:
        start = _span(c, ref)[0]
        return start if start[0] is not None else (None, None)
    if unit == "second":
        if ref_time is None:
            # "sekarang" is at least the reference day; "2 jam lalu" may be the day before
            return (ref.isoformat(), "day") if c.amount == 0 else (None, None)
        return _instant(ref_time + timedelta(seconds=c.amount), c.time_grain)
    if unit in ("month", "year") and c.form == "reln":
        # "sebulan yang lalu", "3 years ago": the same day counted back, as dateparser and
        # Duckling read it (the whole period is "bulan lalu", "last year")
        year, month = _shift_month(ref.year, ref.month, c.amount * (12 if unit == "year" else 1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None, None
        return date(year, month, min(ref.day, monthrange(year, month)[1])).isoformat(), "day"
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
        elif c.direction == -1:
            year = ref.year if c.month < ref.month else ref.year - 1
        else:  # "bulan Desember", "awal Maret": as ``prefer`` says
            year = _month_year(c.month, ref, prefer)
        return f"{year:04d}-{c.month:02d}", "month"
    if unit == "part":  # "semester I tahun lalu", "kuartal ketiga" (a year's part, as months)
        if c.direction is not None:
            year = ref.year + c.direction
        else:
            year = _month_year(c.month, ref, prefer)
        return f"{year:04d}-{c.month:02d}", "month"
    if unit == "month_in_year":  # "Desember tahun lalu"
        return f"{ref.year + c.amount:04d}-{c.month:02d}", "month"
    if unit == "month_day":  # "tanggal 17 bulan depan", "tanggal 20"
        return _month_day(c, ref, prefer)
    if unit == "weekday":
        back = (ref.weekday() - c.weekday) % 7
        ahead = (c.weekday - ref.weekday()) % 7
        if c.bare_weekday:  # "kata dia, Selasa": this week's, on or before the reference
            if prefer == "future" and c.direction is None:
                return _with_time(ref + timedelta(days=ahead or 7), c)
            day = ref + timedelta(days=ahead) if c.direction == 1 else ref - timedelta(days=back)
            return _with_time(day, c)
        if c.direction == -1:
            return _with_time(ref - timedelta(days=back or 7), c)
        if c.direction == 1:
            return _with_time(ref + timedelta(days=ahead or 7), c)
        return _with_time(ref + timedelta(days=c.weekday - ref.weekday()), c)
    if unit == "weekday_in_week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=c.amount)
        return _with_time(monday + timedelta(days=c.weekday), c)
    if unit == "week":
        return _week_value(ref - timedelta(days=ref.weekday()) + timedelta(weeks=c.amount))
    if unit == "month":
        year, month = _shift_month(ref.year, ref.month, c.amount)
        return f"{year:04d}-{month:02d}", "month"
    if unit == "year":
        return f"{ref.year + c.amount:04d}", "year"
    return None, None


# Units that a reference known only to its month still places.
_MONTH_ENOUGH = frozenset({"day_month", "month_name", "month", "year", "month_in_year", "part"})


def _month_year(month: int, ref: date, prefer: str) -> int:
    """The year of a month named without one: the last begun by ``ref`` ("past"), the next
    still to begin or under way ("future"), the reference's own ("current") or the nearest."""
    if prefer == "current":
        return ref.year
    if prefer == "future":
        return ref.year if month >= ref.month else ref.year + 1
    if prefer == "nearest" and abs(month - ref.month) > 6:
        return ref.year + (1 if month < ref.month else -1)
    return ref.year if month <= ref.month or prefer == "nearest" else ref.year - 1


def _month_day(c: Candidate, ref: date, prefer: str = "past") -> tuple[str | None, str | None]:
    """Day ``c.day`` of the month ``c.amount`` months away, or, unmarked, as ``prefer`` says."""
    if c.direction is not None:
        offset = c.amount
    elif prefer == "future":
        offset = 0 if c.day >= ref.day else 1
    elif prefer == "current" or prefer == "nearest" and c.day - ref.day <= 15:
        offset = 0
    else:
        offset = 0 if c.day <= ref.day else -1
    year, month = _shift_month(ref.year, ref.month, offset)
    found = _valid(year, month, c.day)
    if found is None and c.direction is None:  # "tanggal 31" in a short month: the one before
        year, month = _shift_month(year, month, -1)
        found = _valid(year, month, c.day)
    return _with_time(found, c) if found else (None, None)


def _instant(moment: datetime, grain: str | None) -> tuple[str | None, str | None]:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None, None
    value = moment.strftime("%Y-%m-%dT%H:%M")
    if grain == "second":
        value += moment.strftime(":%S")
    return value, grain or "second"


def _span(c: Candidate, ref: date) -> tuple[tuple[str | None, str | None], str | None]:
    """((first period, precision), end) of "the last N units": whole units before the current.

    As Duckling reads "7 hari terakhir" on 12 February: [5 February, 12 February).
    """
    try:
        return _span_values(c, ref)
    except (OverflowError, ValueError):
        return (None, None), None


def _span_values(c: Candidate, ref: date) -> tuple[tuple[str | None, str | None], str | None]:
    n = -c.amount
    if c.unit == "day":
        start, end = (ref - timedelta(days=n)).isoformat(), ref.isoformat()
        precision = "day"
    elif c.unit == "week":
        monday = ref - timedelta(days=ref.weekday())
        (start, precision), end = _week_value(monday - timedelta(weeks=n)), _week_value(monday)[0]
    elif c.unit == "month":
        year, month = _shift_month(ref.year, ref.month, -n)
        start, end = f"{year:04d}-{month:02d}", f"{ref.year:04d}-{ref.month:02d}"
        precision = "month"
    else:
        start, end, precision = f"{ref.year - n:04d}", f"{ref.year:04d}", "year"
    if not MIN_YEAR <= int(start[:4]):
        return (None, None), None
    return (start, precision), end


def coarsen_span(start: str, precision: str, end: str) -> tuple[str | None, str | None]:
    """The smallest calendar month or year holding all of [start, end), else (None, None)."""
    first = _first_day(start, precision)
    last = _first_day(end, precision) - timedelta(days=1)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}", "month"
    if first.year == last.year:
        return f"{first.year:04d}", "year"
    return None, None


def _first_day(value: str, precision: str) -> date:
    if precision == "week":
        return date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
    return date(int(value[:4]), int(value[5:7] or 1), int(value[8:10] or 1))


def span_end(c: Candidate, ref: date | None, value: str | None = None) -> str | None:
    """The end (exclusive, at the start's precision) of a stretch such as "7 hari terakhir".

    A part of a year ("kuartal III") ends ``c.amount`` months after its first month ``value``.
    """
    if c.unit == "part" and value is not None:
        year, month = _shift_month(int(value[:4]), int(value[5:7]), c.amount)
        return f"{year:04d}-{month:02d}"
    if not c.last or ref is None:
        return None
    return _span(c, ref)[1]


def _in_month(
    c: Candidate, ref_month: tuple[int, int], prefer: str = "past"
) -> tuple[str | None, str | None]:
    """A date without its year placed against a reference known only to the month."""
    year, month = ref_month
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    if c.unit in ("month_name", "month_in_year", "part"):
        return resolve(c, first if c.direction == 1 else last)
    if c.direction == -1:
        found = _nearest_year(c.month, c.day, c.weekday, last, -1)
    elif c.direction in (0, 1):
        found = _nearest_year(c.month, c.day, c.weekday, first, c.direction)
    else:
        # the reference day is somewhere in the month: the past as seen from its last day
        found = _nearest_year(c.month, c.day, c.weekday, last, None, prefer)
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
