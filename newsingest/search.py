"""What a reader means by a query: its words, operators and the affixed forms of each word.

A root word finds its affixed forms: ``serang`` also searches menyerang, serangan, diserang,
penyerangan... They are found at query time in ``search_terms``, a table of every indexed word
with its stem, per stemmer family (the family of the language of the articles holding it), kept
current as articles are stored. The
FTS5 index, its snippets and every other SQLite client stay untouched; the expanded query is an
ordinary FTS5 expression (``("serang" OR "menyerang" OR ...)``). A stemmed shadow index was the
other option: it doubles the index and its write cost for the same recall (see README, Search).

Stemmers: PySastrawi's dictionary stemmer for Indonesian and Malay (one family, ``id``: the two
share their morphology and most roots; words it cannot analyse against its dictionary go to
Snowball's Indonesian stemmer), Snowball (PyStemmer) for the other languages it covers.
Stems are cached per word: a corpus's vocabulary is stemmed once, not its running text.

Precision guards, all decided here, none in SQL:
- a word formed with a prefix that makes a new word (peN-, per-, ber-, ke-, se-: pendapat,
  peserta, pemerintah, bersama, kerajaan) finds only its own forms (pendapatnya), never its root
  (dapat) -- verb forms (meN-, di-, ter-) and suffixed forms (serangan) find the whole family;
- a member of that kind found in more than twice as many articles as the rest of its family
  together is a word in its own right (pemerintah in the perintah family): a root query leaves
  it out, with its own forms (pemerintahan);
- a member formed with se- or ter- found in at least 15 % of the articles of its language is
  a function word of its own (termasuk 'including', not masuk 'enter'; semasa 'during', not
  masa 'time'): a root query leaves it out, with its own forms. Those two prefixes are the
  ones that make prepositions, conjunctions and adverbs of nouns and verbs (selama, sebelum,
  terhadap), and only function words are spread over so large a share of the articles of a
  language whatever their topic; the verb and adjective forms they also make (terlihat,
  terbaru, sebulan) stay far below it;
- a word the stemmer reads two ways (the ECS strips the prefix of a confix shape first and
  stems dikurangi to rang, dikenali to nali; its ordinary order gives kurang, kenal) goes with
  the other reading when that root is the longer one and its family is held by more articles
  of the corpus: a root query leaves it out of the smaller family, and the word asked for
  widens over the larger one. The readings of the
  frequent words ship with the package (newsingest.stem_table), so a query loads no stemmer;
- a member built with two derivational prefixes stacked (ber-ke-...-an, ke-ber-...-an,
  ber-peN-...-an: berkelanjutan 'sustainable', keberlanjutan 'sustainability' in the lanjut
  family) is left out of widening, with its own forms: each layer makes a new word of the one
  under it, and two layers away from the root the word has most often become one of its own.
  meN- and di- are verb inflection, not a layer: memperluas and diperkenalkan stay in their
  families (the causative per- under them is one layer);
- a query word leaves out its forms with a discourse particle (-lah, -kah, -tah, -pun): on a
  verb or noun it only adds emphasis, but on the adverbs and function words it mostly attaches
  to in news it makes another word (barulah 'only then' is not baru 'new'), and names that
  merely end in those letters are others (Abdullah is not Abdul, barakah 'blessing' not bara
  'ember');
- English widens through inflection only (plural, -ed, -ing, -er, -est): Snowball's
  derivational conflations (position/positive, state/statement) are left out;
- ``EXCLUDED`` lists conflations known to be wrong (penghargaan is not about harga);
- exact forms rank first (see Store.search).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from .errors import QueryError
from .stem_table import shipped_readings, shipped_stems

# ISO 639-1 language -> stemmer family. Indonesian and Malay share PySastrawi; the others are
# Snowball algorithms as PyStemmer names them.
FAMILIES = {
    "id": "id",
    "ms": "id",
    "en": "english",
    "es": "spanish",
    "pt": "portuguese",
    "de": "german",
    "ar": "arabic",
    "fr": "french",
    "it": "italian",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "nb": "norwegian",
    "fi": "finnish",
    "ru": "russian",
    "tr": "turkish",
    "ro": "romanian",
    "hu": "hungarian",
    "ca": "catalan",
    "el": "greek",
}

# (family, word, stem): conflations the stemmer makes that change the meaning. Each is a word
# that names a different thing than its stem: an award is not a price, a screenshot is not an
# arrest, defence and survival are not detention, "important" is not "import".
EXCLUDED = frozenset(
    {
        ("id", "penghargaan", "harga"),
        ("id", "tangkapan", "tangkap"),
        ("id", "pertahanan", "tahan"),
        ("id", "bertahan", "tahan"),
        ("id", "pendapatan", "dapat"),
        ("id", "pendapat", "dapat"),
        ("english", "important", "import"),
        ("english", "importance", "import"),
    }
)

# Indonesian/Malay prefixes that form a new word rather than a form of the verb.
LEXEME_PREFIXES = ("pe", "be", "ke", "se")
# Prefixes that derive a new word, by their spellings (peN- and meN- assimilate to the root's
# first letter; ber-, per- and ter- lose their r before an r). meN- and di- are verb inflection:
# they count as prefixes but not as derivational layers.
DERIVATIONAL_PREFIXES = {
    "ber": ("ber", "bel", "be"),
    "per": ("per", "pe"),
    "peN": ("penge", "peng", "peny", "pem", "pen", "pe"),
    "ke": ("ke",),
    "se": ("se",),
}
INFLECTIONAL_PREFIXES = {
    "meN": ("menge", "meng", "meny", "mem", "men", "me"),
    "di": ("di",),
    "ter": ("ter", "te"),
}
# Clitics and particles that attach to any word without changing what it names.
CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")
# Discourse particles: on an adverb or function word they make a word of its own (barulah);
# the stemmer also strips them off names (Abdullah -> abdul).
PARTICLES = ("lah", "kah", "tah", "pun")
# Prefixes that also make function words of nouns and verbs (selama, termasuk).
FUNCTION_WORD_PREFIXES = ("se", "ter")
# A se-/ter- form held by this share of the articles of its language is a function word; it
# must be held by this many articles for the share to say so (in a handful of articles on one
# topic any word reaches it).
FUNCTION_WORD_SHARE = 0.15
FUNCTION_WORD_MIN_ARTICLES = 20
# Words shorter than this, or holding digits, are never stemmed (ids, numbers, abbreviations).
MIN_STEM_LENGTH = 4

_TOKEN = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")


def index_terms(text: str) -> set[str]:
    """The distinct words FTS5 indexes in ``text`` (unicode61, diacritics removed, lower case)."""
    words = set(_TOKEN.findall(text.lower()))
    accented = {word for word in words if not word.isascii()}
    if not accented:
        return words
    # Only the few words with non-ASCII letters pay for removing their diacritics.
    words -= accented
    for word in accented:
        decomposed = unicodedata.normalize("NFD", word)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        words.update(_TOKEN.findall(stripped))
    return words


def family(language: str | None) -> str | None:
    """The stemmer family of an ISO 639-1 language code (None when none fits)."""
    return FAMILIES.get(language or "")


@cache
def _stemmer(name: str):
    import Stemmer

    if name == "id":
        # PySastrawi's algorithm and 29,000-root dictionary (~20 ms to load), compiled once.
        from . import stemming

        dictionary = stemming.dictionary()
        tala = Stemmer.Stemmer("indonesian").stemWord

        def dictionary_first(word: str) -> str:
            # A stem outside the dictionary is a word PySastrawi could not analyse, most often
            # a Malay one (kesihatan, whose root sihat is Indonesian sehat): Snowball's
            # rule-based Indonesian stemmer (Tala) then strips its affixes.
            result = stemming.stem(word)
            return result if result in dictionary else tala(word)

        return dictionary_first

    return Stemmer.Stemmer(name).stemWord


# Bounded: a worker of a long import stems tens of thousands of new words (~230 bytes each
# cached), and a word met again costs the table look-up or ~0.02 ms of stemming.
@lru_cache(maxsize=16_384)
def stem(family_name: str, word: str) -> str:
    """The stem of one indexed word (lower case, no diacritics) under a stemmer family."""
    if len(word) < MIN_STEM_LENGTH or _DIGIT.search(word):
        return word
    # The frequent Indonesian/Malay words' stems ship with the package (computed ahead by
    # stem_afresh): a first import runs the dictionary stemmer (newsingest.stemming, ~0.02 ms a
    # word) only for rare words.
    shipped = shipped_stems(family_name).get(word)
    return shipped if shipped is not None else stem_afresh(family_name, word)


def stem_afresh(family_name: str, word: str) -> str:
    """The stem of a word of four letters or more computed by the stemmer, no table consulted."""
    result = _stemmer(family_name)(word)
    # PySastrawi drops characters it does not know; a stem that is no longer part of the
    # alphabet of the word is no stem.
    return result if result and result.isalpha() else word


def term_rows(
    language: str | None,
    texts: Iterable[str],
    known: Callable[[str, list[str]], Collection[str]] | None = None,
) -> list[tuple[str, str, str]]:
    """(family, word, stem) of every word of the texts, under the family of their language.

    ``known(family, words)`` names the words whose stems are stored already (the corpus's
    ``search_terms``): those are left out, neither stemmed again nor sent to be stored.
    """
    name = family(language)
    if name is None:
        return []
    words: set[str] = set()
    for text in texts:
        words |= index_terms(text)
    ordered = sorted(words)
    stored = known(name, ordered) if known is not None and ordered else ()
    return [(name, word, stem(name, word)) for word in ordered if word not in stored]


# ----------------------------------------------------------------------------------------------
# The query language


@dataclass(frozen=True)
class Item:
    """One thing to find: a word, a "phrase" or a prefix*."""

    kind: str  # "word", "phrase" or "prefix"
    text: str


@dataclass(frozen=True)
class Query:
    """A parsed query: alternatives (OR) of items that must all occur, minus excluded items."""

    alternatives: tuple[tuple[Item, ...], ...]
    excluded: tuple[Item, ...] = ()


_PIECE = re.compile(r'-?"[^"]*"?\*?|\S+')
# The article text is stored in NFC, with no-break and other spaces made plain and soft
# hyphens, zero-width spaces, word joiners and BOMs dropped (cleaning's normalisation). A query
# copied from a web page holds them too ("ca\u00adfe"), and the index would read the word as two.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u180e"))
_ANY_SPACE = re.compile(r"[\s\x00]")
OPERATORS = ("OR", "AND", "NOT")


def _pieces(argument: str) -> list[str]:
    # An argument with spaces is a phrase, as before, unless it is written as a query.
    if " " in argument.strip() and not re.search(r'(^|\s)(OR|AND|NOT|-\S)|"|\*', argument):
        return ['"' + argument.strip() + '"']
    return _PIECE.findall(argument)


def as_stored(argument: str) -> str:
    """A query argument in the form the article text is stored and indexed in."""
    return unicodedata.normalize("NFC", _ANY_SPACE.sub(" ", argument.translate(_INVISIBLE)))


def parse(arguments: Sequence[str]) -> Query:
    """Read the query words as a person writes them: word, "a phrase", prefix*, -word, NOT word,
    OR, AND. QueryError (with a hint) when they cannot mean anything."""
    pieces = [piece for argument in arguments for piece in _pieces(as_stored(argument))]
    alternatives: list[list[Item]] = [[]]
    excluded: list[Item] = []
    negate = False
    for index, piece in enumerate(pieces):
        if piece in OPERATORS:
            if piece == "OR":
                if not alternatives[-1] or index == len(pieces) - 1:
                    raise QueryError("OR needs something to find on both sides (a OR b)")
                alternatives.append([])
            elif piece == "NOT":
                if index == len(pieces) - 1:
                    raise QueryError("NOT needs a word after it (a NOT b, or a -b)")
                negate = True
            continue
        if piece.startswith("-") and len(piece) > 1:
            negate, piece = True, piece[1:]
        item = _item(piece)
        if item is None:
            negate = False
            continue
        if negate:
            excluded.append(item)
            negate = False
        else:
            alternatives[-1].append(item)
    if not any(alternatives):
        if excluded:
            raise QueryError("a query needs a word to find: -word and NOT only leave words out")
        raise QueryError("nothing to search for: give at least one word")
    return Query(tuple(tuple(a) for a in alternatives if a), tuple(excluded))


def _item(piece: str) -> Item | None:
    if piece.startswith('"'):
        prefix = piece.endswith("*") and len(piece) > 2
        text = piece.rstrip("*").strip('"').strip()
        if not text:
            return None
        return Item("prefix" if prefix and len(index_terms(text)) == 1 else "phrase", text)
    if piece.endswith("*") and piece.strip("*"):
        return Item("prefix", piece.strip("*"))
    text = piece.strip("*")
    if not index_terms(text):
        return None
    return Item("word", text)


# ----------------------------------------------------------------------------------------------
# Expansion


@dataclass
class Plan:
    """What will be searched: the FTS5 expression and, per query word, the forms it covers."""

    match: str
    exact: str | None  # the same query with every word as written (ranks exact forms first)
    forms: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def lexeme_prefix(word: str, root: str) -> bool:
    """Whether ``word`` is ``root`` with a prefix that makes a new word (pendapat <- dapat)."""
    if word.startswith(root):
        return False
    for core in (root, root[1:]):
        # Nasal prefixes replace the root's first letter: menyerang <- serang, pemerintah <-
        # perintah.
        position = word.find(core, 1) if len(core) >= 3 else -1
        if position > 0:
            return word[:position].startswith(LEXEME_PREFIXES)
    return True  # a shape the rules do not know: treat it as a word of its own


def _prefix_readings(head: str) -> list[tuple[str, ...]]:
    """Every way to read ``head`` as a sequence of prefixes (by their spellings)."""
    if not head:
        return [()]
    readings = []
    for prefixes in (DERIVATIONAL_PREFIXES, INFLECTIONAL_PREFIXES):
        for name, spellings in prefixes.items():
            for spelling in spellings:
                if head.startswith(spelling):
                    readings += [(name, *rest) for rest in _prefix_readings(head[len(spelling) :])]
    return readings


def derivational_layers(word: str, root: str) -> int:
    """How many derivational prefixes (ber-, per-, peN-, ke-, se-) ``word`` stacks on ``root``:
    berkelanjutan <- lanjut 2, diperluas <- luas 1 (di- inflects), menyerang <- serang 0.

    The fewest any reading of its prefixes gives (pe- may be peN- or per-); 0 when the word
    does not hold the root behind prefixes the rules know, as an unknown shape decides nothing.
    """
    for core in (root, root[1:]):
        # Nasal prefixes replace the root's first letter: penyerangan <- serang.
        position = word.find(core) if len(core) >= 3 else -1
        if position < 0:
            continue
        readings = _prefix_readings(word[:position])
        if readings:
            return min(sum(p in DERIVATIONAL_PREFIXES for p in r) for r in readings)
    return 0


def function_word_prefix(word: str, root: str) -> bool:
    """Whether ``word`` is ``root`` with se- or ter- (ter- is te- before r: terasa <- rasa)."""
    for prefix in FUNCTION_WORD_PREFIXES:
        if word.startswith(prefix + root):
            return True
    return root.startswith("r") and word.startswith("te" + root)


def plan(
    query: Query,
    families: Sequence[str],
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    exact: bool = False,
    stored_stem: Callable[[str, str], str | None] | None = None,
    language_shares: Callable[[str], dict[str, float]] | None = None,
) -> Plan:
    """The FTS5 expression for a query, every word widened to the forms a reader means.

    ``related(family, stem)`` lists the indexed words with that stem; ``doc_counts(words)``
    says in how many articles each word occurs; ``stored_stem(family, word)`` gives the stem
    stored for an indexed word (a query then loads no stemmer for the words the corpus has);
    ``language_shares(word)`` gives the share of the articles of each language holding a word.
    """
    forms: dict[str, list[str]] = {}
    notes: list[str] = []

    def words_of(item: Item) -> str:
        if item.kind == "phrase":
            return _quote(item.text)
        if item.kind == "prefix":
            return _quote(item.text) + "*"
        word = " ".join(sorted(index_terms(item.text)))
        if exact or " " in word:
            return _quote(item.text)
        found = forms.get(word)
        if found is None:
            found = _expand(
                word, families, related, doc_counts, notes, stored_stem, language_shares
            )
            forms[word] = found
        if len(found) == 1:
            return _quote(found[0])
        return "(" + " OR ".join(_quote(f) for f in found) + ")"

    def expression(render: Callable[[Item], str]) -> str:
        # Excluded words always leave out all their forms, so that the exact query matches a
        # subset of the widened one.
        alternatives = [" AND ".join(render(i) for i in a) for a in query.alternatives]
        positive = (
            alternatives[0]
            if len(alternatives) == 1
            else " OR ".join(f"({a})" for a in alternatives)
        )
        if not query.excluded:
            return positive
        return f"({positive}) NOT (" + " OR ".join(words_of(i) for i in query.excluded) + ")"

    match = expression(words_of)
    widened = any(len(f) > 1 for f in forms.values())
    literal = expression(
        lambda i: _quote(i.text) + ("*" if i.kind == "prefix" else "")
    )
    return Plan(match, literal if widened else None, forms, notes)


def _expand(
    word: str,
    families: Sequence[str],
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    notes: list[str],
    stored_stem: Callable[[str, str], str | None] | None = None,
    language_shares: Callable[[str], dict[str, float]] | None = None,
) -> list[str]:
    found = {word}
    for name in families:
        root = stored_stem(name, word) if stored_stem else None
        if root is None:
            # PySastrawi takes ~50 ms to import and load: a word that is itself a stem of
            # indexed words (serang, when only its affixed forms occur) needs no stemmer.
            root = word if stored_stem and related(name, word) else stem(name, word)
        if name == "id":
            root = _settled_root(word, root, related, doc_counts, notes)
        members = related(name, root)
        # A family widens only words of its language: Portuguese must not stem Indonesian
        # "beli" to "bel" and add "bela". Snowball stems are not words, so the word itself must
        # occur there; a dictionary root (serang) may be absent while its forms are present.
        if word not in members and (name != "id" or not members):
            continue
        if (name, word, root) in EXCLUDED:
            notes.append(f"{word}: not widened to {root} (a different word)")
            continue
        members = [m for m in members if (name, m, root) not in EXCLUDED and m != word]
        if name == "id" and root != word and lexeme_prefix(word, root):
            # pendapat: its own forms only (pendapatnya), never dapat's.
            own = [m for m in members if m[len(word):] in CLITICS and m.startswith(word)]
            found.update(own)
            notes.append(f"{word}: a word of its own, not widened to {root}")
            continue
        if name == "id":
            members = _drop_other_readings(word, root, members, related, doc_counts, notes)
            members = _drop_dominant_lexemes(root, members, doc_counts, notes)
            if language_shares is not None:
                members = _drop_function_words(
                    word, root, members, doc_counts, language_shares, notes
                )
            members = _drop_particle_forms(word, root, members, notes)
            members = _drop_multi_layer_forms(word, root, members, notes)
        elif name == "english":
            members = _inflections(word, members)
        found.update(members)
        # A dictionary stem is a word (serang); a Snowball stem often is not (attack -> attack,
        # but berita -> berit).
        if name == "id" and root != word:
            found.add(root)
    # The query word first, then the rest in alphabetical order (stable output for --explain).
    return [word, *sorted(found - {word})]


def _drop_dominant_lexemes(
    root: str,
    members: list[str],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    notes: list[str],
) -> list[str]:
    lexemes = [m for m in members if lexeme_prefix(m, root)]
    if not lexemes:
        return members
    counts = doc_counts([root, *members])
    rest = counts.get(root, 0) + sum(counts.get(m, 0) for m in members if m not in lexemes)
    # Twice the rest: pemerintah (260 articles) against perintah and its verb forms (73), and
    # kerajaan (177) against raja (64), are other words; perjuangan (34) against juang (23) is not.
    heads = {m for m in lexemes if counts.get(m, 0) > 2 * max(rest, 1)}
    # Their own forms go with them (pemerintahan, pemerintahannya).
    dominant = {m for m in lexemes if m.startswith(tuple(heads))} if heads else set()
    if dominant:
        notes.append(
            f"{root}: left out {', '.join(sorted(dominant))} (over twice the articles of the "
            "rest of the family: a word of its own)"
        )
    return [m for m in members if m not in dominant]


def _drop_function_words(
    word: str,
    root: str,
    members: list[str],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    language_shares: Callable[[str], dict[str, float]],
    notes: list[str],
) -> list[str]:
    candidates = [m for m in members if m != word and function_word_prefix(m, root)]
    if not candidates:
        return members
    counts = doc_counts(candidates)
    heads: dict[str, tuple[str, float]] = {}
    for candidate in candidates:
        if counts.get(candidate, 0) < FUNCTION_WORD_MIN_ARTICLES:
            continue
        shares = {
            language: share
            for language, share in language_shares(candidate).items()
            if FAMILIES.get(language) == "id"
        }
        language = max(shares, key=shares.__getitem__, default=None)
        if language is not None and shares[language] >= FUNCTION_WORD_SHARE:
            heads[candidate] = (language, shares[language])
    if not heads:
        return members
    # Their own forms go with them (termasuklah, semasanya).
    dropped = {m for m in members if m != word and m.startswith(tuple(heads))}
    evidence = ", ".join(
        f"{head} is in {share:.0%} of the {language} articles"
        for head, (language, share) in sorted(heads.items())
    )
    notes.append(
        f"{root}: not widened to {', '.join(sorted(dropped))} (a function word of its own: "
        f"a se-/ter- form, {evidence})"
    )
    return [m for m in members if m not in dropped]


def _family_articles(
    root: str,
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    leaving_out: str,
) -> int:
    """Articles holding the root or a word stored with it (summed per word), but one word."""
    words = {root, *related("id", root)} - {leaving_out}
    return sum(doc_counts(sorted(words)).values())


def _other_reading(
    word: str,
    root: str,
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
) -> str | None:
    """The root of the stemmer's other reading of ``word`` when it is the longer root and the
    corpus uses its family more than ``root``'s: dikurangi is stored under rang but read as
    kurang.

    Longer: the confix order errs by taking the root's first letters for a prefix (the k of
    kurang, the te of terang), which leaves a shorter root; a shorter other reading is most
    often a frequent short word the ordinary order reached by stripping too much (memakai
    would go to maka 'then', bermasalah to masa 'time', mengalami to alam 'nature'), and
    frequency alone favours those."""
    # The frequent words' readings ship with the package: a query loads no stemmer for them,
    # and a rare word keeps its one reading.
    stem, other = shipped_readings().get(word, (None, None))
    if stem != root or other is None or len(other) <= len(root):
        return None
    mine = _family_articles(root, related, doc_counts, word)
    theirs = _family_articles(other, related, doc_counts, word)
    return other if theirs > mine else None


def _settled_root(
    word: str,
    root: str,
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    notes: list[str],
) -> str:
    if root == word or len(word) < MIN_STEM_LENGTH:
        return root
    other = _other_reading(word, root, related, doc_counts)
    if other is None:
        return root
    notes.append(
        f"{word}: read as a form of {other}, not {root} (the stemmer's other reading: a longer "
        f"root, whose forms the corpus uses more)"
    )
    return other


def _drop_other_readings(
    word: str,
    root: str,
    members: list[str],
    related: Callable[[str, str], list[str]],
    doc_counts: Callable[[Sequence[str]], dict[str, int]],
    notes: list[str],
) -> list[str]:
    readings = {
        m: other
        for m in members
        if m != word and (other := _other_reading(m, root, related, doc_counts))
    }
    if readings:
        notes.append(
            f"{root}: left out "
            + ", ".join(f"{m} (a form of {other})" for m, other in sorted(readings.items()))
            + " (the stemmer's other reading: a longer root, whose family the corpus uses more)"
        )
    return [m for m in members if m not in readings]


def _drop_multi_layer_forms(
    word: str, root: str, members: list[str], notes: list[str]
) -> list[str]:
    layered = {m for m in members if m != word and derivational_layers(m, root) >= 2}
    if layered:
        notes.append(
            f"{word}: left out {', '.join(sorted(layered))} (two derivational prefixes on "
            f"{root}: a word of its own)"
        )
    return [m for m in members if m not in layered]


def _drop_particle_forms(
    word: str, root: str, members: list[str], notes: list[str]
) -> list[str]:
    family_words = {root, word, *members}
    particled = {
        m
        for m in members
        for particle in PARTICLES
        if m.endswith(particle) and m[: -len(particle)] in family_words
    }
    if particled:
        notes.append(
            f"{word}: left out {', '.join(sorted(particled))} (a discourse particle: on an "
            "adverb it makes another word)"
        )
    return [m for m in members if m not in particled]


def _inflections(word: str, members: list[str]) -> list[str]:
    # The base two words share must be a word of the corpus: attacked and attackers through
    # attack, never denied and the name Denis through "deni".
    known = {word, *members}
    return [m for m in members if known & english_bases(m) & english_bases(word)]


@lru_cache(maxsize=100_000)
def english_bases(word: str) -> frozenset[str]:
    """The words an English word may be an inflection of, by the spelling rules of -s, -es,
    -ed, -ing, -er and -est (e dropped, y turned to i, a final consonant doubled); the word
    itself included. Two words share a base when one inflects the other or both one word."""
    bases = {word}
    for form in (word, word[:-1] if word.endswith("s") and not word.endswith("ss") else None):
        if not form:
            continue
        bases.add(form)
        if form.endswith(("ses", "xes", "zes", "ches", "shes", "oes")):
            bases.add(form[:-2])
        for suffix in ("ed", "ing", "er", "est", "es"):
            if not form.endswith(suffix) or len(form) - len(suffix) < 2:
                continue
            base = form[: -len(suffix)]
            bases.add(base + "e")  # stated, using, later
            if len(base) < 3:
                continue
            bases.add(base)  # wanted
            if base.endswith("i"):
                bases.add(base[:-1] + "y")  # carried, carrier, studies
            if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiousz":
                bases.add(base[:-1])  # stopped, bigger, modelled
    return frozenset(bases)


def plan_query(store, arguments: Sequence[str], language: str | None = None, exact: bool = False):
    """The Plan for a query as a person wrote it, over a Store (its words and their stems)."""
    name = family(language)
    families = [name] if name else sorted(set(FAMILIES.values()))
    return plan(
        parse(arguments),
        families,
        store.related_terms,
        store.document_counts,
        exact=exact,
        stored_stem=store.stored_stem,
        language_shares=store.language_shares,
    )
