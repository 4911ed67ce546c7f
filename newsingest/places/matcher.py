"""Finding place mentions in one field of text and resolving each to one place.

Steps, for one article:

1. Split the text into words (``names.WORD``) and mark where capitals carry information: a capital
   inside a sentence says "name"; a capital at the start of a sentence, in a Title Case headline or
   in an ALL-CAPS line says nothing. Text with (almost) no capitals is read as uncased.
2. Walk the words once; at each candidate start take the longest run of words whose joined key is
   a gazetteer name (a hash lookup per word, growing only while the run is a prefix of some name).
3. Keep a match only if the case rules allow it: function words (the most frequent words of the
   language, month and weekday names) never name a place alone; a name that is also a common word
   of the language needs an informative capital, or the article's own evidence (the same word
   capitalised mid-sentence elsewhere, never written in lower case); a name inside an
   organisation's name ("Bank Indonesia") or a title ("Juru Bicara") is not a place mention.
4. Context cues mark places the gazetteer lacks and widen spans the way news annotators do:
   "Kabupaten X", "Desa X", "Sungai X", "Mount X", "X River", "di X", datelines ("JAKARTA, Senin").
5. Resolve each kept name to one place: a country when the name is a country's; else prefer places
   in the countries the article names and its dateline's country, then the language's home
   country (Indonesia for Indonesian, Malaysia for Malay), then population.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .gazetteer import CUE, PRIMARY, UPPER, US_EVIDENCE, Candidate, Gazetteer
from .names import WORD, fold

# Lower-case words that may stand inside a multi-word name ("Gulf of Mexico", "Trinidad dan
# Tobago", "Wadi al-Sabha", "Rio de Janeiro").
CONNECTORS = frozenset(
    "of the and upon on dan da de del della di do dos das du la le les al el ad ar as at az ash "
    "bin binti van von der den y e et i".split()
)

# Prefix cues: the next capitalised words name a place of this kind even when the gazetteer lacks
# them. Indonesian and Malay administrative and physical words, and their English equals.
ADMIN_PREFIXES = frozenset(
    "kabupaten kab kota kotamadya kodya provinsi propinsi prov desa kecamatan kec kelurahan kel "
    "dusun kampung kampong mukim".split()
)
FEATURE_PREFIXES = frozenset(
    "sungai gunung pulau danau selat teluk laut tanjung bukit lembah pantai kepulauan semenanjung "
    "samudra samudera tasik pegunungan wadi lake mount mt cape isle".split()
)
STREET_PREFIXES = frozenset("jalan jl jln".split())
# Named facilities that news annotators count as places ("Bandara Silangit", "Waduk Jatiluhur").
# What follows is the facility's own name, never resolved to a town of that name.
FACILITY_PREFIXES = frozenset(
    "bandara pelabuhan stasiun terminal waduk bendungan situs candi benteng kastil stadion".split()
)
PREFIX_CUES = ADMIN_PREFIXES | FEATURE_PREFIXES | STREET_PREFIXES | FACILITY_PREFIXES
# Lower-case words allowed inside the name that follows a cue ("Wadi al-Sabha", "Isle of Man").
RUN_CONNECTORS = frozenset("of de del da do dos das du la le al el bin van von der y".split())
# A lower-case cue word is part of the span only for these (annotators write "jalan Sudirman",
# "desa Bolano" as one place, but "kota Mosul" as "kota" + "Mosul").
LOWER_PREFIX_IN_SPAN = frozenset(
    "jalan jl jln desa dusun kecamatan kelurahan kabupaten provinsi".split()
)
# Suffix cues ("Hudson River", "Aceh Province", "Orange County").
SUFFIX_CUES = frozenset(
    "river province county district island islands mountains mountain valley sea strait bay "
    "lake peninsula regency prefecture governorate oblast desert".split()
)
FEATURE_CUES = frozenset("sungai gunung pulau danau river mount mt lake island".split())
# Prepositions after which a capitalised name is a place ("di Klaten", "in Harare").
PLACE_PREPOSITIONS = {
    "id": frozenset({"di"}),
    "ms": frozenset({"di"}),
}
# Heads of organisation names: a place inside such a name is part of the organisation, not a
# place mention ("Bank Indonesia", "Universitas Gadjah Mada", "University of Tokyo").
ORG_WORDS = frozenset(
    """bank universitas university institut institute kementerian kemenhan ministry partai party
    pengadilan court kejaksaan kepolisian polda polres polsek dinas badan komisi commission dewan
    council majelis yayasan foundation pt tbk corp corporation inc ltd plc company co group
    association federation asosiasi persatuan liga league fc club klub united airlines airways
    sekolah school college academy akademi sma smp smk sd rsud puskesmas hospital times post news
    journal kantor agency exchange bursa""".split()
)
# Honorific and office words: a capitalised run of these is a title ("Juru Bicara", "Wakil
# Gubernur"), so a name that is also an ordinary word is not taken from inside one.
HOME_COUNTRY = {"id": "ID", "ms": "MY"}
# A one-word name taken without a cue must name a place this big (people) unless the place is in
# a country the article names or in the language's home country: small foreign towns share their
# names with people and ordinary words far more often than the news names them.
PROMINENT_POPULATION = 100_000
ALTERNATE_PROMINENT_POPULATION = 1_000_000
DROP = -1

KIND_WEIGHT = {"country": 3.0, "city": 1.2, "admin": 1.0, "feature": 1.0}
SENTENCE_BREAK = re.compile(r"[.!?;:\n\"“”‘«»()\[\]]")
ALLOWED_GAPS = frozenset({" ", "-", "'", "’", ". ", ".", " - ", " ' ", "\u00a0", "‐", "–", " ’ "})
# Below this share of capitals among letters a text is read as lower-cased (a one-sentence text
# with a single capitalised name is still cased).
UNCASED_MAX_CAPITAL_SHARE = 0.005


@dataclass(slots=True)
class Match:
    """A place mention before resolution."""

    start: int  # character offsets in the field
    end: int
    key: str  # gazetteer key that matched ("" for a cue-only mention)
    cue: str = ""  # the cue word that marked it, if any
    dateline: bool = False
    candidates: tuple[Candidate, ...] = ()


class Words:
    """The words of one field with the facts the case rules need."""

    __slots__ = ("text", "starts", "ends", "words", "folded", "informative", "line_upper")

    def __init__(self, text: str, uncased: bool):
        self.text = text
        spans = [m.span() for m in WORD.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.words = [text[s:e] for s, e in spans]
        self.folded: list[str | None] = [None] * len(spans)
        self.informative = self._informative(uncased)

    def fold(self, i: int) -> str:
        f = self.folded[i]
        if f is None:
            f = self.folded[i] = fold(self.words[i])
        return f

    def gap(self, i: int) -> str:
        """The text between word i-1 and word i."""
        return self.text[self.ends[i - 1]: self.starts[i]] if i else self.text[: self.starts[0]]

    def _informative(self, uncased: bool) -> list[bool]:
        n = len(self.words)
        if uncased or not n:
            self.line_upper = [False] * n
            return [False] * n
        informative = [True] * n
        self.line_upper = [False] * n
        # Lines: Title Case and ALL-CAPS lines carry no case information.
        text = self.text
        line_start = 0
        i = 0
        while line_start <= len(text):
            nl = text.find("\n", line_start)
            line_end = len(text) if nl < 0 else nl
            j = i
            while j < n and self.starts[j] < line_end:
                j += 1
            if j > i:
                self._mark_line(i, j, informative)
            i = j
            if nl < 0:
                break
            line_start = nl + 1
        for k in range(n):
            if k == 0 or SENTENCE_BREAK.search(self.gap(k)):
                informative[k] = False
        return informative

    def _mark_line(self, i: int, j: int, informative: list[bool]) -> None:
        words = self.words[i:j]
        letters = "".join(words)
        if sum(c.isupper() for c in letters) > 0.6 * max(1, sum(c.isalpha() for c in letters)):
            for k in range(i, j):
                informative[k] = False
                self.line_upper[k] = True
            return
        long_words = [w for w in words if len(w) >= 4 and w.isalpha()]
        if len(long_words) >= 3:
            capitalised = sum(w[0].isupper() for w in long_words)
            if capitalised >= 0.75 * len(long_words):
                for k in range(i, j):
                    informative[k] = False


def is_uncased(text: str) -> bool:
    """True when the text has (almost) no capital letters, e.g. a lower-cased corpus."""
    letters = sum(c.isalpha() for c in text[:4000])
    if letters < 20:
        return False
    capitals = sum(c.isupper() for c in text[:4000])
    return capitals <= UNCASED_MAX_CAPITAL_SHARE * letters


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _is_acronym(word: str) -> bool:
    return len(word) <= 5 and word.isupper() and len(word) >= 2


class Finder:
    """Finds and filters matches in one field; resolution happens over the whole article."""

    def __init__(self, gaz: Gazetteer, language: str | None, uncased: bool):
        self.gaz = gaz
        self.language = language
        self.uncased = uncased
        self.function, self.common = gaz.word_lists(language)
        self.prepositions = PLACE_PREPOSITIONS.get(language or "", frozenset())

    # -- evidence ------------------------------------------------------------------------------
    @staticmethod
    def evidence(fields: list[Words]) -> tuple[set[str], set[str]]:
        """Words capitalised mid-sentence somewhere, and words written in lower case somewhere."""
        capital, lower = set(), set()
        for w in fields:
            for i, word in enumerate(w.words):
                if w.informative[i] and _is_cap(word):
                    capital.add(w.fold(i))
                elif word.islower():
                    lower.add(word)
        return capital, lower

    # -- matching ------------------------------------------------------------------------------
    def longest(self, w: Words, i: int) -> tuple[int, str] | None:
        """The longest gazetteer name starting at word i: (index after its last word, key)."""
        names = self.gaz.names
        key = w.fold(i)
        best = None
        j = i
        n = len(w.words)
        while True:
            value = names.get(key)
            if value is None:
                break
            if value and (self.uncased or _is_cap(w.words[j]) or j == i):
                best = (j + 1, key)
            j += 1
            if j >= n or j - i >= self.gaz.max_words or w.gap(j) not in ALLOWED_GAPS:
                break
            word = w.words[j]
            if not self.uncased and not _is_cap(word) and w.fold(j) not in CONNECTORS:
                break
            key = key + " " + w.fold(j)
        return best

    def cap_run_end(self, w: Words, i: int, limit: int = 4) -> int:
        """Index after the run of capitalised words starting at i (connectors allowed inside)."""
        j = i
        n = len(w.words)
        last_cap = i
        while j < n and j - i < limit + 2:
            if j > i and w.gap(j) not in ALLOWED_GAPS:
                break
            word = w.words[j]
            if j > i and w.fold(j) in PREFIX_CUES:
                break
            if _is_cap(word) or (self.uncased and j == i):
                last_cap = j + 1
            elif w.fold(j) not in RUN_CONNECTORS or j == i:
                break
            j += 1
            if last_cap - i >= limit:
                break
        return last_cap

    def find(self, w: Words, capital: set[str], lower: set[str], body_start: bool) -> list[Match]:
        """All accepted matches in one field, left to right, not overlapping."""
        out: list[Match] = []
        n = len(w.words)
        words = w.words
        uncased = self.uncased
        i = 0
        while i < n:
            if i == 0 or "\n" in w.gap(i):
                dl = self.dateline(w, i, body_start and i == 0)
                if dl is not None:
                    out.append(dl)
                    i = _next_word(w, dl.end)
                    continue
            word = words[i]
            cap = _is_cap(word)
            f = None
            if not cap and not uncased:
                f = w.fold(i)
                if f in LOWER_PREFIX_IN_SPAN or f in self.prepositions or f == "kota":
                    m = self.after_cue(w, i, f, capital, lower)
                    if m is not None:
                        out.append(m)
                        i = _next_word(w, m.end)
                        continue
                i += 1
                continue
            f = w.fold(i)
            if f in PREFIX_CUES or (uncased and f in self.prepositions):
                m = self.after_cue(w, i, f, capital, lower)
                if m is not None:
                    out.append(m)
                    i = _next_word(w, m.end)
                    continue
            hit = self.longest(w, i)
            if hit is None:
                i += 1
                continue
            j, key = hit
            m = self.accept(w, i, j, key, capital, lower)
            if m is not None and (
                self.table_cell(w, j) or (j - i == 1 and self.in_person_name(w, i))
            ):
                m = None
            if m is not None:
                m = self.extend_suffix(w, m, j)
                out.append(m)
                i = _next_word(w, m.end)
            else:
                i = j if self.org_or_title(w, i, j) else i + 1
        return out

    def accept(self, w: Words, i: int, j: int, key: str, capital, lower,
               cue: str = "") -> Match | None:
        """Apply the case rules to the name of words i..j-1; a Match if it is a place mention."""
        cands = tuple(self.usable(self.gaz.candidates(key), w, i, j, cue))
        if not cands:
            return None
        single = j - i == 1
        word = w.words[i]
        if single and not cue:
            if key in self.function or key in PREFIX_CUES or (
                key in CONNECTORS and not word.isupper()
            ):
                return None
            if len(key) < 3 and not all(UPPER in c.flags for c in cands):
                return None
            if self.uncased:
                if key in self.common:
                    return None
            elif _is_acronym(word) and not w.line_upper[i]:
                # An acronym matches only a name written as an acronym (AS, UK), not "ISIS".
                cands = tuple(c for c in cands if UPPER in c.flags)
                if not cands:
                    return None
            elif key in self.common:
                informative = w.informative[i]
                if key in lower:
                    return None
                if not informative and key not in capital:
                    return None
                if informative and self.in_title_run(w, i):
                    return None
        elif not single and not cue and not self.uncased and not w.informative[i]:
            # "RUGBY UNION", "Central Division": ordinary words in a headline.
            common = self.common
            ordinary = all(w.fold(x) in common or w.fold(x) in self.function for x in range(i, j))
            prominent = any(
                self.gaz.kind[c.index] == "country"
                or self.gaz.population[c.index] >= PROMINENT_POPULATION for c in cands
            )
            if ordinary and not prominent:
                return None
        if not cue and self.org_or_title(w, i, j):
            return None
        end = w.ends[j - 1]
        # "U.S." : the abbreviation's last period belongs to the name.
        if w.text[end: end + 1] == "." and "." in w.text[w.starts[i]: end]:
            end += 1
        return Match(w.starts[i], end, key, cue, False, cands)

    def table_cell(self, w: Words, j: int) -> bool:
        """True when the name is followed by a score or figure in a results table line."""
        if j >= len(w.words) or w.gap(j) != " " or not w.words[j].isdigit():
            return False
        text = w.text
        start = text.rfind("\n", 0, w.starts[j]) + 1
        end = text.find("\n", w.starts[j])
        line = text[start: end if end >= 0 else len(text)]
        tokens = line.split()
        numbers = sum(t[:1].isdigit() for t in tokens)
        lower = sum(t[:1].islower() for t in tokens)
        return numbers >= 2 and lower <= 0.3 * len(tokens)

    def in_person_name(self, w: Words, i: int) -> bool:
        """True when a one-word name is next to a capitalised word that is no place and no
        ordinary word: a first name or surname ("David Campese", "Sophia Loren")."""
        if not w.informative[i] or self.uncased:
            return False
        n = len(w.words)
        for k, gap_at in ((i + 1, i + 1), (i - 1, i)):
            if not 0 <= k < n or w.gap(gap_at) != " ":
                continue
            word = w.words[k]
            if not _is_cap(word) or word.isupper():
                continue
            f = w.fold(k)
            if (self.gaz.names.get(f) or f in self.common or f in self.function
                    or f in PREFIX_CUES or f in SUFFIX_CUES or f in ORG_WORDS):
                continue
            if k < i and not w.informative[k]:
                continue
            return True
        return False

    def usable(self, cands: list[Candidate], w: Words, i: int, j: int, cue: str):
        """Candidates whose flags allow this occurrence."""
        text_upper = all(not c.isalpha() or c.isupper() for c in w.text[w.starts[i]: w.ends[j - 1]])
        for c in cands:
            if c.languages and self.language not in c.languages:
                continue
            if UPPER in c.flags and not text_upper:
                continue
            if CUE in c.flags and cue not in FEATURE_CUES:
                continue
            yield c

    def in_title_run(self, w: Words, i: int) -> bool:
        """True when word i sits in a capitalised run of ordinary words ("Juru Bicara")."""
        n = len(w.words)
        for k in (i - 1, i + 1):
            if 0 <= k < n and _is_cap(w.words[k]) and w.gap(max(i, k)) in (" ", "\u00a0"):
                f = w.fold(k)
                if f in self.common and not self.gaz.names.get(f):
                    return True
        return False

    def org_or_title(self, w: Words, i: int, j: int) -> bool:
        """True when words i..j-1 sit inside an organisation's name ("Bank Indonesia")."""
        if self.uncased:
            k = i - 1
            return k >= 0 and w.fold(k) in ORG_WORDS and w.gap(i) == " "
        k = i
        while k > 0 and i - k < 5 and w.gap(k) in ALLOWED_GAPS and (
            _is_cap(w.words[k - 1]) or w.fold(k - 1) in CONNECTORS or w.words[k - 1].isdigit()
        ):
            k -= 1
            if w.fold(k) in ORG_WORDS:
                return True
        k = j
        n = len(w.words)
        while k < n and k - j < 3 and w.gap(k) in ALLOWED_GAPS and _is_cap(w.words[k]):
            if w.fold(k) in ORG_WORDS:
                return True
            k += 1
        return False

    def extend_suffix(self, w: Words, m: Match, j: int) -> Match:
        """Widen "Hudson" to "Hudson River" when a suffix cue follows."""
        if j < len(w.words) and w.gap(j) == " " and w.fold(j) in SUFFIX_CUES and (
            self.uncased or _is_cap(w.words[j])
        ):
            return Match(m.start, w.ends[j], m.key, w.fold(j), m.dateline, m.candidates)
        return m

    def after_cue(self, w: Words, i: int, cue: str, capital, lower) -> Match | None:
        """A place marked by the cue word at i ("Kabupaten Klaten", "di Abu Kamal")."""
        n = len(w.words)
        k = i + 1
        if k >= n or w.gap(k) not in (" ", "\u00a0", ". ", "."):
            return None
        preposition = cue in self.prepositions
        if (not self.uncased and not _is_cap(w.words[k]) and w.fold(k) in RUN_CONNECTORS
                and k + 1 < n and _is_cap(w.words[k + 1]) and not preposition):
            k += 1  # "Wadi al-Sabha"
        if not self.uncased and not _is_cap(w.words[k]):
            return None
        if cue in FACILITY_PREFIXES:
            end = self.cap_run_end(w, k) if not self.uncased else k + 1
            if end <= k or not self.cue_in_span(w, i):
                return None
            return Match(w.starts[i], w.ends[end - 1], "", cue)
        # The cue word with its name may itself be a gazetteer name ("Kabupaten Bogor").
        if not preposition:
            hit = self.longest(w, i)
            if hit is not None and hit[0] > k:
                m = self.accept(w, i, hit[0], hit[1], capital, lower, cue=cue)
                if m is not None:
                    return m
        hit = self.longest(w, k)
        span_start = w.starts[k] if preposition or not self.cue_in_span(w, i) else w.starts[i]
        if hit is not None:
            m = self.accept(w, k, hit[0], hit[1], capital, lower, cue="" if preposition else cue)
            if m is not None:
                end = hit[0]
                # "di Abu Kamal": if the capitalised run goes on past the name, it is something
                # else ("di Bank Indonesia" was caught by the organisation rule).
                if preposition and end < n and w.gap(end) == " " and _is_cap(w.words[end]):
                    return None if not self.uncased else m
                m.start = span_start
                return self.extend_suffix(w, m, end)
            if preposition:
                return None
        if self.uncased:
            if preposition or cue not in ADMIN_PREFIXES | STREET_PREFIXES | FEATURE_PREFIXES:
                return None
            end = k + 1
            if w.fold(k) in self.function or w.fold(k) in self.common:
                return None
        else:
            end = self.cap_run_end(w, k)
            if end <= k:
                return None
        if preposition and not self.cue_only_ok(w, k, end):
            return None
        if not preposition and cue == "kota" and not _is_cap(w.words[i]):
            return None
        if any(w.fold(x) in ORG_WORDS for x in range(k, end)):
            return None
        return Match(span_start, w.ends[end - 1], "", cue)

    def cue_in_span(self, w: Words, i: int) -> bool:
        return _is_cap(w.words[i]) or w.fold(i) in LOWER_PREFIX_IN_SPAN

    def cue_only_ok(self, w: Words, k: int, end: int) -> bool:
        """Whether a name after "di" that the gazetteer lacks is taken as a place."""
        first = w.fold(k)
        if end - k > 3:
            return False
        if _is_acronym(w.words[k]) or first in self.common or first in self.function:
            return False
        if first in PREFIX_CUES:
            return False
        # A name at the end of the run followed by more capitals is an organisation or a title.
        return not (end < len(w.words) and _is_cap(w.words[end]))

    def dateline(self, w: Words, i: int, article_start: bool) -> Match | None:
        """A dateline place at the start of a line: "JAKARTA, Senin", "LONDON 1996-12-06"."""
        words = w.words
        n = len(words)
        if not _is_cap(words[i]):
            return None
        if words[i].isupper():
            end = i + 1
            while end < n and end - i < 3 and w.gap(end) in (" ", "-") and words[end].isupper():
                end += 1
        else:
            if not article_start:
                return None
            hit = self.longest(w, i)
            end = hit[0] if hit else i + 1
        follow = w.text[w.ends[end - 1]: w.ends[end - 1] + 4].lstrip(" ")
        strong = follow[:1] == "," or follow[:1].isdigit()
        dash = follow[:1] in "-–(" and article_start
        if not (strong or dash):
            return None
        hit = self.longest(w, i)
        if hit is not None and hit[0] == end:
            cands = tuple(self.usable(self.gaz.candidates(hit[1]), w, i, end, ""))
            if cands and (strong or any(self.gaz.kind[c.index] != "feature" for c in cands)):
                return Match(w.starts[i], w.ends[end - 1], hit[1], "", True, cands)
        if strong and all(words[x].isupper() and len(words[x]) > 1 for x in range(i, end)) and all(
            w.fold(x) not in self.function and w.fold(x) not in self.common for x in range(i, end)
        ):
            return Match(w.starts[i], w.ends[end - 1], "", "", True)
        return None


def _next_word(w: Words, offset: int) -> int:
    import bisect

    return bisect.bisect_left(w.starts, offset)


# -- resolution ------------------------------------------------------------------------------------
def prior(gaz: Gazetteer, c: Candidate) -> float:
    """How likely a candidate is before context: kind, name quality, population."""
    i = c.index
    score = KIND_WEIGHT.get(gaz.kind[i], 1.0) + 0.6 * math.log10(gaz.population[i] + 10)
    if PRIMARY in c.flags:
        score += 1.0
    return score


def resolve(gaz: Gazetteer, matches: list[Match], language: str | None) -> list[int | None]:
    """Choose one place index per match (None for cue-only mentions)."""
    context: set[str] = set()
    home = HOME_COUNTRY.get(language or "")
    us_named = False
    for m in matches:
        if not m.candidates:
            continue
        best = max(m.candidates, key=lambda c: prior(gaz, c))
        if US_EVIDENCE in best.flags:
            continue
        countries = {gaz.country[c.index] for c in m.candidates}
        if m.dateline or (len(countries) == 1 and gaz.kind[best.index] != "city"):
            context.add(gaz.country[best.index])
        if gaz.country[best.index] == "US" and US_EVIDENCE not in best.flags:
            us_named = True
    out: list[int | None] = []
    for m in matches:
        if not m.candidates:
            out.append(None)
            continue
        best_score, best_index, best_flags = -1e9, None, ""
        for c in m.candidates:
            if US_EVIDENCE in c.flags and not us_named:
                continue
            cc = gaz.country[c.index]
            score = prior(gaz, c)
            if cc and cc in context:
                score += 3.0
            elif cc and cc == home:
                score += 1.5
            if m.cue in FEATURE_CUES and gaz.kind[c.index] == "feature":
                score += 5.0
            elif m.cue in ADMIN_PREFIXES and gaz.kind[c.index] == "admin":
                score += 2.0
            if score > best_score:
                best_score, best_index, best_flags = score, c.index, c.flags
        if best_index is not None and not m.cue and not m.dateline and " " not in m.key:
            kind = gaz.kind[best_index]
            cc = gaz.country[best_index]
            if kind in ("city", "admin") and cc not in context and cc != home:
                floor = (PROMINENT_POPULATION if PRIMARY in best_flags
                         else ALTERNATE_PROMINENT_POPULATION)
                if gaz.population[best_index] < floor:
                    best_index = DROP
        out.append(best_index)
    return out
