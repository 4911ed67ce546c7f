"""Accuracy and speed of the places stage.

    python benchmarks/eval_places.py [--eval ../shared/eval] [--corpus ../shared/corpus]

Prints, per subset of ``places.jsonl`` (Indonesian cased: NERGrit, NER UGM, NER UI; the lower-cased
NERP set; English CoNLL++), exact-span and overlap precision, recall and F1; country-level recall on
the Reuters folder of the corpus; and the speed of ``places.extract`` on every corpus article
(median over ``--runs`` runs), with the gazetteer's load time and memory.

``--show-errors`` lists every exact-span false positive of the labelled sets, grouped by category:
``boundary`` (it overlaps a gold place but its span differs), ``label:X`` (it overlaps a span the
source labels X, e.g. ORG or PER, and no place), ``O`` (the source labels nothing there), with
the resolved country and kind and some context; ``--errors N`` prints N whole wrong cases.

Every score line also counts the exact-span false positives that are span conventions only:
the prediction overlaps a gold place and differs from it by an administrative, physical or
facility head word or a compass word ("Kota Medan" / "Medan"), or one of the two strings
several places together ("Gedung DPR , Jakarta"); a breakdown by kind follows the table.

Scoring: a predicted span is right (exact) when its start and end equal a gold place span's; for
overlap, a prediction is right when it overlaps any gold place span and a gold span is found when
any prediction overlaps it. Only the ``places`` spans count as gold (the sources' LOC / PLACE /
LOCATION / PLC labels).

Reuters: each article's ``extra.places`` codes are mapped to ISO 3166-1 alpha-2 (below); an
article's predicted countries are the ``country_code`` values of its resolved places. Recall is
the share of (article, gold country) pairs predicted. The 1987 states are mapped deliberately the
way the gazetteer files them: ``ussr`` -> RU, ``west-germany`` and ``east-germany`` -> DE,
``yugoslavia`` -> RS, ``czechoslovakia`` -> CZ (their principal successors).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import pipeline, places  # noqa: E402
from newsingest.article import Article  # noqa: E402
from newsingest.places import matcher  # noqa: E402

# Reuters codes whose hyphen-to-space form is not a country name the gazetteer knows.
REUTERS_CODES = {
    "usa": "US", "uk": "GB", "uae": "AE", "ussr": "RU", "west-germany": "DE",
    "east-germany": "DE", "yugoslavia": "RS", "czechoslovakia": "CZ", "hong-kong": "HK",
    "south-korea": "KR", "north-korea": "KP", "ivory-coast": "CI", "burma": "MM",
    "zaire": "CD", "taiwan": "TW", "vatican": "VA", "macau": "MO",
}

SUBSETS = {
    "nergrit": "id-cased", "nerugm": "id-cased", "nerui": "id-cased",
    "nerp": "id-nerp-lowercase", "conllpp": "en-conll++",
}


def subset_of(case_id: str) -> tuple[str, str]:
    source = case_id.split("-")[0]
    return SUBSETS.get(source, source), source


class Score:
    """Exact-span and overlap counts."""

    def __init__(self) -> None:
        self.pred = self.gold = self.exact = self.pred_overlap = self.gold_overlap = 0
        self.convention = 0  # false positives that differ from a gold place by convention only

    def add(self, pred: list[tuple[int, int]], gold: list[tuple[int, int]], text: str) -> None:
        self.convention += sum(1 for p in set(pred) - set(gold)
                               if extent_kind(text, p, gold) in CONVENTIONS)
        self.pred += len(pred)
        self.gold += len(gold)
        gold_set = set(gold)
        self.exact += sum(1 for p in set(pred) if p in gold_set)
        self.pred_overlap += sum(1 for s, e in pred if any(s < ge and gs < e for gs, ge in gold))
        self.gold_overlap += sum(1 for gs, ge in gold if any(s < ge and gs < e for s, e in pred))

    @staticmethod
    def prf(tp_p: int, n_p: int, tp_r: int, n_g: int) -> tuple[float, float, float]:
        p = 100 * tp_p / n_p if n_p else 0.0
        r = 100 * tp_r / n_g if n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def line(self, name: str) -> str:
        ep, er, ef = self.prf(self.exact, self.pred, self.exact, self.gold)
        op, orr, of = self.prf(self.pred_overlap, self.pred, self.gold_overlap, self.gold)
        return (f"{name:<20} gold {self.gold:4d} pred {self.pred:4d} | exact P {ep:5.1f}"
                f" R {er:5.1f} F1 {ef:5.1f} | overlap P {op:5.1f} R {orr:5.1f} F1 {of:5.1f}"
                f" | convention-only FP {self.convention}")


def false_positive(case: dict, p) -> tuple[str, str]:
    """The category of a wrong predicted span and a line describing it."""
    text = case["text"]
    s, e = p.start, p.start + len(p.text)
    gold = [(g["start"], g["end"]) for g in case["places"]]
    over = [x for x in case["entities"] if x["start"] < e and s < x["end"]]
    if any(gs < e and s < ge for gs, ge in gold):
        category = "boundary"
    elif over:
        category = "label:" + ",".join(sorted({x["label"] for x in over}))
    else:
        category = "O"
    gold_here = [text[gs:ge] for gs, ge in gold if gs < e and s < ge]
    context = text[max(0, s - 50): s] + "[[" + p.text + "]]" + text[e: e + 40]
    context = context.replace("\n", " / ")
    return category, (f"{case['id']}\t{p.text!r} -> {p.country_code} {p.kind}"
                      f"\tgold {gold_here}\t{context}")


# Words whose presence at either end of a span is a matter of annotation convention: an
# administrative, physical or facility head ("Kota Medan" / "Medan"), a compass word ("Afrika
# barat"), a region noun ("wilayah Gaza").
EXTENT_WORDS = (matcher.ADMIN_PREFIXES | matcher.FEATURE_PREFIXES | matcher.STREET_PREFIXES
                | matcher.FACILITY_PREFIXES | matcher.DIRECTION_WORDS
                | frozenset("wilayah kawasan daerah region divisi prefektur".split()))


CONVENTIONS = ("head or compass word", "places joined")


def extent_kind(text: str, pred: tuple[int, int], gold: list[tuple[int, int]]) -> str:
    """How a predicted span that overlaps a gold place differs from it: "head or compass word"
    (only words of ``EXTENT_WORDS`` differ), "places joined" (the gold span strings several
    places together with commas, or the prediction does), or "other" (a longer or shorter
    name: "Saint Mary" in "Saint Mary's College"). The first two are conventions only: both
    spans name the same place."""
    s, e = pred
    for gs, ge in gold:
        if not (gs < e and s < ge):
            continue
        outer, inner = (text[min(s, gs):max(e, ge)], (max(s, gs), min(e, ge)))
        extra = (text[min(s, gs):inner[0]] + " " + text[inner[1]:max(e, ge)]).split()
        if extra and all(w.lower() in EXTENT_WORDS for w in extra):
            return "head or compass word"
        if " , " in outer and ("," in text[gs:ge]) != ("," in text[s:e]):
            return "places joined"
        if len(text[s:e].split(" , ")) > 1 or any(
                g2 != (gs, ge) and s < g2[1] and g2[0] < e for g2 in gold):
            return "places joined"
    return "other"


def eval_spans(eval_dir: Path, gaz, show_errors: int, categories: bool = False) -> None:
    scores: dict[str, Score] = defaultdict(Score)
    errors: list[str] = []
    wrong: dict[str, list[str]] = defaultdict(list)
    extents: dict[str, Counter] = defaultdict(Counter)
    for line in (eval_dir / "places.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        subset, source = subset_of(case["id"])
        found = places.find_places(case["text"], gaz, case.get("lang"))
        pred = [(p.start, p.start + len(p.text)) for p in found]
        gold = [(g["start"], g["end"]) for g in case["places"]]
        for key in (subset, source, "all"):
            scores[key].add(pred, gold, case["text"])
        for p in set(pred) - set(gold):
            if any(gs < p[1] and p[0] < ge for gs, ge in gold):
                extents[subset][extent_kind(case["text"], p, gold)] += 1
            else:
                extents[subset]["no gold place there"] += 1
        if categories:
            for p in found:
                if (p.start, p.start + len(p.text)) not in set(gold):
                    category, line_ = false_positive(case, p)
                    wrong[f"{subset} {category}"].append(line_)
        if show_errors and set(pred) != set(gold):
            text = case["text"]
            fp = [text[s:e] for s, e in pred if (s, e) not in set(gold)]
            fn = [text[s:e] for s, e in gold if (s, e) not in set(pred)]
            errors.append(f"{source}\tFP {fp}\tFN {fn}")
    print("== places.jsonl: spans")
    for name in ("id-cased", "nergrit", "nerugm", "nerui", "id-nerp-lowercase", "en-conll++",
                 "all"):
        if name in scores:
            print(scores[name].line(name))
    print("-- exact-span false positives by kind (the first two are span conventions only)")
    for name in ("id-cased", "id-nerp-lowercase", "en-conll++"):
        c = extents[name]
        convention = sum(c[k] for k in CONVENTIONS)
        print(f"{name:<20} {sum(c.values())} wrong, {convention} convention only: "
              + ", ".join(f"{k} {c[k]}" for k in ("head or compass word", "places joined",
                                                  "other", "no gold place there"))
              + f"; exact P counting those right {exact_p_without(scores[name], convention):.1f}")
    if show_errors:
        for e in errors[:show_errors]:
            print(e)
    if categories:
        print("== false positives by category")
        for name in sorted(wrong, key=lambda k: (k.split()[0], -len(wrong[k]))):
            print(f"-- {name}: {len(wrong[name])}")
            for line_ in wrong[name]:
                print("   " + line_)


def exact_p_without(score: Score, convention: int) -> float:
    """Exact-span precision when the convention-only false positives count as right."""
    return 100 * (score.exact + convention) / score.pred if score.pred else 0.0


def source_scores(cases: list[dict], gaz) -> dict[str, Score]:
    """Exact and overlap counts per source dataset of the labelled cases."""
    scores: dict[str, Score] = defaultdict(Score)
    for case in cases:
        found = places.find_places(case["text"], gaz, case.get("lang"))
        pred = [(p.start, p.start + len(p.text)) for p in found]
        scores[subset_of(case["id"])[1]].add(
            pred, [(g["start"], g["end"]) for g in case["places"]], case["text"])
    return scores


def exact_f1(score: Score) -> float:
    return Score.prf(score.exact, score.pred, score.exact, score.gold)[2]


def leave_one_dataset_out(eval_dir: Path, gaz) -> None:
    """Choose the configuration (rules alone, or the context model at a threshold) on every
    dataset but one, report the one left out; and the same choice made on all datasets."""
    cases = [json.loads(line) for line in (eval_dir / "places.jsonl").open(encoding="utf-8")]
    shipped = gaz.context
    configs = {"rules alone": None}
    for t in (-1.0, -0.5, 0.0, 0.5, 1.0):
        name = f"rules + model, threshold {t:+.1f}" + (" (shipped)" if t == shipped.threshold
                                                       else "")
        configs[name] = replace(shipped, threshold=t)
    configs["model, the rules as evidence only"] = replace(shipped, verdicts=frozenset())
    by_config = {}
    for name, model in configs.items():
        gaz.context = model
        by_config[name] = source_scores(cases, gaz)
    gaz.context = shipped
    datasets = sorted({subset_of(c["id"])[1] for c in cases})

    def best_on(names: list[str]) -> str:
        return max(configs, key=lambda c: statistics.mean(exact_f1(by_config[c][d])
                                                           for d in names))

    left_out: dict[str, Score] = defaultdict(Score)
    in_sample: dict[str, Score] = defaultdict(Score)
    chosen_all = best_on(datasets)
    print("== leave one dataset out: configuration chosen on the other datasets (mean exact F1)")
    for d in datasets:
        chosen = best_on([x for x in datasets if x != d])
        print(f"{d:<10} chosen on the others: {chosen}")
        for target, config in ((left_out, chosen), (in_sample, chosen_all)):
            score = by_config[config][d]
            for key in (d, SUBSETS[d]):
                for attr in ("pred", "gold", "exact", "pred_overlap", "gold_overlap",
                             "convention"):
                    setattr(target[key], attr, getattr(target[key], attr) + getattr(score, attr))
    print("-- left out (headline)")
    for name in ("id-cased", "nergrit", "nerugm", "nerui", "id-nerp-lowercase", "en-conll++"):
        print(left_out[name].line(name))
    print(f"-- one configuration chosen on all datasets: {chosen_all}")
    for name in ("id-cased", "id-nerp-lowercase", "en-conll++"):
        print(in_sample[name].line(name))
    print("-- every configuration, exact F1 per dataset")
    for name in configs:
        print(f"{name:<44}" + "  ".join(f"{d} {exact_f1(by_config[name][d]):5.1f}"
                                       for d in datasets))


def prepare(corpus: Path, resources) -> list[tuple[str, Article]]:
    """Every corpus article run through the stages before places."""
    before = pipeline.STAGES[: pipeline.STAGES.index(places.extract)]
    out = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.txt")):
            article = Article(raw=path.read_text(encoding="utf-8", errors="replace"),
                              source=folder.name)
            for stage in before:
                article = stage(article, resources)
            out.append((folder.name + "/" + path.name, article))
    return out


def reuters_recall(corpus: Path, prepared, resources) -> None:
    gaz = resources.gazetteer
    by_name = dict(prepared)
    pairs = found = articles = all_found = 0
    unmapped: set[str] = set()
    missed: dict[str, int] = defaultdict(int)
    for line in (corpus / "en_reuters21578" / "meta.jsonl").open(encoding="utf-8"):
        meta = json.loads(line)
        codes = meta["extra"].get("places") or []
        gold = set()
        for code in codes:
            iso = REUTERS_CODES.get(code)
            if iso is None:
                hits = [q for q in places.resolve_query(code.replace("-", " "), gaz)
                        if q.kind == "country"]
                iso = hits[0].country_code if hits else None
            if iso is None:
                unmapped.add(code)
            else:
                gold.add(iso)
        if not gold:
            continue
        article = places.extract(by_name["en_reuters21578/" + meta["file"]], resources)
        pred = {p.country_code for p in article.places if p.country_code}
        articles += 1
        pairs += len(gold)
        found += len(gold & pred)
        all_found += gold <= pred
        for cc in gold - pred:
            missed[cc] += 1
    print("== Reuters country recall")
    print(f"articles {articles}  gold countries {pairs}  recall {100 * found / pairs:.1f}%"
          f"  articles with every country found {100 * all_found / articles:.1f}%")
    print("missed:", dict(sorted(missed.items(), key=lambda kv: -kv[1])),
          "unmapped codes:", sorted(unmapped))


def speed(prepared, resources, runs: int) -> None:
    """CPU time of places.extract per article, with the context model and with the rules
    alone, the two measured in turns so that both see the same machine load."""
    gaz = resources.gazetteer
    shipped = gaz.context
    configs = {"with the context model": shipped, "rules alone": None}
    per_article = {name: [[] for _ in prepared] for name in configs}
    per_run: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(runs):
        for name, model in configs.items():
            gaz.context = model
            t0 = time.process_time()
            for k, (_, article) in enumerate(prepared):
                a0 = time.process_time()
                places.extract(article, resources)
                per_article[name][k].append(time.process_time() - a0)
            per_run[name].append(time.process_time() - t0)
    gaz.context = shipped
    print(f"== speed of places.extract (one process, CPU time, medians of {runs} runs)")
    for name in configs:
        medians = sorted(statistics.median(t) for t in per_article[name])
        run = statistics.median(per_run[name])
        mean = 1000 * run / len(prepared)
        print(f"{name:<24} articles {len(prepared)}  median per article "
              f"{1000 * medians[len(medians) // 2]:.3f} ms  mean {mean:.3f} ms"
              f"  p90 {1000 * medians[int(len(medians) * 0.9)]:.3f} ms"
              f"  max {1000 * medians[-1]:.2f} ms  -> {len(prepared) / run:.0f} docs/s")


def load_cost() -> None:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    gaz = None
    for _ in range(3):
        t0 = time.perf_counter()
        gaz = places.load_gazetteer()
        times.append(time.perf_counter() - t0)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"== gazetteer: load {statistics.median(times):.3f} s (median of 3), peak RSS growth "
          f"{(rss1 - rss0) / 1024:.0f} MB, {len(gaz.names)} keys, {len(gaz.place_name)} places")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT / ".." / "shared" / "eval")
    parser.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong cases")
    parser.add_argument("--show-errors", action="store_true",
                        help="list the false positives of the labelled sets by category")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-lodo", action="store_true",
                        help="skip the leave-one-dataset-out comparison of configurations")
    args = parser.parse_args()
    load_cost()
    resources = pipeline.load_resources()
    eval_spans(args.eval, resources.gazetteer, args.errors, args.show_errors)
    if not args.skip_lodo:
        leave_one_dataset_out(args.eval, resources.gazetteer)
    prepared = prepare(args.corpus, resources)
    reuters_recall(args.corpus, prepared, resources)
    if not args.skip_speed:
        speed(prepared, replace(resources), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
