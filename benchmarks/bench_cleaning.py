"""CPU time of reading + parsing + cleaning plain-text corpus articles, and of the learning hooks.

Times (CPU time), per article, ``readers.read_bytes`` + ``readers.parse`` + ``cleaning.clean``
(with the boilerplate learned over the corpus in place, as in a real run), and separately
``boilerplate_observations`` + ``story_signature``. Prints the median and 90th percentile per
article over every .txt file, for each of several runs, then the median of the run medians.

    python benchmarks/bench_cleaning.py [--corpus-dir ../shared/corpus] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsingest import cleaning, readers  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus-dir", default="../shared/corpus")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    files = sorted(Path(args.corpus_dir).glob("*/*.txt"))
    data = [(p.parent.name, p.suffix, p.read_bytes()) for p in files]
    rules = cleaning.load_rules()
    base = SimpleNamespace(boilerplate=rules, learned_boilerplate={}, now=None)
    parsed = [
        cleaning.clean(readers.parse(readers.read_bytes(b, s, src).articles[0], base), base)
        for src, s, b in data
    ]
    learned = cleaning.learn_boilerplate(parsed)
    resources = SimpleNamespace(boilerplate=rules, learned_boilerplate=learned, now=None)
    print(f"{len(data)} articles, {sum(len(b) for _, _, b in data) / len(data):.0f} bytes mean")

    pipeline_medians, hook_medians = [], []
    clock = time.process_time  # CPU time: the machine may be shared
    for run in range(args.runs):
        stage, hooks = [], []
        for (src, suffix, raw), done in zip(data, parsed, strict=True):
            t0 = clock()
            article = readers.read_bytes(raw, suffix, src).articles[0]
            article = cleaning.clean(readers.parse(article, resources), resources)
            t1 = clock()
            cleaning.boilerplate_observations(done)
            cleaning.story_signature(done)
            t2 = clock()
            stage.append(t1 - t0)
            hooks.append(t2 - t1)
        m1, m2 = statistics.median(stage) * 1e3, statistics.median(hooks) * 1e3
        p1 = statistics.quantiles(stage, n=10)[-1] * 1e3
        pipeline_medians.append(m1)
        hook_medians.append(m2)
        print(
            f"run {run + 1}: read+parse+clean median {m1:.3f} ms (p90 {p1:.3f}), "
            f"observations+signature median {m2:.3f} ms, total {sum(stage):.2f} s"
        )
    print(
        f"median of runs: read+parse+clean {statistics.median(pipeline_medians):.3f} ms/article, "
        f"observations+signature {statistics.median(hook_medians):.3f} ms/article"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
