"""Accuracy and speed of the dates stage.

Parts (pick with --parts, default all):
  pub       publication date against the corpus metadata (meta.jsonl ``published_iso`` where
            ``date_kind`` is ``published`` or ``wire_timestamp``), with the real upstream stages
  expr      dates_expressions.jsonl: values of date expressions (rules of eval/README.md 3b)
  mentions  dates_mentions_id.jsonl: recall of labelled date spans in Indonesian news sentences
  speed     documents per second of the language, URL and date stages on the corpus

    python benchmarks/eval_dates.py [--corpus ../shared/corpus] [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import dates, language, pipeline, readers, urls  # noqa: E402
from newsingest.dates import lexicon  # noqa: E402

EVALUATED_KINDS = {"published", "wire_timestamp"}


# ---------------------------------------------------------------- corpus loading


def load_corpus(corpus: Path, resources, upto_dates: bool = True):
    """(source, file, meta, article before dates) for every corpus article."""
    before_dates = pipeline.STAGES[: pipeline.STAGES.index(dates.extract)]
    out = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        metas = {}
        for line in (folder / "meta.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            metas[record["file"]] = record
        for path in sorted(folder.glob("*.txt")):
            result = readers.read_bytes(path.read_bytes(), path.suffix, folder.name)
            for article in result.articles:
                for stage in before_dates:
                    article = stage(article, resources)
                out.append((folder.name, path.name, metas.get(path.name, {}), article))
    return out


# ---------------------------------------------------------------- (a) publication date


def part_pub(corpus_items, resources, reference: str) -> None:
    print("\n== (a) publication date vs corpus metadata")
    print(
        f"   'states the date': the metadata day is among the full dates (with year) that "
        f"{'dateparser.search_dates' if reference == 'dateparser' else 'find_dates'} finds "
        f"in title + body"
    )
    rows = defaultdict(Counter)
    methods = Counter()
    for source, _name, meta, article in corpus_items:
        if meta.get("date_kind") not in EVALUATED_KINDS or not meta.get("published_iso"):
            continue
        truth = meta["published_iso"][:10]
        done = dates.extract(article, resources)
        states = truth in _full_dates(article, reference)
        outcome = _outcome(done.published, done.published_precision, truth)
        methods[(done.published_method, outcome)] += 1
        if done.published_method == "opening":
            # what the opening rule would score if it kept the day (it keeps the month)
            day = next(
                f.value[:10]
                for f in dates.find_dates(article.body, article.language)
                if f.kind == "absolute"
                and f.weekday is not None
                and f.precision in ("day", "hour", "minute", "second")
            )
            methods[("opening as a day", "correct" if day == truth else "wrong")] += 1
        for key in (source, "ALL"):
            rows[key]["n"] += 1
            rows[key][outcome] += 1
            if states:
                rows[key]["states"] += 1
                rows[key]["states:" + outcome] += 1
    header = (
        f"{'source':24} {'n':>5} {'correct':>8} {'coarser':>8} {'wrong':>7} {'null':>7}"
        f" | {'states':>6} {'correct':>8} {'coarser':>8} {'wrong':>7} {'null':>7}"
    )
    print(header)
    for key in sorted(rows, key=lambda k: (k == "ALL", k)):
        r = rows[key]
        n, s = r["n"], r["states"]
        cells = [_pct(r[o], n) for o in ("correct", "coarser", "wrong", "null")]
        cells_s = [_pct(r["states:" + o], s) for o in ("correct", "coarser", "wrong", "null")]
        print(
            f"{key:24} {n:5d} "
            + " ".join(f"{c:>8}" for c in cells[:2])
            + " "
            + " ".join(f"{c:>7}" for c in cells[2:])
            + f" | {s:6d} "
            + " ".join(f"{c:>8}" for c in cells_s[:2])
            + " "
            + " ".join(f"{c:>7}" for c in cells_s[2:])
        )
    print(
        "   correct = same day; coarser = a month/year value that contains the day; "
        "wrong = disagrees at its own precision"
    )
    print(
        "   by method:",
        ", ".join(
            f"{m or 'none'}/{o}: {c}"
            for (m, o), c in sorted(methods.items(), key=lambda x: (str(x[0][0]), x[0][1]))
        ),
    )


def _outcome(value: str | None, precision: str | None, truth: str) -> str:
    if value is None:
        return "null"
    if precision == "day":
        return "correct" if value == truth else "wrong"
    return "coarser" if truth.startswith(value) else "wrong"


def _full_dates(article, reference: str) -> set[str]:
    text = article.title + "\n" + article.body
    if reference == "dateparser":
        from dateparser.search import search_dates

        found = (
            search_dates(
                text,
                languages=[article.language] if article.language else None,
                settings={"REQUIRE_PARTS": ["day", "month", "year"]},
            )
            or []
        )
        return {d.date().isoformat() for _, d in found}
    return {
        f.value[:10]
        for f in dates.find_dates(text, article.language)
        if f.kind == "absolute" and f.value and len(f.value) >= 10
    }


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


# ---------------------------------------------------------------- (b) expressions

_GRAINS = ("year", "month", "week", "day", "hour", "minute", "second")
_GRAIN_LEN = {"year": 4, "month": 7, "day": 10, "hour": 13, "minute": 16, "second": 19}


def _full_value(value: str) -> str:
    """A value of any precision written out to the second, missing parts at their start."""
    base = "0000-01-01T00:00:00"
    if len(value) == 13:
        value += ":00"
    return value + base[len(value) :]


def _agrees(value: str, precision: str, expected: str, grain: str, strict: bool) -> bool:
    """Whether a predicted value agrees with the expected one down to the expected grain."""
    if grain not in _GRAIN_LEN:
        grain = "second"
    if strict and _GRAINS.index(precision) < _GRAINS.index(grain):
        return False
    n = _GRAIN_LEN[grain]
    return _full_value(value)[:n] == expected[:n]


def _period(value: str, precision: str) -> tuple[datetime, datetime]:
    if precision == "week":
        monday = date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        start = datetime(monday.year, monday.month, monday.day)
        return start, start + timedelta(days=7)
    start = datetime.fromisoformat(_full_value(value))
    if precision == "year":
        return start, start.replace(year=start.year + 1)
    if precision == "month":
        return start, (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    step = {
        "day": timedelta(days=1),
        "hour": timedelta(hours=1),
        "minute": timedelta(minutes=1),
    }.get(precision, timedelta(seconds=1))
    return start, start + step


def _best(found):
    """The prediction for a one-expression case: the longest dated mention."""
    valued = [f for f in found if f.value]
    return max(valued, key=lambda f: len(f.text)) if valued else None


# What each source assumes for a date without its year and a lone weekday (eval/README.md 3b):
# Duckling takes the next weekday and the reference's year; dateparser and Alami the
# reference's year and the previous weekday.
CONVENTIONS = {"duckling": "future", "dateparser": "current", "alami": "current"}


def _score_case(case, strict: bool, conventions: bool = False) -> bool | None:
    kind, exp, text = case["kind"], case["expected"], case["text"]
    lang = case["lang"] if isinstance(case["lang"], str) else None
    ref = case["reference_datetime"]
    ref = datetime.fromisoformat(ref).replace(tzinfo=None) if ref else None
    if kind == "month_name":
        return lexicon.MONTHS.get(text.lower().rstrip(".")) == exp["month"]
    if kind == "weekday_name":
        word = text.lower().rstrip(".")
        day = lexicon.WEEKDAYS.get(word, lexicon.WEEKDAY_ABBREVIATIONS.get(word))
        names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        return day is not None and names[day] == exp["weekday"]
    prefer = CONVENTIONS.get(case["id"].split("-")[0], "nearest") if conventions else "nearest"
    found = dates.find_dates(text, lang, ref, prefer=prefer)
    if kind == "negative":
        return not found and dates.parse(text, lang, ref) is None
    if kind == "search":
        if exp["matches"] is None:
            return not [f for f in found if f.value]
        values = {f.value[:10] for f in found if f.value}
        return all(m["value"][:10] in values for m in exp["matches"])
    if kind in ("interval", "relative_or_absolute", "absolute", "holiday", "translation"):
        # one expression per case: the parser's job, not the search's
        one = dates.parse(text, lang, ref, prefer=prefer)
        found = [one] if one is not None else []
    if kind == "interval":
        best = _best(found)
        if best is None:
            return False
        start, end = _period(best.value, best.precision)
        lo, hi = (datetime.fromisoformat(v) for v in exp["interval"])
        open_ended = ref is not None and hi == ref  # "sejak bulan lalu": since then, until now
        return start == lo and (end == hi or open_ended)
    if "value" not in (exp or {}):
        return None  # a translation with no value to compare
    best = _best(found)
    if best is not None and best.precision == "week":
        start, _ = _period(best.value, "week")
        best = dataclasses.replace(best, value=start.date().isoformat(), precision="week")
    return best is not None and _agrees(
        best.value, best.precision, exp["value"], exp["grain"], strict
    )


def part_expr(eval_dir: Path) -> None:
    print("\n== (b) dates_expressions.jsonl: value agrees down to the expected grain")
    cases = [json.loads(line) for line in (eval_dir / "dates_expressions.jsonl").open()]
    misses = []
    for strict, conventions in ((False, False), (True, False), (False, True)):
        table = defaultdict(Counter)
        for case in cases:
            right = _score_case(case, strict, conventions)
            if right is None:
                continue
            group = "id+ms" if case["lang"] in ("id", "ms") else "other languages"
            for key in (group, f"id+ms:{case['kind']}" if group == "id+ms" else None, "all"):
                if key:
                    table[key]["n"] += 1
                    table[key]["right"] += right
            if not right and group == "id+ms" and not strict and not conventions:
                misses.append(case)
        if conventions:
            label = (
                "lenient, each source's own convention for dates without a year and lone "
                f"weekdays (find_dates prefer=): {CONVENTIONS}"
            )
        elif strict:
            label = "strict: a coarser prediction never counts (news defaults)"
        else:
            label = (
                "lenient: a coarser prediction counts when the expected value is the first "
                "instant of its period (how the sources write 'Jan 2025'); news defaults"
            )
        print(f"   {label}")
        for key in sorted(table, key=lambda k: (not k.startswith("id+ms"), k != "id+ms", k)):
            r = table[key]
            print(f"     {key:34} {r['right']:4d}/{r['n']:<4d} {_pct(r['right'], r['n']):>7}")
    print(f"   id+ms misses (lenient, news defaults): {len(misses)}")
    for case in misses:
        lang = case["lang"] if isinstance(case["lang"], str) else None
        ref = case["reference_datetime"]
        ref = datetime.fromisoformat(ref).replace(tzinfo=None) if ref else None
        got = [(f.text, f.value) for f in dates.find_dates(case["text"], lang, ref)]
        print(
            f"     {case['id']:34} {case['text']!r:36} want {json.dumps(case['expected'])[:70]}"
            f" got {got}"
        )


# ---------------------------------------------------------------- (c) mentions

_NUMERIC_DM = re.compile(r"\d{1,2}\s*/\s*\d{1,2}")


def _is_full_date(span_text: str) -> bool:
    """A labelled span that names a day and a month (with or without the year)."""
    if _NUMERIC_DM.search(span_text):
        return True
    words = re.findall(r"\w+", span_text.lower())
    return any(w.isdigit() and int(w) <= 31 for w in words) and any(
        w in lexicon.MONTHS for w in words
    )


def part_mentions(eval_dir: Path) -> None:
    print("\n== (c) dates_mentions_id.jsonl: recall of labelled spans (overlap)")
    table = Counter()
    missed = []
    n_found = 0
    for line in (eval_dir / "dates_mentions_id.jsonl").open():
        case = json.loads(line)
        found = [f for f in dates.find_dates(case["text"], "id") if f.kind != "time"]
        n_found += len(found)
        for span in case["date_spans"]:
            s, e = span["start"], span["end"]
            hit = any(f.start < e and s < f.start + len(f.text) for f in found)
            full = _is_full_date(span["text"])
            for key in ("all spans", "full dates (day + month)" if full else "other spans"):
                table[key + ":n"] += 1
                table[key + ":hit"] += hit
            if full and not hit:
                missed.append(span["text"])
    for key in ("full dates (day + month)", "other spans", "all spans"):
        n, hit = table[key + ":n"], table[key + ":hit"]
        print(f"   {key:28} {hit:4d}/{n:<4d} {_pct(hit, n):>7}")
    print(
        f"   mentions found in all sentences: {n_found} (the labels are incomplete: no "
        f"precision figure)"
    )
    if missed:
        print("   missed full dates:", "; ".join(missed))


# ---------------------------------------------------------------- (d) speed


def part_speed(corpus_items, resources, runs: int) -> None:
    print(
        f"\n== (d) speed on {len(corpus_items)} corpus articles, {runs} runs "
        f"(median per-article CPU time; docs/s = 1 / mean)"
    )
    upstream = [item[3] for item in corpus_items]
    stages = {
        "language.detect": (language.detect, [_before(a, "language") for a in upstream]),
        "urls.extract": (urls.extract, [_before(a, "urls") for a in upstream]),
        "dates.extract": (dates.extract, upstream),
    }
    per_stage = {}
    for name, (stage, inputs) in stages.items():
        medians, means = [], []
        for _ in range(runs):
            times = []
            for article in inputs:
                t0 = time.process_time_ns()
                stage(article, resources)
                times.append(time.process_time_ns() - t0)
            medians.append(statistics.median(times) / 1e6)
            means.append(statistics.fmean(times) / 1e6)
        med, mean = statistics.median(medians), statistics.median(means)
        per_stage[name] = mean
        print(
            f"   {name:18} median {med:6.3f} ms  mean {mean:6.3f} ms  "
            f"{1000 / mean:8.0f} docs/s  (run medians: "
            f"{', '.join(f'{m:.3f}' for m in medians)})"
        )
    total = sum(per_stage.values())
    print(f"   {'the three together':18} mean {total:6.3f} ms  {1000 / total:8.0f} docs/s")
    code = (
        "import os, re, time\n"
        "def rss():\n"
        "    pages = int(open('/proc/self/statm').read().split()[1])\n"
        "    return pages * os.sysconf('SC_PAGE_SIZE') / 2**20\n"
        "r0, t = rss(), time.perf_counter()\n"
        "import newsingest\n"
        "t1, r1 = time.perf_counter() - t, rss()\n"
        "from newsingest.dates import scanner\n"
        "patterns = [v.pattern for v in vars(scanner).values() if isinstance(v, re.Pattern)]\n"
        "re.purge(); t = time.perf_counter()\n"
        "for p in patterns: re.compile(p)\n"
        "t2, t = time.perf_counter() - t, time.perf_counter()\n"
        "newsingest.urls.normalize('https://www.example.com/a?utm_source=x')\n"
        "t3 = time.perf_counter() - t\n"
        "print(f'import newsingest (every stage) {t1*1000:.0f} ms, +{r1-r0:.1f} MB resident, of '\n"
        "      f'which compiling the date patterns {t2*1000:.0f} ms; courlan, imported on the '\n"
        "      f'first URL: {t3*1000:.0f} ms, +{rss()-r1:.1f} MB')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    print(f"   {out}")


def _before(article, field: str):
    """The article as the named stage receives it (later stages' fields cleared)."""
    from dataclasses import replace

    if field == "language":
        return replace(article, language=None, language_probability=None, urls=())
    return replace(article, urls=())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "../shared/corpus")
    parser.add_argument("--eval", type=Path, default=ROOT / "../shared/eval")
    parser.add_argument("--parts", default="pub,expr,mentions,speed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--reference",
        choices=("find_dates", "dateparser"),
        default="find_dates",
        help="what decides which articles 'state the date' (dateparser: slow)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    resources = pipeline.load_resources(now=datetime.now(UTC))
    corpus_items = None
    if parts & {"pub", "speed"}:
        t0 = time.perf_counter()
        corpus_items = load_corpus(args.corpus, resources)
        print(
            f"loaded {len(corpus_items)} corpus articles through the upstream stages in "
            f"{time.perf_counter() - t0:.1f} s"
        )
    if "pub" in parts:
        part_pub(corpus_items, resources, args.reference)
    if "expr" in parts:
        part_expr(args.eval)
    if "mentions" in parts:
        part_mentions(args.eval)
    if "speed" in parts:
        part_speed(corpus_items, resources, args.runs)


if __name__ == "__main__":
    main()
