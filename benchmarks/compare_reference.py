"""Does langdetect-rs give the answers langdetect gives? Every text of every evaluation set and
every corpus article, as the language stage would hand it over (its first 500 characters) and
whole.

    python benchmarks/compare_reference.py [--eval-dir ../shared/eval] [--corpus ../shared/corpus]

Both are seeded (seed 0, as ``newsingest.language`` seeds them); a text compares equal when the
ranked list of languages and every probability are the same, or both refuse it. Prints the
count of texts compared, the differences (the first ten shown) and each one's time per text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import language  # noqa: E402


def texts(eval_dir: Path, corpus: Path) -> list[tuple[str, str]]:
    """(where, text) of every text in the evaluation sets and the corpus."""
    found = []
    for path in sorted(eval_dir.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            record = json.loads(line)
            for key in ("text", "content", "html"):
                value = record.get(key)
                if isinstance(value, list):
                    value = "\n".join(map(str, value))
                if isinstance(value, str) and value.strip():
                    found.append((f"{path.name}:{number}:{key}", value))
    for path in sorted(corpus.glob("*/*.txt")):
        found.append((str(path.relative_to(corpus)), path.read_text(encoding="utf-8-sig")))
    return found


def answers(module, items: list[str]) -> tuple[list, float]:
    module.DetectorFactory.seed = 0
    out = []
    started = time.process_time()
    for text in items:
        try:
            out.append([(r.lang, r.prob) for r in module.detect_langs(text)])
        except module.lang_detect_exception.LangDetectException:
            out.append(None)
    return out, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    import langdetect
    import langdetect.lang_detect_exception
    import langdetect_rs
    import langdetect_rs.lang_detect_exception

    found = texts(args.eval_dir, args.corpus)
    names = [where for where, _ in found]
    for form, items in (
        ("first 500 characters", [language._sample(t) for _, t in found]),
        ("whole text", [t for _, t in found]),
    ):
        reference, slow = answers(langdetect, items)
        fast, quick = answers(langdetect_rs, items)
        differing = [n for n, a, b in zip(names, reference, fast, strict=True) if a != b]
        print(
            f"{form}: {len(items)} texts, {len(differing)} differ; langdetect "
            f"{1000 * slow / len(items):.2f} ms/text, langdetect-rs {1000 * quick / len(items):.3f}"
        )
        for name in differing[:10]:
            print(f"  differs: {name}")


if __name__ == "__main__":
    main()
