"""Accuracy of reading + cleaning on labelled cleaning sets, per source: in-sample and left out.

For every source named in the labels, the whole corpus folder of that source is read, parsed
and cleaned, boilerplate is learned over it (``cleaning.learn_boilerplate``, as an ingest of the
folder would), and the labelled files are cleaned again with what was learned and scored:

* title exact-match % (files with a title), and invented-title % (files without one);
* boilerplate removed %, duplicates collapsed % (at most once in title + body), content kept %;
* corpus titles %: on every corpus file, the title equals the source's own metadata title
  (or is empty when the source has none).

Every figure is given twice. **Left out** (the headline): each source is cleaned without the
string rules (``written_for`` in data/boilerplate.json) and shape detectors
(``shapes.WRITTEN_FOR``) that were written from that source's stories, so the figure says how
the rules do on a source they were not written for; learned boilerplate is unsupervised and
always on. **In-sample**: every rule on.

Two label sets: the DEV set (../shared/eval/cleaning.jsonl) and benchmarks/cleaning_unseen.jsonl,
labelled for this project from corpus articles the DEV set does not use (see its README).
Matching follows the labels' README (whitespace collapsed on both sides). The labels get the
same invisible-character deletion and mojibake repair the reader and cleaner apply to the text.

    python benchmarks/eval_cleaning.py [--labels FILE ...] [--eval ../shared/eval]
        [--corpus ../shared/corpus] [--seeds ../shared/seeds] [--no-learn] [--failures]
        [--learned] [--in-sample-only] [--by-rule] [--no-strings] [--missed]

``--no-strings`` switches every string rule of data/boilerplate.json off, so that the figures
say what the shape detectors and learned boilerplate carry alone. ``--by-rule`` adds, for
every rule and learned key kind, the labelled boilerplate items it removes on the sources it
was written from and on the others (where it earns its place), and the content items it cut
into. ``--missed`` lists every boilerplate item the left-out run leaves, with its source and
its kind: the rule that removes it in-sample ("none" when nothing does), and a count per kind.
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
from newsingest.cleaning import shapes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
UNSEEN = "cleaning_unseen.jsonl"


def norm(s: str) -> str:
    return " ".join(s.split())


def label_norm(s: str) -> str:
    """A label as the cleaner would have it: mojibake repaired, invisible characters gone."""
    return norm(cleaning.normalise(readers._fix_mojibake(s)))


def read_parse(path: Path, source: str, resources) -> Article:
    result = readers.read_bytes(path.read_bytes(), path.suffix, source)
    return readers.parse(result.articles[0], resources)


COLUMNS = (
    ("title", "title %"),
    ("invented", "invented %"),
    ("bp", "boilerplate %"),
    ("dup", "dups once %"),
    ("content", "content %"),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, action="append", help="label files (default: both)")
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--no-learn", action="store_true", help="built-in rules only")
    ap.add_argument("--failures", action="store_true", help="print every failed item")
    ap.add_argument("--learned", action="store_true", help="print the learned keys per source")
    ap.add_argument("--in-sample-only", action="store_true", help="skip the left-out run")
    ap.add_argument(
        "--no-strings",
        action="store_true",
        help="no string rules at all: what shapes and learning carry alone",
    )
    ap.add_argument(
        "--by-rule",
        action="store_true",
        help="per rule: labelled items it removes on its own sources and on the others",
    )
    ap.add_argument(
        "--missed",
        action="store_true",
        help="the boilerplate the left-out run leaves, with the rule removing it in-sample",
    )
    args = ap.parse_args(argv)

    label_files = args.labels or [args.eval / "cleaning.jsonl", ROOT / "benchmarks" / UNSEEN]
    specs = [] if args.no_strings else cleaning.rule_specs()
    modes = [("left out", True), ("in-sample", None)]
    if args.in_sample_only:
        modes = modes[1:]
    for label_file in label_files:
        cases = _cases(label_file, args.corpus)
        for mode, leave_out in modes:
            print(f"# {label_file.name}: {mode}")
            stats, titles = evaluate(cases, specs, args, leave_out)
            _print_table(stats, titles)
            if args.by_rule and not leave_out:
                _print_by_rule(stats, specs)
            print()
        if args.missed and not args.in_sample_only:
            _print_missed(cases, specs, args)
    return 0


def _print_missed(cases: list[dict], specs: list[dict], args) -> None:
    """Every boilerplate item the left-out run leaves, with what removes it in-sample."""
    left, full = {}, {}
    for leave_out, items in ((True, left), (None, full)):
        evaluate(cases, specs, args, leave_out, items)
    kinds: dict[str, int] = defaultdict(int)
    print("# missed left out: source, kind (the rule removing it in-sample), item")
    for key, reasons in sorted(left.items()):
        if reasons is not None:
            continue  # removed
        kind = ",".join(sorted(full.get(key) or ())) or "none"
        kinds[kind] += 1
        source, name, item = key
        print(f"MISSED {source:22} {kind:32} {name}: {item[:120]!r}")
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"{count:5}  {kind}")
    print()


def _cases(label_file: Path, corpus: Path) -> list[dict]:
    """The labelled cases of a file; the project's own set is built from its hand marks and the
    corpus articles they name (the articles' text is not carried in the repository)."""
    if label_file.name == UNSEEN and not label_file.exists():
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from make_cleaning_unseen import build

        marks = ROOT / "benchmarks" / "cleaning_unseen_marks.jsonl"
        return [build(corpus, json.loads(line)) for line in open(marks, encoding="utf-8")]
    return [json.loads(line) for line in open(label_file, encoding="utf-8")]


def rules_without(specs: list[dict], source: str | None) -> cleaning.Rules:
    """The built-in rules minus those written from ``source``'s stories."""
    if source is None:
        return cleaning.compile_rules(specs)
    kept = [spec for spec in specs if source not in spec.get("written_for", ())]
    detectors = [d for d in shapes.DETECTORS if source not in shapes.WRITTEN_FOR.get(d, ())]
    return cleaning.compile_rules(kept, detectors)


def evaluate(cases: list[dict], specs: list[dict], args, leave_out: bool | None, items=None):
    """Per-source item results and corpus-title results of one label set.

    ``items``, when given, receives for every boilerplate item (source, file, text) the reasons
    of the removals that took it, or None when it is left in the body.
    """
    stats: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    corpus_titles: dict[str, list[bool]] = defaultdict(list)
    for source in sorted({c["source"] for c in cases}):
        folder = args.seeds if source == "seeds" else args.corpus / source
        rules = rules_without(specs, source if leave_out else None)
        base = SimpleNamespace(boilerplate=rules, learned_boilerplate={}, now=None)
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
        learned = {} if args.no_learn else cleaning.learn_boilerplate(articles)
        if args.learned:
            keys = learned.get(source, frozenset())
            print(f"# learned {source}: {len(keys)}")
            for key in sorted(keys):
                print("   ", key[:150])
        resources = SimpleNamespace(boilerplate=rules, learned_boilerplate=learned, now=None)
        for case in (c for c in cases if c["source"] == source):
            _score(case, folder, resources, stats[source], args.failures, items)
    return stats, corpus_titles


def _score(
    case: dict, folder: Path, resources, s: dict[str, list[bool]], failures: bool, record=None
):
    source = case["source"]
    article = cleaning.clean(read_parse(folder / case["file"], source, resources), resources)
    title, body = norm(article.title), norm(article.body)
    if case["title"] is not None:
        ok = title == label_norm(case["title"])
        s["title"].append(ok)
        if not ok and failures:
            print(f"TITLE {source}/{case['file']}: {title!r} != {case['title']!r}")
    else:
        s["invented"].append(title != "")
        if title and failures:
            print(f"INVENTED {source}/{case['file']}: {title!r}")
    removals = [(r.reason, norm(cleaning.normalise(r.text))) for r in article.removed]
    for kind, items in (("bp", "boilerplate"), ("dup", "duplicates"), ("content", "content")):
        for item in case[items]:
            n = label_norm(item)
            touched = {reason for reason, text in removals if text and (text in n or n in text)}
            for reason in touched:
                # which rule removed a labelled item (boilerplate) or a piece of one (content)
                s[f"{kind}:{reason}"].append(True)
            if kind == "bp":
                ok = n not in body
            elif kind == "dup":
                ok = title.count(n) + body.count(n) <= 1
            else:
                ok = n in body
            s[kind].append(ok)
            if kind == "bp" and record is not None:
                record[(source, case["file"], item)] = touched if ok else None
            if not ok and failures:
                print(f"{kind.upper()} {source}/{case['file']}: {item[:160]!r}")


def _print_by_rule(stats, specs: list[dict]) -> None:
    """Boilerplate items each rule removes on the sources it was written from, and elsewhere."""
    written: dict[str, set[str]] = defaultdict(set)
    for spec in specs:
        written[cleaning.REASON_PREFIX + spec["name"]].update(spec.get("written_for", ()))
    for name, sources in shapes.WRITTEN_FOR.items():
        written[cleaning.REASON_PREFIX + name].update(sources)
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for source, s in stats.items():
        for key, values in s.items():
            kind, _, reason = key.partition(":")
            if not reason:
                continue
            if kind == "bp":
                rows[reason][0 if source in written.get(reason, ()) else 1] += len(values)
            elif kind == "content":
                rows[reason][2] += len(values)
    print(f"\n{'rule':40}{'bp own sources':>16}{'bp other sources':>18}{'content touched':>17}")
    for reason, (own, other, content) in sorted(rows.items()):
        print(f"{reason:40}{own:>16}{other:>18}{content:>17}")


def _print_table(stats, corpus_titles) -> None:
    header = f"{'source':24}" + "".join(f"{label:>15}" for _, label in COLUMNS)
    print(header + f"{'corpus titles %':>17}")
    total: dict[str, list[bool]] = defaultdict(list)
    all_titles: list[bool] = []
    for source in sorted(stats):
        row = f"{source:24}"
        for key, _ in COLUMNS:
            values = stats[source][key]
            total[key].extend(values)
            row += f"{_pct(values):>15}"
        row += f"{_pct(corpus_titles.get(source, [])):>17}"
        all_titles.extend(corpus_titles.get(source, []))
        print(row)
    row = f"{'ALL':24}" + "".join(f"{_pct(total[key]):>15}" for key, _ in COLUMNS)
    print(row + f"{_pct(all_titles):>17}")


def _pct(values: list[bool]) -> str:
    if not values:
        return "-"
    return f"{100 * sum(values) / len(values):.1f} ({len(values)})"


if __name__ == "__main__":
    raise SystemExit(main())
