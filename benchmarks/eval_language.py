"""Accuracy and speed of language identification, printed together.

    python benchmarks/eval_language.py [--eval-dir ../shared/eval] [--corpus ../shared/corpus]
                                       [--runs 3] [--baselines]

* ``langid.jsonl`` (75 languages; see the eval README): accuracy per subset, a null counting as
  wrong, plus how many were refused and the accuracy of the answered ones.
* corpus folders whose ``meta.jsonl`` declares a language: accuracy per folder on the cleaned
  article (readers.parse + cleaning.clean first), and CPU time of the language stage per article
  (median over ``--runs`` passes) with the articles/s it allows on one core.
  ``ms_malaya_news_2018`` declares no language; its outlet (Malaysian or Indonesian) is shown as a
  hint only.
* ``--baselines``: the same langid subsets for langdetect alone (seeded), and py3langid or lingua
  when installed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import cleaning, language, readers  # noqa: E402
from newsingest.article import Article  # noqa: E402
from newsingest.language.build import _outlet_language  # noqa: E402

ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}
DSLCC = "Simdiva/DSL-Task"


def rss_mb() -> float:
    """Resident set size of this process, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def subsets(row: dict) -> list[str]:
    """The subsets of the eval README that one langid case belongs to."""
    dslcc = row["source"]["repo"] == DSLCC
    short = row["kind"] != "sentence"
    names = ["all"]
    names.append("short texts (word pairs, single words)" if short else "sentences")
    if dslcc:
        names.append("DSLCC news sentences")
    elif not short:  # every short text is from lingua
        names.append("lingua sentences")
    if row["lang"] in ("id", "ms"):
        names.append("id+ms, all kinds")
        if dslcc:
            names.append("id+ms, DSLCC news sentences")
        elif short:
            names.append("id+ms, lingua short texts")
        else:
            names.append("id+ms, lingua sentences")
    if dslcc and row["lang"] in ("bs", "hr", "sr"):
        names.append("bs/hr/sr, DSLCC")
    return names


def score_langid(rows: list[dict], predict) -> tuple[dict, float]:
    """Per-subset [right, refused, total] and the mean time per text in ms."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    start = time.process_time()
    predictions = [predict(row["text"]) for row in rows]
    elapsed = time.process_time() - start
    for row, pred in zip(rows, predictions, strict=True):
        pred = ALIASES.get(pred, pred)
        for name in subsets(row):
            cell = table[name]
            cell[0] += pred == row["lang"]
            cell[1] += pred is None
            cell[2] += 1
    return table, 1000 * elapsed / len(rows), predictions


def print_langid(title: str, table: dict, ms_per_text: float) -> None:
    """One detector's langid table."""
    print(f"\n{title}  ({ms_per_text:.3f} ms CPU per text)")
    print(f"  {'subset':42} {'n':>5} {'acc %':>6} {'null':>5} {'acc answered %':>15}")
    for name, (right, refused, total) in table.items():
        answered = total - refused
        acc_answered = 100 * right / answered if answered else float("nan")
        print(
            f"  {name:42} {total:5d} {100 * right / total:6.1f} {refused:5d} {acc_answered:15.1f}"
        )


PROBABILITY_BANDS = (0.3, 0.5, 0.7, 0.9, 0.99, 1.0001)


def calibration_section(rows: list[dict], answers: list[tuple]) -> None:
    """Whether a probability means what it says: the share right among answers in each band."""
    print("  calibration (answers given; share right vs mean probability, per band):")
    for name, keep in (
        ("sentences", lambda row: row["kind"] == "sentence"),
        ("short texts", lambda row: row["kind"] != "sentence"),
    ):
        given = [
            (prob, ALIASES.get(lang, lang) == row["lang"])
            for (lang, prob), row in zip(answers, rows, strict=True)
            if prob is not None and keep(row)
        ]
        cells = []
        for low, high in pairwise(PROBABILITY_BANDS):
            band = [(p, ok) for p, ok in given if low <= p < high]
            if band:
                right = 100 * sum(ok for _, ok in band) / len(band)
                mean = 100 * statistics.fmean(p for p, _ in band)
                cells.append(f"{low:.2f}+: {right:.1f} % vs {mean:.1f} % (n {len(band)})")
        sure = [ok for p, ok in given if p >= 0.9]
        brier = statistics.fmean((p - ok) ** 2 for p, ok in given)
        print(f"    {name}: " + "; ".join(cells))
        print(
            f"    {name}: at p >= 0.9 {sum(sure)}/{len(sure)} right "
            f"({100 * sum(sure) / len(sure):.1f} %), Brier score {brier:.4f}"
        )


def mixed_section(articles: list, resources) -> None:
    """Texts in two languages, made from the corpus: half of one article, half of another in a
    different language. The answer is one of the two; its probability should say it is half."""
    firsts: dict[str, list[str]] = {}
    for _folder, lang, _outlet, article in articles:
        body = article.body.strip()
        if lang is not None and len(body) >= 600 and len(firsts.setdefault(lang, [])) < 10:
            firsts[lang].append(_half(body))
    probs, sure = [], 0
    for first in sorted(firsts):
        for second in sorted(firsts):
            if first == second:
                continue
            for a, b in zip(firsts[first], firsts[second], strict=False):
                _lang, prob = language.identify(f"{a}\n\n{b}", resources.language)
                probs.append(prob or 0.0)
                sure += prob is not None and prob >= 0.9
    print(
        f"\nMixed texts (half of a corpus article in one language, half in another; "
        f"{len(firsts)} languages, {len(probs)} texts): mean probability "
        f"{statistics.fmean(probs):.3f}, {sure} at p >= 0.9"
    )


def _half(body: str) -> str:
    """About 240 characters of the body, cut after a sentence or word."""
    cut = max(body.rfind(". ", 0, 240) + 1, body.rfind(" ", 120, 240))
    return body[: cut if cut > 0 else 240].strip()


def langid_section(eval_dir: Path, model, baselines: bool) -> None:
    """Accuracy on the labelled langid set."""
    rows = [json.loads(line) for line in open(eval_dir / "langid.jsonl", encoding="utf-8")]
    table, ms, predictions = score_langid(rows, lambda t: language.identify(t, model)[0])
    print_langid("newsingest.language.identify on langid.jsonl (null counts as wrong)", table, ms)
    calibration_section(rows, [language.identify(row["text"], model) for row in rows])

    confusion = Counter(
        (row["lang"], ALIASES.get(p, p))
        for row, p in zip(rows, predictions, strict=True)
        if row["lang"] in ("id", "ms") and row["source"]["repo"] == DSLCC
    )
    print("  DSLCC id/ms (gold -> predicted):", dict(sorted(confusion.items(), key=str)))

    # accuracy by letter count: where the MIN_LETTERS / MIN_PROBABILITY thresholds bite
    edges = (5, 10, 20, 40, 80, 160, 10**9)
    buckets = {edge: [0, 0, 0] for edge in edges}
    for row, pred in zip(rows, predictions, strict=True):
        letters = sum(c.isalpha() for c in row["text"])
        cell = buckets[next(e for e in edges if letters < e)]
        cell[0] += pred == row["lang"]
        cell[1] += pred is None
        cell[2] += 1
    print("  by letters (right %, n, null):")
    low = 0
    for edge, (right, refused, total) in buckets.items():
        label = f"{low}-{edge - 1}" if edge < 10**9 else f"{low}+"
        print(f"    {label:>8}: {100 * right / max(total, 1):5.1f} %  {total:5d}  {refused:4d}")
        low = edge

    # where MIN_PROBABILITY bites: the same run with no threshold, cut at several values
    saved = language.MIN_PROBABILITY
    language.MIN_PROBABILITY = 0.0
    try:
        raw = [language.identify(row["text"], model) for row in rows]
    finally:
        language.MIN_PROBABILITY = saved
    print("  null threshold (MIN_PROBABILITY): accuracy with null = wrong, nulls, wrong answers")
    for cut in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6):
        right = sum(p is not None and p >= cut and lang == row["lang"]
                    for (lang, p), row in zip(raw, rows, strict=True))  # fmt: skip
        nulls = sum(p is None or p < cut for _, p in raw)
        mark = "  <- in use" if cut == saved else ""
        print(
            f"    {cut:.1f}: {100 * right / len(rows):6.2f} %  {nulls:4d} nulls  "
            f"{len(rows) - right - nulls:4d} wrong{mark}"
        )

    # the same without the langdetect reference step, to show what it changes
    saved = language.REFERENCE_BELOW
    language.REFERENCE_BELOW = 0.0
    try:
        table, ms, _ = score_langid(rows, lambda t: language.identify(t, model)[0])
    finally:
        language.REFERENCE_BELOW = saved
    right, _, total = table["all"]
    print(
        f"  without the langdetect reference step: all {100 * right / total:.1f} %, "
        f"{ms:.3f} ms CPU per text"
    )

    if not baselines:
        return
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def by_langdetect(text: str) -> str | None:
        try:
            return detect_langs(text)[0].lang
        except LangDetectException:
            return None

    print_langid("langdetect alone (seed 0)", *score_langid(rows, by_langdetect)[:2])
    try:
        import py3langid
    except ImportError:
        py3langid = None
    if py3langid is not None:
        print_langid("py3langid", *score_langid(rows, lambda t: py3langid.classify(t)[0])[:2])


def load_corpus(corpus: Path) -> list[tuple[str, str | None, str | None, Article]]:
    """(folder, declared language, outlet hint, cleaned Article) for every corpus article."""
    out = []
    for meta_path in sorted(corpus.glob("*/meta.jsonl")):
        folder = meta_path.parent
        for line in open(meta_path, encoding="utf-8"):
            meta = json.loads(line)
            data = (folder / meta["file"]).read_bytes()
            for article in readers.read_bytes(data, ".txt", folder.name).articles:
                article = cleaning.clean(readers.parse(article, None), None)
                outlet = (meta.get("extra") or {}).get("outlet")
                out.append((folder.name, meta.get("lang"), outlet, article))
    return out


def corpus_section(corpus: Path, resources, runs: int) -> None:
    """Accuracy and CPU time per article on the corpus."""
    articles = load_corpus(corpus)
    per_run: list[list[float]] = []
    results = []
    for _ in range(runs):
        times = []
        results = []
        for _folder, _lang, _outlet, article in articles:
            start = time.process_time()
            results.append(language.detect(article, resources))
            times.append(time.process_time() - start)
        per_run.append(times)
    sure = sum(r.language_probability is not None and r.language_probability >= 0.9
               for r in results)  # fmt: skip
    print(f"\nCorpus articles answered at p >= 0.9: {sure}/{len(results)}")
    mixed_section(articles, resources)
    right: Counter = Counter()
    total: Counter = Counter()
    hint: Counter = Counter()
    for (folder, lang, outlet, _), result in zip(articles, results, strict=True):
        if lang is not None:
            total[folder] += 1
            right[folder] += result.language == lang
        else:
            hint[(_outlet_language(outlet), result.language)] += 1
    print("\nCorpus articles, declared language (cleaned title + body)")
    for folder in sorted(total):
        print(
            f"  {folder:24} {right[folder]:4d}/{total[folder]:<4d} "
            f"{100 * right[folder] / total[folder]:6.2f} %"
        )
    n_right, n_total = sum(right.values()), sum(total.values())
    print(f"  {'all declared':24} {n_right:4d}/{n_total:<4d} {100 * n_right / n_total:6.2f} %")
    print(
        "  ms_malaya_news_2018, outlet hint -> detected (not ground truth):",
        dict(sorted(hint.items(), key=str)),
    )

    medians = [1000 * statistics.median(t) for t in per_run]
    means = [1000 * statistics.fmean(t) for t in per_run]
    median_ms = statistics.median(medians)
    mean_ms = statistics.median(means)
    print(f"\nSpeed, language stage, CPU per article over {runs} runs of {len(articles)}:")
    p99 = 1000 * sorted(per_run[-1])[int(0.99 * len(articles))]
    print(
        f"  median {median_ms:.3f} ms (runs: {', '.join(f'{m:.3f}' for m in medians)}), "
        f"mean {mean_ms:.3f} ms, p99 {p99:.3f} ms"
    )
    print(f"  language stage: {1000 / mean_ms:.0f} articles/s on one core (from the mean)")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baselines", action="store_true")
    args = parser.parse_args()

    before = rss_mb()
    start = time.perf_counter()
    model = language.load_model()
    load_s = time.perf_counter() - start
    print(
        f"Model load {load_s:.2f} s, +{rss_mb() - before:.0f} MB RSS "
        "(numpy import included; langdetect is loaded on first use)"
    )

    class Resources:  # the stage reads only resources.language
        language = model

    langid_section(args.eval_dir, model, args.baselines)
    print(
        f"\nRSS after the langid set: +{rss_mb() - before:.0f} MB over the start "
        "(includes langdetect if it was consulted, and any --baselines models)"
    )
    corpus_section(args.corpus, Resources, args.runs)


if __name__ == "__main__":
    main()
