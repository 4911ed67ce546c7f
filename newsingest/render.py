"""Turning stored rows into text for people and files for programs (tables, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

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
)
EXPORT_LISTS = ("files", "dates", "places", "urls", "removed")
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
    """CSV with a header; list and dict values are written as JSON."""
    columns = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield _drain(buffer)
    for row in rows:
        writer.writerow(
            [
                json.dumps(row.get(c), ensure_ascii=False)
                if isinstance(row.get(c), list | dict)
                else row.get(c)
                for c in columns
            ]
        )
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def query_table(rows: list[dict], marks: bool = False):
    """A rich Table of search results: title and highlighted snippet per article.

    With ``marks`` (output that is not a terminal, where styles vanish) matched words keep
    their ``**`` marks instead of being shown in reverse video.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("title / snippet", ratio=1)
    for row in rows:
        cell = Text(row["title"] or "(no title)", style="bold")
        if row.get("cluster_size", 1) > 1:
            cell.append(f"  [{row['cluster_size']} copies]", style="dim")
        cell.append("\n")
        cell.append_text(_highlighted(row["snippet"], marks))
        table.add_row(
            str(row["id"]), row["published"] or "-", row["language"] or "-", row["source"], cell
        )
    return table


def _highlighted(snippet: str, marks: bool):
    from rich.text import Text

    if marks:
        return Text(snippet.replace("\n", " "))
    text = Text()
    start, end = HIGHLIGHT
    parts = snippet.replace("\n", " ").split(start)
    text.append(parts[0])
    for part in parts[1:]:
        matched, _, rest = part.partition(end)
        text.append(matched, style="bold reverse")
        text.append(rest)
    return text


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
        f"  {f['path']}"
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


def status_text(counts: dict, runs: list[dict], failed: list[dict]) -> str:
    """The corpus at a glance: totals, recent runs, files that failed."""
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
            f"{run[k]} {k}"
            for k in ("added", "updated", "unchanged", "duplicate", "failed", "skipped", "missing")
            if run[k]
        )
        lines.append(
            f"  #{run['id']} {run['command']} {run['started']}  {outcome}"
            + (f"  ({counts_text})" if counts_text else "")
        )
    if not runs:
        lines.append("  (none)")
    lines += ["", "Files that failed:"]
    lines += [f"  {f['path']}: {f['status']}: {f['error']}" for f in failed] or ["  (none)"]
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
