"""The corpus at a glance: the figures of `newsingest stats`, from the store's grouped counts.

``corpus_stats`` asks the store for grouped counts (kept up to date by triggers, see
``store.py``) and ``summarise`` turns them into one plain dict: the shape of
``stats --format json`` and the input of the terminal and HTML reports (``stats_report.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from .store import Filters, Store

# How many rows the ranked lists keep (places, domains).
TOP = 20
# Places drawn on the map of the HTML report.
MAP_PLACES = 300


def corpus_stats(store: Store, filters: Filters, match: str | None = None, top: int = TOP) -> dict:
    """Every figure of the report for the articles passing the filters (and the match)."""
    rows = store.stats_rows(filters, match, places_per_kind=max(top, MAP_PLACES))
    report = summarise(rows, top)
    report["filters"] = {k: v for k, v in asdict(filters).items() if v and k in FILTER_NAMES}
    if match:
        report["filters"]["match"] = match
    return report


FILTER_NAMES = ("language", "since", "until", "source", "place")


def summarise(rows: dict, top: int = TOP) -> dict:
    """The report's figures from ``Store.stats_rows`` output (pure)."""
    groups = rows["articles"]
    total = sum(g["articles"] for g in groups)
    dated = sum(g["articles"] for g in groups if g["period"])
    to_day = sum(g["articles"] for g in groups if g["to_day"])
    placed = sum(g["with_places"] for g in groups)
    timeline: Counter = Counter()
    for g in groups:
        timeline[(g["period"], g["source"], g["language"])] += g["articles"]
    places = rows["places"]
    return {
        "articles": total,
        "coverage": {
            "published": _share(dated, total),
            "published_to_the_day": _share(to_day, total),
            "any_place": _share(placed, total),
        },
        "sources": _ranked(groups, "source", total),
        "languages": _ranked(groups, "language", total),
        # Articles per publication month ("YYYY-MM"; "YYYY" when only the year is known; None
        # when unknown) for every source and language.
        "timeline": [
            {"period": period, "source": source, "language": language, "articles": count}
            for (period, source, language), count in sorted(
                timeline.items(), key=lambda item: (item[0][0] or "~", item[0][1], item[0][2] or "")
            )
        ],
        "countries": [_place(p) for p in places if p["kind"] == "country"][:top],
        "cities": [_place(p) for p in places if p["kind"] == "city"][:top],
        "map": [_place(p) for p in places if p["latitude"] is not None][:MAP_PLACES],
        "domains": rows["domains"][:top],
        "removed": rows["removed"],
        "failures": rows["failures"],
        "method": rows["method"],
    }


def _share(count: int, total: int) -> dict:
    return {"articles": count, "share": round(count / total, 4) if total else 0.0}


def _ranked(groups: list[dict], key: str, total: int) -> list[dict]:
    counts: Counter = Counter()
    for g in groups:
        counts[g[key]] += g["articles"]
    return [
        {key: name, "articles": count, "share": round(count / total, 4) if total else 0.0}
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
    ]


def _place(row: dict) -> dict:
    return {
        "name": row["name"],
        "country_code": row["country_code"],
        "kind": row["kind"],
        "geonameid": row["geonameid"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "articles": row["articles"],
        "mentions": row["mentions"],
    }


def by_period(report: dict, column: str, yearly: bool = False) -> tuple[list, list, dict]:
    """(periods, names, {(period, name): articles}) of the timeline by ``source`` or ``language``.

    With ``yearly`` months are summed into their years. Periods are in time order, the unknown
    (None) last; names by size.
    """
    cells: Counter = Counter()
    sizes: Counter = Counter()
    for row in report["timeline"]:
        period = row["period"]
        if yearly and period:
            period = period[:4]
        cells[(period, row[column])] += row["articles"]
        sizes[row[column]] += row["articles"]
    periods = sorted({p for p, _ in cells}, key=lambda p: p or "~")
    names = [name for name, _ in sorted(sizes.items(), key=lambda i: (-i[1], i[0] or ""))]
    return periods, names, dict(cells)
