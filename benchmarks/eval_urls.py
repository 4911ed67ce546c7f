"""Coverage and speed of the URL stage on the corpus.

There is no labelled URL set, so coverage is checked against the text itself: every
"http(s)://" and "www." written in the cleaned title and body must begin a found address or
lie inside one (an archived page, a query value), and each found address must have a host.
Speed is the per-article CPU time of ``urls.extract`` after the upstream stages.

    python benchmarks/eval_urls.py [--corpus ../shared/corpus] [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import pipeline, readers, urls  # noqa: E402

_MARK = re.compile(r"https?://(?:www\.)?|(?<!//)www\.", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "../shared/corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    resources = pipeline.load_resources(now=datetime.now(UTC))
    upstream = pipeline.STAGES[: pipeline.STAGES.index(urls.extract)]
    articles = []
    for folder in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.txt")):
            for article in readers.read_bytes(path.read_bytes(), ".txt", folder.name).articles:
                for stage in upstream:
                    article = stage(article, resources)
                articles.append(article)

    counts = Counter()
    for article in articles:
        done = urls.extract(article, resources)
        counts["articles"] += 1
        counts["with urls"] += bool(done.urls)
        counts["urls"] += len(done.urls)
        domains = {u.domain for u in done.urls}
        counts["domains"] += len(domains)
        for field, text in (("title", article.title), ("body", article.body)):
            spans = [(u.start, u.start + len(u.text)) for u in done.urls if u.field == field]
            starts = {s for s, _ in spans}
            for m in _MARK.finditer(text):
                counts["marks"] += 1
                if m.start() in starts:
                    counts["marks starting an address"] += 1
                elif any(s < m.start() < e for s, e in spans):
                    counts["marks inside an address"] += 1
                else:
                    counts["marks not taken"] += 1
            for i in range(len(spans) - 1):
                if spans[i][1] == spans[i + 1][0]:
                    counts["glued pairs split"] += 1
    print(
        f"corpus: {counts['articles']} articles, {counts['with urls']} with URLs, "
        f"{counts['urls']} URLs ({counts['glued pairs split']} split from glued pairs)"
    )
    print(
        f"http(s):// and www. marks: {counts['marks']}: {counts['marks starting an address']} "
        f"start an address, {counts['marks inside an address']} inside one (archived page, "
        f"query value), {counts['marks not taken']} not taken (no host)"
    )

    inputs = [replace(a, urls=()) for a in articles]
    medians, means = [], []
    for _ in range(args.runs):
        times = []
        for article in inputs:
            t0 = time.process_time_ns()
            urls.extract(article, resources)
            times.append(time.process_time_ns() - t0)
        medians.append(statistics.median(times) / 1e6)
        means.append(statistics.fmean(times) / 1e6)
    with_urls = [a for a in inputs if "://" in a.body or "www." in a.body]
    t0 = time.process_time()
    for article in with_urls:
        urls.extract(article, resources)
    per_url_article = (time.process_time() - t0) / max(1, len(with_urls)) * 1000
    mean = statistics.median(means)
    print(
        f"urls.extract: median {statistics.median(medians):.4f} ms, mean {mean:.4f} ms per "
        f"article ({1000 / mean:.0f} docs/s); {per_url_article:.3f} ms per article that has "
        f"URLs ({len(with_urls)})"
    )


if __name__ == "__main__":
    main()
