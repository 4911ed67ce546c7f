"""The context model: whether a name the matcher found is used as a place where it stands.

The matcher's rules find names and resolve them; many of its mistakes are a place's name used
for something else: a person ("Clinton", "Aung San"), an organisation or a team ("Duma",
"Suisse", "Leeds"), or an ordinary word ("East", "Coast"). Named-entity taggers decide this
from the words around a name, and so does this model: a logistic regression over a mention's
context (the words right before and after it and the words two away, their case and their
class — preposition of place or of motion, honorific, title, office, organisation head —, the
punctuation around it, the run of capitals it sits in, its place in the sentence), over what the
other mentions of the same name in the article show (one sense per discourse: after a person's
title, inside a longer run of capitals, after a preposition of place, taken for a person by a
rule) and over what the gazetteer says of it (kind, population, given name, common word,
alternate name, the cue or preposition that found it) and over the last three letters of a
one-word name (a person's "-ov" or "-son", a place's "-burg" or "-stan"). Countries and
nations (England, Wales) standing alone are left to the rules: their names are rarely anything
else; glued to other capitals ("Garuda Indonesia") the model judges them too.

It is trained by ``python -m newsingest.places.train`` on openly licensed NER sets that no
evaluation set is drawn from (see that module), and shipped as ``data/place_context.json``:
a weight per feature and the decision threshold. Scoring a mention is one dictionary lookup per
feature; nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import dataclass
from importlib import resources

from .gazetteer import PRIMARY, Gazetteer
from .matcher import HONORIFICS, LOCATIVE, OFFICE_WORDS, ORG_WORDS, Match, Words

MODEL_FILE = "place_context.json"

# The rules (matcher.py) that take a name for a person's, an organisation's or a team's; each
# gives the feature "rule=<name>".
RULE_SIGNALS = ("agency", "after-acronym", "in-person-name", "person-name", "surname",
                "sports-team", "minor-abroad", "foreign-name")

# Features are strings "name=value"; the model file maps each to its weight.
_BIAS = "bias"

# Classes of the word next to a name, so that what one language's training names teach carries
# to the same kind of word in another: a preposition of place or of motion before a name points
# to a place ("di", "ke", "dari", "in", "from", "em"), an honorific or a title to a person ("Pak",
# "Mr", "Menteri", "coach"), an organisation's head word to an organisation ("Bank", "Group",
# "Partai"), an office to the place it governs ("Bupati", "Governor").
MOTION = frozenset("ke dari kepada menuju to from into towards toward para nach aus".split())
PERSON_TITLES = frozenset(
    """menteri ketua direktur pelatih wakil sekretaris jenderal kapten minister chairman director
    coach secretary general captain senator ministro presidente""".split()
)
_LOCATIVES = frozenset().union(*LOCATIVE.values(), "em no na nos nas im bei".split())
WORD_CLASSES = (
    ("locative", _LOCATIVES), ("motion", MOTION), ("honorific", HONORIFICS),
    ("office", OFFICE_WORDS), ("title", PERSON_TITLES), ("org", ORG_WORDS),
)


def word_class(folded: str) -> str:
    """The class of a neighbouring word ("locative", "org", ...), or "-" for any other word."""
    for name, words in WORD_CLASSES:
        if folded in words:
            return name
    return "-"


@dataclass(frozen=True)
class ContextModel:
    """Feature weights and the score below which a mention is no place."""

    weights: dict[str, float]
    threshold: float  # on the logit scale
    trained_on: str = ""
    # Rule features that drop a mention whatever its score ("rule=person-name"): the rules keep
    # their verdicts and the model judges the mentions they let through.
    verdicts: frozenset[str] = frozenset()

    def score(self, feats: list[str]) -> float:
        """The logit that the mention is a place."""
        get = self.weights.get
        return sum(get(f, 0.0) for f in feats)

    def keeps(self, feats: list[str]) -> bool:
        """True when the mention stays a place."""
        if not self.verdicts.isdisjoint(feats):
            return False
        return self.score(feats) >= self.threshold

    def to_json(self) -> str:
        """The model file's text: sorted, rounded, so a rebuild gives the same bytes."""
        body = {
            "trained_on": self.trained_on,
            "threshold": round(self.threshold, 4),
            "verdicts": sorted(self.verdicts),
            "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if round(v, 4)},
        }
        return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def load(path=None) -> ContextModel:
    """Read the shipped model file (or ``path``)."""
    source = resources.files("newsingest").joinpath("data", MODEL_FILE) if path is None else path
    with open(source, encoding="utf-8") as f:
        body = json.load(f)
    return ContextModel(body["weights"], body["threshold"], body.get("trained_on", ""),
                        frozenset(body.get("verdicts", ())))


def sigmoid(x: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _shape(word: str) -> str:
    if not word:
        return "none"
    if word.isdigit():
        return "digit"
    if word.isupper():
        return "upper" if len(word) > 1 else "cap"
    if word[:1].isupper():
        return "cap"
    if word.islower():
        return "lower"
    return "mixed"


def _gap_mark(gap: str) -> str:
    """The punctuation between two words, spaces dropped ("" for a plain space)."""
    mark = gap.strip()
    if "\n" in gap:
        return "newline"
    return mark[:2]


def features(w: Words, m: Match, index: int | None, gaz: Gazetteer,
             language: str | None, given: frozenset[str], common: frozenset[str],
             nation: bool = False, elsewhere: list[str] | None = None) -> list[str]:
    """The features of one mention: its context in ``w`` and what the gazetteer says of it
    (``nation``: the name is a country's or a nation's; ``elsewhere``: what other mentions of
    the same name in the article show, from ``discourse``)."""
    i = bisect_left(w.starts, m.start)
    j = bisect_left(w.starts, m.end, i)
    n = len(w.words)
    if i >= n:
        return [_BIAS]
    first = w.words[i]
    key = m.key
    lang = language if language in ("id", "ms", "en") else "other"
    kind = gaz.kind[index] if index is not None and index >= 0 else "none"
    feats = [
        _BIAS,
        "kind=" + kind,
        "lang=" + lang,
        "words=" + str(min(j - i, 3)),
        "shape=" + _shape(first),
        "cue=" + (m.cue or "-"),
    ]
    if nation:
        feats.append("nation")
    if elsewhere:
        feats += elsewhere
    if index is not None and index >= 0:
        feats.append("pop=" + str(min(7, int(math.log10(gaz.population[index] + 1)))))
        if not any(c.index == index and PRIMARY in c.flags for c in m.candidates):
            feats.append("alternate")
        if len({gaz.country[c.index] for c in m.candidates}) > 1:
            feats.append("ambiguous")
    feats += ["rule=" + x for x in m.signals.split()]
    if not m.signals:
        feats.append("rule=none")
    if m.dateline:
        feats.append("dateline")
    if m.locative:
        feats.append("locative")
    if not w.informative[i]:
        feats.append("initial")
    if w.line_upper[i]:
        feats.append("caps-line")
    if " " not in key and len(key) > 4:
        # A name's ending tells a person's from a place's in many languages ("-ov", "-son",
        # "-burg", "-stan"), as character affixes do in named-entity taggers.
        feats.append("suffix=" + key[-3:])
    if " " not in key and key:
        # Whether the capital says "name" here: "England" mid-sentence is no ordinary word,
        # "Coast" opening a headline may be.
        capital = "informative" if w.informative[i] else "uninformative"
        if key in given:
            feats.append("given-name=" + capital)
        if key in common:
            feats.append("common-word=" + capital)
    p1 = w.fold(i - 1) if i else "<s>"
    n1 = w.fold(j) if j < n else "</s>"
    feats += [
        "p1=" + p1,
        "n1=" + n1,
        "p1+kind=" + p1 + "|" + kind,
        "n1+kind=" + n1 + "|" + kind,
        "gap-before=" + (_gap_mark(w.gap(i)) if i else "<s>"),
        "gap-after=" + (_gap_mark(w.gap(j)) if j < n else "</s>"),
    ]
    names = gaz.names
    if i:
        prev = w.words[i - 1]
        feats.append("p1shape=" + _shape(prev))
        if w.gap(i) == " " and _shape(prev) == "cap":
            if w.fold(i - 1) in given:
                feats.append("after-given-name")
            elif p1 not in common and not names.get(p1):
                # a capitalised word that is no place and no ordinary word: a name goes on
                feats.append("after-unknown-name")
    if j < n:
        feats.append("n1shape=" + _shape(w.words[j]))
        if w.gap(j) == " " and _shape(w.words[j]) in ("cap", "upper") and w.informative[j]:
            feats.append("before-name" if names.get(n1) else
                         "before-word" if n1 in common else "before-unknown-name")
    if i and j < n and _gap_mark(w.gap(i)) == "(" and _gap_mark(w.gap(j)) == ")":
        feats.append("in-brackets")
    before = word_class(p1) if i and w.gap(i) in (" ", "\u00a0") else "-"
    after = word_class(n1) if j < n and w.gap(j) in (" ", "\u00a0") else "-"
    # Two words away: "kata Menteri X" and "di Kota X" differ in the word before the one next
    # to the name, and a person's name is often followed by an apposition ("X , Ketua ...").
    # (The start and end of the text are told by p1 and n1 already.)
    if i > 1:
        p2 = w.fold(i - 2)
        feats += ["p2=" + p2, "p2class=" + word_class(p2)]
    if j + 1 < n:
        n2 = w.fold(j + 1)
        feats += ["n2=" + n2, "n2class=" + word_class(n2)]
    feats += ["p1class=" + before, "n1class=" + after, "p1class+kind=" + before + "|" + kind,
              "cap-run=" + str(min(2, _capitalised_run(w, i, -1))) + "/"
              + str(min(2, _capitalised_run(w, j - 1, 1)))]
    return feats


def local_evidence(w: Words, m: Match) -> frozenset[str]:
    """What one mention's own surroundings say of its name, for the other mentions of the same
    name in the article ("one sense per discourse"): inside a longer run of capitals, after a
    person's title or honorific, after a preposition of place or motion (or one word after it:
    "di dekat X"), given a person's or organisation's reading by a rule, found by a cue word or
    as a dateline."""
    i = bisect_left(w.starts, m.start)
    j = bisect_left(w.starts, m.end, i)
    if i >= len(w.words):
        return frozenset()
    out = set()
    if w.informative[i] and (_capitalised_run(w, i, -1) or _capitalised_run(w, j - 1, 1)):
        out.add("in-run")
    if i and w.gap(i) in (" ", "\u00a0"):
        before = word_class(w.fold(i - 1))
        if before in ("honorific", "title"):
            out.add("person-cue")
        elif before in ("locative", "motion"):
            out.add("place-cue")
        elif (i > 1 and w.words[i - 1].islower() and w.gap(i - 1) in (" ", "\u00a0")
              and word_class(w.fold(i - 2)) in ("locative", "motion")):
            out.add("place-cue")  # "di dekat Abu Kamal", "ke arah Homs"
    if m.signals:
        out.add("rule")
    if m.cue or m.dateline or m.locative:
        out.add("place-cue")
    return frozenset(out)


def discourse(evidence: list[tuple[str, frozenset[str]]]) -> list[list[str]]:
    """For each mention (its key and local evidence, in article order), the features saying what
    the other mentions of the same name show: "elsewhere=person-cue", "elsewhere=in-run", ..."""
    by_key: dict[str, list[int]] = {}
    for k, (key, _) in enumerate(evidence):
        if key:
            by_key.setdefault(key, []).append(k)
    out = []
    for k, (key, _) in enumerate(evidence):
        others = [evidence[x][1] for x in by_key.get(key, ()) if x != k]
        feats = ["elsewhere=" + e for e in sorted(frozenset().union(*others))]
        if others and not feats:
            feats.append("elsewhere=plain")
        out.append(feats)
    return out


def in_capitalised_run(w: Words, m: Match) -> bool:
    """Whether the mention is glued (by a plain space) to a capitalised word that carries case
    information: "Garuda Indonesia", "Indonesia Corruption Watch", "Air Mauritania"."""
    i = bisect_left(w.starts, m.start)
    j = bisect_left(w.starts, m.end, i)
    if i >= len(w.words):
        return False
    return _capitalised_run(w, i, -1) > 0 or _capitalised_run(w, j - 1, 1) > 0


def _capitalised_run(w: Words, k: int, step: int) -> int:
    """How many capitalised words directly precede (step -1) or follow (step 1) word k: a name
    inside a longer run of capitals is mostly part of an organisation's name or a title."""
    count, n = 0, len(w.words)
    while True:
        nxt = k + step
        if not 0 <= nxt < n or w.gap(max(k, nxt)) not in (" ", "\u00a0"):
            return count
        if not w.words[nxt][:1].isupper() or not w.informative[nxt]:
            return count
        count += 1
        k = nxt
