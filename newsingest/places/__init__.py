"""Places: the places an article names, found in its own language and resolved on the map.

This package owns the ``places`` field of the Article. ``load_gazetteer`` reads the shipped
gazetteer (``newsingest/data/gazetteer.tsv.gz``, built by ``python -m newsingest.places.build``);
``extract`` is the pipeline stage; ``find_places`` runs the same matcher on a plain string;
``resolve_query`` turns what a user types after ``--place`` into the places it may mean.
How matching and resolution work is described in ``matcher.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..article import BODY, TITLE, Article, PlaceMention
from . import gazetteer as _gazetteer
from .gazetteer import Gazetteer
from .matcher import DROP, Finder, Match, Words, is_uncased, resolve
from .names import key_of

__all__ = ["PlaceQuery", "extract", "find_places", "load_gazetteer", "resolve_query"]


def load_gazetteer() -> Gazetteer:
    """The gazetteer shared by every article (read once per process)."""
    return _gazetteer.load()


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


def _find(gaz: Gazetteer, fields, language: str | None) -> list[PlaceMention]:
    sample = " ".join(text for _, text, _ in fields)
    uncased = is_uncased(sample)
    finder = Finder(gaz, language, uncased)
    words = [Words(text, uncased) for _, text, _ in fields]
    capital, lower = Finder.evidence(words)
    found: list[tuple[str, Match]] = []
    for (field, _text, skip), w in zip(fields, words, strict=True):
        for m in finder.find(w, capital, lower, body_start=field == BODY):
            if any(m.start < e and s < m.end for s, e in skip):
                continue
            found.append((field, m))
    chosen = resolve(gaz, [m for _, m in found], language)
    out = []
    for (field, m), index in zip(found, chosen, strict=True):
        if index == DROP:
            continue
        text = _text_of(fields, field)[m.start: m.end]
        if index is None:
            out.append(PlaceMention(field, m.start, text, text, None, None, None, None, None))
            continue
        lat, lon = gaz.coordinates(index)
        out.append(PlaceMention(
            field, m.start, text, gaz.place_name[index], gaz.country[index] or None, lat, lon,
            gaz.geonameid[index] or None, gaz.kind[index],
        ))
    return out


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
        return [PlaceQuery(gazetteer.geonameid[index] or None, gazetteer.place_name[index], code,
                           "country")]
    cands = gazetteer.candidates(key_of(text))
    # Best first: countries, then by the same prior the matcher uses.
    from .matcher import prior

    for c in sorted(cands, key=lambda c: -prior(gazetteer, c)):
        i = c.index
        item = PlaceQuery(gazetteer.geonameid[i] or None, gazetteer.place_name[i],
                          gazetteer.country[i] or None, gazetteer.kind[i])
        ident = (item.geonameid, item.name, item.country_code)
        if ident not in seen:
            seen.add(ident)
            out.append(item)
    return out
