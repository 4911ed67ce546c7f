"""Character n-gram language scores for 75 languages, from the shipped ``language_ngrams.bin``.

The tables hold, for each language and each n-gram order 1-5, the conditional log-probability
of the most frequent n-grams (see ``build.py`` for where they come from). A text is split into
lower-cased letter runs; the distinct n-grams inside the runs are looked up all at once with
numpy (keys are the n-gram's characters packed into one integer), and a language's score is the
sum of its log-probabilities, a missing n-gram counting as the language's floor for that order.
Only the languages whose alphabet covers the most of the text's letters compete, which is what
keeps Greek text from being scored as, say, Czech.
"""

from __future__ import annotations

import json
import lzma
import math
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MAX_ORDER = 5
CHAR_BITS = 11  # characters of n-grams of order >= 2; see build.py
QUANTUM = 1 / 8  # log-probabilities are stored in steps of 1/8 nat (255 steps cover 31.9)
_ORDER_SHIFT = 56
# n-grams known to at least this many languages get a dense row (75,298 rows of the 1.7 M
# n-grams, 5.6 MB): most of an article's n-gram entries, summed 2x faster
DENSE_MIN_LANGUAGES = 8
_MULTI_LIMIT = (1 << CHAR_BITS) - 1  # ids at or above this never occur in a longer n-gram
_UNKNOWN = (1 << 16) - 1  # a letter outside every language's alphabet
_UNPACKABLE = 1 << (_ORDER_SHIFT - 1)
COVERAGE_SLACK = 0.02  # share of the letters that may lie outside a competing alphabet
_WORD = re.compile(r"[^\W\d_]+")
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_MAGIC = b"NSLANG1\n"
# per-language log-likelihood scores and the mask of the languages that compete
Scores = tuple[np.ndarray, np.ndarray]


def pack_arrays(arrays: Mapping[str, np.ndarray], meta: dict, compress: bool = True) -> bytes:
    """Serialise named arrays and a JSON header, xz-compressed (deterministic bytes).

    Uncompressed (``compress=False``), the arrays can be read in place from a mapped file.
    """
    header = {
        "meta": meta,
        "arrays": [[name, a.dtype.str, list(a.shape)] for name, a in arrays.items()],
    }
    head = json.dumps(header, sort_keys=True, ensure_ascii=True).encode()
    head += b" " * (-(len(_MAGIC) + 4 + len(head)) % 8)
    # every array starts at a multiple of 8 bytes: unaligned numpy views are several times slower
    body = b"".join(_padded(np.ascontiguousarray(a).tobytes()) for a in arrays.values())
    raw = _MAGIC + struct.pack("<I", len(head)) + head + body
    if not compress:
        return raw
    return lzma.compress(raw, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=9)


def _entries(ptr: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The entry indices of the given keys, all in one array (entries of keys[i] are
    ptr[keys[i]]:ptr[keys[i] + 1])."""
    begin = ptr[keys].astype(np.int64)
    lens = ptr[keys + 1] - begin
    return np.repeat(begin - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())


def _ngram_keys(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The packed key of every n-gram (orders 1 to MAX_ORDER) inside the letter runs of ``ids``
    (0 between runs), and the position where each starts."""
    # key[i] of order n packs ids[i:i+n]; each order extends the previous one by a letter
    inside = ids != 0
    packable = ids < _MULTI_LIMIT
    key = ids.copy()
    keys = [key[inside] | (1 << _ORDER_SHIFT)]
    starts = [np.flatnonzero(inside)]
    for n in range(2, min(MAX_ORDER, ids.size) + 1):
        last = ids[n - 1 :]
        key = (key[:-1] << CHAR_BITS) | last
        inside = inside[:-1] & (last != 0)
        packable = packable[:-1] & (last < _MULTI_LIMIT)
        if not inside.any():
            break
        # an n-gram holding a letter that only ever occurs alone is missing everywhere;
        # it still counts, as one distinct n-gram per occurrence
        order_keys = np.where(packable, key, np.arange(key.size) | _UNPACKABLE)
        keys.append(order_keys[inside] | (n << _ORDER_SHIFT))
        starts.append(np.flatnonzero(inside))
    return np.concatenate(keys), np.concatenate(starts)


def _within(codes: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    return np.logical_or.reduce([(codes >= lo) & (codes <= hi) for lo, hi in ranges])


def _count(codes: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> int:
    return sum(int(((codes >= lo) & (codes <= hi)).sum()) for lo, hi in ranges)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 8)


def unpack_arrays(data) -> tuple[dict[str, np.ndarray], dict]:
    """Inverse of ``pack_arrays`` (also given the bytes already decompressed, or a mapped file:
    the arrays then read it in place)."""
    raw = data if data[: len(_MAGIC)] == _MAGIC else lzma.decompress(data)
    if raw[: len(_MAGIC)] != _MAGIC:
        raise ValueError("not a newsingest language table")
    pos = len(_MAGIC)
    (size,) = struct.unpack_from("<I", raw, pos)
    pos += 4
    header = json.loads(raw[pos : pos + size])
    pos += size
    arrays = {}
    for name, dtype, shape in header["arrays"]:
        dt = np.dtype(dtype)
        count = math.prod(shape)
        arrays[name] = np.frombuffer(raw, dtype=dt, count=count, offset=pos).reshape(shape)
        pos += count * dt.itemsize
        pos += -pos % 8
    return arrays, header["meta"]


@dataclass(frozen=True, eq=False)
class NgramModel:
    """The n-gram tables, read-only once loaded."""

    languages: tuple[str, ...]
    codes: np.ndarray  # sorted code points of the alphabet
    code_ids: np.ndarray  # id of each code point in ``codes``
    keys: np.ndarray  # sorted packed n-grams
    ptr: np.ndarray  # entries of keys[i] are ptr[i]:ptr[i+1]
    lang: np.ndarray  # language index of each entry
    value: np.ndarray  # log-probability above the floor, in QUANTUM steps
    floors: np.ndarray  # [order, language] log-probability of a missing n-gram
    has_char: np.ndarray  # [language, id] the letter is in the language's alphabet
    # The n-grams most languages know, also as rows of a dense [row, language] table of
    # ``value`` (0 where a language lacks it): their scores add up as one row sum, not entry by
    # entry. dense_row[i] is key i's row, or -1.
    dense_row: np.ndarray
    dense: np.ndarray

    @staticmethod
    def pack_key(ids: list[int]) -> int:
        """The integer key of one n-gram given its character ids."""
        key = 0
        for i in ids:
            key = (key << CHAR_BITS) | i
        return (len(ids) << _ORDER_SHIFT) | key

    @classmethod
    def from_bytes(cls, data: bytes) -> NgramModel:
        """Load the tables from the bytes of ``language_ngrams.bin``."""
        arrays, meta = unpack_arrays(data)
        alphabet = arrays["alphabet"]
        order = np.argsort(alphabet, kind="stable")
        has_char = np.unpackbits(arrays["has_char"], axis=1)[:, : meta["alphabet_size"] + 1]
        ptr, lang, value = arrays["ptr"], arrays["lang"], arrays["value"]
        lens = np.diff(ptr.astype(np.int64))
        dense_keys = np.flatnonzero(lens >= DENSE_MIN_LANGUAGES)
        dense_row = np.full(lens.size, -1, dtype=np.int32)
        dense_row[dense_keys] = np.arange(dense_keys.size, dtype=np.int32)
        dense = np.zeros((dense_keys.size, len(meta["languages"])), dtype=np.uint8)
        flat = _entries(ptr, dense_keys)
        dense[np.repeat(np.arange(dense_keys.size), lens[dense_keys]), lang[flat]] = value[flat]
        return cls(
            languages=tuple(meta["languages"]),
            codes=alphabet[order].astype(np.int64),
            code_ids=(order + 1).astype(np.int64),
            keys=arrays["keys"],
            ptr=arrays["ptr"],
            lang=arrays["lang"],
            value=arrays["value"],
            floors=arrays["floors"].astype(np.float64),
            has_char=has_char.astype(bool),
            dense_row=dense_row,
            dense=dense,
        )

    def _ids(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Code points and character ids of the lower-cased letter runs, 0 between runs."""
        return self._codes_and_ids(" ".join(_WORD.findall(text.lower())))

    def _lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct n-gram keys, their positions in the tables and whether they are there
        (a position is 0 where a key is not)."""
        distinct = np.sort(keys)  # np.unique hashes: slower at this size
        distinct = distinct[np.concatenate(([True], distinct[1:] != distinct[:-1]))]
        pos = np.searchsorted(self.keys, distinct)
        pos[pos == len(self.keys)] = 0
        return distinct, pos, self.keys[pos] == distinct

    def scores(self, text: str) -> Scores | None:
        """Per-language log-likelihood scores and the mask of competing languages.

        None when the text has no letter.
        """
        codes, ids = self._ids(text)
        if not (ids != 0).any():
            return None
        keys, _ = _ngram_keys(ids)
        distinct, pos, known = self._lookup(keys)
        return self._score(distinct[known], pos[known]), self._allowed(codes, ids)

    def scores_with_pieces(
        self, text: str, pieces: list[str]
    ) -> tuple[Scores | None, list[Scores | None]]:
        """``(self.scores(text), [self.scores(piece) for piece in pieces])``, equal to the last
        bit, in one pass when the pieces' letter runs are the text's (pieces cut from the text
        at spaces and line breaks, as ``language`` cuts them).

        The n-grams are looked up in the tables once, together; each piece's score is then
        summed from its own distinct n-grams, in the same operations as ``scores``.
        """
        runs = [_WORD.findall(piece.lower()) for piece in pieces]
        whole_runs = _WORD.findall(text.lower())
        joined = " ".join(" ".join(r) for r in runs if r)
        codes, ids = self._codes_and_ids(joined)
        # piece i holds ids[starts[i]:starts[i] + lengths[i]], a space between two pieces
        lengths = [len(" ".join(r)) if r else -1 for r in runs]
        starts = np.cumsum([0] + [n + 1 for n in lengths])
        if not joined:
            return self.scores(text), [None] * len(pieces)
        keys, at = _ngram_keys(ids)
        distinct, pos, known = self._lookup(keys)
        if [w for r in runs for w in r] == whole_runs:
            # the same letter runs joined the same way: the text's own ids, n-grams and lookups
            whole = self._score(distinct[known], pos[known]), self._allowed(codes, ids)
        else:
            whole = self.scores(text)
        # each piece's distinct n-grams: (piece, n-gram) pairs, sorted by piece then n-gram
        pair = np.searchsorted(starts, at, side="right") - 1
        pair = pair * distinct.size + np.searchsorted(distinct, keys)
        pair = np.sort(pair)
        pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]
        piece_of, index = np.divmod(pair, distinct.size)
        is_known = known[index]
        piece_of, index = piece_of[is_known], index[is_known]
        piece_at = np.searchsorted(starts, np.arange(ids.size), side="right") - 1
        scores = self._piece_scores(piece_of, distinct[index], pos[index], len(pieces))
        allowed = self._piece_allowed(piece_at, codes, ids, len(pieces))
        return whole, [
            None if n < 0 else (score, mask)
            for n, score, mask in zip(lengths, scores, allowed, strict=True)
        ]

    def _piece_scores(
        self, piece_of: np.ndarray, known_keys: np.ndarray, pos: np.ndarray, count: int
    ) -> list[np.ndarray]:
        """``_score`` of each of ``count`` pieces at once, given the pieces' distinct known
        n-grams sorted by piece (``piece_of``), with the same floating-point operations."""
        n_langs = len(self.languages)
        orders = np.bincount(
            piece_of * (MAX_ORDER + 1) + (known_keys >> _ORDER_SHIFT),
            minlength=count * (MAX_ORDER + 1),
        ).reshape(count, MAX_ORDER + 1)
        # whole QUANTUM steps, summed as integers: exact in whatever order they are added
        rows = self.dense_row[pos]
        in_dense = rows >= 0
        dense = self.dense[rows[in_dense]]
        cut = np.searchsorted(piece_of[in_dense], np.arange(count + 1)).tolist()
        steps = np.array(
            [dense[cut[i] : cut[i + 1]].sum(axis=0, dtype=np.int64) for i in range(count)]
        ).astype(np.float64)
        sparse = pos[~in_dense]
        flat = _entries(self.ptr, sparse)
        entry_piece = np.repeat(piece_of[~in_dense], self.ptr[sparse + 1] - self.ptr[sparse])
        steps += np.bincount(
            entry_piece * n_langs + self.lang[flat],
            weights=self.value[flat],
            minlength=count * n_langs,
        ).reshape(count, n_langs)
        has_known = np.bincount(piece_of, minlength=count) > 0
        floors = [orders[i] @ self.floors for i in range(count)]
        return [
            floors[i] + QUANTUM * steps[i] if has_known[i] else floors[i] for i in range(count)
        ]

    def _piece_allowed(
        self, piece_at: np.ndarray, codes: np.ndarray, ids: np.ndarray, count: int
    ) -> np.ndarray:
        """``_allowed`` of each of ``count`` pieces at once (``piece_at``: each id's piece)."""
        inside = ids != 0
        letters = np.where(ids == _UNKNOWN, 0, ids)[inside]
        letter_piece = piece_at[inside]
        present, letter_index = np.unique(letters, return_inverse=True)
        per_letter = np.bincount(
            letter_piece * present.size + letter_index, minlength=count * present.size
        ).reshape(count, present.size)
        covered = per_letter @ self.has_char[:, present].T.astype(np.int64)
        total = np.bincount(letter_piece, minlength=count)
        allowed = covered >= covered.max(axis=1, keepdims=True) - COVERAGE_SLACK * total[:, None]
        if "zh" in self.languages:
            han = np.bincount(piece_at[_within(codes, _HAN)], minlength=count)
            kana = np.bincount(piece_at[_within(codes, _KANA)], minlength=count)
            chinese = (2 * han >= total) & (kana == 0)
            allowed[chinese] = False
            allowed[chinese, self.languages.index("zh")] = True
        return allowed

    def _codes_and_ids(self, joined: str) -> tuple[np.ndarray, np.ndarray]:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        pos = np.searchsorted(self.codes, codes)
        pos[pos == len(self.codes)] = 0
        ids = np.where(self.codes[pos] == codes, self.code_ids[pos], _UNKNOWN)
        ids[codes == 32] = 0
        return codes, ids

    def _allowed(self, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """The languages that compete for a text of these code points and character ids."""
        letters = ids[ids != 0]
        # a language competes if its alphabet covers (nearly) as many of the text's letters as
        # the best one: a few stray letters of another script (a name, a symbol) must not decide
        per_letter = np.bincount(np.where(letters == _UNKNOWN, 0, letters))
        present = np.flatnonzero(per_letter)
        covered = self.has_char[:, present] @ per_letter[present]
        allowed = covered >= covered.max() - COVERAGE_SLACK * letters.size
        # The tables know Chinese and Japanese by single characters only, and Japanese kanji
        # cover most simplified Chinese ones: mostly Han and no kana is Chinese, as lingua rules.
        if (
            "zh" in self.languages
            and 2 * _count(codes, _HAN) >= letters.size
            and not _count(codes, _KANA)
        ):
            allowed = np.zeros_like(allowed)
            allowed[self.languages.index("zh")] = True
        return allowed

    def _score(self, known_keys: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """The scores of a text's distinct known n-grams (``pos``: their places in ``keys``)."""
        # an n-gram no language knows says nothing; counted, it would favour the languages
        # with the highest floors
        counts = np.bincount(known_keys >> _ORDER_SHIFT, minlength=MAX_ORDER + 1)
        score = counts @ self.floors
        if pos.size:
            # sums of whole QUANTUM steps: exact, in whatever order they are added
            rows = self.dense_row[pos]
            in_dense = rows >= 0
            steps = self.dense[rows[in_dense]].sum(axis=0, dtype=np.int64).astype(np.float64)
            flat = _entries(self.ptr, pos[~in_dense])
            steps += np.bincount(
                self.lang[flat], weights=self.value[flat], minlength=len(self.languages)
            )
            score = score + QUANTUM * steps
        return score

    def rank(self, text: str, temperature: float | None = None) -> list[tuple[str, float]]:
        """Competing languages with probabilities, best first; empty without letters."""
        result = self.scores(text)
        if result is None:
            return []
        score, allowed = result
        return self.probabilities(score, allowed, temperature)

    def probabilities(
        self, score: np.ndarray, allowed: np.ndarray, temperature: float | None = None
    ) -> list[tuple[str, float]]:
        """Softmax of the allowed languages' scores, best first (ties by language code)."""
        idx = np.flatnonzero(allowed)
        s = score[idx] / (temperature or 1.0)
        p = np.exp(s - s.max())
        p /= p.sum()
        names = [self.languages[i] for i in idx.tolist()]
        pairs = list(zip(names, p.tolist(), strict=True))
        pairs.sort(key=lambda x: (-x[1], x[0]))
        return pairs
