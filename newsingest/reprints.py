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

import hashlib
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

_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»‘’‚“”„…–—·•¡¿"
_MASK32 = np.uint64(0xFFFFFFFF)
# odd multipliers mixing the word hashes of a shingle into one 32-bit value
_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(0xC2B2AE3D), np.uint64(0x27D4EB2F))


def shingles(body: str, settings: Settings = DEFAULT) -> np.ndarray:
    """The body's distinct word shingles as sorted 32-bit hashes (case and punctuation ignored)."""
    # split + strip is twice as fast as a \w+ regex, and the same words for this purpose
    words = [w for w in (w.strip(_PUNCTUATION) for w in body.casefold().split()) if w]
    if not words:
        return np.zeros(0, dtype=np.uint64)
    # crc32 is stable across processes and runs (Python's hash() is salted per process).
    hashed = np.fromiter((zlib.crc32(w.encode()) for w in words), np.uint64, len(words))
    k = min(settings.shingle_words, len(words))
    n = len(words) - k + 1
    mixed = hashed[:n].copy()
    for offset in range(1, k):
        mixed = (mixed * _MIX[offset % len(_MIX)] + hashed[offset : offset + n]) & _MASK32
    return np.unique(mixed)


@cache
def _permutations(num_perm: int, seed: int):
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed).permutations


def signature(shingle_set: np.ndarray, settings: Settings = DEFAULT) -> np.ndarray:
    """The MinHash signature of a shingle set (datasketch's affine 32-bit scheme)."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=settings.num_perm,
        seed=settings.seed,
        hashfunc=int,
        permutations=_permutations(settings.num_perm, settings.seed),
        scheme="affine32",
    )
    minhash.update_batch(shingle_set.tolist())
    return minhash.hashvalues


@dataclass(frozen=True)
class Fingerprint:
    """What is stored of one body to find and judge its near-duplicates."""

    shingles: int  # how many distinct shingles the body has
    signature: bytes  # MinHash values, little-endian uint32
    bands: tuple[int, ...]  # LSH band keys (signed 64-bit), sorted


def fingerprint(body: str, settings: Settings = DEFAULT) -> Fingerprint | None:
    """The body's fingerprint; None when it is too short to be clustered."""
    shingle_set = shingles(body, settings)
    if len(shingle_set) < settings.min_shingles:
        return None
    values = signature(shingle_set, settings).astype("<u4")
    rows = settings.num_perm // settings.bands
    keys = set()
    for band in range(settings.bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        # the band number is part of the key: equal values in different bands are no match
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.add(int.from_bytes(digest, "big", signed=True))
    return Fingerprint(len(shingle_set), values.tobytes(), tuple(sorted(keys)))


def estimate(
    mine: tuple[int, bytes], others: Sequence[tuple[int, bytes]]
) -> np.ndarray:
    """``similarity`` of one body with each of others, estimated from (shingles, signature).

    The share of equal MinHash values estimates the Jaccard index J; the containment follows
    from J and the two set sizes: |A and B| = J (|A| + |B|) / (1 + J).
    """
    if not others:
        return np.zeros(0)
    count, values = mine
    signature_a = np.frombuffer(values, dtype="<u4")
    signatures = np.frombuffer(b"".join(v for _, v in others), dtype="<u4").reshape(
        len(others), -1
    )
    counts = np.array([n for n, _ in others], dtype=float)
    jaccard = (signatures == signature_a).mean(axis=1)
    common = jaccard * (counts + count) / (1 + jaccard)
    containment = np.minimum(common / np.minimum(counts, count), 1.0)
    return np.round((jaccard + containment) / 2, 4)


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


def assign(
    members: Iterable[Member], fingerprints: Mapping[int, tuple[int, bytes]]
) -> list[tuple[int, int, float]]:
    """(article, cluster id, similarity to the canonical) for every member of one cluster.

    The cluster id is the canonical member's id (see ``canonical_key``).
    """
    members = sorted(members, key=canonical_key)
    canonical = members[0].article_id
    others = [m.article_id for m in members[1:]]
    values = estimate(fingerprints[canonical], [fingerprints[i] for i in others])
    rows = [(canonical, canonical, 1.0)]
    rows += [(i, canonical, float(v)) for i, v in zip(others, values, strict=True)]
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
