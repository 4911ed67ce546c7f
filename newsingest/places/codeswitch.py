"""A place's name inside a name written in another language: "Indonesia Corruption Watch",
"Music Factory Indonesia", "Jakarta Fair".

Indonesian and Malay news writes the names of organisations, brands, events and titles in
English, and a place's name inside such a name is part of it, not a place mention (the
annotation guidelines of the NER sets agree: "places inside organisation names are not place
spans"). A capitalised English word glued to the name, which is no word of the text's own
language, shows such a name; the place words of a name ("Island", "Kota", "North") and the
offices and honorifics that the other rules read do not count.

Only languages whose own word list is full (Indonesian, Malay: see ``build.FULL_WORD_LISTS``)
can tell an English word from their own; in English text every word is the text's own.
"""

from __future__ import annotations

from .matcher import (
    ADMIN_PREFIXES,
    DIRECTION_WORDS,
    FACILITY_PREFIXES,
    FEATURE_PREFIXES,
    HONORIFICS,
    OFFICE_WORDS,
    STREET_PREFIXES,
    Words,
)

LANGUAGES = frozenset({"id", "ms"})
# Words that make a name a place's or a person's rather than an organisation's, in any language.
NOT_FOREIGN = (ADMIN_PREFIXES | FEATURE_PREFIXES | STREET_PREFIXES | FACILITY_PREFIXES
               | DIRECTION_WORDS | OFFICE_WORDS | HONORIFICS)


def in_foreign_name(w: Words, i: int, j: int, foreign: frozenset[str]) -> bool:
    """Whether the name at words i..j-1 is glued (by a plain space) to a capitalised word of
    ``foreign`` (``Gazetteer.foreign_words``) that carries case information (not the first word
    of a sentence, not an all-capitals word) and is no place word, office or honorific."""
    n = len(w.words)
    for k, gap in ((i - 1, i), (j, j)):
        if not 0 <= k < n or w.gap(gap) not in (" ", "\u00a0") or not w.informative[k]:
            continue
        word = w.words[k]
        folded = w.fold(k)
        if (word[:1].isupper() and not word.isupper() and folded in foreign
                and folded not in NOT_FOREIGN):
            return True
    return False
