"""Metadata sidecars: a CSV or JSONL file beside the articles naming each one's title, URL, date.

Many collections ship their articles with one metadata file: a row per article giving its file
name and what the text itself does not say for sure (publication date, URL, title, source).
``load`` reads such a file into a ``Sidecar``; ``Sidecar.lookup`` gives the ``Given`` metadata
of one article file. The values win over what the pipeline would derive from the text: the
publication date is stored with ``published_method`` = ``metadata``.

A folder's sidecar is found automatically under one of ``SIDECAR_NAMES``; ``add --metadata
FILE`` names one explicitly (it then applies to every file it lists, wherever it lies).

Columns read (names matched without regard to case, the first present one wins):

* file: ``file``, ``filename``, ``file_name``, ``path``: the article's path relative to the
  sidecar's folder, or its bare file name;
* title: ``title``, ``headline`` (an empty value means the article has no title of its own);
* URL: ``url``, ``link``, ``canonical_url``, ``source_url``;
* publication date: ``published_iso``, ``date_published``, ``datePublished``, ``published``,
  ``published_at``, ``publish_date``, ``date_publish``, ``pubDate``, ``date``: ISO 8601 values
  (``2015-08-06``, ``2015-08-06 01:38:31``, ``2015-08``) or epoch seconds; others
  (``10/21/2025``: day and month cannot be told apart) are ignored, and the next column tried;
* source label: ``source``; site: ``site_name``, ``outlet``; author: ``author``, ``authors``.

A row without a file name is ignored; a malformed file raises ``SidecarError`` with the reason.
``Sidecar.unused_date`` says when a row's date will not reach its article, and why.
"""

from __future__ import annotations

import csv
import email.utils
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .article import Metadata
from .errors import NewsIngestError

# Looked for beside the articles of every folder an import walks (and never imported).
SIDECAR_NAMES = ("meta.jsonl", "metadata.jsonl", "meta.csv", "metadata.csv")
PUBLISHED_METHOD = "metadata"

_FILE = ("file", "filename", "file_name", "path")
_TITLE = ("title", "headline")
_URL = ("url", "link", "canonical_url", "source_url")
_DATE = (
    "published_iso",
    "date_published",
    "datepublished",
    "published",
    "published_at",
    "publish_date",
    "date_publish",
    "pubdate",
    "date",
)
# JSON Lines are split at line feeds and carriage returns only: JSON escapes those inside its
# strings, but not U+2028, U+2029 or U+0085, at which str.splitlines would cut a record in two.
JSON_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# RFC 2822, the date of RSS <pubDate> and of e-mail: "Tue, 03 Dec 2026 10:00:00 +0700". Its
# month is a name and its year has four digits, so it is as unambiguous as ISO 8601.
_RFC_2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+[-+\w]+)?"
)
_SOURCE = ("source",)
_SITE = ("site_name", "outlet")
_AUTHOR = ("author", "authors")


class SidecarError(NewsIngestError):
    """A metadata file that cannot be read."""


@dataclass(frozen=True, slots=True)
class Given:
    """What a sidecar says about one article; None where it says nothing."""

    title: str | None = None  # "" when the sidecar says the article has no title
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    source: str | None = None
    site_name: str | None = None
    author: str | None = None

    def as_metadata(self) -> Metadata:
        """The article metadata these values give (the source label aside)."""
        return Metadata(
            title=self.title,
            published=self.published,
            published_method=PUBLISHED_METHOD if self.published else None,
            url=self.url,
            site_name=self.site_name,
            author=self.author,
        )


@dataclass(frozen=True)
class Sidecar:
    """One metadata file: the Given metadata of each article file it names."""

    path: str
    by_path: dict[str, Given] = field(default_factory=dict)  # relative to the sidecar's folder
    by_name: dict[str, str] = field(default_factory=dict)  # a bare name seen once -> its row
    # row -> the date it gives that no column could be read as (its first non-empty date value)
    unread_dates: dict[str, str] = field(default_factory=dict)

    def row(self, abs_path: str) -> str | None:
        """The row (its key in ``by_path``) that names the article file at ``abs_path``."""
        folder = os.path.dirname(os.path.abspath(self.path))
        relative = os.path.relpath(abs_path, folder).replace(os.sep, "/")
        if relative in self.by_path:
            return relative
        return self.by_name.get(os.path.basename(abs_path))

    def lookup(self, abs_path: str) -> Given | None:
        """The metadata of the article file at ``abs_path``, or None."""
        row = self.row(abs_path)
        return None if row is None else self.by_path[row]

    def unmatched(self, used: set[str]) -> list[str]:
        """The rows, besides those ``used``, that name no file there is (a typo, another
        extension, files moved): their metadata reaches no article."""
        folder = os.path.dirname(os.path.abspath(self.path))
        return [
            row
            for row in self.by_path
            if row not in used and not os.path.exists(os.path.join(folder, row))
        ]

    def unused_date(self, row: str, now: datetime) -> tuple[str, str] | None:
        """(the date as written, why) when the row gives a date that its article does not get:
        one that cannot be read, or one that cannot be a publication date at ``now``."""
        written = self.unread_dates.get(row)
        if written is not None:
            return written, unread_reason(written)
        published = self.by_path[row].published
        if not published:
            return None
        # here, not at the top: the date scanner's patterns cost 0.2 s to import
        from .dates.publication import refused_meta

        reason = refused_meta(published, now)
        return None if reason is None else (published, reason)

    def __len__(self) -> int:
        return len(self.by_path)


def find(folder: str) -> str | None:
    """The sidecar of a folder, when it has one."""
    for name in SIDECAR_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def load(path: str) -> Sidecar:
    """Read a CSV or JSONL (or JSON list) metadata file; SidecarError with the reason if bad."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SidecarError(f"{path}: cannot read metadata file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise SidecarError(f"{path}: metadata file is not UTF-8") from exc
    rows = _json_rows(path, text) if _looks_like_json(path, text) else _csv_rows(path, text)
    by_path: dict[str, Given] = {}
    unread_dates: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for row in rows:
        fields = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        name = _text(_first(fields, _FILE))
        if not name:
            continue
        given = _given(fields)
        relative = os.path.normpath(name).replace(os.sep, "/")
        by_path[relative] = given
        written = _text(_first(fields, _DATE))
        # zeros are the zeroed epoch of a dump, "no date", as the number 0 is
        if given.published is None and written is not None and written.strip("0"):
            unread_dates[relative] = written
        names.setdefault(os.path.basename(relative), []).append(relative)
    # A bare name stands for a file only when the sidecar lists it once.
    by_name = {name: found[0] for name, found in names.items() if len(found) == 1}
    return Sidecar(path, by_path, by_name, unread_dates)


def _looks_like_json(path: str, text: str) -> bool:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    return suffix != ".csv" and text.lstrip()[:1] in ("{", "[")


def _json_rows(path: str, text: str) -> list[dict]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SidecarError(f"{path}: invalid JSON ({exc.msg}, line {exc.lineno})") from exc
        return [row for row in rows if isinstance(row, dict)]
    rows = []
    for number, line in enumerate(JSON_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SidecarError(f"{path}: invalid JSON on line {number} ({exc.msg})") from exc
        if isinstance(row, dict):
            rows.append(row)
    return rows


def _csv_rows(path: str, text: str) -> list[dict]:
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        if not reader.fieldnames or not any(
            str(name).strip().lower() in _FILE for name in reader.fieldnames
        ):
            raise SidecarError(
                f"{path}: no file name column (one of {', '.join(_FILE)}) in the header"
            )
        return list(reader)
    except csv.Error as exc:
        raise SidecarError(f"{path}: invalid CSV ({exc})") from exc


def _first(fields: dict, names: tuple[str, ...]):
    for name in names:
        if name in fields and fields[name] not in (None, ""):
            return fields[name]
    return None


def _text(value) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _given(fields: dict) -> Given:
    title = None
    for name in _TITLE:
        if name in fields and fields[name] is not None:
            title = str(fields[name]).strip()  # "" is kept: no title
            break
    published = None
    for name in _DATE:
        published = iso_date(fields.get(name))
        if published:
            break
    return Given(
        title=title,
        url=_text(_first(fields, _URL)),
        published=published,
        source=_text(_first(fields, _SOURCE)),
        site_name=_text(_first(fields, _SITE)),
        author=_text(_first(fields, _AUTHOR)),
    )


def iso_date(value) -> str | None:
    """An ISO 8601 or RFC 2822 date or datetime, or epoch seconds or milliseconds (as numbers
    or digits), as ISO text; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return epoch_date(value)
    candidate = str(value).strip()
    if len(candidate) == 4 and candidate.isdigit():
        return candidate
    if is_epoch_digits(candidate):
        return epoch_date(int(candidate))  # a CSV cell holds its epoch seconds as text
    if len(candidate) == 7 and candidate[4] == "-" and candidate.replace("-", "").isdigit():
        return candidate if 1 <= int(candidate[5:]) <= 12 else None
    if candidate.endswith("Z"):
        candidate = candidate[:-1] + "+00:00"
    if len(candidate) < 10 or candidate[4] != "-":
        return rfc2822_date(candidate)  # else None: "10/21/2025", day and month order unknown
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return parsed.date().isoformat() if len(candidate) == 10 else parsed.isoformat()


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?:[ T,].*)?")
_ISO_SHAPED = re.compile(r"\d{4}-\d{1,2}(?:-\d{1,2})?(?:[ T].*)?")


def unread_reason(written: str) -> str:
    """Why a date value that ``iso_date`` could not read gave no date."""
    found = _DAY_MONTH_YEAR.fullmatch(written)
    if found and max(int(found.group(1)), int(found.group(2))) <= 12:
        return "day and month order unknown"
    if _ISO_SHAPED.fullmatch(written):
        return "not a day on the calendar"
    return "not ISO 8601, RFC 2822 or epoch seconds"


def rfc2822_date(value: str) -> str | None:
    """An RFC 2822 date ("Tue, 03 Dec 2026 10:00:00 +0700") as ISO text in its own zone."""
    if not _RFC_2822.fullmatch(value.strip()):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.isoformat()


def epoch_date(value: int | float) -> str | None:
    """Epoch seconds, or milliseconds (above 10**11: no date before the year 5138), as ISO."""
    seconds = value / 1000 if value > 10**11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def is_epoch_digits(text: str) -> bool:
    """Epoch seconds or milliseconds written as digits: 10 or 13 of them (2001 to 2286)."""
    return text.isascii() and text.isdigit() and len(text) in (10, 13)
