"""Build the shipped language-identification data (run by hand; never at import time).

Two files are written to ``newsingest/data/``:

``language_ngrams.bin``
    Character n-gram tables for 75 languages, pruned and quantised from the language models
    that ``lingua-language-detector`` 1.3.5 ships in its wheel (Apache-2.0, copyright Peter M.
    Stahl; the models were trained on the Leipzig Wortschatz corpora). For every language and
    every n-gram order 1-5 the ``TOP_K`` most frequent n-grams (by joint probability) keep their
    conditional log-probability, rounded to 1/8 nat.

``language_words.bin``
    Word log-frequencies for short texts (``words.py``), from the ``wordfreq`` 3.1.1 "small"
    lists (code Apache-2.0; data CC BY-SA 4.0, Robyn Speer et al., built from Wikipedia,
    subtitles, news, books, web text and more). Only lists of languages that share a script with
    another language are kept; the Serbo-Croatian list stands for Bosnian, Croatian and Serbian,
    and is also written in Cyrillic for Serbian.

``language_idms.tsv``
    Word log-odds Malay vs Indonesian, a multinomial naive Bayes model counted over the
    ``ms_malaya_news_2018`` folder of the project's news corpus (texts from
    mesolitica/malaysian-dataset at commit 3645040a, Apache-2.0). Each article is labelled by its
    outlet: Malaysian outlets are Malay, Indonesian outlets Indonesian; English articles and
    outlets of neither country are skipped.

Reproduce (same bytes every run)::

    pip download --no-deps -d build-wheels lingua-language-detector==1.3.5
    pip install brotli wordfreq==3.1.1
    python -m newsingest.language.build --lingua-wheel \\
        build-wheels/lingua_language_detector-1.3.5-py3-none-any.whl --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .ngrams import (
    CHAR_BITS,
    MAX_ORDER,
    QUANTUM,
    NgramModel,
    pack_arrays,
)
from .serbian import to_cyrillic
from .words import QUANTUM as WORD_QUANTUM

LINGUA_WHEEL_SHA256 = "7254696753c4ee8ce127190cfb985d8b4621690d355c55b278c883f5bb5e152b"
DATA = Path(__file__).resolve().parent.parent / "data"
NGRAMS_FILE = DATA / "language_ngrams.bin"
IDMS_FILE = DATA / "language_idms.tsv"
WORDS_FILE = DATA / "language_words.bin"
WORDFREQ_VERSION = "3.1.1"
# wordfreq list -> the languages it stands for. Lists of languages alone in their script (el, he,
# ko, ta, bn) would never change a decision; zh and ja need a word segmenter.
WORD_LISTS = {
    "ar": ("ar",), "bg": ("bg",), "ca": ("ca",), "cs": ("cs",), "da": ("da",), "de": ("de",),
    "en": ("en",), "es": ("es",), "fa": ("fa",), "fi": ("fi",), "fil": ("tl",), "fr": ("fr",),
    "hi": ("hi",), "hu": ("hu",), "id": ("id",), "is": ("is",), "it": ("it",), "lt": ("lt",),
    "lv": ("lv",), "mk": ("mk",), "ms": ("ms",), "nb": ("nb",), "nl": ("nl",), "pl": ("pl",),
    "pt": ("pt",), "ro": ("ro",), "ru": ("ru",), "sh": ("bs", "hr", "sr"), "sh-cyrl": ("sr",),
    "sk": ("sk",), "sl": ("sl",), "sv": ("sv",), "tr": ("tr",), "uk": ("uk",), "ur": ("ur",),
    "vi": ("vi",),
}  # fmt: skip
# log-frequency (nats) of a word missing from a list: just below the lists' cut-off of 1e-6
WORD_FLOOR = -15.0

# n-grams kept per language for each order from 3 to 5; unigrams and bigrams are kept whole
# (at most a few thousand per language). Fewer costs short-text accuracy, more costs megabytes
# (see the module README for the figures).
TOP_K = 20_000
# a language's missing n-gram scores this far (in nats) below its rarest kept one
MISSING_PENALTY = 1.0
ORDER_NAMES = ("unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams")

MALAYSIAN_OUTLETS = (
    "agendadaily",
    "astro awani",
    "berita harian",
    "bernama",
    "free malaysia today",
    "harakah",
    "harian metro",
    "kosmo",
    "malaysiakini",
    "malaysiandigest",
    "mstar",
    "sinar harian",
    "sinarharian",
    "the star",
    "the sun daily",
    "utusan",
)
INDONESIAN_OUTLETS = (
    "akurat",
    "bangka pos",
    "banjarmasin post",
    "bbc indonesia",
    "brilio",
    "cnbc indonesia",
    "cnn indonesia",
    "detik",
    "harian haluan",
    "kapanlagi",
    "kompas",
    "kontan",
    "liputan6",
    "malangtoday",
    "mata mata politik",
    "merdeka.com",
    "mongabay.co.id",
    "okezone",
    "radar malang",
    "republika",
    "rmol",
    "serambi indonesia",
    "sindonews",
    "suara.com",
    "tempo",
    "tribun",
    "warta kota",
)
# smoothing of the word counts (add-alpha) and the cap on one word's log-odds, so that a
# single word seen a few times in one outlet cannot outvote a sentence
IDMS_ALPHA = 0.5
IDMS_CAP = 4.0
IDMS_MIN_COUNT = 2
# a word must occur in two outlets at least: an outlet's own name, bylines and widgets say
# nothing about the language
IDMS_MIN_OUTLETS = 2
_WORD = re.compile(r"[^\W\d_]+")


def _lingua_order(args: tuple[str, str, int]) -> tuple[str, list[dict[str, float]]]:
    """One language's conditional log-probabilities, pruned to ``top_k`` by joint probability."""
    import brotli

    wheel, lang, top_k = args
    kept: list[dict[str, float]] = []
    joint: dict[str, float] = {}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for n, order_name in enumerate(ORDER_NAMES, start=1):
            member = f"lingua/language-models/{lang}/{order_name}.json.br"
            if member not in names:  # zh, ja, ko ship unigrams only
                kept.append({})
                continue
            model = json.loads(brotli.decompress(zf.read(member)))["ngrams"]
            cond: dict[str, float] = {}
            for fraction, ngrams in model.items():
                num, den = fraction.split("/")
                logp = math.log(int(num) / int(den))
                for gram in ngrams.split(" "):
                    cond[gram] = logp
            order_joint = {}
            for gram, logp in cond.items():
                prefix = 0.0 if n == 1 else joint.get(gram[:-1])
                if prefix is not None:
                    order_joint[gram] = prefix + logp
            joint = order_joint
            best = sorted(order_joint, key=lambda g: (-order_joint[g], g))
            if n >= 3:
                best = best[:top_k]
            kept.append({g: cond[g] for g in best})
    return lang, kept


def build_ngrams(wheel: Path, top_k: int = TOP_K) -> bytes:
    """The n-gram tables as the bytes of ``language_ngrams.bin``."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != LINGUA_WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest}, expected {LINGUA_WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as zf:
        langs = sorted(
            {n.split("/")[2] for n in zf.namelist() if n.startswith("lingua/language-models/")}
        )
    with ProcessPoolExecutor(max_workers=2) as pool:
        jobs = [(str(wheel), lang, top_k) for lang in langs]
        models = dict(pool.map(_lingua_order, jobs))

    # characters of n-grams of order >= 2 get the small ids (they are packed CHAR_BITS each);
    # characters seen only as unigrams (Han, Hangul, kana) follow
    multi = sorted({c for lang in langs for per in models[lang][1:] for g in per for c in g})
    single = sorted({c for lang in langs for c in models[lang][0]} - set(multi))
    if len(multi) >= (1 << CHAR_BITS) - 1:
        raise SystemExit(f"{len(multi)} characters in n-grams do not fit {CHAR_BITS} bits")
    alphabet = multi + single

    n_langs = len(langs)
    floors = np.zeros((MAX_ORDER + 1, n_langs), dtype=np.float64)
    for li, lang in enumerate(langs):
        for n, per in enumerate(models[lang], start=1):
            floors[n, li] = min(per.values()) - MISSING_PENALTY if per else np.nan
    for n in range(1, MAX_ORDER + 1):
        row = floors[n]
        row[np.isnan(row)] = np.nanmin(row)
    floors = np.round(floors / QUANTUM) * QUANTUM

    char_id = {c: i + 1 for i, c in enumerate(alphabet)}
    entries: dict[int, list[tuple[int, int]]] = {}
    for li, lang in enumerate(langs):
        for n, per in enumerate(models[lang], start=1):
            for gram, logp in per.items():
                key = NgramModel.pack_key([char_id[c] for c in gram])
                q = int(round((logp - floors[n, li]) / QUANTUM))
                entries.setdefault(key, []).append((li, min(max(q, 1), 255)))
    keys = np.array(sorted(entries), dtype=np.int64)
    ptr = np.zeros(len(keys) + 1, dtype=np.uint32)
    lang_idx = []
    values = []
    for i, key in enumerate(keys.tolist()):
        row = sorted(entries[key])
        lang_idx.extend(li for li, _ in row)
        values.extend(q for _, q in row)
        ptr[i + 1] = len(lang_idx)
    has_char = np.zeros((n_langs, len(alphabet) + 1), dtype=bool)
    for li, lang in enumerate(langs):
        for c in models[lang][0]:
            has_char[li, char_id[c]] = True
    arrays = {
        "alphabet": np.array([ord(c) for c in alphabet], dtype=np.uint32),
        "keys": keys,
        "ptr": ptr,
        "lang": np.array(lang_idx, dtype=np.uint8),
        "value": np.array(values, dtype=np.uint8),
        "floors": floors.astype(np.float32),
        "has_char": np.packbits(has_char, axis=1),
    }
    meta = {
        "languages": langs,
        "alphabet_size": len(alphabet),
        "source": "lingua-language-detector 1.3.5 wheel (Apache-2.0)",
        "top_k": top_k,
        "missing_penalty": MISSING_PENALTY,
    }
    return pack_arrays(arrays, meta)


def build_words() -> bytes:
    """The word lists as the bytes of ``language_words.bin``."""
    import wordfreq

    version = getattr(wordfreq, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("wordfreq")
    if version != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq {version} installed, expected {WORDFREQ_VERSION}")
    texts, values, ends = [], [], []
    for name in WORD_LISTS:
        source = "sh" if name == "sh-cyrl" else name
        freqs = wordfreq.get_frequency_dict(source, wordlist="small")
        kept = {}
        for word, freq in freqs.items():
            if name == "sh-cyrl":
                word = to_cyrillic(word)
            if _WORD.fullmatch(word) and word == word.lower() and len(word) < 64:
                kept[word] = max(kept.get(word, 0.0), freq)
        for word in sorted(kept):
            q = round((math.log(kept[word]) - WORD_FLOOR) / WORD_QUANTUM)
            texts.append(word)
            values.append(min(max(q, 1), 255))
        ends.append(len(texts))
    arrays = {
        "text": np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8),
        "value": np.array(values, dtype=np.uint8),
        "list_end": np.array(ends, dtype=np.uint32),
    }
    meta = {
        "lists": list(WORD_LISTS),
        "list_languages": {k: list(v) for k, v in WORD_LISTS.items()},
        "floor": WORD_FLOOR,
        "source": f"wordfreq {WORDFREQ_VERSION} small lists (data CC BY-SA 4.0)",
    }
    return pack_arrays(arrays, meta)


def _outlet_language(outlet: str | None) -> str | None:
    name = (outlet or "").lower()
    if any(k in name for k in MALAYSIAN_OUTLETS):
        return "ms"
    if any(k in name for k in INDONESIAN_OUTLETS):
        return "id"
    return None


def build_idms(corpus: Path, ngrams: NgramModel) -> str:
    """The Malay vs Indonesian word log-odds as the text of ``language_idms.tsv``."""
    folder = corpus / "ms_malaya_news_2018"
    counts = {"id": Counter(), "ms": Counter()}
    docs = Counter()
    outlets: dict[str, set[str]] = {}
    with open(folder / "meta.jsonl", encoding="utf-8") as meta:
        for line in meta:
            record = json.loads(line)
            label = _outlet_language((record.get("extra") or {}).get("outlet"))
            if label is None:
                continue
            text = (folder / record["file"]).read_text(encoding="utf-8")
            ranked = ngrams.rank(text)
            if not ranked or ranked[0][0] not in ("id", "ms"):  # English articles
                continue
            words = [w.lower() for w in _WORD.findall(text)]
            counts[label].update(words)
            docs[label] += 1
            outlet = (record.get("extra") or {}).get("outlet", "").lower()
            for word in set(words):
                outlets.setdefault(word, set()).add(outlet)
    vocab = sorted(set(counts["id"]) | set(counts["ms"]))
    total = {k: sum(c.values()) for k, c in counts.items()}
    lines = [
        "# Malay vs Indonesian word log-odds, log P(w|ms) - log P(w|id); built by"
        " newsingest.language.build",
        f"# from ms_malaya_news_2018 (Apache-2.0): {docs['ms']} Malay and {docs['id']}"
        f" Indonesian articles, {total['ms']} and {total['id']} words",
    ]
    for word in vocab:
        c_ms, c_id = counts["ms"][word], counts["id"][word]
        if c_ms + c_id < IDMS_MIN_COUNT or len(outlets[word]) < IDMS_MIN_OUTLETS:
            continue
        log_odds = math.log((c_ms + IDMS_ALPHA) / (total["ms"] + IDMS_ALPHA * len(vocab)))
        log_odds -= math.log((c_id + IDMS_ALPHA) / (total["id"] + IDMS_ALPHA * len(vocab)))
        log_odds = max(-IDMS_CAP, min(IDMS_CAP, log_odds))
        if abs(log_odds) >= 0.05:
            lines.append(f"{word}\t{log_odds:.2f}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command line: rebuild both data files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lingua-wheel", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--top-k", type=int, default=TOP_K, help="n-grams kept per order")
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write to")
    parser.add_argument(
        "--only-words", action="store_true", help="rebuild language_words.bin alone"
    )
    args = parser.parse_args(argv)
    if not args.only_words and args.lingua_wheel is None:
        parser.error("--lingua-wheel is required (unless --only-words)")
    args.out.mkdir(parents=True, exist_ok=True)
    ngrams_file = args.out / NGRAMS_FILE.name
    idms_file = args.out / IDMS_FILE.name
    words_file = args.out / WORDS_FILE.name
    words_file.write_bytes(build_words())
    written = [words_file]
    if not args.only_words:
        ngrams_file.write_bytes(build_ngrams(args.lingua_wheel, args.top_k))
        model = NgramModel.from_bytes(ngrams_file.read_bytes())
        idms_file.write_text(build_idms(args.corpus, model), encoding="utf-8")
        written += [ngrams_file, idms_file]
    for path in written:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path.name}: {path.stat().st_size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
