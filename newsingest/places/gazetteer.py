"""The gazetteer as loaded at run time: names -> candidate places, compact and read-only.

The shipped file (built by ``python -m newsingest.places.build``) holds one row per place and one
row per name key. Places are kept in parallel arrays; each name key maps to one string listing its
candidates ("idx/flags/languages ..."), parsed only when the key is hit, so the whole table costs a
few tens of megabytes rather than hundreds of thousands of small objects.
"""

from __future__ import annotations

import gzip
import io
import marshal
from array import array
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .. import model_cache
from .names import fold, key_of

DATA_FILE = "gazetteer.tsv.gz"

# Candidate flags in the data file.
PRIMARY = "p"  # the place's own name or a localised name of it
ALTERNATE = "a"  # a GeoNames alternate name, or a region's name without "Kabupaten"/"Province"
UPPER = "u"  # an abbreviation: matches only when written in capitals (AS, UK)
CUE = "c"  # a one-word feature name: a place only after a cue ("Sungai Efrat")
US_EVIDENCE = "e"  # "Amerika": the United States only when the article names it unambiguously
NATION = "n"  # a region that ISO 3166-2 calls a country (England, Wales): a nation in sport


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to."""

    index: int
    flags: str
    languages: tuple[str, ...]


class Gazetteer:
    """Names, places and word lists, built once per process by ``load``."""

    __slots__ = ("names", "place_name", "country", "lat", "lon", "geonameid", "kind",
                 "population", "common", "function", "given", "country_index", "max_words",
                 "built_from", "context", "_lists", "_foreign")

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # key -> candidates ("" = only a prefix of longer keys)
        self.place_name: list[str] = []
        self.country: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.geonameid = array("q")  # 0 = none
        self.kind: list[str] = []
        self.population = array("q")
        self.common: dict[str, frozenset[str]] = {}
        self.function: dict[str, frozenset[str]] = {}
        self.given: frozenset[str] = frozenset()  # given names ("carlos", "hilde")
        self.country_index: dict[str, int] = {}  # ISO alpha-2 -> the country's place index
        self.max_words = 1
        self.built_from = ""
        # the context model (places.context.ContextModel) that judges each mention, if any
        self.context = None
        self._lists: dict[str | None, tuple[frozenset[str], frozenset[str]]] = {}
        self._foreign: dict[str, frozenset[str]] = {}

    def word_lists(self, language: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """(function words, common words) that the case rules use for a language.

        English words are everywhere in news of every language (headings, quotes), so English
        common words count in every language; an unknown language gets English and Indonesian.
        """
        lists = self._lists.get(language)
        return lists if lists is not None else self._lists[None]

    def foreign_words(self, language: str) -> frozenset[str]:
        """English common words that are no common or function word of ``language`` (for
        ``places.codeswitch``; empty for English)."""
        words = self._foreign.get(language)
        if words is None:
            empty: frozenset[str] = frozenset()
            words = (frozenset() if language == "en" else frozenset(
                self.common.get("en", empty) - self.common.get(language, empty)
                - self.function.get(language, empty)))
            self._foreign[language] = words
        return words

    def _build_word_lists(self) -> None:
        empty: frozenset[str] = frozenset()
        english = self.common.get("en", empty)
        for lang, function in self.function.items():
            self._lists[lang] = (function, self.common.get(lang, empty) | english)
        self._lists[None] = (
            self.function.get("en", empty) | self.function.get("id", empty),
            english | self.common.get("id", empty),
        )

    def candidates(self, key: str) -> list[Candidate]:
        """The places a name key may refer to ([] when it is not a name)."""
        raw = self.names.get(key)
        if not raw:
            return []
        out = []
        for item in raw.split(" "):
            parts = item.split("/")
            langs = tuple(parts[2].split(",")) if len(parts) > 2 and parts[2] else ()
            out.append(Candidate(int(parts[0]), parts[1] if len(parts) > 1 else "", langs))
        return out

    def coordinates(self, index: int) -> tuple[float | None, float | None]:
        """Latitude and longitude of a place, or (None, None) when unknown."""
        lat, lon = self.lat[index], self.lon[index]
        if lat != lat:  # NaN marks "unknown"
            return None, None
        return lat, lon


def load(path=None) -> Gazetteer:
    """Read the shipped gazetteer file (or ``path``) into a Gazetteer.

    The shipped one is parsed once (0.45 s) and kept in the model cache
    (``newsingest.model_cache``) as a marshal image that later runs load in 0.07 s.
    """
    if path is not None:
        return _read(path)
    source = Path(str(resources.files("newsingest").joinpath("data", DATA_FILE)))
    return model_cache.load("gazetteer", [source], lambda: _dumps(_read(source)), _loads)


_ARRAY = "array"  # marks an array.array in a marshal image: (marker, typecode, bytes)
_SAVED = tuple(s for s in Gazetteer.__slots__ if s not in ("context", "_lists"))


def _dumps(gaz: Gazetteer) -> bytes:
    image = {}
    for slot in _SAVED:
        value = getattr(gaz, slot)
        if isinstance(value, array):
            value = (_ARRAY, value.typecode, value.tobytes())
        image[slot] = value
    return marshal.dumps(image)


def _loads(data) -> Gazetteer:
    image = marshal.loads(data)
    gaz = Gazetteer()
    for slot in _SAVED:
        value = image[slot]
        if isinstance(value, tuple) and len(value) == 3 and value[0] == _ARRAY:
            value = array(value[1], value[2])
        setattr(gaz, slot, value)
    gaz.country = [_intern(c) for c in gaz.country]
    gaz.kind = [_intern(k) for k in gaz.kind]
    gaz._build_word_lists()
    return gaz


def _read(source) -> Gazetteer:
    with open(source, "rb") as raw:
        text = gzip.decompress(raw.read()).decode("utf-8")
    # StringIO yields lines one at a time without a list of every line (lower peak memory).
    return _parse(io.StringIO(text))


def _parse(lines) -> Gazetteer:
    gaz = Gazetteer()
    nan = float("nan")
    names = gaz.names
    prefixes: set[str] = set()
    max_words = 1
    for line in lines:
        line = line.rstrip("\n")
        tag = line[:2]
        if tag == "N\t":
            _, key, cands = line.split("\t")
            names[key] = cands
            if " " in key:
                words = key.split(" ")
                max_words = max(max_words, len(words))
                for n in range(1, len(words)):
                    prefixes.add(" ".join(words[:n]))
        elif tag == "P\t":
            _, name, cc, lat, lon, gid, kind, population = line.split("\t")
            index = len(gaz.place_name)
            gaz.place_name.append(name)
            gaz.country.append(cc)
            gaz.lat.append(float(lat) if lat else nan)
            gaz.lon.append(float(lon) if lon else nan)
            gaz.geonameid.append(int(gid) if gid else 0)
            gaz.kind.append(kind)
            gaz.population.append(int(population))
            if kind == "country" and gid and cc not in gaz.country_index:
                gaz.country_index[cc] = index
        elif tag == "C\t":
            _, lang, words = line.split("\t")
            gaz.common[lang] = frozenset(words.split())
        elif tag == "F\t":
            _, lang, words = line.split("\t")
            gaz.function[lang] = frozenset(words.split())
        elif tag == "G\t":
            gaz.given = frozenset(line[2:].split())
        elif line.startswith("#built-from\t"):
            gaz.built_from = line.split("\t", 1)[1]
    for prefix in prefixes:
        names.setdefault(prefix, "")
    # Interning keeps one copy of each country code and kind.
    gaz.country = [_intern(c) for c in gaz.country]
    gaz.kind = [_intern(k) for k in gaz.kind]
    gaz.max_words = max_words
    gaz._build_word_lists()
    return gaz


def _intern(value: str) -> str:
    import sys

    return sys.intern(value)


def lookup_key(text: str) -> str:
    """The key under which a query or mention text is looked up."""
    return key_of(text)


__all__ = ["Candidate", "Gazetteer", "fold", "load", "lookup_key"]
