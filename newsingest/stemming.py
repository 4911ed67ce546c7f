"""PySastrawi's Indonesian stemmer (ECS, Sastrawi's rules and root dictionary), made fast.

The same algorithm as ``Sastrawi.Stemmer.Stemmer`` 1.2, step for step, with its quirks kept
(a prefix rule whose last disambiguator finds nothing removes nothing; a short word still loses
one affix; the derivational suffix ``is`` is tried before ``isme``): ``stem(text)`` returns
what ``StemmerFactory().create_stemmer().stem(text)`` returns, for any text. PySastrawi spends
most of its time in ``re.match`` on pattern strings, running all 39 prefix rules' patterns on
every word; here the patterns are compiled once and a prefix rule only runs on a word that
starts the way its patterns demand. tests/test_stemming.py compares the two on words and on
arbitrary text. PySastrawi stays a dependency: its root dictionary is read from its package.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources

_CONSONANT = "bcdfghjklmnpqrstvwxyz"
_ER = re.compile(r"^er(.*)$")


@cache
def dictionary() -> frozenset[str]:
    """PySastrawi's root words (``kata-dasar.txt``), as its ArrayDictionary holds them."""
    text = resources.files("Sastrawi.Stemmer").joinpath("data", "kata-dasar.txt")
    words = text.read_text(encoding="utf-8").split("\n")
    return frozenset(word for word in words if word and word.strip() != "")


# ----------------------------------------------------------------------------------------------
# Prefix rules. Each disambiguator maps a word to a candidate root, or None when its pattern
# does not fit; a rule tries its disambiguators in order and keeps the first root found in the
# dictionary, else the last one's answer (PySastrawi's AbstractDisambiguatePrefixRule).

Disambiguator = Callable[[str], "str | None"]


def _joined(pattern: str, build: Callable[[re.Match], str | None]) -> Disambiguator:
    compiled = re.compile(pattern)

    def disambiguate(word: str) -> str | None:
        match = compiled.match(word)
        return build(match) if match else None

    return disambiguate


def _groups(pattern: str, before: str = "") -> Disambiguator:
    """A disambiguator that returns ``before`` plus all the pattern's groups, joined."""
    return _joined(pattern, lambda m: before + "".join(m.groups()))


def _unless_er(pattern: str, last: int) -> Disambiguator:
    """Groups joined, unless the group numbered ``last`` starts with "er" (rules 2, 23, 34)."""
    return _joined(pattern, lambda m: None if _ER.match(m.group(last)) else "".join(m.groups()))


def _unless_r(pattern: str, template: Callable[[re.Match], str]) -> Disambiguator:
    """``template`` of the match, unless its first group is "r" (rules 3, 7, 9, 24)."""
    return _joined(pattern, lambda m: None if m.group(1) == "r" else template(m))


def _exact(word: str, root: str, then: Disambiguator | None = None) -> Disambiguator:
    def disambiguate(candidate: str) -> str | None:
        if candidate == word:
            return root
        return then(candidate) if then else None

    return disambiguate


_RULE8 = re.compile(rf"^ter([{_CONSONANT}])(.*)$")


def _rule8(word: str) -> str | None:
    match = _RULE8.match(word)
    if match:
        if match.group(1) == "r" or _ER.match(match.group(2)):
            return None
        return match.group(1) + match.group(2)
    return None


C = f"[{_CONSONANT}]"
V = "[aiueo]"

# (the literal start every pattern of the rule needs, or "" for any word; its disambiguators),
# in PySastrawi's VisitorProvider order.
PREFIX_RULES: tuple[tuple[str, tuple[Disambiguator, ...]], ...] = (
    ("ber", (_groups(rf"^ber({V}.*)$"), _groups(rf"^ber({V}.*)$", "r"))),  # 1a, 1b
    ("ber", (_unless_er(rf"^ber({C})([a-z])(.*)", 3),)),  # 2
    (
        "ber",
        (
            _unless_r(
                rf"ber({C})([a-z])er({V})(.*)",
                lambda m: m.group(1) + m.group(2) + "er" + m.group(3) + m.group(4),
            ),
        ),
    ),  # 3
    ("belajar", (_exact("belajar", "ajar"),)),  # 4
    ("be", (_groups(r"be([bcdfghjklmnpqstvwxyz])(er[bcdfghjklmnpqrstvwxyz])(.*)$"),)),  # 5
    ("ter", (_groups(rf"^ter({V}.*)$"), _groups(rf"^ter({V}.*)$", "r"))),  # 6a, 6b
    (
        "ter",
        (_unless_r(rf"^ter({C})er({V}.*)$", lambda m: m.group(1) + "er" + m.group(2)),),
    ),  # 7
    ("ter", (_rule8,)),  # 8
    (
        "te",
        (
            _unless_r(
                rf"^te({C})er({C})(.*)$",
                lambda m: m.group(1) + "er" + m.group(2) + m.group(3),
            ),
        ),
    ),  # 9
    ("me", (_groups(rf"^me([lrwy])({V})(.*)$"),)),  # 10
    ("mem", (_groups(r"^mem([bfv])(.*)$"),)),  # 11
    ("mempe", (_groups(r"^mempe(.*)$", "pe"),)),  # 12
    ("mem", (_groups(rf"^mem({V})(.*)$", "m"), _groups(rf"^mem({V})(.*)$", "p"))),  # 13a, 13b
    ("men", (_groups(r"^men([cdjstz])(.*)$"),)),  # 14
    ("men", (_groups(rf"^men({V})(.*)$", "n"), _groups(rf"^men({V})(.*)$", "t"))),  # 15a, 15b
    ("meng", (_groups(r"^meng([ghqk])(.*)$"),)),  # 16
    (
        "meng",
        (
            _groups(rf"^meng({V})(.*)$"),
            _groups(rf"^meng({V})(.*)$", "k"),
            _groups(r"^menge(.*)$"),
            _groups(rf"^meng({V})(.*)$", "ng"),
        ),
    ),  # 17a-d
    ("meny", (_groups(rf"^meny({V})(.*)$", "ny"), _groups(rf"^meny({V})(.*)$", "s"))),  # 18a, b
    ("memp", (_groups(r"^memp([abcdfghijklmopqrstuvwxyz])(.*)$", "p"),)),  # 19
    ("pe", (_groups(rf"^pe([wy])({V})(.*)$"),)),  # 20
    ("per", (_groups(rf"^per({V})(.*)$"), _groups(rf"^pe(r{V})(.*)$"))),  # 21a, 21b
    ("per", (_unless_er(rf"^per({C})([a-z])(.*)$", 3),)),  # 23
    (
        "per",
        (
            _unless_r(
                rf"^per({C})([a-z])er({V})(.*)$",
                lambda m: m.group(1) + m.group(2) + "er" + m.group(3) + m.group(4),
            ),
        ),
    ),  # 24
    ("pem", (_groups(r"^pem([bfv])(.*)$"),)),  # 25
    ("pem", (_groups(rf"^pem({V})(.*)$", "m"), _groups(rf"^pem({V})(.*)$", "p"))),  # 26a, 26b
    ("pen", (_groups(r"^pen([cdjstz])(.*)$"),)),  # 27
    ("pen", (_groups(rf"^pen({V})(.*)$", "n"), _groups(rf"^pen({V})(.*)$", "t"))),  # 28a, 28b
    ("peng", (_groups(rf"^peng({C})(.*)$"),)),  # 29
    (
        "peng",
        (
            _groups(rf"^peng({V})(.*)$"),
            _groups(rf"^peng({V})(.*)$", "k"),
            _groups(r"^penge(.*)$"),
        ),
    ),  # 30a-c
    ("peny", (_groups(rf"^peny({V})(.*)$", "ny"), _groups(rf"^peny({V})(.*)$", "s"))),  # 31a, b
    ("pe", (_exact("pelajar", "ajar", _groups(rf"^pe(l{V})(.*)$")),)),  # 32
    ("pe", (_unless_er(rf"^pe({C})(.*)$", 2),)),  # 34
    ("ter", (_groups(rf"^ter([bcdfghjkpqstvxz])(er{C})(.*)$"),)),  # 35
    ("pe", (_groups(rf"^pe([bcdfghjkpqstvxz])(er{C})(.*)$"),)),  # 36
    ("", (_groups(rf"^({C})(er{V})(.*)$"), _groups(rf"^({C})er({V})(.*)$"))),  # 37a, 37b
    ("", (_groups(rf"^({C})(el{V})(.*)$"), _groups(rf"^({C})el({V})(.*)$"))),  # 38a, 38b
    ("", (_groups(rf"^({C})(em{V})(.*)$"), _groups(rf"^({C})em({V})(.*)$"))),  # 39a, 39b
    ("", (_groups(rf"^({C})(in{V})(.*)$"), _groups(rf"^({C})in({V})(.*)$"))),  # 40a, 40b
    ("ku", (_groups(r"^ku(.*)$"),)),  # 41
    ("kau", (_groups(r"^kau(.*)$"),)),  # 42
)


def _rules_by_head() -> dict[str, tuple]:
    """The prefix rules, in order, that can fit a word starting with each two letters."""
    heads = {start[:2] for start, _ in PREFIX_RULES if start}
    return {
        head: tuple(rule for rule in PREFIX_RULES if rule[0][:2] in ("", head)) for head in heads
    }


_RULES_BY_HEAD = _rules_by_head()
_RULES_FOR_ANY_HEAD = tuple(rule for rule in PREFIX_RULES if not rule[0])

# ----------------------------------------------------------------------------------------------
# Suffixes and plain prefixes: (pattern removed once, the removal's affix type).

_PARTICLE = (re.compile(r"-*(lah|kah|tah|pun)$"), "P")
_POSSESSIVE = (re.compile(r"-*(ku|mu|nya)$"), "PP")
_DERIVATIONAL = (re.compile(r"(is|isme|isasi|i|kan|an)$"), "DS")
SUFFIX_RULES = (_PARTICLE, _POSSESSIVE, _DERIVATIONAL)
_PLAIN_PREFIX = re.compile(r"^(di|ke|se)")
_SUFFIX_TYPES = frozenset({"DS", "PP", "P"})

# Confix stripping: words whose prefix is removed before their suffix.
_PREFIX_FIRST = tuple(
    re.compile(p)
    for p in (
        r"^be(.*)lah$",
        r"^be(.*)an$",
        r"^me(.*)i$",
        r"^di(.*)i$",
        r"^pe(.*)i$",
        r"^ter(.*)i$",
    )
)
_PLURAL_SUFFIX = re.compile(r"^(.*)-(ku|mu|nya|lah|kah|tah|pun)$")
_PLURAL = re.compile(r"^(.*)-(.*)$")
_NOT_NORMAL = re.compile(r"[^a-z0-9 -]", re.IGNORECASE | re.MULTILINE)
_SPACES = re.compile(r"( +)", re.IGNORECASE | re.MULTILINE)


def _removed_part(subject: str, result: str) -> str:
    # PySastrawi takes ``re.sub(result, "", subject, count=1)``; a normalised word holds no
    # pattern syntax, so the result is found literally.
    return subject.replace(result, "", 1)


class _Context:
    """One word's stemming (PySastrawi's Stemmer.Context.Context)."""

    __slots__ = ("original", "current", "removals", "stopped", "roots", "confix_first")

    def __init__(self, word: str, roots: frozenset[str], confix_first: bool = True):
        self.original = word
        self.confix_first = confix_first
        self.current = word
        # (subject, result, removed part, affix type)
        self.removals: list[tuple[str, str, str, str]] = []
        self.stopped = False
        self.roots = roots

    def result(self) -> str:
        self._stem()
        return self.current if self.current in self.roots else self.original

    def _stem(self) -> None:
        roots = self.roots
        if self.current in roots:
            return
        if len(self.current) <= 3:  # DontStemShortWord, the only plain visitor
            self.stopped = True
        if self.current in roots:
            return
        if self.confix_first and any(p.match(self.original) for p in _PREFIX_FIRST):
            self._remove_prefixes()
            if self.current in roots:
                return
            self._remove_suffixes()
            if self.current in roots:
                return
            self.current = self.original
            self.removals = []
        self._remove_suffixes()
        if self.current in roots:
            return
        self._remove_prefixes()
        if self.current in roots:
            return
        self._restore_suffixes()

    def _remove(self, result: str, affix_type: str) -> None:
        subject = self.current
        self.removals.append((subject, result, _removed_part(subject, result), affix_type))
        self.current = result

    def _remove_suffixes(self) -> None:
        for pattern, affix_type in SUFFIX_RULES:
            result = pattern.sub("", self.current, count=1)
            if result != self.current:
                self._remove(result, affix_type)
            if self.current in self.roots or self.stopped:
                return

    def _remove_prefixes(self) -> None:
        for _ in range(3):
            self._accept_prefix_rules()
            if self.current in self.roots:
                return

    def _accept_prefix_rules(self) -> None:
        roots = self.roots
        count = len(self.removals)
        result = _PLAIN_PREFIX.sub("", self.current, count=1)
        if result != self.current:
            self._remove(result, "DP")
        if self.current in roots or self.stopped or len(self.removals) > count:
            return
        word = self.current
        for start, disambiguators in _RULES_BY_HEAD.get(word[:2], _RULES_FOR_ANY_HEAD):
            # A rule whose patterns cannot fit the word changes nothing (all answer None).
            if word.startswith(start):
                result = None
                for disambiguate in disambiguators:
                    result = disambiguate(word)
                    if result in roots:
                        break
                if result is not None:
                    self._remove(result, "DP")  # one removal per pass: the pass ends
                    return
            # A rule that changed nothing leaves the checks as the previous rule left them.

    def _restore_suffixes(self) -> None:
        """ECS "loop pengembalian akhiran": put the prefixes back, then try each removed suffix
        restored, prefixes removed again."""
        if self.removals:
            self.current = self.removals[0][0]
        self.removals = [r for r in self.removals if r[3] != "DP"]
        removals = list(self.removals)
        current = self.current
        for subject, result, removed, affix_type in reversed(removals):
            if affix_type not in _SUFFIX_TYPES:
                continue
            if removed == "kan":
                self.current = result + "k"
                self._remove_prefixes()
                if self.current in self.roots:
                    return
                self.current = result + "kan"
            else:
                self.current = subject
            self._remove_prefixes()
            if self.current in self.roots:
                return
            self.removals = removals
            self.current = current


def _stem_singular(word: str, roots: frozenset[str]) -> str:
    return _Context(word, roots).result()


def other_reading(word: str) -> str | None:
    """The root the ECS's ordinary order (suffixes first) finds for a word it strips prefixes
    from first (a confix shape: me-...-i, di-...-i, be-...-an...), when that is another root of
    the dictionary; else None. The confix order reads memasuki as pasuk, dikurangi as rang,
    berikan as ikan; the ordinary one as masuk, kurang, beri. Which reading a corpus means is
    decided by the caller (newsingest.search)."""
    roots = dictionary()
    if "-" in word or not any(p.match(word) for p in _PREFIX_FIRST):
        return None
    chosen = _Context(word, roots).result()
    other = _Context(word, roots, confix_first=False).result()
    return other if other != chosen and other in roots and other != word else None


def _stem_plural(plural: str, roots: frozenset[str]) -> str:
    match = _PLURAL.match(plural)
    if not match:
        return plural
    words = [match.group(1), match.group(2)]
    suffix = words[1]
    match = _PLURAL.match(words[0])
    if suffix in ("ku", "mu", "nya", "lah", "kah", "tah", "pun") and match:
        words[0] = match.group(1)
        words[1] = match.group(2) + "-" + suffix
    root1 = _stem_singular(words[0], roots)
    root2 = _stem_singular(words[1], roots)
    if words[1] not in roots and root2 == words[1]:
        root2 = _stem_singular("me" + words[1], roots)
    return root1 if root1 == root2 else plural


def _is_plural(word: str) -> bool:
    match = _PLURAL_SUFFIX.match(word)
    if match:
        return match.group(1).find("-") != -1
    return word.find("-") != -1


def stem_word(word: str) -> str:
    """The stem of one normalised word (PySastrawi's Stemmer.stem_word)."""
    roots = dictionary()
    return _stem_plural(word, roots) if _is_plural(word) else _stem_singular(word, roots)


def normalize(text: str) -> str:
    """PySastrawi's TextNormalizer: lower case, anything but letters, digits, space and hyphen
    made a space, runs of spaces made one."""
    result = _NOT_NORMAL.sub(" ", text.lower())
    return _SPACES.sub(" ", result).strip()


def stem(text: str) -> str:
    """The stems of a text's words, space-separated, as PySastrawi's stemmer gives them."""
    return " ".join(stem_word(word) for word in normalize(text).split(" "))
