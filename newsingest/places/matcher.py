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
   organisation's name ("Bank Indonesia", "PSMS Medan", "Radio Monte-Carlo") or a title ("Juru
   Bicara") is not a place mention, nor is an adjective ("anti-Suriah", "mid-Mississippi"), a
   currency ("US$") or a standings row ("MIAMI 14 4 .778", which is no dateline).
4. Person names: a place name after an honorific ("Mr", "Pak", "Sutan") or a given name ("Carlos
   Ponce": the US census list of first names) is a person's; a town's name seen as a surname, or
   as a news agency ("the Xinhua news agency"), is that person or agency in the whole article.
   A given name before an unknown capitalised word ("Hilde Gerg") is a first name. After an
   office named by its jurisdiction ("Bupati Banyuwangi Abdullah Azwar Anas") the name stays.
5. Context cues mark places the gazetteer lacks and set spans by one convention per language,
   the one the labelled Indonesian sets follow most often: "Kabupaten X", "Desa X", "kota X",
   "Republik X" include the cue; "Wali Kota X" and "Ibu Kota X" do not; a cue's name runs on
   past a shorter gazetteer name ("Kelurahan Batang Beruh"); compass words ("Pamulang Timur"),
   street numbers ("Jalan Belitung No 8") and the larger place written beside a place without a
   comma ("Hanoi Vietnam") are part of the mention. "Sungai X", "Mount X", "X River", "di X",
   facilities ("Bandara X", "Bandar Udara X") and datelines ("JAKARTA, Senin") are cues too.
6. Resolve each kept name to one place: a country when the name is a country's; else prefer places
   in the countries the article names and its dateline's country, then the language's home
   country (Indonesia for Indonesian, Malaysia for Malay), then population. A street is never
   resolved (it is named after a town but is none); a feature cue before a foreign town the
   article does not place ("Wadi al-Sabha") leaves the mention unresolved. In a sports text
   (enough sports vocabulary) a town or region named without a preposition of place is its
   team and is dropped; countries and the UK's home nations stay (national sides).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate, compress, pairwise
from operator import itemgetter, not_

from .gazetteer import CUE, NATION, PRIMARY, UPPER, US_EVIDENCE, Candidate, Gazetteer
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
    "distrik dukuh "
    "dusun kampung kampong mukim".split()
)
FEATURE_PREFIXES = frozenset(
    "sungai gunung pulau danau selat teluk laut tanjung bukit lembah pantai kepulauan semenanjung "
    "samudra samudera tasik pegunungan wadi lake mount mt cape isle".split()
)
STREET_PREFIXES = frozenset("jalan jl jln".split())
CITY_PREFIXES = frozenset("kota kotamadya kodya".split())
# Named facilities that news annotators count as places ("Bandara Silangit", "Waduk Jatiluhur",
# "Gedung Sate", "Pasar Kembang"). What follows is the facility's own name, never resolved to a
# town of that name. A head is listed when at least two of the labelled Indonesian sets mark its
# buildings as places, so that each set left out still has another behind the head.
FACILITY_PREFIXES = frozenset(
    "bandara pelabuhan stasiun terminal waduk bendungan situs candi benteng kastil stadion "
    "gedung hotel pasar istana kompleks komplek masjid taman".split()
)
# Two-word facility heads ("Bandar Udara Juwata", "Rumah Sakit Omni"); "Bandar" alone starts town
# names ("Bandar Lampung").
FACILITY_PHRASES = {"bandar": "udara", "rumah": "sakit"}
# Lower-case words allowed inside the name that follows a cue ("Wadi al-Sabha", "Isle of Man").
RUN_CONNECTORS = frozenset("of de del da do dos das du la le al el bin van von der y".split())
# A lower-case cue word is part of the span only for these. One convention for Indonesian, the
# one the labelled Indonesian news sets (NERGrit, NER UGM, NER UI) follow most often: "desa
# Bolano", "jalan Sudirman", "kota Semarang", "pulau Banggai" are marked whole (lower-case "kota"
# 5 times of 7), while "wilayah Gaza", "kawasan X", "daerah X" never include the noun.
LOWER_PREFIX_IN_SPAN = frozenset(
    """jalan jl jln desa dusun kecamatan kelurahan kabupaten provinsi kota pulau gunung
    distrik""".split()
)
# "Republik Indonesia": a state's style before its name is part of the mention, but only before a
# name the gazetteer knows ("Republik Mimpi" is no state).
STATE_PREFIXES = frozenset({"republik"})
# Words that number a street address ("Jalan Belitung No 8", "Jl Sentolo Km 20"): the number is
# part of the place.
STREET_NUMBER_WORDS = frozenset("no nomor km kav kavling".split())
# Compass words that follow an Indonesian or Malay place name and narrow it ("Pamulang Timur",
# "Indonesia Timur", "Kudus Kulon"); the second set only after one of the first ("Barat Daya").
DIRECTION_WORDS = frozenset(
    "utara selatan timur barat tengah tenggara kulon wetan lor kidul".split()
)
DIRECTION_SECOND = frozenset({"daya", "laut"})
DIRECTION_LANGUAGES = frozenset({"id", "ms"})
PREFIX_CUES = (ADMIN_PREFIXES | FEATURE_PREFIXES | STREET_PREFIXES | FACILITY_PREFIXES
               | STATE_PREFIXES)
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
# Prepositions of place: a town named after one is the place, not its team or company ("played
# at Kansas City", "gol di Palembang").
LOCATIVE = {
    "en": frozenset({"in", "at", "near"}),
    "id": frozenset({"di"}),
    "ms": frozenset({"di"}),
}
ANY_LOCATIVE = LOCATIVE["en"] | LOCATIVE["id"]
COORDINATORS = frozenset({"and", "or", "dan", "atau", "serta"})
# Sports vocabulary, a word class of its own: in an article about games a town's name is mostly
# its team ("Wolfsburg beat Madrid", "Rui Barros ( Porto )"), which news annotators and readers
# take as a club, not a place. STRONG words are hardly used outside sport; WEAK ones are, so they
# count half.
SPORTS_STRONG = frozenset(
    """soccer football cricket rugby tennis golf hockey basketball baseball volleyball badminton
    skiing bobsleigh league leagues striker strikers midfielder midfielders goalkeeper goalkeepers
    defenders innings wickets wicket batsman batsmen bowler playoff playoffs standings touchdown
    touchdowns goalscorers goalscorer halftime quarterfinal semifinal semifinals nba nhl nfl uefa
    fifa sepakbola liga klub gol laga pelatih gelandang kiper penyerang tandang klasemen timnas
    perempatfinal penalti suporter skuad bulutangkis""".split()
)
SPORTS_WEAK = frozenset(
    """match matches game games season cup championship tournament beat beats drew defeated
    scored goal goals coach club clubs team teams player players final victory penalty points
    score scores bola piala kompetisi juara menang kalah imbang mengalahkan menekuk unggul takluk
    tersingkir pemain tim musim menit babak skor kemenangan kekalahan stadion atlet olahraga
    pertandingan bertanding turnamen""".split()
)
# A short text needs 1.5 points; a text of more than 300 words one point per 200 words, since
# election and business news use "menang", "kalah", "team", "final" too.
SPORTS_THRESHOLD = 1.5
SPORTS_WORDS_PER_POINT = 200
SPORTS_WORDS = SPORTS_STRONG | SPORTS_WEAK

# Heads of organisation names: a place inside such a name is part of the organisation, not a
# place mention ("Bank Indonesia", "Universitas Gadjah Mada", "University of Tokyo").
ORG_WORDS = frozenset(
    """bank universitas university institut institute kementerian kemenhan ministry partai party
    pengadilan court kejaksaan kepolisian polda polres polsek dinas badan komisi commission dewan
    council majelis yayasan foundation pt tbk corp corporation inc ltd plc company co group
    association federation asosiasi persatuan liga league fc club klub united airlines airways
    sekolah school college academy akademi sma smp smk sd sman smpn smkn sdn smu rsud puskesmas
    hospital times post news newsroom desk journal kantor agency exchange bursa society
    administration radio televisi television tv harian koran majalah magazine newspaper kabinet
    cabinet koalisi coalition fraksi aliansi alliance forum lembaga ikatan himpunan gerakan
    movement""".split()
)
# Indonesian ministries and their ministers go by syllable acronyms ("Kemenhub", "Kemenko
# Polhukam", "Menko Perekonomian"): an office, not a place, after "di".
MINISTRY_PREFIXES = ("kemen", "menko")
# Honorifics: the capitalised word after one is a person's name ("Mr Jordan", "Pak Kardi",
# "Sunan Kudus").
HONORIFICS = frozenset(
    """mr mrs ms dr prof sir dame pak bu bapak sdr saudara tuan nyonya haji hj raden sunan sutan
    datuk dato encik""".split()
)
# Offices and elections named by their jurisdiction ("Bupati Banyuwangi Abdullah Azwar Anas",
# "Presiden Suriah Faruq", "Pilgub DKI"): the place is a place even with a person's name after it.
OFFICE_WORDS = frozenset(
    """bupati gubernur walikota camat lurah kapolda kapolres kapolsek presiden pemkot
    pemkab pemprov pilgub pilkada pilwalkot kbri kjri konjen mayor governor""".split()
)
# Words before "Kota" that make it part of a title or a compound noun ("Wali Kota Bandung" is the
# mayor of Bandung, "Ibu Kota Provinsi" the provincial capital): the place is what follows.
KOTA_COMPOUNDS = frozenset({"wali", "ibu"})
CURRENCY_SIGNS = frozenset("$€£¥")
# Prefixes that make an adjective of a place ("anti-Suriah", "pro-Syria", "mid-Mississippi",
# "then-U.S."): the word is no mention of the place itself.
HYPHEN_PREFIXES = frozenset("anti pro mid then ex non pan post pre trans".split())
# The language's home country, preferred when a name is ambiguous.
HOME_COUNTRY = {"id": "ID", "ms": "MY"}
# A one-word name taken without a cue must name a place this big (people) unless the place is in
# a country the article names or in the language's home country: small foreign towns share their
# names with people and ordinary words far more often than the news names them.
PROMINENT_POPULATION = 100_000
ALTERNATE_PROMINENT_POPULATION = 1_000_000
DROP = -1
# The abbreviations of US states that American news writes after a dateline's town
# ("CAMBRIDGE, Mass., June 19 -"): the Associated Press style, mapped to the state's name.
US_STATE_ABBREVIATIONS = {
    "ala": "alabama", "ariz": "arizona", "ark": "arkansas", "calif": "california",
    "colo": "colorado", "conn": "connecticut", "del": "delaware", "fla": "florida",
    "ga": "georgia", "ill": "illinois", "ind": "indiana", "kan": "kansas", "ky": "kentucky",
    "la": "louisiana", "md": "maryland", "mass": "massachusetts", "mich": "michigan",
    "minn": "minnesota", "miss": "mississippi", "mo": "missouri", "mont": "montana",
    "neb": "nebraska", "nev": "nevada", "n h": "new hampshire", "n j": "new jersey",
    "n m": "new mexico", "n y": "new york", "n c": "north carolina", "n d": "north dakota",
    "okla": "oklahoma", "ore": "oregon", "pa": "pennsylvania", "r i": "rhode island",
    "s c": "south carolina", "s d": "south dakota", "tenn": "tennessee", "tex": "texas",
    "vt": "vermont", "va": "virginia", "wash": "washington", "w va": "west virginia",
    "wis": "wisconsin", "wyo": "wyoming", "d c": "district of columbia",
}

KIND_WEIGHT = {"country": 3.0, "city": 1.2, "admin": 1.0, "feature": 1.0}
_NEWLINE = re.compile(r"\n")
_WORD_OR_GAP = re.compile(f"({WORD.pattern})")
SENTENCE_BREAK = re.compile(r"[.!?;:\n\"“”‘«»()\[\]]")
DATE_AFTER_DATELINE = re.compile(
    r" *(?:\d{4}-\d\d?-\d\d?"  # 1996-12-06
    r"|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?"  # 6/12, 6.12.96
    r"|\d{1,2} +[^\W\d_]+\.?(?: +\d{4})? *[-–(]"  # 17 Julai -, 6 Dec 1996 (
    r"|\d{1,2} *$)",  # a day number alone on the line
    re.MULTILINE,
)
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
    locative: bool = False  # after "in", "at", "di" (or joined by "and" to such a name)
    # Rules that take the name for a person's, an organisation's or a team's: with a context
    # model they are evidence for it (``places.context``) rather than a verdict.
    signals: str = ""


class Words:
    """The words of one field with the facts the case rules need."""

    __slots__ = (
        "text", "starts", "ends", "words", "gaps", "folded", "informative", "line_upper",
        "line_first",
    )

    def __init__(self, text: str, uncased: bool):
        self.text = text
        # One split gives the words and the gaps around them (gap, word, gap, ..., gap), and
        # their running lengths the offsets: cheaper than a match object per word.
        parts = _WORD_OR_GAP.split(text)
        offsets = list(accumulate(map(len, parts)))
        self.starts = offsets[0:-1:2]
        self.ends = offsets[1::2]
        self.words = parts[1::2]
        self.gaps = parts[0::2]
        # Most words are ASCII, whose fold is lower(); the rest are folded on demand.
        self.folded: list[str | None] = [w.lower() if w.isascii() else None for w in self.words]
        self.line_first = self._line_first()
        self.informative = self._informative(uncased)

    def _line_first(self) -> list[bool]:
        """Whether each word is the first of its line (a newline in the gap before it)."""
        first = [False] * len(self.words)
        if first:
            first[0] = True
            self._mark_after(_NEWLINE, first, True)
        return first

    def _mark_after(self, pattern: re.Pattern, marks: list, value: bool) -> None:
        """Set marks[k] to value for each word k with a match of pattern in the gap before it.

        The matches are few next to the words: each finds its word by bisection.
        """
        starts, ends, n = self.starts, self.ends, len(self.starts)
        for m in pattern.finditer(self.text):
            at = m.start()
            k = bisect_right(starts, at)
            if 0 < k < n and ends[k - 1] <= at:
                marks[k] = value

    def fold(self, i: int) -> str:
        f = self.folded[i]
        if f is None:
            f = self.folded[i] = fold(self.words[i])
        return f

    def gap(self, i: int) -> str:
        """The text between word i-1 and word i (before the first word for i = 0)."""
        return self.gaps[i]

    def _informative(self, uncased: bool) -> list[bool]:
        n = len(self.words)
        if uncased or not n:
            self.line_upper = [False] * n
            return [False] * n
        informative = [True] * n
        self.line_upper = [False] * n
        # Lines: Title Case and ALL-CAPS lines carry no case information.
        line_starts = [*compress(range(n), self.line_first), n]
        for start, end in pairwise(line_starts):
            self._mark_line(start, end, informative)
        # A word right after a sentence break (in the gap before it) is sentence-initial.
        informative[0] = False
        self._mark_after(SENTENCE_BREAK, informative, False)
        return informative

    def _mark_line(self, i: int, j: int, informative: list[bool]) -> None:
        words = self.words[i:j]
        upper, alpha = count_upper_alpha("".join(words))
        if upper and upper > 0.6 * max(1, alpha):
            for k in range(i, j):
                informative[k] = False
                self.line_upper[k] = True
            return
        long_words = [w for w in words if len(w) >= 4 and w.isalpha()]
        if len(long_words) >= 3 and not self._ends_sentence(j):
            capitalised = sum(map(str.isupper, map(itemgetter(0), long_words)))
            if capitalised >= 0.75 * len(long_words):
                for k in range(i, j):
                    informative[k] = False


    def _ends_sentence(self, j: int) -> bool:
        """True when the line whose last word is j-1 ends with a full stop: a sentence (names and
        titles capitalised in it still say "name"), not a headline, which news writes without
        one (3 of the corpus's 1,656 titles end with a stop, all of them "...")."""
        end = self.text.find("\n", self.ends[j - 1])
        tail = self.text[self.ends[j - 1]: end if end >= 0 else len(self.text)].strip()
        return tail.endswith(".") and not tail.endswith("..")


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_UPPER + _ASCII_UPPER.lower()
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def count_upper_alpha(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are upper case, and how many are letters.

    The same counts as ``str.isupper`` and ``str.isalpha`` character by character, with the
    ASCII part counted by byte deletion (a per-character call costs ~40 ns).
    """
    ascii_part = text.encode("ascii", "ignore")
    size = len(ascii_part)
    upper = size - len(ascii_part.translate(None, _ASCII_UPPER))
    alpha = size - len(ascii_part.translate(None, _ASCII_LETTERS))
    if size != len(text):
        rest = _NOT_ASCII.findall(text)
        upper += sum(map(str.isupper, rest))
        alpha += sum(map(str.isalpha, rest))
    return upper, alpha


def is_uncased(text: str) -> bool:
    """True when the text has (almost) no capital letters, e.g. a lower-cased corpus."""
    capitals, letters = count_upper_alpha(text[:4000])
    if letters < 20:
        return False
    return capitals <= UNCASED_MAX_CAPITAL_SHARE * letters


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _is_acronym(word: str) -> bool:
    return len(word) <= 5 and word.isupper() and len(word) >= 2


class Finder:
    """Finds and filters matches in one field; resolution happens over the whole article."""

    def __init__(self, gaz: Gazetteer, language: str | None, uncased: bool, soft: bool = False):
        self.gaz = gaz
        self.soft = soft
        self.language = language
        self.uncased = uncased
        self.function, self.common = gaz.word_lists(language)
        self.prepositions = PLACE_PREPOSITIONS.get(language or "", frozenset())
        # Lower-case words that open a place after them ("kabupaten", "di"): one lookup a word.
        self.lower_openers = LOWER_PREFIX_IN_SPAN | self.prepositions
        self.capital: set[str] = set()
        # Keys seen as a surname ("Carlos Ponce") or a news agency ("the Xinhua news agency"): a
        # lone "Ponce" or "Xinhua" later is the same person or agency.
        self.surnames: set[str] = set()

    # -- evidence ------------------------------------------------------------------------------
    @staticmethod
    def evidence(fields: list[Words]) -> tuple[set[str], set[str]]:
        """Words capitalised mid-sentence somewhere, and words written in lower case somewhere."""
        capital, lower = set(), set()
        for w in fields:
            words = w.words
            for i in compress(range(len(words)), w.informative):
                if words[i][:1].isupper():
                    capital.add(w.fold(i))
            # a word with a capital first letter is never all lower case
            lower.update(filter(str.islower, words))
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
            f = w.fold(j)
            if (j > i and (f in PREFIX_CUES or f in STREET_NUMBER_WORDS)) or f in HONORIFICS:
                break
            if _is_cap(word) or (self.uncased and j == i):
                last_cap = j + 1
            elif f not in RUN_CONNECTORS or j == i:
                break
            j += 1
            if last_cap - i >= limit:
                break
        return last_cap

    def find(self, w: Words, capital: set[str], lower: set[str], body_start: bool) -> list[Match]:
        """All accepted matches in one field, left to right, not overlapping."""
        self.capital = capital
        out: list[Match] = []
        n = len(w.words)
        words = w.words
        uncased = self.uncased
        lower_openers = self.lower_openers
        candidates = list(range(n)) if uncased else _worth_a_look(w, lower_openers)
        c, nc = 0, len(candidates)
        i = 0
        while True:
            # jump over the words no rule starts from: lower-case ones that open nothing
            c = bisect_left(candidates, i, c)
            if c >= nc:
                break
            i = candidates[c]
            if w.line_first[i]:
                dl = self.dateline(w, i, body_start and i == 0)
                if dl is not None:
                    out.append(dl)
                    region = self.dateline_region(w, dl)
                    if region is not None:
                        out.append(region)
                        dl = region
                    i = _next_word(w, dl.end)
                    continue
            word = words[i]
            cap = word[:1].isupper()
            f = None
            if not cap and not uncased:
                # Most words land here: skip the cached fold's call for plain ASCII words.
                f = word.lower() if word.isascii() else w.fold(i)
                if f in lower_openers and not (
                        f == "kota" and self.kota_compound(w, i)):
                    m = self.after_cue(w, i, f, capital, lower)
                    if m is not None:
                        out.append(m)
                        i = _next_word(w, m.end)
                        continue
                i += 1
                continue
            f = w.fold(i)
            if f == "kota" and self.kota_compound(w, i):
                i += 1
                continue
            if f in PREFIX_CUES and i > 0 and w.gap(i) == " " and w.fold(i - 1) in HONORIFICS:
                # "Sutan Gunung Mulia", "Raden Mas": a name after a title, not a mountain.
                i += 1
                continue
            if f in PREFIX_CUES or (uncased and f in self.prepositions):
                m = self.after_cue(w, i, f, capital, lower)
                if m is not None:
                    out.append(m)
                    i = _next_word(w, m.end)
                    continue
            if (f in FACILITY_PHRASES and i + 1 < n and w.gap(i + 1) == " "
                    and w.fold(i + 1) == FACILITY_PHRASES[f] and not uncased
                    and _is_cap(words[i + 1])):
                m = self.after_cue(w, i + 1, "bandara", capital, lower)
                if m is not None:
                    m.start = w.starts[i]
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
                self.table_cell(w, j) or self.hyphen_prefixed(w, i) or self.currency(w, m)
            ):
                m = None
            if m is not None:
                signals = self.name_signals(w, m, i, j, key)
                if signals and not self.soft:
                    m = None
                elif signals:
                    m.signals = signals
            if m is not None:
                m = self.extend_direction(w, self.extend_suffix(w, m, j))
                out.append(m)
                i = _next_word(w, m.end)
            else:
                i = j if self.org_or_title(w, i, j) else i + 1
        self.mark_locative(w, out)
        return out

    def name_signals(self, w: Words, m: Match, i: int, j: int, key: str) -> str:
        """The rules that take the name at words i..j-1 for no place, space-separated."""
        if self.news_agency(w, m):
            return "agency"
        if self.after_office(w, i):
            return ""
        if self.after_acronym(w, i):
            return "after-acronym"
        if j - i == 1:
            if self.in_person_name(w, i):
                return "in-person-name"
            if self.person_name(w, i, key):
                return "person-name"
        return ""

    def after_office(self, w: Words, i: int) -> bool:
        """True when word i follows an office named by its jurisdiction ("Bupati", "Wali Kota")."""
        if i == 0 or w.gap(i) not in (" ", "\u00a0") or self.uncased:
            return False
        f = w.fold(i - 1)
        return f in OFFICE_WORDS or (f == "kota" and self.kota_compound(w, i - 1))

    def news_agency(self, w: Words, m: Match) -> bool:
        """True for "the Xinhua news agency" ("kantor berita Antara"); the name is the agency's
        for the rest of the article too."""
        after = w.text[m.end: m.end + 13].lower()
        before = w.text[max(0, m.start - 14): m.start].lower()
        if not (after.startswith(" news agency") or before.endswith("kantor berita ")):
            return False
        # "kantor berita Malaysia" is a Malaysian agency: a country stays a place.
        if any(self.gaz.kind[c.index] == "country" for c in m.candidates):
            return False
        if " " not in m.key:
            self.surnames.add(m.key)
        return True

    def currency(self, w: Words, m: Match) -> bool:
        """True for a currency's country prefix ("US$ 13", "S$ 5")."""
        return w.text[m.end: m.end + 1] in CURRENCY_SIGNS

    def after_acronym(self, w: Words, i: int) -> bool:
        """True when the name follows an organisation's acronym, whose unit or branch it names
        ("PSMS Medan", "YPI Serang", "DPR RI", "MTV Indonesia")."""
        if i == 0 or w.gap(i) != " " or self.uncased or w.line_upper[i]:
            return False
        before = w.words[i - 1]
        if not (2 <= len(before) <= 6 and before.isalpha() and before.isupper()):
            return False
        f = w.fold(i - 1)
        return not (self.gaz.names.get(f) or f in self.function or f in PREFIX_CUES
                    or f in HONORIFICS or f in CONNECTORS)

    def kota_compound(self, w: Words, i: int) -> bool:
        """True when "Kota" at i is part of "Wali Kota" or "Ibu Kota"."""
        return i > 0 and w.gap(i) in (" ", "\u00a0") and w.fold(i - 1) in KOTA_COMPOUNDS

    def hyphen_prefixed(self, w: Words, i: int) -> bool:
        """True when word i follows a lower-case adjective prefix ("anti-Suriah")."""
        return (i > 0 and w.gap(i).strip(" ") in ("-", "‐", "–") and w.words[i - 1].islower()
                and w.fold(i - 1) in HYPHEN_PREFIXES)

    def is_given_name(self, f: str) -> bool:
        """A given name that is no function word of the language ("May", "Juni")."""
        return f in self.gaz.given and f not in self.function

    def foreign_given_before_country(self, key: str) -> bool:
        """The given-name list is English (US census); in another language a "given name"
        before a country is more likely a word of that language ("tokoh Kristen Indonesia")."""
        return self.language != "en" and any(
            self.gaz.kind[c.index] == "country" for c in self.gaz.candidates(key))

    def person_name(self, w: Words, i: int, key: str) -> bool:
        """True when the one-word name at i is part of a person's name: after an honorific or a
        given name ("Mr Jordan", "Carlos Ponce", which makes "Ponce" a surname for the rest of
        the article), or itself a given name before a capitalised word that is no place and no
        ordinary word ("Hilde Gerg", even as "4. Hilde Gerg" in a results list)."""
        if self.uncased:
            return False
        n = len(w.words)
        if i > 0 and w.gap(i) in (" ", ". ", "\u00a0"):
            before = w.words[i - 1]
            f = w.fold(i - 1)
            if _is_cap(before) and f in HONORIFICS:
                return True
            if (w.gap(i) != ". " and _is_cap(before) and not before.isupper()
                    and self.is_given_name(f) and not self.foreign_given_before_country(key)):
                if not any(self.gaz.kind[c.index] == "country" for c in self.gaz.candidates(key)):
                    # A country is never taken as a surname for the whole article ("Orange
                    # Julius Canada Limited" ... "Canada").
                    self.surnames.add(key)
                return True
        if (self.is_given_name(key) and i + 1 < n and w.gap(i + 1) == " " and not w.line_upper[i]
                and _is_cap(w.words[i + 1]) and not w.words[i + 1].isupper()):
            f = w.fold(i + 1)
            if not (self.gaz.names.get(f) or f in self.common or f in self.function
                    or f in PREFIX_CUES or f in SUFFIX_CUES or f in ORG_WORDS):
                return True
        return False

    def mark_locative(self, w: Words, matches: list[Match]) -> None:
        """Flag the matches that follow a locative preposition ("at Kansas City and Cincinnati")."""
        locative = LOCATIVE.get(self.language or "", ANY_LOCATIVE)
        previous_end, previous_locative = -1, False
        for m in matches:
            k = _next_word(w, m.start) - 1
            if k >= 0 and w.fold(k) in locative:
                m.locative = True
            elif previous_locative and previous_end <= m.start:
                between = w.text[previous_end: m.start].strip(" ,").lower()
                m.locative = between == "" or between in COORDINATORS
            previous_end, previous_locative = m.end, m.locative

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
            elif key in self.common and not self.after_office(w, i):
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
                # A sentence's first word ("Then Wales drew") is capitalised for no reason.
                if f not in self.common or not w.informative[k]:
                    continue
                # Before the name, an ordinary word that is also a place name may be a head the
                # name qualifies ("Negara China"); after it, only a region's name is a place
                # ("Surat Tanda Registrasi" is a title).
                if k < i and not self.gaz.names.get(f):
                    return True
                if k > i and not any(self.gaz.kind[c.index] in ("country", "admin")
                                     for c in self.gaz.candidates(f)):
                    return True
        return False

    def org_or_title(self, w: Words, i: int, j: int) -> bool:
        """True when words i..j-1 sit inside an organisation's name ("Bank Indonesia")."""
        if self.uncased:
            k = i - 1
            return k >= 0 and w.fold(k) in ORG_WORDS and w.gap(i) == " "
        k = i
        while k > 0 and i - k < 5 and w.gap(k) in ALLOWED_GAPS and (
            _is_cap(w.words[k - 1]) or (w.fold(k - 1) in CONNECTORS
                                         and w.fold(k - 1) not in self.prepositions)
            or any(c.isdigit() for c in w.words[k - 1])
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

    def extend_direction(self, w: Words, m: Match) -> Match:
        """Widen "Pamulang" to "Pamulang Timur" (Indonesian and Malay; the place stays)."""
        if self.uncased or self.language not in DIRECTION_LANGUAGES:
            return m
        j = _next_word(w, m.end)
        n = len(w.words)
        if j < n and w.gap(j) == " " and w.fold(j) in DIRECTION_WORDS and _is_cap(w.words[j]):
            if (j + 1 < n and w.gap(j + 1) == " " and w.fold(j + 1) in DIRECTION_SECOND
                    and _is_cap(w.words[j + 1])):
                j += 1
            m.end = w.ends[j]
        return m

    def extend_number(self, w: Words, m: Match) -> Match:
        """Widen a street to its number ("Jalan Belitung No 8", "Jalan Imam Bonjol Nomor 1")."""
        j = _next_word(w, m.end)
        n = len(w.words)
        if (j + 1 < n and w.gap(j) == " " and w.fold(j) in STREET_NUMBER_WORDS
                and w.gap(j + 1) in (" ", ". ", ".") and w.words[j + 1][:1].isdigit()):
            m.end = w.ends[j + 1]
        return m

    def after_cue(self, w: Words, i: int, cue: str, capital, lower) -> Match | None:
        """A place marked by the cue word at i ("Kabupaten Klaten", "di Abu Kamal")."""
        m = self._after_cue(w, i, cue, capital, lower)
        if m is None:
            return None
        if cue in STREET_PREFIXES:
            return self.extend_number(w, m)
        if cue in ADMIN_PREFIXES:
            return self.extend_direction(w, m)
        return m

    def _after_cue(self, w: Words, i: int, cue: str, capital, lower) -> Match | None:
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
        if cue in STREET_PREFIXES and not self.uncased and not preposition:
            # A street is named after a town or a person ("Jalan Lamongan Raya", "Jl Medan
            # Merdeka Barat") but is neither: the whole capitalised run, never resolved.
            end = self.cap_run_end(w, k)
            if end <= k or any(w.fold(x) in ORG_WORDS for x in range(k, end)):
                return None
            start = w.starts[i] if self.cue_in_span(w, i) else w.starts[k]
            return Match(start, w.ends[end - 1], "", cue)
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
                if not preposition and not self.uncased and cue not in STATE_PREFIXES:
                    # "Kelurahan Batang Beruh": the cue's name goes on past a shorter gazetteer
                    # name with words the gazetteer does not know; the whole run is the place.
                    run = self.cap_run_end(w, k)
                    if run > end and not self.gaz.names.get(w.fold(end)) and (
                            w.fold(end) not in DIRECTION_WORDS):
                        return Match(span_start, w.ends[run - 1], "", cue)
                return self.extend_suffix(w, m, end)
            if preposition:
                return None
        if cue in STATE_PREFIXES:
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
        if not preposition and cue == "kota" and (
                not _is_cap(w.words[i]) or (i > 0 and w.words[i - 1].isdigit())):
            # "kota Shaggydog", "Tour 8 Kota": "kota" as a common noun ("town", "cities").
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
        if first.startswith(MINISTRY_PREFIXES):
            return False
        if first in PREFIX_CUES:
            return False
        n = len(w.words)
        # "di Parc des Princes", "di Minamoto no Yoritomo": a foreign name goes on after a
        # particle; the run is only its start.
        if (end + 1 < n and w.words[end].islower() and len(w.words[end]) <= 3
                and w.gap(end) == " " and _is_cap(w.words[end + 1])):
            return False
        # "di Oricon Chart": in Indonesian or Malay text a name with an English word in it is
        # mostly a product, a chart or an event.
        english = self.gaz.common.get("en", frozenset())
        own = self.gaz.common.get(self.language or "", frozenset())
        if self.language in DIRECTION_LANGUAGES and any(
                w.fold(x) in english and w.fold(x) not in own for x in range(k, end)):
            return False
        # A name at the end of the run followed by more capitals is an organisation or a title,
        # unless a comma parts them and a known place follows: "di Sunnyland, California" names
        # a place and the larger place it lies in.
        if end < n and _is_cap(w.words[end]):
            return w.gap(end).strip() == "," and self.longest(w, end) is not None
        return True

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
            # "Jakarta, CNN Indonesia --" but not "Bukan, bukan untuk ...": a function word is
            # no place even where a dateline would stand.
            if end == i + 1 and hit is not None and (
                    hit[1] in self.function or hit[1] in PREFIX_CUES):
                return None
        after = w.ends[end - 1]
        follow = w.text[after: after + 4].lstrip(" ")
        # A figure after the name makes a dateline only when it is a date ("LONDON 1996-12-06",
        # "KUCHING 17 Julai -"): "MIAMI 14 4 .778" is a row of a standings table.
        strong = follow[:1] == "," or (
            follow[:1].isdigit() and DATE_AFTER_DATELINE.match(w.text, after) is not None
        )
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


    def dateline_region(self, w: Words, dl: Match) -> Match | None:
        """The region written after a dateline's town ("OAKLAND, Calif.", "MAUMEE, Ohio",
        "CHONJU, South Korea"): a place of its own, and the country the town lies in."""
        k = _next_word(w, dl.end)
        if k >= len(w.words) or w.text[dl.end: w.starts[k]].strip() != ",":
            return None
        end = w.ends[k]
        # "N.J." / "Calif." : a state's abbreviation, its periods part of the mention
        j = k
        while (j + 1 < len(w.words) and w.text[w.ends[j]: w.starts[j + 1]] == "."
               and len(w.words[j + 1]) <= 2):
            j += 1
        abbreviation = " ".join(w.fold(x) for x in range(k, j + 1))
        key = US_STATE_ABBREVIATIONS.get(abbreviation)
        if key is not None and all(len(w.words[x]) <= 5 for x in range(k, j + 1)):
            end = w.ends[j] + (w.text[w.ends[j]: w.ends[j] + 1] == ".")
            cands = tuple(c for c in self.gaz.candidates(key)
                          if self.gaz.kind[c.index] == "admin"
                          and self.gaz.country[c.index] == "US")
        else:
            hit = self.longest(w, k)
            if hit is None or not _is_cap(w.words[k]):
                return None
            j, key = hit[0] - 1, hit[1]
            end = w.ends[j]
            cands = tuple(c for c in self.usable(self.gaz.candidates(key), w, k, j + 1, "")
                          if self.gaz.kind[c.index] in ("admin", "country"))
        if not cands or key in self.function:
            return None
        # Town and region lie in the same country ("Atlanta, Georgia" is in the US).
        country = self.gaz.country
        common = {country[c.index] for c in dl.candidates} & {country[c.index] for c in cands}
        if common:
            dl.candidates = tuple(c for c in dl.candidates if country[c.index] in common)
            cands = tuple(c for c in cands if country[c.index] in common)
        return Match(w.starts[k], end, key, "", True, cands)


def is_sports(fields: list[Words]) -> bool:
    """True when the text is about sport (enough sports vocabulary, strong words count double)."""
    seen: set[str] = set()
    n = 0
    for w in fields:
        seen.update(SPORTS_WORDS.intersection(map(str.lower, w.words)))
        n += len(w.words)
    score = sum(1.0 if x in SPORTS_STRONG else 0.5 for x in seen)
    return score >= max(SPORTS_THRESHOLD, n / SPORTS_WORDS_PER_POINT)


def _worth_a_look(w: Words, lower_openers) -> list[int]:
    """The words a match may start from in cased text: capitalised or line-first words, and
    lower-case ones that open a place ("di", "kabupaten"; non-ASCII ones are folded later)."""
    words, folded = w.words, w.folded
    flags = map(
        any,
        zip(
            map(str.isupper, map(itemgetter(0), words)),
            w.line_first,
            map(lower_openers.__contains__, folded),
            map(not_, folded),  # None: not ASCII, folded on demand
            strict=True,
        ),
    )
    return list(compress(range(len(words)), flags))


def _next_word(w: Words, offset: int) -> int:
    return bisect_left(w.starts, offset)


# -- resolution ------------------------------------------------------------------------------------
def prior(gaz: Gazetteer, c: Candidate) -> float:
    """How likely a candidate is before context: kind, name quality, population."""
    i = c.index
    score = KIND_WEIGHT.get(gaz.kind[i], 1.0) + 0.6 * math.log10(gaz.population[i] + 10)
    if PRIMARY in c.flags:
        score += 1.0
    return score


def resolve(gaz: Gazetteer, matches: list[Match], language: str | None,
            sports: bool = False, soft: bool = False) -> list[int | None]:
    """Choose one place index per match (None for cue-only mentions, DROP for no place).

    In a sports text a town or region named without a preposition of place is its team
    ("Porto", "Victoria 's fightback"): dropped. Countries stay (national teams are places to
    news annotators and to readers searching by country), as do datelines and cue mentions.
    """
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
            elif m.cue in CITY_PREFIXES and gaz.kind[c.index] == "city":
                score += 2.0  # "kota Aleppo" is the city, not the governorate
            elif m.cue in ADMIN_PREFIXES and gaz.kind[c.index] == "admin":
                score += 2.0
            if score > best_score:
                best_score, best_index, best_flags = score, c.index, c.flags
        if (best_index is not None and m.cue in FEATURE_PREFIXES
                and gaz.kind[best_index] != "feature"
                and gaz.country[best_index] not in context and gaz.country[best_index] != home):
            # "Wadi al-Sabha" on the Syria-Iraq border is no town Sabha in Libya: a feature
            # cue before a town's name abroad, in a country the article does not name, is a
            # feature the gazetteer lacks.
            best_index = None
        if (sports and best_index is not None and not m.cue and not m.dateline
                and not m.locative and gaz.kind[best_index] in ("city", "admin")
                and NATION not in best_flags):
            if soft:
                m.signals += " sports-team"
            else:
                best_index = DROP
        if (best_index is not None and best_index != DROP and not m.cue and not m.dateline
                and " " not in m.key):
            kind = gaz.kind[best_index]
            cc = gaz.country[best_index]
            if kind in ("city", "admin") and cc not in context and cc != home:
                floor = (PROMINENT_POPULATION if PRIMARY in best_flags
                         else ALTERNATE_PROMINENT_POPULATION)
                if gaz.population[best_index] < floor:
                    if soft:
                        m.signals += " minor-abroad"
                    else:
                        best_index = DROP
        out.append(best_index)
    return out
