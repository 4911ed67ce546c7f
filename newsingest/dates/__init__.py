"""Dates: every date written in an article, and the article's publication date.

``find_dates`` finds and resolves the dates in a plain string (compiled patterns over the month
and weekday names of the supported languages, see ``scanner.py``; no dateparser call on the hot
path). ``extract`` is the pipeline stage: it takes the publication date from the reader's
metadata when there is one, else from the article's own dateline or opening date (see
``publication.py``), and resolves relative expressions ("kemarin", "Rabu lalu") against it.

Where the labelled sources (dateparser, Duckling, DateTime::Format::Alami) read an expression
differently, or differently from how news uses it, the choices are:

* news resolves toward the past: a date without its year ("17 Agustus", "28/2", "Natal",
  "tanggal 20", "bulan Desember") is the last one on or before the reference, and a lone
  weekday ("kata dia, Selasa") the last one on or before it, since a story reports what has
  happened. A future word before it ("akan digelar 20 Maret") or after it ("20 Maret
  mendatang", "Senin depan") turns it forward. The labelled sources differ: they take the
  reference's year (``prefer="current"``) and Duckling the next weekday (``prefer="future"``);
  ``prefer="nearest"`` takes whichever is closest;
* "bulan lalu", "bulan depan", "tahun ini" are whole periods (Duckling; dateparser reads
  "bulan depan" as the day a month ahead), while "sebulan yang lalu", "3 tahun lalu" count the
  same day back (both sources); the stage stores those as the month or year they land in;
* "7 hari terakhir", "the last two years" are stretches of whole units up to the reference's
  own (Duckling: [5 February, 12 February) on 12 February), with ``FoundDate.end``;
* hours, minutes and seconds ("2 jam yang lalu") need a reference time and stay unresolved
  against a day; "hari ini" is a day, not an instant, and a part of the day ("besok pagi") adds
  no hour (Duckling puts "pagi" at 06:00), so both stay days;
* "dalam 3 hari" ("in 3 days"), "sekarang" and "baru saja" ("now", "just now") count only when
  they are the whole text (``parse``): in running text they mean "within 3 days", "now" in a
  loose sense, "has just".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from .. import urls
from ..article import BODY, TITLE, Article, DateMention
from . import publication
from .resolve import PREFERENCES, coarsen_span, coarsen_week, resolve, span_end
from .scanner import Candidate, scan

__all__ = ["FoundDate", "extract", "find_dates", "parse", "scan_fields"]


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date, relative expression or time found in a string, with its resolved value."""

    start: int
    text: str
    # "YYYY", "YYYY-MM", "YYYY-Www" (ISO week), "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"
    value: str | None  # None when unresolved
    precision: str | None  # "year", "month", "week", "day", "hour", "minute" or "second"
    kind: str  # "absolute", "relative" or "time" (a time of day with no date of its own)
    weekday: int | None = None  # the weekday written with the date (Monday = 0), if any
    # a stretch of time ("7 hari terakhir"): ``value`` is its first period and ``end`` the
    # period just after it, at the same precision; None for a single date
    end: str | None = None


def _reference(reference: date | datetime | str | None) -> tuple[date | None, datetime | None]:
    """The reference day, and the reference instant (wall-clock) when a time is given."""
    if reference is None:
        return None, None
    if isinstance(reference, datetime):
        return reference.date(), reference.replace(tzinfo=None)
    if isinstance(reference, date):
        return reference, None
    day = publication.parse_iso_day(reference)
    if day is None or "T" not in reference and " " not in reference.strip():
        return day, None
    try:
        return day, datetime.fromisoformat(reference.strip().replace("Z", "+00:00")).replace(
            tzinfo=None
        )
    except ValueError:
        return day, None


def _found(text: str, c: Candidate, ref, prefer: str) -> FoundDate | None:
    day, instant = ref
    value, precision = resolve(c, day, prefer=prefer, ref_time=instant)
    kind = c.kind
    if kind == "absolute" and value is None:
        return None  # "31/02/2017": not a date
    end = span_end(c, day, value) if value is not None else None
    return FoundDate(c.start, text[c.start : c.end], value, precision, kind, c.weekday, end)


def find_dates(
    text: str,
    language: str | None = None,
    reference: date | datetime | str | None = None,
    skip: tuple[tuple[int, int], ...] | None = None,
    prefer: str = "past",
) -> list[FoundDate]:
    """Dates written in ``text``; relative ones resolved against ``reference`` when given.

    ``language`` (ISO 639-1) picks the relative words to read ("kemarin" in Indonesian,
    "ayer" in Spanish; any when None) and the order of ambiguous numeric dates (English
    "3/4/2017"). ``skip`` holds (start, end) spans to ignore; by default the URLs in the text
    (a path's "/2019/06/13/" is not a date written in the article). ``prefer``: how a date
    without its year or a lone weekday is placed, see ``resolve.resolve``.
    """
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be one of {PREFERENCES}")
    if skip is None:
        skip = tuple((start, start + len(url)) for start, url in urls.find_spans(text))
    ref = _reference(reference)
    found = (_found(text, c, ref, prefer) for c in scan(text, language, skip))
    return [f for f in found if f is not None]


def parse(
    text: str,
    language: str | None = None,
    reference: date | datetime | str | None = None,
    prefer: str = "past",
) -> FoundDate | None:
    """The one date expression that ``text`` holds ("Selasa, 21 Okt 2025", "15/2", "besok").

    Unlike ``find_dates``, the whole text is taken to be a date, so forms too ambiguous in
    running text count: a lone weekday or its abbreviation, "15/2", "20251112". Returns the
    longest expression found, or None.
    """
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be one of {PREFERENCES}")
    ref = _reference(reference)
    found = [f for c in scan(text, language, whole=True) if (f := _found(text, c, ref, prefer))]
    return max(found, key=lambda f: len(f.text)) if found else None


def _mention(
    field: str, text: str, c: Candidate, ref: date | None, ref_month: tuple[int, int] | None
) -> DateMention | None:
    if c.kind == "time":
        return None
    value, precision = resolve(c, ref, ref_month)
    if c.kind == "absolute" and value is None:
        return None
    if value is not None and c.unit == "part":
        # "kuartal III 2025" is stored as the calendar year holding it
        value, precision = coarsen_span(value, precision, span_end(c, ref, value))
    elif value is not None and c.last:
        # a stretch ("7 hari terakhir") is stored as the calendar month or year holding it
        base = ref if ref is not None else date(ref_month[0], ref_month[1], 1)
        value, precision = coarsen_span(value, precision, span_end(c, base))
    elif precision == "day" and c.form == "reln" and c.unit in ("month", "year"):
        # "tiga bulan lalu" names a month, not the day the arithmetic lands on
        value, precision = (value[:7], "month") if c.unit == "month" else (value[:4], "year")
    if precision in ("hour", "minute", "second"):
        value, precision = value[:10], "day"
    elif precision == "week":
        value, precision = coarsen_week(value)
    kind = "absolute" if c.kind == "absolute" else "relative"
    return DateMention(field, c.start, text[c.start : c.end], value, precision, kind)


def scan_fields(article: Article) -> dict[str, list[Candidate]]:
    """The date candidates of title and body, the article's URLs left out."""
    spans = {TITLE: [], BODY: []}
    for url in article.urls:
        spans.setdefault(url.field, []).append((url.start, url.start + len(url.text)))
    return {
        field: scan(text, article.language, tuple(spans[field])) if text else []
        for field, text in ((TITLE, article.title), (BODY, article.body))
    }


def extract(article: Article, resources) -> Article:
    """Stage: the dates mentioned in title and body, and the publication date."""
    fields = ((TITLE, article.title), (BODY, article.body))
    found = scan_fields(article)
    published = publication.find(article, found, resources.now)
    ref = None
    if published.precision == "day" and published.method != publication.OPENING:
        # a story's reporting day is one day before its publication about once in five, so
        # "kemarin" is resolved against it only to the month
        ref = publication.parse_iso_day(published.value)
    ref_month = None
    if published.precision in ("day", "month"):
        ref_month = (int(published.value[:4]), int(published.value[5:7]))
    mentions = []
    for field, text in fields:
        for c in found[field]:
            mention = _mention(field, text, c, ref, ref_month)
            if mention is not None:
                mentions.append(mention)
    return replace(
        article,
        dates=tuple(mentions),
        published=published.value,
        published_precision=published.precision,
        published_method=published.method,
    )
