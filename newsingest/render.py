"""Turning stored rows into text for people and files for programs (tables, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

from .store import RUN_COUNTS

# Marks around matched words in snippets of machine-readable output.
HIGHLIGHT = ("**", "**")

QUERY_COLUMNS = (
    "id",
    "score",
    "published",
    "language",
    "source",
    "title",
    "snippet",
    "cluster_size",
)
EXPORT_SCALARS = (
    "id",
    "source",
    "title",
    "body",
    "language",
    "language_probability",
    "published",
    "published_precision",
    "published_method",
    "url",
    "site_name",
    "author",
)
EXPORT_LISTS = ("files", "dates", "places", "urls", "removed")


# Characters that would break a message into lines or drive a terminal: C0 and C1 controls,
# DEL, and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` on one harmless line: control characters written as escapes (\\n, \\x1b)."""
    return CONTROL_CHARACTERS.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
EXPORT_CLUSTER = ("credit", "cluster_id", "cluster_size", "cluster_similarity")


def json_lines(rows: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def json_array(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, streamed."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n  " + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


def csv_rows(rows: Iterable[dict], columns: Iterable[str]) -> Iterator[str]:
    """CSV with a header; list and dict values are written as JSON, text as ``spreadsheet_safe``
    makes it."""
    columns = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield _drain(buffer)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
        yield _drain(buffer)


def _csv_cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return spreadsheet_safe(value) if isinstance(value, str) else value


# A cell opening with one of these is read as a formula by Excel, LibreOffice and Google Sheets
# (=HYPERLINK(...) sends the reader's data away, =cmd|... ran programs in old Excel): a scraped
# title or body can hold one.
_FORMULA_OPENINGS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` with an apostrophe before it when a spreadsheet would run it as a formula (OWASP's
    CSV injection defence); a plain number such as ``-6.2`` stays as it is."""
    if text.startswith(_FORMULA_OPENINGS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def query_table(rows: list[dict], width: int = 80, terminal: bool = False) -> str:
    """Search results as a text table: id, date, language, source, then title and snippet.

    On a terminal the title is bold and matched words are in reverse video; elsewhere (where
    styles vanish) matched words keep their ``**`` marks. Written by hand rather than with
    rich: importing rich costs a query ~45 ms of its start-up.
    """
    header = ("id", "published", "lang", "source", "title / snippet")
    cells = [
        (
            str(row["id"]),
            row["published"] or "-",
            row["language"] or "-",
            _fit(row["source"], SOURCE_WIDTH),
        )
        for row in rows
    ]
    widths = [max(len(header[i]), *(len(c[i]) for c in cells)) for i in range(4)]
    text_width = max(20, width - sum(widths) - 2 * len(widths))
    lines = [_row(header[:4], widths) + header[4]]
    for row, fixed in zip(rows, cells, strict=True):
        title_spans = [(row["title"] or "(no title)", "bold")]
        if row.get("cluster_size", 1) > 1:
            title_spans.append((f" [{row['cluster_size']} copies]", "dim"))
        title = _wrap(title_spans, text_width, terminal)
        snippet = row["snippet"].replace("\n", " ")
        spans = highlight_spans(snippet) if terminal else [(snippet, "")]
        body = _wrap(spans, text_width, terminal)
        for index, text in enumerate(title + body):
            lines.append(_row(fixed if index == 0 else ("",) * 4, widths) + text)
    return "\n".join(line.rstrip() for line in lines) + "\n"


SOURCE_WIDTH = 24
_STYLES = {"bold": "\x1b[1m", "bold reverse": "\x1b[1;7m", "dim": "\x1b[2m"}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(cells, widths) -> str:
    first = cells[0].rjust(widths[0])
    rest = [cell.ljust(w) for cell, w in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest]) + "  "


def _wrap(spans: list[tuple[str, str]], width: int, terminal: bool) -> list[str]:
    """Styled text wrapped at word boundaries to ``width`` visible characters per line."""
    words: list[tuple[str, str, bool]] = []  # (word, style, starts after a space)
    spaced = True
    for text, style in spans:
        for index, part in enumerate(text.split(" ")):
            if part:
                # A matched word glued to the text before it ("(**Serang**)") stays glued.
                words.append((part, style, spaced or index > 0))
        spaced = text.endswith(" ")
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word, style, spaced in words:
        gap = 1 if spaced and line else 0
        if line and used + gap + len(word) > width:
            lines.append("".join(line))
            line, used, gap = [], 0, 0
        while len(word) > width:  # a URL longer than the column
            lines.append(_styled(word[:width], style, terminal))
            word = word[width:]
        line.append(" " * gap + _styled(word, style, terminal))
        used += gap + len(word)
    if line:
        lines.append("".join(line))
    return lines


def _styled(text: str, style: str, terminal: bool) -> str:
    if not terminal or not style:
        return text
    return f"{_STYLES[style]}{text}\x1b[0m"


def highlight_spans(snippet: str) -> list[tuple[str, str]]:
    """A marked snippet as (text, style) pieces: matched words "bold reverse", the rest plain.

    The opening and closing marks are the same ("**"), so pieces alternate: plain, matched,
    plain... (splitting on the opening mark alone left every piece after the first match
    matched).
    """
    start, end = HIGHLIGHT
    pieces: list[tuple[str, str]] = []
    rest, matched = snippet, False
    while rest:
        mark = end if matched else start
        text, found, rest = rest.partition(mark)
        if text:
            pieces.append((text, "bold reverse" if matched and found else ""))
        if not found:
            break
        matched = not matched
    return pieces


def match_count(count) -> str:
    """A MatchCount as the table's footer says it: "1,234", "100,000+" (more than were
    counted), "about 46,000" (estimated from a sample of the matches)."""
    text = f"{count.value:,}" + ("+" if count.more else "")
    return text if count.exact else f"about {text}"


def facets_text(counts: dict[str, list[tuple[str, int]]]) -> str:
    """Facet counts as text: one block per facet, largest values first."""
    lines: list[str] = []
    for name, pairs in counts.items():
        lines.append(f"{name}:")
        width = max((len(f"{n:,}") for _, n in pairs), default=1)
        lines += [f"  {n:>{width},}  {value}" for value, n in pairs] or ["  (none)"]
    return "\n".join(lines) + "\n"


def article_text(article: dict) -> str:
    """Everything stored for one article, as readable text."""
    lines = [f"Article {article['id']}", ""]
    fields = (
        ("title", "title"),
        ("source", "source"),
        ("language", "language"),
        ("probability", "language_probability"),
        ("published", "published"),
        ("precision", "published_precision"),
        ("found by", "published_method"),
        ("url", "url"),
        ("site", "site_name"),
        ("author", "author"),
        ("words", "word_count"),
        ("first seen", "first_seen"),
        ("last seen", "last_seen"),
        ("credit", "credit"),
        ("pipeline", "pipeline_version"),
        ("hash", "content_hash"),
    )
    width = max(len(label) for label, _ in fields)
    for label, key in fields:
        if article.get(key) not in (None, ""):
            lines.append(f"{label:>{width}}  {article[key]}")
    lines += ["", "Files:"]
    lines += [
        f"  {printable(f['path'])}"
        + (f" (record {f['record'] + 1})" if f["record"] else "")
        + f"  [{f['status']}, {f['encoding'] or '?'}"
        + (f", repaired: {f['repairs']}" if f.get("repairs") else "")
        + "]"
        for f in article["files"]
    ] or ["  (none)"]
    cluster = article.get("cluster")
    if cluster:
        lines += ["", f"Reprints: cluster {cluster['cluster_id']}, {cluster['size']} articles"]
        lines += [
            f"  {m['id']}"
            + (" (canonical)" if m["id"] == cluster["cluster_id"] else f" {m['similarity']:.2f}")
            + f"  {m['published'] or '-'}  {m['source']}"
            + (f"  [{m['credit']}]" if m["credit"] else "")
            + f"  {m['title'] or '(no title)'}"
            + ("  <- this article" if m["id"] == article["id"] else "")
            for m in cluster["members"]
        ]
    lines += ["", "Body:", article["body"], ""]
    lines.append(f"Dates ({len(article['dates'])}):")
    lines += [
        f"  {d['field']}@{d['start']}  {d['text']!r} -> {d['value'] or 'unresolved'}"
        f" ({d['precision'] or d['kind']})"
        for d in article["dates"]
    ]
    lines.append(f"Places ({len(article['places'])}):")
    lines += [
        f"  {p['field']}@{p['start']}  {p['text']!r} -> {p['name'] or '?'}"
        + (f", {p['country_code']}" if p["country_code"] else "")
        + (f" ({p['latitude']:.4f}, {p['longitude']:.4f})" if p["latitude"] is not None else "")
        + (f" [{p['kind']}]" if p["kind"] else "")
        for p in article["places"]
    ]
    lines.append(f"URLs ({len(article['urls'])}):")
    lines += [f"  {u['field']}@{u['start']}  {u['url']}" for u in article["urls"]]
    lines.append(f"Removed by cleaning ({len(article['removed'])}):")
    lines += [f"  [{r['reason']}] {r['text']!r}" for r in article["removed"]]
    return "\n".join(lines) + "\n"


def status_text(
    counts: dict, runs: list[dict], failed: list[dict], title_only: list[dict] = ()
) -> str:
    """The corpus at a glance: totals, recent runs, files that failed, articles that are only
    a title."""
    reprints = counts.get("reprints") or {}
    if counts.get("canonical_only"):
        lines = [
            f"{counts['articles']} articles counting each cluster of reprints once "
            f"({counts['articles'] + reprints.get('reprints', 0)} in all)"
        ]
    elif reprints.get("reprints"):
        lines = [
            f"{counts['articles']} articles "
            f"({reprints['canonical_articles']} counting each cluster of reprints once)"
        ]
    else:
        lines = [f"{counts['articles']} articles"]
    if reprints.get("clusters"):
        sizes = ", ".join(f"{size}: {n}" for size, n in sorted(reprints["cluster_sizes"].items()))
        clusters = reprints["clusters"]
        lines.append(
            f"reprints: {reprints['clustered_articles']} articles in {clusters} "
            f"cluster{'s' if clusters > 1 else ''} (clusters by size, {sizes})"
        )
    if counts["files"]:
        lines.append(
            "files: " + ", ".join(f"{n} {status}" for status, n in sorted(counts["files"].items()))
        )
    if counts["languages"]:
        lines.append(
            "languages: " + ", ".join(f"{lang} {n}" for lang, n in counts["languages"].items())
        )
    if counts["sources"]:
        lines.append("sources: " + ", ".join(f"{s} {n}" for s, n in counts["sources"].items()))
    lines += ["", "Recent runs:"]
    for run in runs:
        outcome = (
            "unfinished (killed or still running)"
            if run["finished"] is None
            else f"exit {run['exit_code']}, {run['seconds']:.1f}s"
        )
        counts_text = ", ".join(
            f"{run[k]} {k.replace('_', ' ')}"
            for k in RUN_COUNTS
            if run.get(k)
        )
        if run.get("error"):
            outcome += f": {printable(run['error'])}"
        lines.append(
            f"  #{run['id']} {run['command']} {run['started']}  {outcome}"
            + (f"  ({counts_text})" if counts_text else "")
        )
    if not runs:
        lines.append("  (none)")
    lines += ["", "Files that failed:"]
    lines += [
        printable(f"  {f['path']}: {f['status']}: {f['error']}") for f in failed
    ] or ["  (none)"]
    if counts.get("title_only"):
        lines += ["", f"Articles with a title only, no body text ({counts['title_only']}):"]
        lines += [
            printable(f"  {a['path'] or 'article ' + str(a['id'])}: {a['title']}")
            for a in title_only
        ]
    return "\n".join(lines) + "\n"


def progress_bar():
    """A transient progress display for stderr: files done, rate, time elapsed and left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:,.0f} files/s" if task.speed else "")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
