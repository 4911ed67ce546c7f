"""Train the context model (``data/place_context.json``) on openly licensed NER sets.

    python -m newsingest.places.train --uner DIR --gum DIR --luthfi FILE [--out FILE] [--check]

The training sets; no evaluation set of this project is drawn from any of them:

- Universal NER (Mayhew et al., NAACL 2024), ``LOC`` spans are places. ``--uner`` names a folder
  holding these ``.iob2`` files, each from its repository at the commit given:
  UniversalNER/UNER_English-EWT 8ed072de2fd24022cc62458997fe96a8fe191ea4 (``en_ewt-ud-dev``,
  ``en_ewt-ud-test``; English web text; CC BY-SA 4.0);
  UniversalNER/UNER_English-PUD 07ea0553144e3fcf3d6633efe2a075b725a0d262 (``en_pud-ud-test``;
  news and Wikipedia; CC BY-SA 3.0);
  UniversalNER/UNER_German-PUD 47eb039b6d80079b280ba70efe4136413fb7af9c (``de_pud-ud-test``;
  CC BY-SA 3.0); UniversalNER/UNER_Portuguese-PUD cda2cf86b68d45e896aab97ceca5e91d43a86db7
  (``pt_pud-ud-test``; CC BY-SA 3.0); UniversalNER/UNER_Portuguese-Bosque
  f2c2ad67aed900385fbe5d655af41f439c9b3333 (``pt_bosque-ud-train``, ``-dev``, ``-test``;
  Portuguese news; CC BY-SA 4.0).
- GUM (Zeldes 2017; amir-zeldes/gum at commit 72ce5ac14978a324c2fd18d49484e65292cbe316),
  ``dep/GUM_<genre>_*.conllu`` of the genres whose texts are openly licensed: academic, court
  (CC BY 4.0), bio, voyage (CC BY-SA 3.0), news, interview (Wikinews, CC BY 2.5); annotations
  CC BY 4.0. ``--gum`` names the folder. Every mention is annotated with its entity type: a
  name is right when the smallest entity around it is a ``place``.
- The Indonesian Wikipedia gold standard of Luthfi, Distiawan and Manurung (IALP 2014), as
  published in ialfina/ner-dataset-modified-dee at commit
  8adeaa83523ba5fb0e91587b71467b30591886c8 (``goldstandard-0811.txt``; its README lets anyone
  use it for free, citing the paper; no licence file): ``Place`` spans are places. ``--luthfi``
  names the file.

Not used: SINGGALANG (Alfina et al. 2017; ir-nlp-csui/singgalang and the copy in
ialfina/ner-dataset-modified-dee): its data file is not in either repository's stored snapshot,
and its README forbids redistribution, which no open licence does. The 20k DEE/MDEE sets of
ialfina/ner-dataset-modified-dee are missing from the snapshot too. idner-news-2k (and
yusufsyaifudin/indonesia-ner, which it re-annotates) overlaps NER UGM, an evaluation set.

How: the place matcher runs, without the model, over every sentence (tokens joined by single
spaces, as the evaluation sets are; a GUM document whole, one sentence a line, so that what the
other mentions of a name show counts, and its cross-validation folds keep a document whole)
with its person, organisation and team rules giving evidence instead of verdicts
(``places.context``); each mention becomes one example, positive when it overlaps a labelled
place (the model judges whether a name is used as a place; where its span ends is the rules'
convention). A logistic regression is fitted by stochastic gradient
descent (fixed seed, fixed order: the same bytes every time), its weights averaged over the
epochs; a mention stays unless its logit of being a place is below ``THRESHOLD``. The report
printed gives, per training set, the rules alone, the rules with the model (shipped) and the
model with the rules as evidence only, in 5-fold cross-validation (each set's folds scored by a
model fitted on every other example); the model shipped is then fitted on all examples.
Features seen fewer than twice are left out.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

from . import context_features
from . import gazetteer as _gazetteer
from .context import MODEL_FILE, RULE_SIGNALS, ContextModel, sigmoid

EPOCHS = 20
RATE = 0.05
L2 = 1e-4
FOLDS = 5
MIN_COUNT = 2
# Keep a mention when the model finds it more likely a place than not (probability 0.5): the
# training sets' recall is too low (GUM marks every place, named or not) for an F1-best
# threshold to mean much, and news readers are better served by fewer wrong places. (The
# training sets' cross-validated F1 is best near -1.3, and the labelled evaluation sets, held
# out one at a time, gain a few tenths of F1 at -1; but at -1 the model keeps persons after an
# office word, "Presiden Clinton".)
THRESHOLD = 0.0
# The person, organisation and team rules keep their verdicts: on every training set, rules and
# model together are more precise than either alone (the report shows all three).
VERDICTS = frozenset("rule=" + name for name in RULE_SIGNALS)
# GUM's genres whose texts are openly licensed (CC BY or CC BY-SA; see GUM's LICENSE.txt).
GUM_GENRES = frozenset({"academic", "bio", "court", "interview", "news", "voyage"})


def read_uner(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a Universal NER ``.iob2`` file as (tokens, place tags: "B"/"I"/"O")."""
    out, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if tokens:
                out.append((tokens, tags))
            tokens, tags = [], []
            continue
        cols = line.split("\t")
        tokens.append(cols[1])
        tag = cols[2]
        tags.append(tag[0] if tag.endswith("-LOC") else "O")
    if tokens:
        out.append((tokens, tags))
    return out


def read_luthfi(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of the Stanford-NER style gold standard (``token<TAB>Place``): a run of
    ``Place`` tokens is one place."""
    out, tokens, tags = [], [], []
    previous = "O"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                out.append((tokens, tags))
            tokens, tags, previous = [], [], "O"
            continue
        token, label = line.split("\t")[:2]
        label = label.strip()
        tokens.append(token)
        if label == "Place":
            tags.append("I" if previous == "Place" else "B")
        else:
            tags.append("O")
        previous = label
    if tokens:
        out.append((tokens, tags))
    return out


_ENTITY = re.compile(r"\((\d+)-([a-z]+)[^()]*(\))?|(\d+)\)")


Sentence = tuple[list[str], list[tuple[int, int, str]]]


def read_gum(folder: Path, genres=GUM_GENRES) -> list[list[Sentence]]:
    """GUM's CoNLL-U files, one document each, as sentences of (tokens, entity spans as token
    ranges with a type).

    GUM marks every mention (named or not, nested ones too) in the ``Entity`` field of MISC:
    ``(12-place-...`` opens entity 12 of type place, ``12)`` closes it."""
    docs = []
    paths = sorted(p for p in folder.glob("GUM_*.conllu") if p.name.split("_")[1] in genres)
    for path in paths:
        out = []
        tokens: list[str] = []
        spans: list[tuple[int, int, str]] = []
        open_: dict[str, list[tuple[int, str]]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if tokens:
                    out.append((tokens, spans))
                tokens, spans, open_ = [], [], {}
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue  # multi-word tokens and empty nodes
            k = len(tokens)
            tokens.append(cols[1])
            misc = cols[9] if len(cols) > 9 else "_"
            entity = next((x[7:] for x in misc.split("|") if x.startswith("Entity=")), "")
            for m in _ENTITY.finditer(entity):
                if m.group(1):
                    if m.group(3):
                        spans.append((k, k + 1, m.group(2)))
                    else:
                        open_.setdefault(m.group(1), []).append((k, m.group(2)))
                elif open_.get(m.group(4)):
                    start, kind = open_[m.group(4)].pop()
                    spans.append((start, k + 1, kind))
        if tokens:
            out.append((tokens, spans))
        docs.append(out)
    return docs


def gum_examples(documents, gaz):
    """Examples from GUM, a document at a time (its sentences one a line, so that a name's
    other mentions in the document count): a mention is right when the smallest entity around
    it is a place. Cross-validation folds keep a document whole."""
    out, gold = [], 0
    for k, sentences in enumerate(documents):
        chars, offset = [], 0
        for tokens, spans in sentences:
            starts = []
            for token in tokens:
                starts.append(offset)
                offset += len(token) + 1
            chars += [(starts[a], starts[b - 1] + len(tokens[b - 1]), kind)
                      for a, b, kind in spans]
            gold += sum(1 for a, b, kind in spans
                        if kind == "place" and any(t[:1].isupper() for t in tokens[a:b]))
        text = "\n".join(" ".join(tokens) for tokens, _ in sentences)
        for start, end, feats in context_features(text, gaz, "en"):
            around = [(e - s, kind) for s, e, kind in chars if s < end and start < e]
            right = bool(around) and min(around)[1] == "place"
            out.append((feats, right, k))
    return out, gold


def sentence_spans(tokens: list[str], tags: list[str]) -> tuple[str, set[tuple[int, int]]]:
    """The sentence text (tokens joined by spaces) and its place spans as character offsets."""
    spans: set[tuple[int, int]] = set()
    offset, start, end = 0, None, 0
    for token, tag in zip(tokens, tags, strict=True):
        if tag != "I" and start is not None:
            spans.add((start, end))
            start = None
        if tag == "B" or (tag == "I" and start is None):
            start = offset
        end = offset + len(token)
        offset = end + 1
    if start is not None:
        spans.add((start, end))
    return " ".join(tokens), spans


def examples(sentences, gaz, language: str):
    """(features, label, sentence number) for every mention the rules find; the gold count."""
    out, gold = [], 0
    for k, (tokens, tags) in enumerate(sentences):
        text, spans = sentence_spans(tokens, tags)
        gold += len(spans)
        for start, end, feats in context_features(text, gaz, language):
            # The model judges whether a name is used as a place, not where its span ends (the
            # rules' convention, which differs between annotation guidelines).
            right = any(s < end and start < e for s, e in spans)
            out.append((feats, right, k))
    return out, gold


def fit(data: list[tuple[list[str], bool]]) -> dict[str, float]:
    """Logistic regression weights by SGD with L2, averaged over the epochs (deterministic).

    Averaging keeps the weights from hanging on the order of the last examples seen: without
    it one example more or less moved the English scores by several points."""
    counts = Counter(f for feats, _ in data for f in set(feats))
    rows = [([f for f in feats if counts[f] >= MIN_COUNT], label) for feats, label in data]
    weights: dict[str, float] = {}
    total: dict[str, float] = {}
    order = list(range(len(rows)))
    rng = random.Random(0)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + 0.1 * epoch)
        for r in order:
            feats, label = rows[r]
            p = sigmoid(sum(weights.get(f, 0.0) for f in feats))
            g = (1.0 if label else 0.0) - p
            for f in feats:
                w = weights.get(f, 0.0)
                weights[f] = w + rate * (g - L2 * w)
        for f, w in weights.items():
            total[f] = total.get(f, 0.0) + w
    return {f: w / EPOCHS for f, w in total.items()}


def best_threshold(sets) -> tuple[float, float]:
    """The logit threshold with the best mean F1 over the sets, and that F1.

    ``sets`` holds, per training set, (out-of-fold scores with labels, gold span count)."""
    candidates = sorted({round(s, 2) for scored, _ in sets for s, *_ in scored})
    best = (-math.inf, -1.0)
    for t in [-math.inf, *candidates]:
        f1s = []
        for scored, gold in sets:
            kept = [label for s, label, *_ in scored if s >= t]
            tp = sum(kept)
            p = tp / len(kept) if kept else 0.0
            r = tp / gold if gold else 0.0
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        f1 = sum(f1s) / len(f1s)
        if f1 > best[1] + 1e-9:
            best = (t, f1)
    return best


def train(named_sets) -> tuple[ContextModel, list[str]]:
    """The model fitted on every set, its threshold from cross-validation, and a report."""
    report = []
    cv_sets = []
    for name, (rows, gold) in named_sets.items():
        scored = []
        for fold in range(FOLDS):
            train_rows = [(f, y) for other, (rs, _) in named_sets.items() for f, y, k in rs
                          if other != name or k % FOLDS != fold]
            weights = fit(train_rows)
            scored += [(sum(weights.get(x, 0.0) for x in f), y,
                        frozenset(x for x in f if x.startswith("rule=")))
                       for f, y, k in rows if k % FOLDS == fold]
        cv_sets.append((scored, gold))
        report.append(f"{name}: {len(rows)} mentions, {sum(y for _, y, _ in rows)} right, "
                      f"{gold} gold places")
    threshold = THRESHOLD
    for (name, (_rows, gold)), (scored, _) in zip(named_sets.items(), cv_sets, strict=True):
        rules_only = _prf([y for _, y, rules in scored if rules == {"rule=none"}], gold)
        model = _prf([y for s, y, _ in scored if s >= threshold], gold)
        both = _prf([y for s, y, rules in scored if s >= threshold and rules == {"rule=none"}],
                    gold)
        report.append(f"{name}: P/R/F1 (a mention right when it overlaps a place): "
                      f"the rules' verdicts alone {rules_only}; the model with the rules as "
                      f"evidence {model}; both (shipped) {both} (cross-validated)")
    best, f1 = best_threshold(cv_sets)
    report.append(f"threshold {threshold:.2f}; the threshold with the best mean cross-validated "
                  f"F1 would be {best:.2f} ({100 * f1:.1f})")
    weights = fit([(f, y) for rows, _ in named_sets.values() for f, y, _ in rows])
    trained_on = ", ".join(f"{name} ({len(rows)} mentions)"
                           for name, (rows, _) in named_sets.items())
    return ContextModel(weights, THRESHOLD, trained_on, VERDICTS), report


def _prf(kept: list[bool], gold: int) -> str:
    tp = sum(kept)
    p = 100 * tp / len(kept) if kept else 0.0
    r = 100 * tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.1f}/{r:.1f}/{f:.1f}"


def main(argv: list[str] | None = None) -> int:
    """Command line: train and write the model (or check that the shipped one is the same)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uner", type=Path, required=True,
                        help="folder with Universal NER files (en_ewt-ud-dev.iob2, ...)")
    parser.add_argument("--luthfi", type=Path, required=True, help="goldstandard-0811.txt")
    parser.add_argument("--gum", type=Path, required=True,
                        help="GUM's dep/ folder (GUM_<genre>_<name>.conllu files)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "data" / MODEL_FILE)
    parser.add_argument("--check", action="store_true",
                        help="only compare with the file at --out; exit 1 if it differs")
    args = parser.parse_args(argv)
    gaz = _gazetteer.load()  # without a context model: the rules alone propose mentions
    named_sets = {}
    for treebank in sorted({p.name.split("-ud-")[0] for p in args.uner.glob("*-ud-*.iob2")}):
        sentences = [s for p in sorted(args.uner.glob(treebank + "-ud-*.iob2"))
                     for s in read_uner(p)]
        named_sets["UNER " + treebank] = examples(sentences, gaz, treebank.split("_")[0])
    named_sets |= {
        "GUM (open-licence genres)": gum_examples(read_gum(args.gum), gaz),
        "Luthfi 2014 Indonesian Wikipedia": examples(read_luthfi(args.luthfi), gaz, "id"),
    }
    model, report = train(named_sets)
    print("\n".join(report), file=sys.stderr)
    text = model.to_json()
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("same bytes" if same else "differs", file=sys.stderr)
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(model.weights)} weights)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
