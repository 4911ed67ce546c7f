"""Publication date found by the HTML reader on labelled pages: % right day, % wrong, % none.

Each page of ``dates_html.jsonl`` with an ``expected_date`` goes through ``readers.read_bytes``
and ``readers.parse`` exactly as an ingested .html file would (the page URL is not given: a file
on disk has none). A date is right when its day equals the expected day. Also prints the figures
per method (``html:markup``, ``html:url``, ``html:text``) and the pages per second of the whole
read + parse (trafilatura extraction included), single process.

    python benchmarks/eval_html_dates.py [--eval-dir ../shared/eval] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsingest import readers  # noqa: E402
from newsingest.errors import ReadError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--limit", type=int, default=0, help="only the first N labelled pages")
    ap.add_argument("--failures", action="store_true", help="print wrong and missing dates")
    args = ap.parse_args(argv)

    pages = []
    for line in open(Path(args.eval_dir) / "dates_html.jsonl", encoding="utf-8"):
        case = json.loads(line)
        if case.get("expected_date"):
            pages.append(case)
    if args.limit:
        pages = pages[: args.limit]
    # The labels were made years ago: no page date may lie after today.
    resources = SimpleNamespace(now=datetime.now(UTC))

    outcome: Counter[str] = Counter()
    by_method: Counter[tuple[str, str]] = Counter()
    empty_text = 0
    start = time.perf_counter()
    for case in pages:
        try:
            result = readers.read_bytes(case["html"].encode("utf-8"), ".html", "eval")
            article = readers.parse(result.articles[0], resources)
        except ReadError as exc:
            outcome["none"] += 1
            print(f"read error {case['id']}: {exc}", file=sys.stderr)
            continue
        empty_text += not article.text
        found = article.meta.published
        if not found:
            kind = "none"
        elif found[:10] == case["expected_date"]:
            kind = "right"
        else:
            kind = "wrong"
        outcome[kind] += 1
        by_method[(article.meta.published_method or "-", kind)] += 1
        if args.failures and kind != "right":
            print(f"{kind:5} {case['id']} expected {case['expected_date']} got {found}")
    elapsed = time.perf_counter() - start

    n = len(pages)
    print(f"pages {n}: right day {100 * outcome['right'] / n:.1f} %, "
          f"wrong {100 * outcome['wrong'] / n:.1f} %, none {100 * outcome['none'] / n:.1f} %")
    for method in sorted({m for m, _ in by_method}):
        counts = {k: by_method[(method, k)] for k in ("right", "wrong", "none")}
        print(f"  {method:12} right {counts['right']:4}  wrong {counts['wrong']:4}  "
              f"none {counts['none']:4}")
    print(f"pages with no main text: {empty_text}")
    print(f"{n / elapsed:.1f} pages/s ({1000 * elapsed / n:.1f} ms per page, read + parse)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
