"""newsingest.stemming against PySastrawi: the same stem for every word, and the CPU per word.

The words: every distinct word FTS5 indexes in a folder of articles (four letters or more, no
digit), the shipped stem table's words, PySastrawi's roots, and every tenth root under the common
Indonesian prefixes and suffixes. The stemmers run in turns, ``--runs`` times; the CPU times
reported are medians.

    python benchmarks/bench_stemming.py path/to/corpus --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from newsingest import stemming
from newsingest.search import _DIGIT, MIN_STEM_LENGTH, index_terms
from newsingest.stem_table import TABLE

PREFIXES = ("di", "ber", "ter", "me", "mem", "men", "meng", "meny", "pe", "pen", "peng", "per")
SUFFIXES = ("kan", "an", "i", "nya", "lah")


def word_lists(folder: Path) -> dict[str, list[str]]:
    corpus: set[str] = set()
    for path in sorted(folder.rglob("*.txt")):
        corpus |= index_terms(path.read_text(encoding="utf-8", errors="replace"))
    table = resources.files("newsingest").joinpath("data", TABLE).read_text(encoding="utf-8")
    roots = sorted(stemming.dictionary())
    return {
        "corpus words": sorted(
            w for w in corpus if len(w) >= MIN_STEM_LENGTH and not _DIGIT.search(w)
        ),
        "stem table words": [line.split("\t")[0] for line in table.splitlines()],
        "roots": roots,
        "every 10th root, affixed": [
            p + r + s for r in roots[::10] for p in PREFIXES for s in ("", *SUFFIXES)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="articles whose words are stemmed")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reference = StemmerFactory().create_stemmer().delegatedStemmer  # uncached
    stemming.dictionary()
    differing = 0
    for name, words in word_lists(args.folder).items():
        times: dict[str, list[float]] = {"newsingest.stemming": [], "PySastrawi": []}
        for _ in range(args.runs):
            for label, stem in (
                ("newsingest.stemming", stemming.stem),
                ("PySastrawi", reference.stem),
            ):
                started = time.process_time()
                stems = [stem(word) for word in words]
                times[label].append(time.process_time() - started)
                if label == "newsingest.stemming":
                    ours = stems
            wrong = [w for w, a, b in zip(words, ours, stems, strict=True) if a != b]
            differing += len(wrong)
        cells = ", ".join(
            f"{label} {1000 * statistics.median(t) / len(words):.4f} ms/word"
            for label, t in times.items()
        )
        print(f"{name}: {len(words):,} words, {len(wrong)} stems differ; {cells}")
        for word in wrong[:20]:
            print(f"  {word}: {stemming.stem(word)} != {reference.stem(word)}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
