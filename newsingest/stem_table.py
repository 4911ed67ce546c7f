"""The shipped table of Indonesian/Malay stems, ``newsingest/data/stems_id.tsv``, and its build.

The dictionary stemmer costs ~0.02 ms a word (``newsingest.stemming``; PySastrawi itself 0.1-0.3
ms), and a first import stems every distinct word of the corpus once. The table holds the stem
``newsingest.search.stem`` gives (PySastrawi's algorithm, then Snowball's
Indonesian stemmer for what the dictionary cannot analyse) for the frequent Indonesian and
Malay vocabulary, computed ahead by that very function: a first import then runs the dictionary
stemmer only for the rarer words. The words come from wordfreq's Indonesian and Malay frequency
lists (CC BY-SA 4.0) and PySastrawi's own dictionary of roots (MIT); none from the corpus.

File format: one ``word<TAB>stem`` line per word, sorted; the stem is left empty when it is the
word itself (three lines in four). Loading it into a dict takes ~20 ms, once per process and
only when an Indonesian or Malay word is stemmed.

A second table, ``newsingest/data/readings_id.tsv``, holds for the words of the first the
stemmer's other reading where it has one (``newsingest.stemming.other_reading``: dikurangi is
stemmed to rang by the ECS's confix order, to kurang by its ordinary order), as
``word<TAB>stem<TAB>other root`` lines: a query weighs the two readings (newsingest.search)
without loading the stemmer. It is built from the first table's words alone.

Command (from the repository root)::

    pip install wordfreq==3.1.1 PySastrawi==1.2.1 PyStemmer==3.1.0
    python -m newsingest.stem_table            # writes the table
    python -m newsingest.stem_table --check    # rebuilds in memory, compares with the shipped one
    python -m newsingest.stem_table --readings [--check]   # the same for the readings table

These packages' versions make the stems: the test suite checks a sample of the table against
the installed stemmers.
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from importlib import resources

TABLE = "stems_id.tsv"
READINGS = "readings_id.tsv"
# The stemmer family the table serves (newsingest.search.FAMILIES: Indonesian and Malay).
FAMILY = "id"
WORD_LIST_LANGUAGES = ("id", "ms")


@cache
def shipped_stems(family: str) -> dict[str, str]:
    """Word -> stem for the frequent words of a stemmer family (empty for other families)."""
    if family != FAMILY:
        return {}
    text = resources.files("newsingest").joinpath("data", TABLE).read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        word, _, stem = line.partition("\t")
        table[word] = stem or word
    return table


@cache
def shipped_readings() -> dict[str, tuple[str, str]]:
    """Word -> (its stem, the stemmer's other reading) for the words of the shipped table that
    have one."""
    text = resources.files("newsingest").joinpath("data", READINGS).read_text(encoding="utf-8")
    readings = {}
    for line in text.splitlines():
        word, stem, other = line.split("\t")
        readings[word] = (stem, other)
    return readings


def build_readings_text() -> str:
    """The readings table's text: every word of the shipped stem table whose stem the confix
    order gives, with the other root the ordinary order gives."""
    from .search import stem_afresh
    from .stemming import other_reading

    lines = []
    for word in sorted(shipped_stems(FAMILY)):
        other = other_reading(word)
        if other is not None:
            stem = stem_afresh(FAMILY, word)
            if stem != word and stem != other:
                lines.append(f"{word}\t{stem}\t{other}")
    return "\n".join(lines) + "\n"


def vocabulary() -> list[str]:
    """The words the table covers: wordfreq's id/ms lists and PySastrawi's roots, as FTS5 indexes
    them (lower case, diacritics removed), long enough to be stemmed."""
    import wordfreq
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from .search import MIN_STEM_LENGTH, index_terms

    words: set[str] = set()
    for language in WORD_LIST_LANGUAGES:
        for entry in wordfreq.top_n_list(language, 10**7):
            words |= index_terms(entry)
    dictionary = StemmerFactory().create_stemmer().delegatedStemmer.get_dictionary()
    for root in dictionary.words:
        words |= index_terms(root)
    return sorted(
        w for w in words if len(w) >= MIN_STEM_LENGTH and w.isalpha() and "\t" not in w
    )


def build_text() -> str:
    """The table's text, every stem computed by newsingest.search's stemmer."""
    from .search import stem_afresh

    lines = []
    for word in vocabulary():
        stem = stem_afresh(FAMILY, word)
        lines.append(f"{word}\t{'' if stem == word else stem}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped table")
    parser.add_argument(
        "--readings", action="store_true", help="the readings table instead of the stem table"
    )
    args = parser.parse_args()
    name = READINGS if args.readings else TABLE
    text = build_readings_text() if args.readings else build_text()
    target = resources.files("newsingest").joinpath("data", name)
    if args.check:
        same = target.read_text(encoding="utf-8") == text
        print(f"the shipped {name} is up to date" if same else f"the shipped {name} differs")
        sys.exit(0 if same else 1)
    with resources.as_file(target) as path:
        path.write_text(text, encoding="utf-8")
    print(f"{name}: {text.count(chr(10))} words")


if __name__ == "__main__":
    main()
