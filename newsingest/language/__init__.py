"""Language identification: the article's language (ISO 639-1) and how sure we are of it.

How a text is decided (``identify``):

1. A bounded sample (the first ``SAMPLE_CHARS`` characters) is scored by character n-gram
   tables for 75 languages (``ngrams.py``; data in ``newsingest/data/language_ngrams.bin``,
   derived from lingua-language-detector's Apache-2.0 models by ``build.py``).
2. Texts of at most ``SHORT_WORDS`` words also get word evidence (``words.py``; data in
   ``newsingest/data/language_words.bin``, from the CC BY-SA 4.0 ``wordfreq`` lists): how common
   each word is in each language that has a list, in nats above the lists' floor, times
   ``WORD_WEIGHT``.
3. When Bosnian or Croatian wins a Latin text, Serbian written in Latin script gets its chance
   (``serbian.py``): standard-variety cue words, and the Serbian (Cyrillic) tables on the text
   transliterated, the latter only when a Serbian cue word is there.
4. When the n-gram tables are unsure (best probability below ``REFERENCE_BELOW``) and the text
   has at least ``REFERENCE_MIN_LETTERS`` letters, langdetect (run as langdetect-rs, which gives
   its answers bit for bit), seeded for determinism, looks at the same sample; its answer is
   taken only if it is one of the n-gram tables' top candidates.
5. When Indonesian or Malay wins, a second, Malay-aware decision is taken between the two: word
   log-odds counted over Malaysian and Indonesian news (``newsingest/data/language_idms.tsv``,
   from the Apache-2.0 ``ms_malaya_news_2018`` corpus folder), the n-gram tables' own
   Malay-vs-Indonesian log-likelihood ratio and the wordfreq lists' ratio, summed.
6. Too little text, or too low a probability, gives ``(None, None)`` rather than a guess:
   fewer than ``MIN_LETTERS`` letters (3), or a final probability below ``MIN_PROBABILITY``
   (0.3). The figures behind each threshold are in ``README.md`` beside this file.

Every step is a pure function of the text and the model: no randomness without a fixed seed,
no dependence on the hash seed, the process or the order of calls.
"""

from __future__ import annotations

import importlib
import lzma
import math
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .. import model_cache
from ..article import Article
from .ngrams import NgramModel, Scores, pack_arrays, unpack_arrays
from .serbian import cue_counts, to_cyrillic
from .words import WordModel

DATA = Path(__file__).resolve().parent.parent / "data"
IDMS_TABLE = "language_idms.tsv"

SAMPLE_CHARS = 500
# Characters from U+3000 up (CJK and beyond) count CJK_WEIGHT letters each.
_WIDE = re.compile("[\u3000-\U0010ffff]")
# Length is counted in letters, a CJK character (U+3000 and above: kana, Han, Hangul) as
# CJK_WEIGHT letters since one carries about as much as a short word. On the langid set texts of
# 5-9 letters (single words) are still right about half the time, so length alone refuses only
# fragments; the probability threshold refuses the unsure rest.
MIN_LETTERS = 3
CJK_WEIGHT = 3
# Below 0.3 answers on the langid set are right about one time in four (9 of 38; 0.3-0.4: 5 of
# 22). Refusing them costs 0.26 points there, where a null counts as wrong (85.18 % instead of
# 85.44 % with no threshold), and spares 29 silent errors; 0.4 would cost 0.40 points for 17 more.
MIN_PROBABILITY = 0.3
# langdetect is consulted below this probability (on at least REFERENCE_MIN_LETTERS letters), and
# believed only if it names one of the REFERENCE_CANDIDATES best n-gram candidates
REFERENCE_BELOW = 0.5
REFERENCE_MIN_LETTERS = 40
REFERENCE_CANDIDATES = 3
# Softmax temperature over n-gram log-likelihoods, times the square root of the letter count:
# the raw softmax is near 0 or 1 for anything longer than a few words.
TEMPERATURE = 2.0
IDMS_NGRAM_WEIGHT = 1.0
# Word evidence: for texts of at most SHORT_WORDS words (single words, word pairs, short titles);
# longer texts have enough n-grams, and on the langid set the words helped sentences no further.
# WORD_WEIGHT multiplies each word's log-frequency above the lists' floor (README: figures).
SHORT_WORDS = 3
WORD_WEIGHT = 6.0
# One word's share of the Malay-vs-Indonesian decision from the wordfreq lists, capped like the
# news log-odds so that one word seen in one list only cannot outvote a sentence.
IDMS_WORDFREQ_CAP = 4.0
# A bosnian/croatian/serbian cue word counts this many nats for the varieties that use it: enough
# to outweigh the n-gram tables, which tell the three apart badly (README).
SERBIAN_CUE_WEIGHT = 100.0
_WORD = re.compile(r"[^\W\d_]+")
IDMS = ("id", "ms")
# A text written in two languages (an English paragraph quoted in Indonesian news) is not 0.999
# one of them: its probability is at most the share of its letters in pieces (sentences or
# lines, joined until each has MIXED_PIECE_LETTERS letters, about one news sentence) whose own
# best language is the answer. Pieces of 100 letters of the corpus's monolingual articles get
# their article's language from the n-gram tables 99.96 % of the time (no source under 99.7 %;
# at 40 letters 99.5 %, Reuters' all-caps lines 97.8 %), so a piece that disagrees is another
# language, not noise. The varieties this module tells apart by a later step of its own
# (Indonesian/Malay, Bosnian/Croatian/Serbian) count as one: the tables alone do not separate them.
MIXED_PIECE_LETTERS = 100
_VARIETIES = (IDMS, ("bs", "hr", "sr"))
_PIECE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True, eq=False)
class LanguageModel:
    """Everything ``identify`` reads: n-gram tables, word lists, Malay/Indonesian log-odds."""

    ngrams: NgramModel
    idms: Mapping[str, float]  # read-only
    words: WordModel


def _load_idms(path: Path) -> dict[str, float]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")
            table[word] = float(value)
    return table


def load_model() -> LanguageModel:
    """The language model shared by every article (~60 MB plus numpy).

    The first run builds it from the shipped, compressed tables (about 0.7 s) and keeps the
    finished arrays in the model cache (``newsingest.model_cache``); later runs map them.
    langdetect is not part of it: see ``load_reference``.
    """
    sources = [DATA / name for name in ("language_ngrams.bin", "language_words.bin", IDMS_TABLE)]
    return model_cache.load("language", sources, _built_model_bytes, _model_from_bytes)


def _model_from_shipped() -> LanguageModel:
    with ThreadPoolExecutor(1) as pool:
        # xz decompression releases the GIL: the two tables decompress side by side
        words = pool.submit(lzma.decompress, (DATA / "language_words.bin").read_bytes())
        ngrams = NgramModel.from_bytes((DATA / "language_ngrams.bin").read_bytes())
        words = words.result()
    return LanguageModel(
        ngrams=ngrams,
        idms=MappingProxyType(_load_idms(DATA / IDMS_TABLE)),
        words=WordModel.from_bytes(words, ngrams.languages),
    )


def _built_model_bytes() -> bytes:
    """The finished model as uncompressed arrays (see ``_model_from_bytes``)."""
    model = _model_from_shipped()
    arrays: dict[str, np.ndarray] = {}
    meta: dict = {}
    for prefix, part in (("ngrams", model.ngrams), ("words", model.words)):
        for item in fields(part):
            value = getattr(part, item.name)
            if isinstance(value, np.ndarray):
                arrays[f"{prefix}.{item.name}"] = value
            elif isinstance(value, Mapping):
                arrays[f"{prefix}.{item.name}.keys"] = _joined(value)
                arrays[f"{prefix}.{item.name}.values"] = np.array(list(value.values()))
            else:
                meta[f"{prefix}.{item.name}"] = value
    arrays["idms.keys"] = _joined(model.idms)
    arrays["idms.values"] = np.array(list(model.idms.values()))
    return pack_arrays(arrays, meta, compress=False)


def _joined(table: Mapping[str, float]) -> np.ndarray:
    return np.frombuffer("\n".join(table).encode("utf-8"), dtype=np.uint8)


def _model_from_bytes(data) -> LanguageModel:
    """The model from ``_built_model_bytes``'s output (arrays read in place when mapped)."""
    arrays, meta = unpack_arrays(data)

    def part(prefix: str, cls):
        values = {}
        for item in fields(cls):
            name = f"{prefix}.{item.name}"
            if name in arrays:
                values[item.name] = arrays[name]
            elif f"{name}.keys" in arrays:
                values[item.name] = _table(arrays, name)
            else:
                stored = meta[name]
                # JSON gives lists back: the model's tuples (of tuples) are restored
                values[item.name] = (
                    tuple(tuple(v) if isinstance(v, list) else v for v in stored)
                    if isinstance(stored, list)
                    else stored
                )
        return cls(**values)

    return LanguageModel(
        ngrams=part("ngrams", NgramModel),
        idms=_table(arrays, "idms"),
        words=part("words", WordModel),
    )


def _table(arrays: Mapping[str, np.ndarray], name: str) -> Mapping[str, float]:
    text = arrays[f"{name}.keys"].tobytes().decode("utf-8")
    words = text.split("\n") if text else []
    return MappingProxyType(dict(zip(words, arrays[f"{name}.values"].tolist(), strict=True)))


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", SAMPLE_CHARS // 2, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]


def _malay_log_odds(words: list[str], model: LanguageModel) -> float:
    get = model.idms.get
    news = sum(get(w, 0.0) for w in words)
    ratio = model.words.ratio.get  # Malay over Indonesian list, WordModel.RATIO_LISTS
    cap = IDMS_WORDFREQ_CAP
    lists = sum(max(-cap, min(cap, ratio(w, 0.0))) for w in words)
    return news + lists


def _indonesian_or_malay(
    words: list[str], score, pair: float, model: LanguageModel
) -> tuple[str, float]:
    """Malay or Indonesian, with the pair's probability times the decision's own."""
    languages = model.ngrams.languages
    log_odds = _malay_log_odds(words, model)
    log_odds += IDMS_NGRAM_WEIGHT * (score[languages.index("ms")] - score[languages.index("id")])
    p_ms = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))
    return ("ms" if log_odds > 0 else "id"), pair * max(p_ms, 1.0 - p_ms)


def _serbian_latin(
    sample: str, words: list[str], score, allowed, word_part, model: LanguageModel
) -> tuple[np.ndarray, np.ndarray]:
    """Scores with Serbian cue words counted, and Serbian scored on a Latin text if cued."""
    languages = model.ngrams.languages
    hr, bs, sr = (languages.index(lang) for lang in ("hr", "bs", "sr"))
    if not allowed[hr] or allowed[sr]:  # not Latin text, or Cyrillic already decides
        return score, allowed
    candidates = np.flatnonzero(allowed)
    best = int(candidates[np.argmax(score[candidates])])  # the first of equals, as max() gives
    if best not in (hr, bs):
        return score, allowed
    cues = cue_counts(words)
    if not cues:
        return score, allowed
    score = score.copy()
    for lang, n in cues.items():
        score[languages.index(lang)] += SERBIAN_CUE_WEIGHT * n
    if cues["sr"]:
        cyrillic = to_cyrillic(sample.lower())
        result = model.ngrams.scores(cyrillic)
        if result is not None:
            # per letter, as the Cyrillic text is shorter by its lj, nj and dž
            letters = sum(map(len, words))
            cyrillic_letters = sum(len(w) for w in _WORD.findall(cyrillic)) or 1
            score[sr] = result[0][sr] * letters / cyrillic_letters + word_part[sr]
            score[sr] += SERBIAN_CUE_WEIGHT * cues["sr"]
            allowed = allowed.copy()
            allowed[sr] = True
    return score, allowed


def load_reference() -> None:
    """Load the reference detector's profiles now (0.05 s), not on the first text that needs them.

    It is consulted on few texts (7 of the 5,990 of the langid set and the corpus), but over
    thousands of articles every worker process meets one: loaded once before the workers
    start, the profiles are shared instead of copied into each.
    """
    importlib.import_module(f"{_reference_package()}.detector_factory").init_factory()


@cache
def _reference_package() -> str:
    """langdetect-rs where it is installed, else langdetect itself: they give the same answers."""
    # langdetect-rs is langdetect's own walk (same seeded random numbers, same floating-point
    # operations) in Rust; it gave langdetect's answers, every probability equal, on every text
    # of the evaluation sets and the corpus (benchmarks/compare_reference.py), and loads in
    # 0.05 s instead of 0.4 s. langdetect stays for a platform it has no build for.
    try:
        importlib.import_module("langdetect_rs")
    except ImportError:
        return "langdetect"
    return "langdetect_rs"


def _langdetect(text: str) -> str | None:
    package = importlib.import_module(_reference_package())
    failure = importlib.import_module(f"{package.__name__}.lang_detect_exception")
    package.DetectorFactory.seed = 0  # also in worker processes that never called load_model
    try:
        best = package.detect_langs(text)[0]
    except failure.LangDetectException:
        return None
    return {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}.get(best.lang, best.lang)


def identify(text: str, model: LanguageModel) -> tuple[str | None, float | None]:
    """The language of ``text`` (ISO 639-1) and its probability, or (None, None) if unsure."""
    sample = _sample(text)
    words = [w.lower() for w in _WORD.findall(sample)]
    joined = "".join(words)
    letters = len(joined) + (CJK_WEIGHT - 1) * len(_WIDE.findall(joined))
    if letters < MIN_LETTERS:
        return None, None
    pieces = _pieces(sample)
    if len(pieces) < 2:
        result, piece_scores = model.ngrams.scores(sample), []
    else:
        result, piece_scores = model.ngrams.scores_with_pieces(sample, [p for p, _ in pieces])
    if result is None:
        return None, None
    score, allowed = result
    word_part = np.zeros_like(score)
    if len(words) <= SHORT_WORDS:
        word_part = WORD_WEIGHT * model.words.evidence(words)
        score = score + word_part
    score, allowed = _serbian_latin(sample, words, score, allowed, word_part, model)
    temperature = TEMPERATURE * math.sqrt(letters)
    ranked = model.ngrams.probabilities(score, allowed, temperature)
    probs = dict(ranked)
    lang, prob = ranked[0]
    if lang in IDMS:
        # which of the two is decided by _indonesian_or_malay; so far only the pair is known
        prob = probs.get("id", 0.0) + probs.get("ms", 0.0)

    if prob < REFERENCE_BELOW and letters >= REFERENCE_MIN_LETTERS:
        reference = _langdetect(sample)
        candidates = dict(ranked[:REFERENCE_CANDIDATES])
        if reference in candidates and reference != lang:
            lang, prob = reference, candidates[reference]

    if lang in IDMS:
        pair = probs.get("id", 0.0) + probs.get("ms", 0.0)
        lang, prob = _indonesian_or_malay(words, score, pair, model)

    if prob < MIN_PROBABILITY:
        return None, None
    # after the refusal: which answers are given is decided above, this only says how sure
    prob = min(prob, _share_in_language(pieces, piece_scores, lang, model.ngrams.languages))
    return lang, round(prob, 4)


def _pieces(sample: str) -> list[tuple[str, int]]:
    """The sample cut at sentence ends and line breaks into (piece, letters), each piece of at
    least MIXED_PIECE_LETTERS letters (a short tail joins the piece before it)."""
    pieces: list[tuple[str, int]] = []
    current, letters = "", 0
    for part in _PIECE_END.split(sample):
        current, letters = f"{current} {part}", letters + sum(map(len, _WORD.findall(part)))
        if letters >= MIXED_PIECE_LETTERS:
            pieces.append((current, letters))
            current, letters = "", 0
    if letters and pieces:
        last, last_letters = pieces.pop()
        pieces.append((f"{last} {current}", last_letters + letters))
    return pieces


def _share_in_language(
    pieces: list[tuple[str, int]],
    piece_scores: list[Scores | None],
    lang: str,
    languages: tuple[str, ...],
) -> float:
    """The share of the sample's letters in pieces whose own best language is ``lang`` (1.0
    when the sample is one piece); ``piece_scores`` are the pieces' n-gram scores."""
    if len(pieces) < 2:
        return 1.0
    family = next((group for group in _VARIETIES if lang in group), (lang,))
    agreeing = total = 0
    for (_, letters), result in zip(pieces, piece_scores, strict=True):
        total += letters
        if result is None:
            continue
        score, allowed = result
        candidates = np.flatnonzero(allowed)
        best = languages[int(candidates[np.argmax(score[candidates])])]
        agreeing += letters if best in family else 0
    return agreeing / total


def detect(article: Article, resources) -> Article:
    """Stage: fill ``language`` and ``language_probability`` from the cleaned body and title."""
    body = article.body.strip()
    # a title alone is unreliable; it only helps a body too short to decide on its own
    text = body if len(body) >= SAMPLE_CHARS // 2 else f"{article.title}\n{body}".strip()
    lang, prob = identify(text, resources.language)
    return replace(article, language=lang, language_probability=prob)
