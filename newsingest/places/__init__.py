"""Places: the places an article names, found in its own language and resolved on the map.

This package owns the ``places`` field of the Article. ``load_gazetteer`` reads the shipped
gazetteer (``newsingest/data/gazetteer.tsv.gz``, built by ``python -m newsingest.places.build``);
``extract`` is the pipeline stage; ``find_places`` runs the same matcher on a plain string;
``resolve_query`` turns what a user types after ``--place`` into the places it may mean.
How matching and resolution work is described in ``matcher.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from ..article import BODY, TITLE, Article, PlaceMention
from . import codeswitch
from . import context as _context
from . import gazetteer as _gazetteer
from .gazetteer import NATION, Gazetteer
from .matcher import DROP, Finder, Match, Words, is_sports, is_uncased, resolve
from .names import key_of

__all__ = [
    "PlaceQuery",
    "extract",
    "find_places",
    "load_gazetteer",
    "place_keys",
    "resolve_query",
]


def load_gazetteer() -> Gazetteer:
    """The gazetteer shared by every article, with its context model (read once per process)."""
    gaz = _gazetteer.load()
    gaz.context = _context.load()
    return gaz


def extract(article: Article, resources) -> Article:
    """Stage: the places mentioned in title and body."""
    gaz = resources.gazetteer
    if gaz is None:
        return article
    fields = []
    for field, text in ((TITLE, article.title), (BODY, article.body)):
        if text:
            skip = [(u.start, u.start + len(u.text)) for u in article.urls if u.field == field]
            fields.append((field, text, skip))
    return replace(article, places=tuple(_find(gaz, fields, article.language)))


def find_places(text: str, gazetteer: Gazetteer, language: str | None = None) -> list[PlaceMention]:
    """The places named in a plain string (as the "body" field)."""
    if not text:
        return []
    return _find(gazetteer, [(BODY, text, [])], language)


def context_features(text: str, gazetteer: Gazetteer,
                     language: str | None = None) -> list[tuple[int, int, list[str]]]:
    """Each mention the rules find in a plain string, before the context model judges it:
    (start, end, features). What the model is trained on."""
    collected: list[tuple[int, int, list[str]]] = []
    if text:
        _find(gazetteer, [(BODY, text, [])], language, collected)
    return collected


def _find(gaz: Gazetteer, fields, language: str | None,
          collect: list | None = None) -> list[PlaceMention]:
    sample = " ".join(text for _, text, _ in fields)
    uncased = is_uncased(sample)
    # With a context model (or when collecting its training examples), the rules that take a
    # name for a person's or a team's give evidence to the model instead of dropping it.
    soft = gaz.context is not None or collect is not None
    finder = Finder(gaz, language, uncased, soft)
    words = [Words(text, uncased) for _, text, _ in fields]
    capital, lower = Finder.evidence(words)
    found: list[tuple[str, Match]] = []
    foreign = gaz.foreign_words(language) if language in codeswitch.LANGUAGES else None
    for (field, _text, skip), w in zip(fields, words, strict=True):
        for m in finder.find(w, capital, lower, body_start=field == BODY):
            if any(m.start < e and s < m.end for s, e in skip):
                continue
            if foreign and not m.cue and not m.dateline and _in_foreign_name(w, m, foreign):
                if not soft:
                    continue
                m.signals = (m.signals + " foreign-name").strip()
            found.append((field, m))
    if finder.surnames:
        # A name seen as a person's surname is that person elsewhere in the article too.
        surname = [m.key in finder.surnames and not (m.cue or m.dateline or m.locative)
                   for _, m in found]
        if soft:
            for (_, m), s in zip(found, surname, strict=True):
                if s and not m.signals:
                    m.signals = "surname"
        else:
            found = [x for x, s in zip(found, surname, strict=True) if not s]
    chosen = resolve(gaz, [m for _, m in found], language, is_sports(words), soft)
    model = gaz.context
    if model is not None or collect is not None:
        chosen = _judge(gaz, model, finder, fields, words, found, chosen, language, collect)
    if language in JOIN_ADJACENT_LANGUAGES:
        found, chosen = _join_adjacent(fields, found, chosen)
    out = []
    for (field, m), index in zip(found, chosen, strict=True):
        if index == DROP:
            continue
        text = _text_of(fields, field)[m.start : m.end]
        if index is None:
            out.append(PlaceMention(field, m.start, text, text, None, None, None, None, None))
            continue
        lat, lon = gaz.coordinates(index)
        out.append(
            PlaceMention(
                field,
                m.start,
                text,
                gaz.place_name[index],
                gaz.country[index] or None,
                lat,
                lon,
                gaz.geonameid[index] or None,
                gaz.kind[index],
            )
        )
    return out


def _judge(gaz, model, finder, fields, words, found, chosen, language, collect):
    """Drop the mentions the context model says are no place (or collect their features)."""
    by_field = {field: w for (field, _t, _s), w in zip(fields, words, strict=True)}
    # Only a name mentioned more than once has other mentions to learn from.
    repeated = Counter(m.key for _, m in found)
    elsewhere = _context.discourse(
        [(m.key, _context.local_evidence(by_field[field], m) if repeated[m.key] > 1
          else frozenset()) for field, m in found])
    out = []
    for (field, m), index, other in zip(found, chosen, elsewhere, strict=True):
        # Datelines and cue words ("Kabupaten X", "Sungai X") are structural evidence of a
        # place; the model judges the names found by the gazetteer alone.
        if index is not None and index != DROP and not m.cue and not m.dateline:
            w = by_field[field]
            nation = _is_nation(gaz, m, index)
            if nation and m.signals and collect is None:
                index = DROP
            elif nation and not _context.in_capitalised_run(w, m):
                # A country's or nation's name standing alone is rarely anything else.
                pass
            else:
                # Glued to other capitalised words, a country's name may be part of an
                # organisation's ("Garuda Indonesia") or stand after a title ("Presiden
                # Indonesia", a place): the model judges it with the rest.
                feats = _context.features(w, m, index, gaz, language, gaz.given, finder.common,
                                          nation, other)
                if collect is not None:
                    collect.append((m.start, m.end, feats))
                elif not model.keeps(feats):
                    index = DROP
        out.append(index)
    return out


def _in_foreign_name(w: Words, m: Match, foreign: frozenset[str]) -> bool:
    i = bisect_left(w.starts, m.start)
    return codeswitch.in_foreign_name(w, i, bisect_left(w.starts, m.end, i), foreign)


def _is_nation(gaz: Gazetteer, m: Match, index: int) -> bool:
    return gaz.kind[index] == "country" or any(
        c.index == index and NATION in c.flags for c in m.candidates)


# Indonesian and Malay news writes a place and the larger place it lies in side by side without
# a comma ("Hanoi Vietnam", "kecamatan Gajahmungkur kota Semarang"); annotators of Indonesian
# news mark such a pair as one place, resolved to its first (more specific) part.
JOIN_ADJACENT_LANGUAGES = frozenset({"id", "ms"})


def _join_adjacent(fields, found, chosen):
    out_found: list[tuple[str, Match]] = []
    out_chosen: list[int | None] = []
    for (field, m), index in zip(found, chosen, strict=True):
        if out_found and index != DROP and out_chosen[-1] != DROP:
            prev_field, prev = out_found[-1]
            if prev_field == field and _text_of(fields, field)[prev.end : m.start] == " ":
                out_found[-1] = (field, replace(prev, end=m.end))
                if out_chosen[-1] is None:
                    out_chosen[-1] = index
                continue
        out_found.append((field, m))
        out_chosen.append(index)
    return out_found, out_chosen


def _text_of(fields, field: str) -> str:
    for f, text, _ in fields:
        if f == field:
            return text
    return ""


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """A place that a ``--place`` query may mean, and how to compare it with stored mentions."""

    geonameid: int | None
    name: str  # canonical name, as stored in PlaceMention.name
    country_code: str | None
    kind: str | None


def resolve_query(name: str, gazetteer: Gazetteer) -> list[PlaceQuery]:
    """The places a user's place query may mean ("Syria", "Suriah" and "SY" all give Syria)."""
    text = name.strip()
    if not text:
        return []
    out: list[PlaceQuery] = []
    seen: set[tuple] = set()
    code = text.upper()
    if len(text) == 2 and text.isalpha() and code in gazetteer.country_index:
        index = gazetteer.country_index[code]
        return [
            PlaceQuery(
                gazetteer.geonameid[index] or None, gazetteer.place_name[index], code, "country"
            )
        ]
    cands = gazetteer.candidates(key_of(text))
    # Best first: countries, then by the same prior the matcher uses.
    from .matcher import prior

    for c in sorted(cands, key=lambda c: -prior(gazetteer, c)):
        i = c.index
        item = PlaceQuery(
            gazetteer.geonameid[i] or None,
            gazetteer.place_name[i],
            gazetteer.country[i] or None,
            gazetteer.kind[i],
        )
        ident = (item.geonameid, item.name, item.country_code)
        if ident not in seen:
            seen.add(ident)
            out.append(item)
    return out


def place_keys(name: str, gazetteer: Gazetteer) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """What a stored mention must carry to be ``name``: one of these geonameids, or (for a
    place without one, such as a hand-listed river) one of these canonical names."""
    resolved = resolve_query(name, gazetteer)
    ids = tuple(sorted({r.geonameid for r in resolved if r.geonameid}))
    names = tuple(sorted({r.name for r in resolved if not r.geonameid}))
    return ids, names
