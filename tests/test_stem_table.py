"""The shipped Indonesian/Malay stem table gives exactly the stems the stemmers compute."""

from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import search
from newsingest.stem_table import (
    FAMILY,
    READINGS,
    TABLE,
    build_readings_text,
    shipped_readings,
    shipped_stems,
)

TABLE_LINES = (
    resources.files("newsingest").joinpath("data", TABLE).read_text(encoding="utf-8").splitlines()
)
WORDS = [line.split("\t")[0] for line in TABLE_LINES]


def test_a_sample_of_the_table_equals_what_the_stemmers_compute():
    # Every 50th word, and every word whose stem differs from it among the first thousand.
    sample = WORDS[::50] + [w for w, s in shipped_stems(FAMILY).items() if s != w][:1000]
    table = shipped_stems(FAMILY)
    wrong = {w: (table[w], search.stem_afresh(FAMILY, w)) for w in sample}
    wrong = {w: pair for w, pair in wrong.items() if pair[0] != pair[1]}
    assert not wrong
    assert len(sample) > 2000


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORDS))
def test_a_table_word_stems_as_the_stemmer_does(word):
    assert search.stem(FAMILY, word) == search.stem_afresh(FAMILY, word)


def test_the_table_is_sorted_unique_and_holds_only_stemmable_words():
    assert WORDS == sorted(set(WORDS))
    assert len(WORDS) > 40_000
    for line in TABLE_LINES:
        word, stem = line.split("\t")
        assert len(word) >= search.MIN_STEM_LENGTH and word.isalpha()
        assert stem == "" or (stem.isalpha() and stem != word)


def test_common_words_come_from_the_table_and_rare_ones_from_the_stemmer():
    table = shipped_stems(FAMILY)
    assert table["menyerang"] == "serang"
    assert table["pemerintahan"] == "perintah"
    # An invented word is in no frequency list: the stemmer analyses it.
    assert "menyerangkannyalah" not in table
    assert search.stem(FAMILY, "menyerangkannyalah") == search.stem_afresh(
        FAMILY, "menyerangkannyalah"
    )


def test_other_families_have_no_table():
    assert shipped_stems("english") == {}
    assert search.stem("english", "attacks") == "attack"


def test_the_shipped_readings_table_is_the_one_its_build_gives():
    shipped = resources.files("newsingest").joinpath("data", READINGS).read_text(encoding="utf-8")
    assert shipped == build_readings_text()
    readings = shipped_readings()
    # The ECS's confix order reads dikurangi as rang, its ordinary order as kurang.
    assert readings["dikurangi"] == ("rang", "kurang")
    assert all(stem != other for stem, other in readings.values())
