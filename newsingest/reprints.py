"""Reprints and near-duplicates: shingles, MinHash fingerprints, similarity, clusters.

A reprint is the same story stored as another article: a new headline, a credit line added, a
paragraph changed or dropped, the text cut short. Bodies are compared, titles never (a new
headline is the commonest edit). Each body becomes a set of hashed word shingles; a MinHash
signature of that set (datasketch) is cut into bands, and two articles sharing any band key are
candidates. A candidate pair is one story when the similarity estimated from the two
signatures reaches the threshold, and a cluster is a connected component of such pairs
(``ingest.recluster`` builds them from the tables ``store.py`` keeps).

Every part depends only on the set of articles, never on the order they came in: fingerprints
and similarities are functions of one or two bodies, a pair is found whatever article arrived
first, and a cluster's canonical member is chosen by ``canonical_key`` (earliest published, then
first seen to the day, then smallest content hash), so file order, worker count, batch split or
a killed and repeated run give the same clusters.

The credit line ("Antara", "Reuters", "dikutip Sputnik", "Russia Beyond") is found by
``credit``, a pipeline stage over one Article.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from .article import Article


@dataclass(frozen=True)
class Settings:
    """How bodies are compared (figures behind each choice: benchmarks/eval_reprints.py)."""

    shingle_words: int = 3  # words per shingle
    num_perm: int = 60  # MinHash signature length
    # Cut into 20 band keys of 3 values: a pair of Jaccard 0.5 shares a key with probability
    # 0.93, of 0.6 0.99, of 0.02 (two unrelated stories) 1.6e-4.
    bands: int = 20
    # Similarity (see ``similarity``) from which two bodies are one story.
    threshold: float = 0.5
    # Bodies with fewer shingles than this are never clustered: too little text to tell a
    # reprint from two short notices that share a formula.
    min_shingles: int = 12
    seed: int = 1


DEFAULT = Settings()

# Words are what lies between whitespace and punctuation. ASCII punctuation becomes a space by one
# bytes.translate; the punctuation and spaces beyond ASCII (U+00A0-U+00BF: no-break space, « » ·
# ¡ ¿; U+2000-U+206F: typographic spaces, dashes, quotes, …, •; U+3000) by one regex, only for
# texts that have any character beyond ASCII.
_ASCII_PUNCTUATION = b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_TO_SPACE = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))
_WIDE_PUNCTUATION = re.compile("[\u00a0-\u00bf\u2000-\u206f\u3000]")
# odd 64-bit multipliers mixing the word hashes of a shingle (and the values of a band) into one
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
    dtype=np.uint64,
)
_HIGH = np.uint64(32)


def words(body: str) -> list[bytes]:
    """The body's words, case-folded, as UTF-8 bytes."""
    text = body.casefold()
    if not text.isascii():
        text = _WIDE_PUNCTUATION.sub(" ", text)
    return text.encode().translate(_TO_SPACE).split()


def _shingle_hashes(body: str, settings: Settings) -> np.ndarray:
    """One 32-bit hash per word shingle of the body, in text order, repeats kept."""
    found = words(body)
    if not found:
        return np.zeros(0, dtype=np.uint32)
    # crc32 is stable across processes, runs and platforms (Python's hash() is salted per
    # process), and one C call a word is cheaper than any numpy hashing of the bytes measured.
    hashed = np.array(list(map(zlib.crc32, found)), dtype=np.uint64)
    k = min(settings.shingle_words, len(found))
    n = len(found) - k + 1
    mixed = hashed[:n] * _MIX[0]
    for offset in range(1, k):
        mixed += hashed[offset : offset + n] * _MIX[offset % len(_MIX)]
    return (mixed >> _HIGH).astype(np.uint32)


def _distinct(values: np.ndarray) -> np.ndarray:
    # sort and compare neighbours: a tenth of np.unique's time on arrays this small
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def shingles(body: str, settings: Settings = DEFAULT) -> np.ndarray:
    """The body's distinct word shingles as sorted 32-bit hashes (case and punctuation ignored)."""
    return _distinct(_shingle_hashes(body, settings))


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # datasketch's affine32 permutations h -> a h + b (mod 2^32), drawn as its MinHash draws them
    # (tested equal), one row each for the (num_perm x shingles) product below. Drawn here
    # rather than read from a datasketch MinHash: importing datasketch imports scipy, about
    # 0.4 s of CPU in every run.
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a[:, None], b[:, None]


def _premix(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finalizer, which datasketch applies before its permutations
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values ^= values >> np.uint32(13)
    values *= np.uint32(0xC2B2AE35)
    values ^= values >> np.uint32(16)
    return values


def signature(shingle_set: np.ndarray, settings: Settings = DEFAULT) -> np.ndarray:
    """The MinHash signature of a shingle set: datasketch's affine32 scheme, as one numpy product.

    Equal to ``datasketch.MinHash(hashfunc=int, scheme="affine32").update_batch`` (tested), whose
    Python loop over the values cost more than the whole of this function.
    """
    a, b = _permutations(settings.num_perm, settings.seed)
    hashed = np.multiply.outer(a[:, 0], _premix(shingle_set.astype(np.uint32)))
    hashed += b
    return hashed.min(axis=1)


@dataclass(frozen=True)
class Fingerprint:
    """What is stored of one body to find and judge its near-duplicates."""

    shingles: int  # how many distinct shingles the body has
    signature: bytes  # MinHash values, little-endian uint32
    bands: tuple[int, ...]  # LSH band keys (signed 64-bit), sorted


def band_keys(values: np.ndarray, settings: Settings = DEFAULT) -> tuple[int, ...]:
    """The LSH band keys of a signature: one signed 64-bit key per band, sorted."""
    rows = settings.num_perm // settings.bands
    bands = values.astype(np.uint64).reshape(settings.bands, rows)
    # The band number is part of the key (equal values in different bands are no match). A
    # linear mix of the values is enough: a key only has to differ from other keys, and two
    # different bands collide with probability 2^-64.
    keys = (bands * _MIX[:rows]).sum(axis=1, dtype=np.uint64)
    keys += np.arange(settings.bands, dtype=np.uint64) * _MIX[rows % len(_MIX)]
    return tuple(sorted(set(keys.view(np.int64).tolist())))


def fingerprint(body: str, settings: Settings = DEFAULT) -> Fingerprint | None:
    """The body's fingerprint; None when it is too short to be clustered."""
    shingle_set = shingles(body, settings)
    if len(shingle_set) < settings.min_shingles:
        return None
    values = signature(shingle_set, settings)
    return Fingerprint(
        len(shingle_set), values.astype("<u4").tobytes(), band_keys(values, settings)
    )


def estimate(mine: tuple[int, bytes], others: Sequence[tuple[int, bytes]]) -> np.ndarray:
    """``similarity`` of one body with each of others, estimated from (shingles, signature)."""
    return estimate_pairs([mine], others)


def estimate_pairs(
    left: Sequence[tuple[int, bytes]], right: Sequence[tuple[int, bytes]]
) -> np.ndarray:
    """``similarity`` of each left body with the right one in the same place (or of one left
    body with every right one), estimated from (shingles, signature) in one numpy pass.

    The share of equal MinHash values estimates the Jaccard index J; the containment follows
    from J and the two set sizes: |A and B| = J (|A| + |B|) / (1 + J).
    """
    if not right:
        return np.zeros(0)
    counts_a, signatures_a = _matrix(left)
    counts_b, signatures_b = _matrix(right)
    jaccard = (signatures_a == signatures_b).mean(axis=1)
    common = jaccard * (counts_a + counts_b) / (1 + jaccard)
    containment = np.minimum(common / np.minimum(counts_a, counts_b), 1.0)
    return np.round((jaccard + containment) / 2, 4)


def _matrix(fingerprints: Sequence[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    counts = np.array([count for count, _ in fingerprints], dtype=float)
    values = np.frombuffer(b"".join(v for _, v in fingerprints), dtype="<u4")
    return counts, values.reshape(len(fingerprints), -1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """How much of the shorter body the longer one holds, tempered by their overlap.

    The mean of the Jaccard index and the containment of the smaller shingle set in the larger:
    a reprint cut to half its length still scores 0.75, while two stories that share a quoted
    paragraph score low on both. (Exact, from two shingle sets; ``estimate`` is what runs.)
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return round((common / union + common / min(len(a), len(b))) / 2, 4)


# ----------------------------------------------------------------------------------------------
# Clusters


@dataclass(frozen=True)
class Member:
    """What choosing a cluster's canonical member needs to know of one article."""

    article_id: int
    published: str | None
    first_seen: str
    content_hash: str


def canonical_key(member: Member) -> tuple:
    """Sort key of the canonical member: earliest published, then first seen, then hash.

    ``first_seen`` counts to the day: articles added by one run in any order tie there, and
    the content hash (not the arrival order) decides.
    """
    return (
        member.published is None,
        member.published or "",
        member.first_seen[:10],
        member.content_hash,
    )


class Groups:
    """Union-find over article ids: which articles end up in one cluster."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        """The representative of the item's group (the smallest id seen in it)."""
        root = item
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent.get(item, item)
        return root

    def union(self, a: int, b: int) -> None:
        """Put the groups of a and b together."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            low, high = sorted((root_a, root_b))
            self.parent[high] = low
            self.parent.setdefault(low, low)

    def groups(self) -> list[list[int]]:
        """Every group of two or more, each sorted, in order of their smallest id."""
        found: dict[int, list[int]] = {}
        for item in self.parent:
            found.setdefault(self.find(item), []).append(item)
        return sorted(sorted(group) for group in found.values() if len(group) > 1)


def canonical(members: Iterable[Member]) -> int:
    """The id of the canonical member (see ``canonical_key``): a cluster's id."""
    return min(members, key=canonical_key).article_id


def similarity_rows(
    canonical_id: int, members: Iterable[int], fingerprints: Mapping[int, tuple[int, bytes]]
) -> list[tuple[int, int, float]]:
    """(article, cluster id, similarity to the canonical) for these members of one cluster."""
    others = sorted(set(members) - {canonical_id})
    values = estimate(fingerprints[canonical_id], [fingerprints[i] for i in others])
    rows = [(canonical_id, canonical_id, 1.0)]
    rows += [(i, canonical_id, float(v)) for i, v in zip(others, values, strict=True)]
    return sorted(rows)


# ----------------------------------------------------------------------------------------------
# Credit lines

# Wire services and syndicators named in credit lines. A name counts only where a credit sits:
# a removed sign-off or footer, a bracketed tag, the body's first or last line, or after a cue.
_AGENCIES = (
    "Antara",
    "ANTARA",
    "Reuters",
    "Reuter",
    "AFP",
    "AP",
    "Associated Press",
    "Agence France-Presse",
    "Bernama",
    "Sputnik",
    "RIA Novosti",
    "TASS",
    "Xinhua",
    "Anadolu",
    "dpa",
    "EFE",
    "Lusa",
    "Agência Brasil",
    "Europa Press",
    "SPA",
    "Russia Beyond",
    "RBTH",
    "Kompas.com",
    "Tempo.co",
    "Detik.com",
    "detikcom",
    "CNN Indonesia",
    "Okezone",
    "Liputan6.com",
)
_AGENCY = "|".join(sorted((re.escape(a) for a in _AGENCIES), key=len, reverse=True))
# "dikutip dari Sputnik", "seperti dilansir Reuters", "quoted by AFP", "via Reuters", "(Antara)"
_CUED = re.compile(
    r"\b(?:(?:di)?kutip(?:\s+dari)?|dilansir(?:\s+dari)?|melansir|menurut laporan|"
    r"sumber|source|via|quoted by|according to|citado por|fonte|fuente|laut|quelle)"
    rf"\s*:?\s+({_AGENCY})\b",
    re.IGNORECASE,
)
_TAGGED = re.compile(rf"[(\[]\s*({_AGENCY})\s*(?:/[^)\]]{{0,30}})?[)\]]")
_BARE = re.compile(rf"^\W*({_AGENCY})\W*$", re.IGNORECASE)
_OPENING = re.compile(rf"^[^\n]{{0,60}}?\(({_AGENCY})\)|^\W*({_AGENCY})\s*[-–—:]")


# Other spellings of one agency, stored under one name.
_ALIASES = {
    "reuter": "Reuters",
    "agence france-presse": "AFP",
    "associated press": "AP",
    "rbth": "Russia Beyond",
    "detikcom": "Detik.com",
}


def _canonical_agency(found: str) -> str:
    folded = found.casefold()
    if folded in _ALIASES:
        return _ALIASES[folded]
    for agency in _AGENCIES:
        if agency.casefold() == folded:
            return agency
    return found


def find_credit(article: Article) -> str | None:
    """The wire service or syndicator the article credits, or None."""
    # A sign-off or footer that cleaning removed is the surest place ("Reuters", "Russia Beyond").
    for removal in article.removed:
        if removal.reason.startswith(("boilerplate", "learned")):
            for pattern in (_BARE, _CUED, _TAGGED):
                match = pattern.search(removal.text)
                if match:
                    return _canonical_agency(match.group(1))
            for agency in _AGENCIES:
                if len(agency) > 3 and agency in removal.text:
                    return agency
    lines = [line for line in article.body.split("\n") if line.strip()]
    if not lines:
        return None
    match = _OPENING.search(lines[0])
    if match:
        return _canonical_agency(match.group(1) or match.group(2))
    for line in (lines[-1], lines[0]):
        match = _BARE.search(line) or _TAGGED.search(line)
        if match:
            return _canonical_agency(match.group(1))
    match = _CUED.search(article.body)
    if match:
        return _canonical_agency(match.group(1))
    return None


def credit(article: Article, resources: Any) -> Article:
    """Pipeline stage: fill ``credit`` from the article's credit line."""
    return replace(article, credit=find_credit(article))
