"""Accuracy and speed of the dates stage.

Parts (pick with --parts, default all):
  pub       publication date against the corpus metadata (meta.jsonl ``published_iso`` where
            ``date_kind`` is ``published`` or ``wire_timestamp``), with the real upstream stages;
            the date is always the one read from the article's text (no metadata sidecar)
  loso      publication date, leave one source out: the settings of the ``opening`` rule are
            picked on the other sources and scored on the one left out (the headline figure)
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
from newsingest.dates import lexicon, publication  # noqa: E402

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


STATES_S1 = (
    "S1: the metadata day is among the full dates (day, month and year written as one date) "
    "that {finder} finds in title + body"
)
STATES_S2 = (
    "S2: S1, or the body opens with a year-less dateline naming the metadata day and month "
    "(a day and month in its first 80 characters, a dash after: 'LONDON, April 1 -', "
    "'KUALA LUMPUR 4 Jun -') and the metadata year is written anywhere in the text"
)
# A written statement before the reporting date ("dalam keterangan tertulis, Selasa (21/10/2025)"):
# the one cue measured to raise the share of same-day publication (a what-if, not used).
_STATEMENT_CUE = re.compile(
    r"keterangan tertulis|keterangan resmi|keterangannya|siaran pers|pernyataan tertulis"
    r"|keterangan pers|rilis",
    re.IGNORECASE,
)
_DASH = re.compile(r"[ \t\u00a0]*[.,]?[ \t\u00a0]*[-–—]")


def part_pub(corpus_items, resources, reference: str) -> None:
    print("\n== (a) publication date vs corpus metadata")
    finder = "dateparser.search_dates" if reference == "dateparser" else "find_dates"
    print("   articles whose text states the date:")
    print("     " + STATES_S1.format(finder=finder))
    print("     " + STATES_S2)
    rows = defaultdict(Counter)
    methods = Counter()
    what_if = defaultdict(Counter)
    datelines = defaultdict(Counter)
    guard = defaultdict(Counter)
    for source, _name, meta, article in corpus_items:
        if not meta.get("published_iso"):
            continue
        truth = meta["published_iso"][:10]
        done = dates.extract(article, resources)
        if meta.get("date_kind") not in EVALUATED_KINDS:
            guard[f"{source} ({meta['date_kind']})"][
                _outcome(done.published, done.published_precision, truth)
            ] += 1
            continue
        full = _full_dates(article, reference)
        dateline = _yearless_dateline(article)
        s1 = truth in full
        s2 = s1 or (
            dateline is not None
            and (dateline.month, dateline.day) == (int(truth[5:7]), int(truth[8:10]))
            and truth[:4] in re.findall(r"(?<!\d)\d{4}(?!\d)", article.title + article.body)
        )
        outcome = _outcome(done.published, done.published_precision, truth)
        methods[(done.published_method, outcome)] += 1
        if done.published_method == "opening":
            rows["ALL"]["opening:" + outcome] += 1
            _what_if(what_if, article, resources, truth, s1)
        if dateline is not None:
            _dateline_years(datelines[source], article, dateline, truth)
        for key in (source, "ALL"):
            rows[key]["n"] += 1
            rows[key][outcome] += 1
            for name, states in (("s1", s1), ("s2", s2)):
                if states:
                    rows[key][name] += 1
                    rows[key][f"{name}:{outcome}"] += 1
    outcomes = ("correct", "coarser", "wrong", "null")
    print(
        f"{'source':22} {'n':>5} {'correct':>8} {'coarser':>8} {'wrong':>6} {'null':>6} |"
        f" {'S1':>4} {'correct':>8} {'coarser':>8} {'wrong':>6} {'null':>6} |"
        f" {'S2':>4} {'correct':>8} {'wrong':>6}"
    )
    for key in sorted(rows, key=lambda k: (k == "ALL", k)):
        r = rows[key]
        n, s1, s2 = r["n"], r["s1"], r["s2"]
        cells = [_pct(r[o], n) for o in outcomes]
        cells_1 = [_pct(r["s1:" + o], s1) for o in outcomes]
        print(
            f"{key:22} {n:5d} {cells[0]:>8} {cells[1]:>8} {cells[2]:>6} {cells[3]:>6} |"
            f" {s1:4d} {cells_1[0]:>8} {cells_1[1]:>8} {cells_1[2]:>6} {cells_1[3]:>6} |"
            f" {s2:4d} {_pct(r['s2:correct'], s2):>8} {_pct(r['s2:wrong'], s2):>6}"
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
    total = rows["ALL"]
    every = what_if["every reporting day"]
    print(
        "   the 'opening' rule stores the reporting day; the alternatives, measured to show the"
        " trade-off:"
    )
    alternatives = {
        "every reporting day (the rule used)": every,
        "only its month (an earlier rule)": Counter(),
        "the day only after a written-statement cue": what_if["only after a written-statement cue"],
    }
    for rule, r in alternatives.items():
        wrong = total["wrong"] - every["wrong"] + r["wrong"]
        correct_s1 = total["s1:correct"] - every["s1:correct"] + r["s1:correct"]
        print(
            f"     {rule:44} days {r['n']:4d}: right {r['correct']:4d}, wrong {r['wrong']:3d}"
            f" -> ALL wrong {_pct(wrong, total['n'])},"
            f" S1 correct day {_pct(correct_s1, total['s1'])}"
        )
    print(
        "   other metadata dates, not targets (a fact-check's date from its URL, a crawl time): "
        + "; ".join(
            f"{key}: " + ", ".join(f"{o} {r[o]}" for o in outcomes if r[o])
            for key, r in sorted(guard.items())
        )
    )
    print(
        "   year-less datelines: day and month against the metadata, and the year from the text "
        "by two rules (right/wrong/none)"
    )
    for source, r in sorted(datelines.items()):
        print(
            f"     {source:22} {r['n']:4d} datelines, metadata day and month agree {r['agree']:4d}"
            f" (metadata a day earlier {r['day_before']});"
            f" the only year written: {r['only:right']}/{r['only:wrong']}/{r['only:none']};"
            f" a dated month within one month of the dateline's: "
            f"{r['near:right']}/{r['near:wrong']}/{r['near:none']}"
        )


def _what_if(table, article, resources, truth: str, s1: bool) -> None:
    """Score the opening rule's reporting day, kept always or only after a cue."""
    from newsingest.dates import publication, scanner

    found = scanner.scan(article.body, article.language)
    dated = publication.full_days(found, resources.now)
    day = publication.reporting_day(article.body, dated)
    if day is None:
        return
    right = day.isoformat() == truth
    c = next(c for c, d in dated if d == day)
    line_start = article.body.rfind("\n", 0, c.start) + 1
    cue = _STATEMENT_CUE.search(article.body[max(line_start, c.start - 120) : c.start])
    rules = ["every reporting day"]
    if cue:
        rules.append("only after a written-statement cue")
    for rule in rules:
        table[rule]["n"] += 1
        table[rule]["correct" if right else "wrong"] += 1
        if s1 and right:
            table[rule]["s1:correct"] += 1


def _yearless_dateline(article):
    """The body's opening day and month without a year, followed by a dash, or None."""
    from newsingest.dates import scanner

    for c in scanner.scan(article.body[:120], article.language):
        if c.start >= 80:
            return None
        if c.unit == "day_month" and c.form in ("dmy", "mdy"):
            return c if _DASH.match(article.body, c.end) else None
    return None


def _dateline_years(r: Counter, article, dateline, truth: str) -> None:
    """Count how two rules for a dateline's year fare against the metadata year."""
    from newsingest.dates import scanner

    r["n"] += 1
    r["agree"] += (dateline.month, dateline.day) == (int(truth[5:7]), int(truth[8:10]))
    after = date.fromisoformat(truth) + timedelta(days=1)
    r["day_before"] += (dateline.month, dateline.day) == (after.month, after.day)
    text = article.title + "\n" + article.body
    written = set(re.findall(r"(?<![\d.,$])(?:1[89]|20)\d\d(?!\d|[.,]\d)", text))
    only = int(written.pop()) if len(written) == 1 else None
    near = set()
    m = dateline.month
    for c in scanner.scan(text, article.language):
        if c.unit is None and c.year and c.month and (c.month - m) % 12 in (0, 1, 11):
            near.add(c.year + (c.month == 12 and m == 1) - (c.month == 1 and m == 12))
    near_year = near.pop() if len(near) == 1 else None
    for name, year in (("only", only), ("near", near_year)):
        if year is None:
            r[name + ":none"] += 1
        else:
            r[name + (":right" if year == int(truth[:4]) else ":wrong")] += 1


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


# ---------------------------------------------------------------- (a2) leave one source out

# The settings tried for the ``opening`` rule; a big error (off by more than one day) costs as
# much as three right days, since one wrong day corrupts what a right day would give.
RULE_GRID = tuple(
    publication.OpeningRules(words, follow, start, yearless, chars)
    for words in (3, 6)
    for follow in (0, 7)
    for start in (False, True)
    for yearless in (False, True)
    for chars in (1500, 2500)
)
BIG_ERROR_COST = 3


def _pub_rows(corpus_items, resources):
    """(source, truth, S1, article, found) for every article with a metadata date.

    Every kind of metadata date counts here, also a fact-check's date from its URL path and a
    crawl time: a rule that works on the news sources must not break on them.
    """
    out = []
    for source, _name, meta, article in corpus_items:
        if not meta.get("published_iso"):
            continue
        truth = meta["published_iso"][:10]
        s1 = truth in _full_dates(article, "find_dates")
        # the text only: a sidecar's metadata date is not what is measured here
        article = dataclasses.replace(
            article, meta=dataclasses.replace(article.meta, published=None)
        )
        out.append((source, truth, s1, article, dates.scan_fields(article)))
    return out


def _pub_score(rows, rules, now) -> Counter:
    score = Counter()
    for _source, truth, s1, article, found in rows:
        got = publication.find(article, found, now, rules)
        score["n"] += 1
        score["s1"] += s1
        if got.value is None or got.precision != "day":
            score["null" if got.value is None else "coarse"] += 1
            continue
        off = abs((date.fromisoformat(got.value) - date.fromisoformat(truth)).days)
        key = "right" if off == 0 else "one" if off == 1 else "big"
        score[key] += 1
        score["s1:" + key] += s1
    return score


def _objective(score: Counter) -> int:
    return score["right"] - BIG_ERROR_COST * score["big"]


def part_loso(corpus_items, resources) -> None:
    print("\n== (a2) publication date from the text, leave one source out")
    print(
        f"   the opening rule's settings ({len(RULE_GRID)} tried: schedule words, follow days,"
        f" story start, year-less weekday dates, opening length) are picked on the other"
        f" sources by right days"
        f" - {BIG_ERROR_COST} x days off by more than one, and scored on the source left out"
    )
    rows = _pub_rows(corpus_items, resources)
    sources = sorted({r[0] for r in rows})
    scores = {
        rules: {
            s: _pub_score([r for r in rows if r[0] == s], rules, resources.now) for s in sources
        }
        for rules in RULE_GRID
    }
    shipped = publication.RULES
    scores.setdefault(
        shipped,
        {s: _pub_score([r for r in rows if r[0] == s], shipped, resources.now) for s in sources},
    )
    header = (
        f"   {'source':22} {'n':>5} {'right':>7} {'1 day':>7} {'>1 day':>7} {'null':>7} |"
        f" {'S1':>4} {'right':>7} {'>1 day':>7}   settings picked on the others"
    )
    for label, pick in (("left out (headline)", True), ("shipped settings, all sources", False)):
        print(f"   {label}:")
        print(header)
        total = Counter()
        for source in sources:
            if pick:
                rules = max(
                    RULE_GRID,
                    key=lambda r: (
                        _objective(sum((scores[r][s] for s in sources if s != source), Counter())),
                        r == shipped,
                    ),
                )
            else:
                rules = shipped
            score = scores[rules][source]
            total.update(score)
            _print_pub_row(source, score, _rules_text(rules) if pick else "")
        _print_pub_row("ALL", total, "")
    everywhere = {r: sum(scores[r].values(), Counter()) for r in RULE_GRID}
    ranked = sorted(RULE_GRID, key=lambda r: (-_objective(everywhere[r]), r != shipped))
    for rules in ranked[:3]:
        r = everywhere[rules]
        print(
            f"   on all sources: {_rules_text(rules)}: right {r['right']}, >1 day {r['big']},"
            f" objective {_objective(r)}"
        )
    print(f"   shipped: {_rules_text(shipped)}, objective {_objective(everywhere[shipped])}")


def _rules_text(rules) -> str:
    return (
        f"words={rules.schedule_words} follow={rules.follow_days} "
        f"start={int(rules.story_start)} yearless={int(rules.yearless)}"
        f" chars={rules.opening_chars}"
    )


def _print_pub_row(source: str, r: Counter, note: str) -> None:
    n, s1 = r["n"], r["s1"]
    print(
        f"   {source:22} {n:5d} {_pct(r['right'], n):>7} {_pct(r['one'], n):>7}"
        f" {_pct(r['big'], n):>7} {_pct(r['null'], n):>7} | {s1:4d} {_pct(r['s1:right'], s1):>7}"
        f" {_pct(r['s1:big'], s1):>7}   {note}"
    )


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


_PARSED_KINDS = ("interval", "relative_or_absolute", "absolute", "holiday", "translation")


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
    prefer = CONVENTIONS.get(case["id"].split("-")[0], "past") if conventions else "past"
    found = dates.find_dates(text, lang, ref, prefer=prefer)
    if kind == "negative":
        return not found and dates.parse(text, lang, ref) is None
    if kind == "search":
        if exp["matches"] is None:
            return not [f for f in found if f.value]
        values = {f.value[:10] for f in found if f.value}
        return all(m["value"][:10] in values for m in exp["matches"])
    if kind in _PARSED_KINDS:
        # one expression per case: the parser's job, not the search's
        one = dates.parse(text, lang, ref, prefer=prefer)
        found = [one] if one is not None else []
    if kind == "interval":
        best = _best(found)
        if best is None:
            return False
        start, end = _period(best.value, best.precision)
        if best.end is not None:  # a stretch: "7 hari terakhir"
            end = _period(best.end, best.precision)[0]
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
            home = group == "id+ms"
            source = case["id"].split("-")[0]
            keys = (
                group,
                f"id+ms:{case['kind']}" if home else None,
                f"id+ms by source:{source}" if home else None,
                "all",
            )
            for key in keys:
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
        if case["kind"] in _PARSED_KINDS:
            one = dates.parse(case["text"], lang, ref)
            got = [(one.text, one.value, one.end)] if one is not None else []
        else:
            got = [(f.text, f.value) for f in dates.find_dates(case["text"], lang, ref)]
        print(
            f"     {case['id']:34} {case['text']!r:36} want {json.dumps(case['expected'])[:70]}"
            f" got {got}"
        )


HELDOUT = ROOT / "benchmarks" / "data" / "dates_heldout_id.jsonl"


def _score_heldout(case) -> bool:
    """Like ``_score_case``; running-text cases compare every value written out to its day."""
    if case["kind"] != "search":
        return _score_case(case, strict=False)
    ref = datetime.fromisoformat(case["reference_datetime"])
    found = [f for f in dates.find_dates(case["text"], case["lang"], ref) if f.value]
    if case["expected"]["matches"] is None:
        return not found
    values = {f.value if "W" in f.value else _full_value(f.value)[:10] for f in found}
    wanted = {m["value"][:10] for m in case["expected"]["matches"]}
    # a sampled sentence is labelled whole: every date in it, and nothing else found
    return values == wanted if case.get("exact") else wanted <= values


def _corpus_texts(cases, corpus: Path) -> list:
    """The cases with the text of those drawn from corpus articles read from the corpus.

    Those cases store where their sentence is (``corpus_span``), not the sentence: the
    articles' licences do not let their text be copied here.
    """
    out = []
    for case in cases:
        span = case.get("corpus_span")
        if span is not None:
            path = corpus / span["file"]
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            case = dict(case, text=text[span["start"] : span["end"]])
        out.append(case)
    return out


def part_heldout(path: Path, corpus: Path) -> None:
    print(f"\n== (b2) held-out Indonesian/Malay expressions ({path.name}), news defaults")
    print(
        "   written for this project, none taken from the labelled sets: grammar = written"
        " from Indonesian/Malay grammar before the rules were widened (they were widened on"
        " its misses), grammar-b = written after and measured once; corpus = phrases picked"
        " from corpus articles; corpus-sample (seed 12, 45) and corpus-sample-2 (seed 13, 40,"
        " labelled after the first was scored) = sentences drawn at random from id/ms articles"
        " with a publication date, every date in them labelled by hand and scored as an exact"
        " set; scored like (b), lenient, against the publication date"
    )
    stored = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    cases = _corpus_texts(stored, corpus)
    if len(cases) < len(stored):
        missing = len(stored) - len(cases)
        print(f"   {missing} cases left out: their corpus files are not in {corpus}")
    table = defaultdict(Counter)
    misses = []
    for case in cases:
        right = _score_heldout(case)
        for key in ("all", f"kind:{case['kind']}", f"origin:{case['origin']}"):
            table[key]["n"] += 1
            table[key]["right"] += right
        if not right:
            misses.append(case)
    for key in sorted(table, key=lambda k: (k != "all", k)):
        r = table[key]
        print(f"     {key:34} {r['right']:4d}/{r['n']:<4d} {_pct(r['right'], r['n']):>7}")
    print(f"   misses: {len(misses)}")
    for case in misses:
        ref = datetime.fromisoformat(case["reference_datetime"])
        if case["kind"] == "search":
            got = [(f.text, f.value) for f in dates.find_dates(case["text"], case["lang"], ref)]
        else:
            one = dates.parse(case["text"], case["lang"], ref)
            got = (one.text, one.value) if one is not None else None
        print(f"     {case['id']:14} {case['text']!r:40} want {case['expected']} got {got}")


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
    parser.add_argument("--parts", default="pub,loso,expr,heldout,mentions,speed")
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
    if parts & {"pub", "loso", "speed"}:
        t0 = time.perf_counter()
        corpus_items = load_corpus(args.corpus, resources)
        print(
            f"loaded {len(corpus_items)} corpus articles through the upstream stages in "
            f"{time.perf_counter() - t0:.1f} s"
        )
    if "pub" in parts:
        part_pub(corpus_items, resources, args.reference)
    if "loso" in parts:
        part_loso(corpus_items, resources)
    if "expr" in parts:
        part_expr(args.eval)
    if "heldout" in parts:
        part_heldout(HELDOUT, args.corpus)
    if "mentions" in parts:
        part_mentions(args.eval)
    if "speed" in parts:
        part_speed(corpus_items, resources, args.runs)


if __name__ == "__main__":
    main()
