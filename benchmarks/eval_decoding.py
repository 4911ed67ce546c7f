"""Decoding accuracy: every corpus article re-encoded, read back, compared with the original.

Each UTF-8 article of a corpus folder (one sub-folder per source, the language code first in
its name, e.g. ``es_fakedes``) is written in every encoding that can hold it: latin-1, cp1252,
cp1250, cp1256, UTF-16 with a BOM, UTF-16 LE and BE without one, and UTF-8 with three stray
bytes (0x92, 0xE9, 0xFF) put in at fixed places. Each is read with ``readers.read_bytes`` and
counts as right when the text is identical to the original (for stray bytes: identical once
the U+FFFD characters standing for them are removed). Left out of a column, and counted
apart:

* an article the encoding cannot hold (Arabic in latin-1, curly quotes in cp1250);
* in the 8-bit columns, an article whose original already holds mojibake ("AsociaciÃ³n") or
  C1 control characters: its 8-bit bytes are valid UTF-8, or cp1252 punctuation, and are
  rightly read as such;
* for stray bytes, an all-ASCII article: ASCII with a few high bytes is exactly what a cp1252
  file looks like, and is read as one.

Usage: python benchmarks/eval_decoding.py [CORPUS]   (default: ../shared/corpus)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from newsingest import readers
from newsingest.errors import ReadError

ENCODINGS = (
    "latin-1",
    "cp1252",
    "cp1250",
    "cp1256",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-8+stray",
)
STRAY = (b"\x92", b"\xe9", b"\xff")


def encode(text: str, encoding: str, seed: str) -> bytes:
    """``text`` in ``encoding``; raises UnicodeEncodeError when it cannot hold the text."""
    if encoding != "utf-8+stray":
        return text.encode(encoding)
    data = bytearray(text.encode("utf-8"))
    rng = random.Random(seed)
    for stray in STRAY:
        # between two ASCII bytes, so no multi-byte character is cut
        spots = [i for i in range(1, len(data)) if data[i - 1] < 0x80 and data[i] < 0x80]
        if spots:
            data[rng.choice(spots) : 0] = stray
    return bytes(data)


def ambiguous(original: str, encoding: str) -> bool:
    """Whether the right reading of ``original`` in ``encoding`` is not the original."""
    if encoding == "utf-8+stray":
        return original.isascii()
    if encoding.startswith("utf-16"):
        return False
    return readers.has_mojibake(original) or any("\x80" <= ch <= "\x9f" for ch in original)


def main(corpus: Path) -> None:
    right: dict[tuple[str, str], int] = defaultdict(int)
    tried: dict[tuple[str, str], int] = defaultdict(int)
    cannot: dict[tuple[str, str], int] = defaultdict(int)
    left_out: dict[tuple[str, str], int] = defaultdict(int)
    cost: dict[str, list[float]] = defaultdict(list)
    wrong_examples: list[str] = []
    languages = set()
    for path in sorted(corpus.glob("*/*.txt")):
        language = path.parent.name.split("_", 1)[0]
        languages.add(language)
        original = readers.read_bytes(path.read_bytes(), ".txt", "x").articles[0].raw
        for encoding in ENCODINGS:
            try:
                data = encode(original, encoding, path.name)
            except UnicodeEncodeError:
                cannot[language, encoding] += 1
                continue
            if ambiguous(original, encoding):
                left_out[language, encoding] += 1
                continue
            tried[language, encoding] += 1
            started = time.process_time()
            try:
                text = readers.read_bytes(data, ".txt", "x").articles[0].raw
            except ReadError as exc:
                text = f"<{exc}>"
            cost[encoding].append(time.process_time() - started)
            if encoding == "utf-8+stray":
                text = text.replace("\ufffd", "")
            if text == original:
                right[language, encoding] += 1
            elif len(wrong_examples) < 10:
                wrong_examples.append(f"{path.parent.name}/{path.name} {encoding}")
    order = sorted(languages)
    print("share decoded identically (articles tried); '-' = no article fits the encoding")
    print(f"{'encoding':<12}" + "".join(f"{lang:>14}" for lang in order) + f"{'all':>14}")
    for encoding in ENCODINGS:
        cells = []
        for lang in order:
            n = tried[lang, encoding]
            cells.append(f"{right[lang, encoding] / n:>7.1%} ({n:>4})" if n else f"{'-':>14}")
        n = sum(tried[lang, encoding] for lang in order)
        r = sum(right[lang, encoding] for lang in order)
        cells.append(f"{r / n:>7.1%} ({n:>4})" if n else f"{'-':>14}")
        print(f"{encoding:<12}" + "".join(cells))
    print("\narticles an encoding cannot hold:")
    for encoding in ENCODINGS:
        held = {lang: cannot[lang, encoding] for lang in order if cannot[lang, encoding]}
        if held:
            print(f"  {encoding}: " + ", ".join(f"{k} {v}" for k, v in held.items()))
    print("\nleft out as ambiguous (see the module notes):")
    for encoding in ENCODINGS:
        held = {lang: left_out[lang, encoding] for lang in order if left_out[lang, encoding]}
        if held:
            print(f"  {encoding}: " + ", ".join(f"{k} {v}" for k, v in held.items()))
    print("\nCPU per file (read_bytes), median / p90 in ms:")
    for encoding in ENCODINGS:
        times = sorted(cost[encoding])
        if times:
            p90 = times[int(0.9 * (len(times) - 1))]
            print(f"  {encoding:<12} {statistics.median(times) * 1000:6.2f} / {p90 * 1000:6.2f}")
    if wrong_examples:
        print("\nfirst wrong cases: " + "; ".join(wrong_examples))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus"))
