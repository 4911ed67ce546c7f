"""How place names and article words are normalised, shared by the gazetteer build and matching.

A name's key is its words, accent-folded and lower-cased, joined by single spaces: "Côte d'Ivoire",
"COTE D'IVOIRE" and "Cote d Ivoire" all give "cote d ivoire". Article text is split into words the
same way, so a run of words matches a name when their folded forms joined by spaces equal its key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A word: letters, marks and digits (underscore excluded). Apostrophes and hyphens split words,
# so "Suriah-Irak" gives two words and "al-Udeid" gives "al", "udeid".
WORD = re.compile(r"[^\W_]+")

# Letters that NFKD does not decompose but that readers type without the stroke.
_EXTRA_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                             "æ": "ae", "œ": "oe", "ß": "ss", "ʻ": "", "ʼ": ""})


def fold(word: str) -> str:
    """Lower-case a word and strip its accents ("Zürich" -> "zurich")."""
    if word.isascii():
        return word.lower()
    return _fold_unicode(word)


@lru_cache(maxsize=1 << 14)
def _fold_unicode(word: str) -> str:
    # the same words recur from article to article: folding one costs ~4 us, a cache hit 0.1
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA_FOLD)


def key_of(name: str) -> str:
    """The lookup key of a name: its folded words joined by single spaces."""
    return " ".join(fold(w) for w in WORD.findall(name))
