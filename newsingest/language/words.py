"""Word-frequency evidence for short texts, from the shipped ``language_words.bin``.

Character n-grams say little about one or two words; whether the word itself is a common word of
a language says a lot ("january", "vocabulary" are English whatever their letters suggest). The
table holds, for each word list (see ``build.py``: the ``wordfreq`` lists, CC BY-SA 4.0), the
words' log-frequencies above ``FLOOR``, the log-frequency just below the lists' own cut-off
(1e-6). A word counts ``log f - FLOOR`` nats for every language whose list holds it and 0 for
every other language, listed or not: a word no list holds leaves the decision to the n-grams,
and a language that has no list is not punished for it.

Words are kept as text in the file and hashed at load time (64-bit, vectorised with numpy), so
the file compresses well and the table costs a few MB of memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .ngrams import unpack_arrays

QUANTUM = 1 / 8  # log-frequencies are stored in steps of 1/8 nat above FLOOR
_MUL = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MAX_WORD = 64  # longer words are never in a list; the hash power table stops here
_POWERS = np.array([pow(0x100000001B3, k, 1 << 64) for k in range(_MAX_WORD)], dtype=np.uint64)


def hash_words(joined: str) -> np.ndarray:
    """64-bit hashes of the newline-separated words of ``joined`` (same in every process)."""
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0:
        return np.zeros(0, dtype=np.uint64)
    sep = np.flatnonzero(codes == 10)
    starts = np.concatenate(([0], sep + 1)).astype(np.int64)
    lengths = np.append(sep, codes.size) - starts
    out = np.empty(starts.size, dtype=np.uint64)
    # in slices of whole words, to bound the temporary arrays (the table has ~9 M characters)
    step = 1 << 20
    first = 0
    while first < starts.size:
        last = int(np.searchsorted(starts, starts[first] + step, side="right"))
        last = max(last, first + 1)
        begin = int(starts[first])
        end = int(starts[last]) if last < starts.size else codes.size
        out[first:last] = _hash_slice(codes[begin:end], starts[first:last] - begin)
        first = last
    with np.errstate(over="ignore"):
        out ^= lengths.astype(np.uint64) * _MIX
        # a final mix so that words of a similar spelling do not get neighbouring keys
        out ^= out >> np.uint64(29)
        out *= _MUL
        out ^= out >> np.uint64(32)
    return out


def _hash_slice(codes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum of (code + 1) * MUL**position over each word (positions from the word's start)."""
    codes = np.append(codes, np.uint32(10))  # an empty last word still has a slot to sum
    word_start = np.zeros(codes.size, dtype=np.int64)
    word_start[starts] = starts
    pos = np.arange(codes.size) - np.maximum.accumulate(word_start)
    with np.errstate(over="ignore"):
        terms = (codes.astype(np.uint64) + np.uint64(1)) * _POWERS[np.minimum(pos, _MAX_WORD - 1)]
    terms[codes == 10] = 0
    return np.add.reduceat(terms, starts)


@dataclass(frozen=True, eq=False)
class WordModel:
    """Word log-frequencies per language, read-only once loaded."""

    lists: tuple[str, ...]  # the word lists' names
    list_languages: tuple[tuple[int, ...], ...]  # language indices each list stands for
    keys: np.ndarray  # sorted word hashes, one per (word, list)
    entry_list: np.ndarray  # list index of each key
    value: np.ndarray  # log f - FLOOR, in QUANTUM steps
    n_languages: int
    # log f(first list) - log f(second list) per word of either, for RATIO_LISTS: a dict, since
    # whole articles are looked up (a hash lookup per word is 40 times cheaper than the table's)
    ratio: Mapping[str, float]

    RATIO_LISTS = ("ms", "id")

    @classmethod
    def from_bytes(cls, data: bytes, languages: tuple[str, ...]) -> WordModel:
        """Load the table from the bytes of ``language_words.bin`` for these languages."""
        arrays, meta = unpack_arrays(data)
        list_end = arrays["list_end"].astype(np.int64)
        # byte offset where each word starts, and one past the end
        text = arrays["text"]
        bounds = np.concatenate(([0], np.flatnonzero(text == 10) + 1, [text.size + 1]))
        ratio: dict[str, float] = {}
        for sign, name in zip((1.0, -1.0), cls.RATIO_LISTS, strict=True):
            i = meta["lists"].index(name)
            begin, stop = (int(list_end[i - 1]) if i else 0), int(list_end[i])
            chunk = text[bounds[begin] : bounds[stop] - 1].tobytes().decode("utf-8")
            values = arrays["value"][begin:stop].tolist()
            for word, v in zip(chunk.split("\n"), values, strict=True):
                ratio[word] = ratio.get(word, 0.0) + sign * QUANTUM * v
        # hashed 64 K words at a time: decoding all ~9 M characters at once costs ~200 MB of
        # short-lived memory that the allocator does not hand back
        step = 1 << 16
        keys = np.concatenate([
            hash_words(text[bounds[i] : bounds[min(i + step, bounds.size - 1)] - 1]
                       .tobytes().decode("utf-8"))
            for i in range(0, bounds.size - 1, step)
        ])  # fmt: skip
        entry_list = np.repeat(np.arange(list_end.size), np.diff(list_end, prepend=0))
        order = np.argsort(keys, kind="stable")
        index = {lang: i for i, lang in enumerate(languages)}
        return cls(
            lists=tuple(meta["lists"]),
            list_languages=tuple(
                tuple(index[lang] for lang in meta["list_languages"][name] if lang in index)
                for name in meta["lists"]
            ),
            keys=keys[order],
            entry_list=entry_list[order].astype(np.uint8),
            value=arrays["value"][order],
            n_languages=len(languages),
            ratio=MappingProxyType(ratio),
        )

    def lookup(self, words: list[str]) -> list[dict[int, float]]:
        """For each word, {language index: log f - FLOOR} over the lists that hold it."""
        if not words:
            return []
        hashes = hash_words("\n".join(words))
        lo = np.searchsorted(self.keys, hashes, side="left")
        hi = np.searchsorted(self.keys, hashes, side="right")
        out = []
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            found: dict[int, float] = {}
            for i in range(a, b):
                v = QUANTUM * int(self.value[i])
                for lang in self.list_languages[int(self.entry_list[i])]:
                    found[lang] = max(found.get(lang, 0.0), v)
            out.append(found)
        return out

    def list_values(self, words: list[str], name: str) -> np.ndarray:
        """log f - FLOOR of each word in one list (0 where the list lacks it), vectorised."""
        out = np.zeros(len(words))
        if not words:
            return out
        hashes = hash_words("\n".join(words))
        lo = np.searchsorted(self.keys, hashes, side="left")
        hi = np.searchsorted(self.keys, hashes, side="right")
        counts = hi - lo
        if not counts.any():
            return out
        word = np.repeat(np.arange(len(words)), counts)
        entry = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        mine = self.entry_list[entry] == self.lists.index(name)
        out[word[mine]] = QUANTUM * self.value[entry[mine]]
        return out

    def evidence(self, words: list[str]) -> np.ndarray:
        """Per-language sum over the words of log f - FLOOR (0 where a list lacks the word)."""
        total = np.zeros(self.n_languages)
        for found in self.lookup(words):
            for lang, v in found.items():
                total[lang] += v
        return total
