"""The `stats` report for people: rich tables for the terminal, one self-contained HTML page.

Both take the dict of ``stats.corpus_stats``. The HTML page draws its charts as inline SVG
(no script, no fonts or files fetched): a timeline per source and per language, a map of the
places mentioned (the stored coordinates on a plain longitude/latitude grid) and bar charts.
"""

from __future__ import annotations

import html
import math

from .stats import by_period

# More periods than this are shown by year on the terminal.
MONTHS_ON_TERMINAL = 36
UNKNOWN = "unknown"


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def _label(value) -> str:
    return UNKNOWN if value is None else str(value)


def terminal_tables(report: dict) -> list:
    """The report as a list of rich renderables, in reading order."""
    from rich.table import Table
    from rich.text import Text

    total = report["articles"]
    cover = report["coverage"]
    shown = [
        Text(
            f"{total:,} articles"
            + "".join(f"  {k}={v}" for k, v in report.get("filters", {}).items())
        ),
        Text(
            f"publication date known: {cover['published']['articles']:,} "
            f"({_pct(cover['published']['share'])}), to the day: "
            f"{cover['published_to_the_day']['articles']:,} "
            f"({_pct(cover['published_to_the_day']['share'])})\n"
            f"at least one place: {cover['any_place']['articles']:,} "
            f"({_pct(cover['any_place']['share'])})"
        ),
    ]
    for column in ("source", "language"):
        shown.append(_pivot(report, column, Table))
    for key, title in (("countries", "Top countries"), ("cities", "Top cities")):
        table = Table(box=None)
        for name in ("place", "code", "articles", "mentions"):
            table.add_column(name, justify="left" if name in ("place", "code") else "right")
        for place in report[key]:
            table.add_row(
                place["name"], place["country_code"] or "", f"{place['articles']:,}",
                f"{place['mentions']:,}",
            )
        shown.append(_titled(title, table) if report[key] else Text(f"{title}: none"))
    for key, title, label, count in (
        ("domains", "Top linked domains", "domain", "mentions"),
        ("removed", "Removed by cleaning", "reason", "pieces"),
    ):
        table = Table(box=None)
        table.add_column(label)
        table.add_column("articles", justify="right")
        table.add_column(count, justify="right")
        for row in report[key]:
            table.add_row(row[label], f"{row['articles']:,}", f"{row[count]:,}")
        shown.append(_titled(title, table) if report[key] else Text(f"{title}: none"))
    failures = Table(box=None)
    for name in ("status", "reason", "files"):
        failures.add_column(name, justify="right" if name == "files" else "left")
    for row in report["failures"]:
        failures.add_row(row["status"], row["reason"], f"{row['files']:,}")
    shown.append(
        _titled("Files that failed (whole corpus)", failures)
        if report["failures"]
        else Text("Files that failed: none")
    )
    return shown


def _titled(title: str, table):
    from rich.console import Group
    from rich.text import Text

    return Group(Text(title, style="bold"), table)


def _pivot(report: dict, column: str, table_class):
    periods, names, cells = by_period(report, column)
    yearly = len(periods) > MONTHS_ON_TERMINAL
    if yearly:
        periods, names, cells = by_period(report, column, yearly=True)
    unit = "year" if yearly else "month"
    table = table_class(box=None)
    table.add_column(unit)
    for name in names:
        table.add_column(_label(name), justify="right")
    table.add_column("total", justify="right")
    for period in periods:
        counts = [cells.get((period, name), 0) for name in names]
        table.add_row(
            _label(period), *(f"{c:,}" if c else "" for c in counts), f"{sum(counts):,}"
        )
    return _titled(f"Articles by {unit} of publication and {column}", table)


# ----------------------------------------------------------------------------------------------
# HTML

PALETTE = (
    "#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5",
    "#9c6b4e", "#9498a0",
)
OTHERS = "#c9ccd1"

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;
margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.sub{color:#5b6475;margin:0 0 16px}.cards{display:flex;gap:14px;flex-wrap:wrap}
.card{border:1px solid #dde1e8;border-radius:8px;padding:10px 16px;min-width:170px}
.card b{display:block;font-size:24px}.card span{color:#5b6475;font-size:13px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px 28px}
svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#1d2430}
.legend{font-size:12px;color:#3a4252;margin:4px 0}.legend i{display:inline-block;width:10px;
height:10px;margin:0 4px 0 10px;border-radius:2px}.empty{color:#5b6475;font-style:italic}
footer{color:#5b6475;font-size:12px;margin-top:28px}
"""


def html_report(report: dict, title: str = "Corpus report") -> str:
    """The report as one self-contained HTML page."""
    cover = report["coverage"]
    filters = report.get("filters", {})
    sub = ", ".join(f"{k} {v}" for k, v in filters.items()) or "the whole corpus"
    cards = [
        (f"{report['articles']:,}", "articles"),
        (_pct(cover["published"]["share"]), "with a publication date"),
        (_pct(cover["published_to_the_day"]["share"]), "dated to the day"),
        (_pct(cover["any_place"]["share"]), "naming at least one place"),
        (f"{len(report['sources']):,}", "sources"),
        (f"{len(report['languages']):,}", "languages"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1><p class='sub'>{_e(sub)}</p>",
        "<div class='cards'>"
        + "".join(f"<div class='card'><b>{v}</b><span>{_e(k)}</span></div>" for v, k in cards)
        + "</div>",
    ]
    for column in ("source", "language"):
        parts.append(f"<h2>Articles by month of publication and {column}</h2>")
        parts.append(_timeline_svg(report, column))
    parts.append("<h2>Places mentioned</h2>")
    parts.append(_map_svg(report["map"]))
    parts.append("<div class='grid'>")
    bars = (
        ("Top countries", [(p["name"], p["articles"]) for p in report["countries"]], "articles"),
        ("Top cities", [(p["name"], p["articles"]) for p in report["cities"]], "articles"),
        ("Sources", [(_label(r["source"]), r["articles"]) for r in report["sources"]], "articles"),
        (
            "Languages",
            [(_label(r["language"]), r["articles"]) for r in report["languages"]],
            "articles",
        ),
        ("Top linked domains", [(r["domain"], r["articles"]) for r in report["domains"]],
         "articles linking"),
        ("Removed by cleaning", [(r["reason"], r["pieces"]) for r in report["removed"]],
         "pieces of text"),
        (
            "Files that failed (whole corpus)",
            [(f"{r['status']}: {r['reason']}", r["files"]) for r in report["failures"]],
            "files",
        ),
    )
    for heading, items, unit in bars:
        parts.append(f"<section><h2>{_e(heading)}</h2>{_bars_svg(items, unit)}</section>")
    parts.append("</div>")
    parts.append(
        "<footer>Made by newsingest stats. Counts are articles unless said otherwise; a place "
        "is drawn at its stored coordinates (a country at its capital).</footer></body></html>"
    )
    return "\n".join(parts) + "\n"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _timeline_svg(report: dict, column: str) -> str:
    periods, names, cells = by_period(report, column)
    dated = [p for p in periods if p and len(p) == 7]
    if not dated:
        return "<p class='empty'>No article has a publication month.</p>"
    months = _month_range(dated[0], dated[-1])
    yearly = len(months) > 240
    if yearly:
        months = sorted({m[:4] for m in months})
        cells = _sum_by_year(cells)
    shown = names[: len(PALETTE) - 1] if len(names) > len(PALETTE) else names
    colour = {name: PALETTE[i] for i, name in enumerate(shown)}
    stacks = []
    for month in months:
        stack = [(colour.get(name, OTHERS), cells.get((month, name), 0)) for name in names]
        stacks.append(stack)
    peak = max((sum(v for _, v in s) for s in stacks), default=0) or 1
    width, height, left, bottom, top = 1040, 240, 48, 36, 10
    step = (width - left - 10) / len(months)
    bar = max(step * 0.85, 1)
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="timeline by {column}">']
    for tick in _ticks(peak):
        y = top + (height - top - bottom) * (1 - tick / peak)
        out.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7ec"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    for index, (month, stack) in enumerate(zip(months, stacks, strict=True)):
        x = left + index * step
        y = height - bottom
        for fill, value in stack:
            if value:
                h = (height - top - bottom) * value / peak
                y -= h
                out.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{fill}"><title>{_e(month)}: {value:,}</title></rect>'
                )
    every = max(1, math.ceil(len(months) / 14))
    for index, month in enumerate(months):
        if index % every == 0:
            x = left + index * step + bar / 2
            out.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{_e(month)}</text>"
            )
    out.append("</svg>")
    legend = "".join(
        f"<i style='background:{colour[n]}'></i>{_e(_label(n))}" for n in shown
    ) + (f"<i style='background:{OTHERS}'></i>others" if len(shown) < len(names) else "")
    undated = sum(v for (p, _), v in cells.items() if not p or len(p) != 7)
    note = f" · {undated:,} articles without a publication month are not drawn" if undated else ""
    return "\n".join(out) + f"<p class='legend'>{legend}{_e(note)}</p>"


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _sum_by_year(cells: dict) -> dict:
    summed: dict = {}
    for (period, name), value in cells.items():
        if period and len(period) == 7:
            key = (period[:4], name)
            summed[key] = summed.get(key, 0) + value
    return summed


def _ticks(peak: int) -> list[int]:
    raw = peak / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, peak + 1, max(int(step), 1)))


def _map_svg(places: list[dict]) -> str:
    if not places:
        return "<p class='empty'>No place with coordinates.</p>"
    width, height = 1040, 520
    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="map of places mentioned">',
        f'<rect width="{width}" height="{height}" fill="#f3f6fa"/>',
    ]

    def x(lon: float) -> float:
        return (lon + 180) / 360 * width

    def y(lat: float) -> float:
        return (90 - lat) / 180 * height

    for lon in range(-180, 181, 30):
        out.append(
            f'<line x1="{x(lon):.1f}" x2="{x(lon):.1f}" y1="0" y2="{height}" stroke="#dde3ec"/>'
        )
    for lat in range(-60, 61, 30):
        stroke = "#b8c2d1" if lat == 0 else "#dde3ec"
        hemisphere = "" if lat == 0 else "NS"[lat < 0]
        out.append(
            f'<line x1="0" x2="{width}" y1="{y(lat):.1f}" y2="{y(lat):.1f}" stroke="{stroke}"/>'
            f'<text x="4" y="{y(lat) - 3:.1f}" fill="#8a93a3">{abs(lat)}°{hemisphere}</text>'
        )
    peak = max(p["articles"] for p in places) or 1
    # Largest first, so small places stay visible on top of large ones.
    for place in sorted(places, key=lambda p: -p["articles"]):
        radius = 2 + 22 * math.sqrt(place["articles"] / peak)
        fill = "#ff725c" if place["kind"] == "country" else "#4269d0"
        out.append(
            f'<circle cx="{x(place["longitude"]):.1f}" cy="{y(place["latitude"]):.1f}" '
            f'r="{radius:.1f}" fill="{fill}" fill-opacity="0.45" stroke="{fill}">'
            f"<title>{_e(place['name'])} ({_e(place['country_code'] or '')}): "
            f"{place['articles']:,} articles</title></circle>"
        )
    for place in sorted(places, key=lambda p: -p["articles"])[:12]:
        out.append(
            f'<text x="{x(place["longitude"]) + 4:.1f}" y="{y(place["latitude"]) - 4:.1f}">'
            f"{_e(place['name'])}</text>"
        )
    out.append("</svg>")
    legend = (
        "<p class='legend'><i style='background:#ff725c'></i>country (at its capital)"
        "<i style='background:#4269d0'></i>city, region or feature · circle area: articles "
        f"naming it · the {len(places):,} most named places</p>"
    )
    return "\n".join(out) + legend


def _bars_svg(items: list[tuple[str, int]], unit: str) -> str:
    if not items:
        return "<p class='empty'>None.</p>"
    items = items[:20]
    peak = max(v for _, v in items) or 1
    row, label_width, width = 22, 190, 500
    height = row * len(items) + 4
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(unit)}">']
    for index, (name, value) in enumerate(items):
        y = index * row + 2
        length = (width - label_width - 60) * value / peak
        shown = name if len(name) <= 30 else name[:29] + "…"
        out.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_e(shown)}'
            f"<title>{_e(name)}</title></text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="15" '
            f'fill="#4269d0" rx="2"/>'
            f'<text x="{label_width + length + 5:.1f}" y="{y + 14}">{value:,}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + f"<p class='legend'>{_e(unit)}</p>"
