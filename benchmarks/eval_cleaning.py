"""Accuracy of reading + cleaning on the labelled cleaning set, per source and overall.

For every source named in the labels, the whole corpus folder of that source is read, parsed
and cleaned, boilerplate is learned over it (``cleaning.learn_boilerplate``, as an ingest of the
folder would), and the labelled files are cleaned again with what was learned and scored:

* title exact-match % (files with a title), and invented-title % (files without one);
* boilerplate removed %, duplicates collapsed % (at most once in title + body), content kept %;
* corpus titles %: on every corpus file, the title equals the source's own metadata title
  (or is empty when the source has none).

Matching follows the labels' README (whitespace collapsed on both sides). The labels get the
same invisible-character deletion and mojibake repair the reader and cleaner apply to the text.

    python benchmarks/eval_cleaning.py [--eval-dir ../shared/eval] [--corpus-dir ../shared/corpus]
        [--seeds-dir ../shared/seeds] [--no-learn] [--failures] [--learned]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsingest import cleaning, readers  # noqa: E402
from newsingest.article import Article  # noqa: E402


def norm(s: str) -> str:
    return " ".join(s.split())


def label_norm(s: str) -> str:
    """A label as the cleaner would have it: mojibake repaired, invisible characters gone."""
    return norm(cleaning.normalise(readers._fix_mojibake(s)))


def read_parse(path: Path, source: str, resources) -> Article:
    result = readers.read_bytes(path.read_bytes(), path.suffix, source)
    return readers.parse(result.articles[0], resources)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--corpus-dir", default="../shared/corpus")
    ap.add_argument("--seeds-dir", default="../shared/seeds")
    ap.add_argument("--no-learn", action="store_true", help="built-in rules only")
    ap.add_argument("--failures", action="store_true", help="print every failed item")
    ap.add_argument("--learned", action="store_true", help="print the learned keys per source")
    args = ap.parse_args(argv)

    cases = [json.loads(line) for line in open(Path(args.eval_dir) / "cleaning.jsonl")]
    rules = cleaning.load_rules()
    base = SimpleNamespace(boilerplate=rules, learned_boilerplate={}, now=None)

    folders = {
        source: (Path(args.seeds_dir) if source == "seeds" else Path(args.corpus_dir) / source)
        for source in sorted({c["source"] for c in cases})
    }
    learned: dict[str, frozenset[str]] = {}
    corpus_titles: dict[str, list[bool]] = defaultdict(list)
    for source, folder in folders.items():
        meta = {}
        meta_file = folder / "meta.jsonl"
        if meta_file.exists():
            for line in open(meta_file, encoding="utf-8"):
                m = json.loads(line)
                meta[m["file"]] = m
        articles = []
        for path in sorted(folder.glob("*.txt")):
            article = cleaning.clean(read_parse(path, source, base), base)
            articles.append(article)
            if path.name in meta:
                expected = norm(meta[path.name]["title"] or "")
                corpus_titles[source].append(norm(article.title) == expected)
        if not args.no_learn:
            learned.update(cleaning.learn_boilerplate(articles))
    if args.learned:
        for source, keys in sorted(learned.items()):
            print(f"# learned {source}: {len(keys)}")
            for key in sorted(keys):
                print("   ", key[:150])
    resources = SimpleNamespace(boilerplate=rules, learned_boilerplate=learned, now=None)

    stats: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        source = case["source"]
        path = folders[source] / case["file"]
        article = read_parse(path, source, resources)
        article = cleaning.clean(article, resources)
        title, body = norm(article.title), norm(article.body)
        s = stats[source]
        if case["title"] is not None:
            ok = title == label_norm(case["title"])
            s["title"].append(ok)
            if not ok and args.failures:
                print(f"TITLE {source}/{case['file']}: {title!r} != {case['title']!r}")
        else:
            s["invented"].append(title != "")
            if title and args.failures:
                print(f"INVENTED {source}/{case['file']}: {title!r}")
        for kind, items in (("bp", "boilerplate"), ("dup", "duplicates"), ("content", "content")):
            for item in case[items]:
                n = label_norm(item)
                if kind == "bp":
                    ok = n not in body
                elif kind == "dup":
                    ok = title.count(n) + body.count(n) <= 1
                else:
                    ok = n in body
                s[kind].append(ok)
                if not ok and args.failures:
                    print(f"{kind.upper()} {source}/{case['file']}: {item[:160]!r}")

    columns = (
        ("title", "title %"),
        ("invented", "invented %"),
        ("bp", "boilerplate %"),
        ("dup", "dups once %"),
        ("content", "content %"),
    )
    header = f"{'source':24}" + "".join(f"{label:>15}" for _, label in columns)
    header += f"{'corpus titles %':>17}"
    print(header)
    total: dict[str, list[bool]] = defaultdict(list)
    all_titles: list[bool] = []
    for source in sorted(stats):
        row = f"{source:24}"
        for key, _ in columns:
            values = stats[source][key]
            total[key].extend(values)
            row += f"{_pct(values):>15}"
        row += f"{_pct(corpus_titles.get(source, [])):>17}"
        all_titles.extend(corpus_titles.get(source, []))
        print(row)
    row = f"{'ALL':24}" + "".join(f"{_pct(total[key]):>15}" for key, _ in columns)
    print(row + f"{_pct(all_titles):>17}")
    return 0


def _pct(values: list[bool]) -> str:
    if not values:
        return "-"
    return f"{100 * sum(values) / len(values):.1f} ({len(values)})"


if __name__ == "__main__":
    raise SystemExit(main())
