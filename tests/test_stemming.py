"""newsingest.stemming gives exactly what PySastrawi's stemmer gives, on words and on any text."""

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from newsingest import search, stemming
from newsingest.stem_table import FAMILY, TABLE

# Uncached: PySastrawi's cache would hide nothing, but the comparison is of the algorithm.
REFERENCE = StemmerFactory().create_stemmer().delegatedStemmer
TABLE_WORDS = [
    line.split("\t")[0]
    for line in resources.files("newsingest")
    .joinpath("data", TABLE)
    .read_text(encoding="utf-8")
    .splitlines()
]
ROOTS = sorted(stemming.dictionary())
PREFIXES = [
    "",
    "di",
    "ke",
    "se",
    "be",
    "ber",
    "te",
    "ter",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "mempe",
    "memper",
    "pe",
    "pem",
    "pen",
    "peng",
    "peny",
    "per",
    "ku",
    "kau",
    "diper",
]
SUFFIXES = [
    "",
    "i",
    "an",
    "kan",
    "is",
    "isme",
    "isasi",
    "ku",
    "mu",
    "nya",
    "lah",
    "kah",
    "tah",
    "pun",
    "kannya",
    "annya",
    "-nya",
    "-lah",
    "kanlah",
    "inya",
]


def _differences(words):
    pairs = ((w, stemming.stem(w), REFERENCE.stem(w)) for w in words)
    return {w: (mine, theirs) for w, mine, theirs in pairs if mine != theirs}


def test_every_word_of_the_shipped_stem_table_stems_as_pysastrawi_does():
    assert len(TABLE_WORDS) > 40_000
    assert not _differences(TABLE_WORDS)


def test_every_dictionary_root_with_each_confix_stems_as_pysastrawi_does():
    # Every 61st root under every prefix and suffix: the rules' branches, roots that are
    # found again after the suffix loop, "kan" restored as "k".
    words = [p + root + s for root in ROOTS[::61] for p in PREFIXES for s in ("", "kan", "i", "an")]
    words += [root + s for root in ROOTS[::31] for s in SUFFIXES]
    assert len(words) > 50_000
    assert not _differences(words)


@pytest.mark.parametrize(
    "word",
    [
        "belajar",
        "pelajar",
        "menyerangkannyalah",
        "mempermainkan",
        "berterbangan",
        "kesihatan",
        "tempat-tempat",
        "berbalas-balasan",
        "meniru-nirukan",
        "malaikat-malaikat-nya",
        "bersama-lah",
        "gemuruh",
        "kinerja",
        "telunjuk",
        "a",
        "",
        "-",
        "--nya",
        "ber-",
        "me-kan",
    ],
)
def test_known_hard_words_stem_as_pysastrawi_does(word):
    assert stemming.stem(word) == REFERENCE.stem(word)


_affixed = st.builds(
    lambda p, root, s, again: p + root + s + (("-" + p + root) if again else ""),
    st.sampled_from(PREFIXES),
    st.sampled_from(ROOTS) | st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9),
    st.sampled_from(SUFFIXES),
    st.booleans(),
)


@settings(max_examples=500, deadline=None)
@given(_affixed)
def test_an_affixed_word_stems_as_pysastrawi_does(word):
    assert stemming.stem(word) == REFERENCE.stem(word)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60) | st.text("aeikmnprstuy -'İıſK\n", max_size=30))
def test_any_text_stems_as_pysastrawi_does(text):
    assert stemming.stem(text) == REFERENCE.stem(text)


def test_the_search_stemmer_family_uses_the_dictionary_roots():
    # The dictionary stemmer's roots are PySastrawi's, so the Snowball fallback fires as before.
    assert set(ROOTS) == set(REFERENCE.get_dictionary().words)
    assert search.stem_afresh(FAMILY, "menyerangkannya") == "serang"
    assert search.stem_afresh(FAMILY, "kesihatan") == "sihat"


def test_the_stem_cache_of_a_long_import_stays_bounded():
    words = [f"{p}{root}{s}" for root in ROOTS[:5000] for p in ("me", "di") for s in ("kan", "i")]
    stems = [search.stem(FAMILY, word) for word in words]
    assert search.stem.cache_info().currsize < len(set(words)) == 20_000
    assert [search.stem(FAMILY, word) for word in words[:50]] == stems[:50]


@pytest.mark.parametrize(
    ("word", "chosen", "other"),
    [("dikurangi", "rang", "kurang"), ("memasuki", "pasuk", "masuk"), ("berikan", "ikan", "beri")],
)
def test_a_confix_shaped_word_has_the_ordinary_order_as_its_other_reading(word, chosen, other):
    assert stemming.stem(word) == chosen
    assert stemming.other_reading(word) == other


@pytest.mark.parametrize("word", ["menyerang", "serangan", "dimulai-mulai", "makan"])
def test_a_word_with_one_reading_has_no_other(word):
    # Not a confix shape, a hyphenated word, or both orders agree.
    assert stemming.other_reading(word) is None


@settings(max_examples=300, deadline=None)
@given(_affixed)
def test_the_other_reading_is_another_dictionary_root_or_none(word):
    other = stemming.other_reading(word)
    assert other is None or (other in stemming.dictionary() and other != stemming.stem(word))
