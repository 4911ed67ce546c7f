"""The Article record: the one value that flows through the pipeline.

A reader makes an Article holding only ``raw`` (the decoded original) and ``format``; every stage
returns a copy with its own fields filled in (``dataclasses.replace``). Offsets (``start``) are
character offsets into the named field of the *cleaned* article (``title`` or ``body``).
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "title"
BODY = "body"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in the article, normalised to an ISO value of known precision."""

    field: str  # TITLE or BODY
    start: int  # offset of ``text`` in that field
    text: str  # as written
    value: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None for an unresolved relative date
    precision: str | None  # "day", "month" or "year"; None when value is None
    kind: str = "absolute"  # "absolute" or "relative" ("kemarin", "last Tuesday")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the article and, where known, the real place it resolves to."""

    field: str
    start: int
    text: str  # as written ("Suriah")
    name: str | None  # canonical name ("Syria"); the written text when unresolved
    country_code: str | None  # ISO 3166-1 alpha-2
    latitude: float | None
    longitude: float | None
    geonameid: int | None
    kind: str | None  # "country", "admin", "city" or "feature"


@dataclass(frozen=True, slots=True)
class UrlMention:
    """A URL written in the article, with its normalised form and domain."""

    field: str
    start: int
    text: str  # as written
    url: str  # normalised
    domain: str


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the reader's text that cleaning removed, and the rule that removed it."""

    text: str
    reason: str  # rule name, e.g. "repeated-title", "boilerplate:footer-russia-beyond", "learned"
    start: int | None = None  # offset in Article.text where it was found, when known


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a reader found about the article besides its text (HTML meta tags, JSON fields)."""

    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    published_method: str | None = None  # how it was found, e.g. "html:meta", "json:date_publish"
    url: str | None = None
    language: str | None = None
    site_name: str | None = None
    author: str | None = None
    # A publication date the record gives that reads as no date ("31/12/2023", "2023-02-29"):
    # (where, as written), kept only to tell the user that the article is dated without it.
    published_unread: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article, from its decoded original to every extracted mention."""

    raw: str  # decoded original: plain text, HTML source, or one JSON record
    format: str = "text"  # "text", "markdown", "html" or "json": how ``raw`` is parsed
    source: str = ""
    text: str = ""  # the reader's article text, before cleaning
    meta: Metadata = Metadata()
    title: str = ""
    body: str = ""
    language: str | None = None  # ISO 639-1, or None when too short or unsure
    language_probability: float | None = None
    published: str | None = None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    published_precision: str | None = None  # "day", "month" or "year"
    published_method: str | None = None  # e.g. "html:meta", "dateline", "first-date"
    dates: tuple[DateMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    urls: tuple[UrlMention, ...] = ()
    removed: tuple[Removal, ...] = ()
    credit: str | None = None  # the wire service or syndicator credited ("Antara", "Reuters")
    # Metadata given with the file (a sidecar), kept apart so that it wins over what the reader
    # finds each time the article is processed again.
    given: Metadata | None = None
