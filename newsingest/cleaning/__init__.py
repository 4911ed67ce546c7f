"""Title detection, repeated headline/caption removal, boilerplate removal, normalisation.

``clean`` turns the reader's ``text`` into ``title`` + ``body`` and records every piece it
removed in ``removed`` (rule name as ``reason``, offset in ``text`` as ``start``). Nothing is
lost: ``text`` and ``raw`` stay as they were. The steps, in order:

1. Normalisation: ``\\r\\n``/``\\r`` and Unicode line separators to ``\\n``, no-break and other
   space characters to a plain space, zero-width characters, soft hyphens, BOMs and control
   characters dropped, NFC. Offsets are mapped back to ``text``.
2. Built-in boilerplate rules, loaded once by ``load_rules`` from ``data/boilerplate.json``
   (named patterns for Indonesian, Malay, English, Spanish, Portuguese, German and Arabic news):
   ``line`` rules remove a whole line, ``inline`` rules cut their match out of a line.
3. Title: ``meta.title`` when the reader found one (HTML, JSON); otherwise the first line when it
   reads as a headline (short, no sentence-final full stop, not lower-case, followed by a blank
   line or by a capitalised line). A text that starts with a blank line has no title line.
4. Learned boilerplate of the article's source (``resources.learned_boilerplate``): body lines
   and sentences whose key (``unit_key``) is in the learned set, label-like lines whose
   opening (``opening_key``: "Tonton juga video", "Editor :") is ("learned-opening"), runs of
   a learned separator symbol ("learned-separator"), brackets after a sentence opened by a
   learned credit word ("(APA, ...)": "learned-credit"), and the story's closing label-like
   sentence when its first words (``ending_keys``: "سمات", "رابط الخبر") are
   ("learned-ending"), and brackets and short marked lines whose build (``shape_key``: "(a/a)"
   for "(abd/wdi)", "W:W" for "Editor : Widisandika") is ("learned-shape"), whatever words
   fill them.
5. Shapes (``shapes``): bylines, photo and agency credits, source lines, "+ headline" lists,
   section kickers and opinion disclaimers, found by their shape and their position in the body
   in any of the corpus languages, each removal named after its detector. Related-story
   headline blocks (runs of title-case lines between prose) go too.
6. Repeats: the title repeated in the body (as a line, as the prefix of the first lines, inside
   one of the first lines) and any line repeating an earlier line or sentence (captions printed
   twice, standfirsts repeated as a paragraph) are kept once. The shapes are looked for once
   more afterwards, since a removed line can bring a byline to the edge of the body.

Datelines ("JAKARTA, KOMPAS.com -", "LONDON, April 1 -") are never touched.

Learned boilerplate is split so that a store can keep its statistics incrementally:
``boilerplate_observations`` gives an article's candidate keys, ``story_signature`` an id
shared by near-duplicate copies of one story, and ``select_learned`` decides from the number of
distinct stories containing each key. ``learn_boilerplate`` is the in-memory reference.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources as package_resources
from pathlib import Path

import regex

from ..article import Article, Removal
from . import shapes

RULES_FILE = "boilerplate.json"
REASON_PREFIX = "boilerplate:"
LEARNED = "learned"
LEARNED_OPENING = "learned-opening"
LEARNED_ENDING = "learned-ending"
LEARNED_SEPARATOR = "learned-separator"
LEARNED_CREDIT = "learned-credit"
LEARNED_SHAPE = "learned-shape"
REPEATED_TITLE = "repeated-title"
DUPLICATE = "duplicate"

# A headline is at most this long; longer first lines are the body (flattened texts).
TITLE_MAX_CHARS = 250
# Cleaning passes at most (a pass can leave boilerplate that only the next pass sees).
MAX_PASSES = 3
TITLE_MAX_WORDS = 30
# Shape passes beyond one per body line (removing an edge line can bring another line to
# the edge, and a story can close with any number of such lines: a fixed number of passes
# left the last of them for a second cleaning to find). Every pass that finds something
# removes text, so the passes end; the bound only guards that.
SHAPE_PASSES = 4
# A title not followed by a blank line must be shorter than a hard-wrapped line of text.
TITLE_TIGHT_MAX_CHARS = 150
# How many leading body lines are searched for a repeated title (standfirst, share widgets).
TITLE_REPEAT_LINES = 3
# A title repeated after a byline time stamp ("... 03 November 2017 16:34 Title") is searched
# for this far into the line.
TITLE_STAMP_MAX_CHARS = 120
_TIME_STAMP_END = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT|GMT|UTC|[AaPp]\.?[Mm]\.?))?\s*$"
)
# Related-story links printed as bare headlines: at most this many words each.
HEADLINE_BLOCK_MAX_WORDS = 16
_NUMERIC_TOKEN = re.compile(r"\d\S*")  # one match per token holding a digit
_SENTENCE_FINAL = ".!?…\"”’»)"
# A line is kept once only if it is prose of at least this size: table rows ("Shr 12 cts vs 10
# cts") legitimately repeat, so at least 3/4 of the tokens must be plain words.
DUP_MIN_WORDS = 4
DUP_MIN_CHARS = 20
# Learned keys: whole lines of at most LEARN_MAX_CHARS characters that stand as a paragraph of
# their own, and sentences inside a longer line of LEARN_UNIT_MIN_CHARS characters up to
# LEARN_UNIT_MAX_WORDS words (longer recurring sentences are quoted definitions, not widgets).
LEARN_MAX_CHARS = 300
LEARN_UNIT_MIN_CHARS = 20
LEARN_UNIT_MAX_WORDS = 12
# A key is a source's boilerplate when it occurs in at least this many distinct stories, and in
# at least this share of them. On the dev corpus (benchmarks/eval_cleaning.py) every value from
# 5 to 8 stories and 1-5 % learns the same footers without touching a labelled content item;
# 3-4 stories at 1 % starts to eat a sentence that a few stories share.
LEARN_MIN_STORIES = 5
LEARN_MIN_SHARE = 0.02
# Learned openings ("Baca juga:", "Editor :") need LEARN_MIN_STORIES stories only, whatever
# the source's size: a label line opening five stories the same way is a widget, and the
# outlets mixed in one large source each print their own (ms: 4 openings more, no content
# item touched on either labelled set).
# Learned openings: a line that reads as a label or a promo (no sentence-final mark, 3-25
# words, not indented) gives the key PREFIX_MARK + its first words up to PREFIX_MAX_WORDS or a
# colon; an opening that recurs in enough stories ("Tonton juga video", "Editor :", "Baca
# juga:") removes every line it starts, whatever follows it. Openings with a digit are table
# rows ("Shr 12 cts"), never learned.
PREFIX_MARK = "^"
PREFIX_MAX_WORDS = 3
PREFIX_LINE_WORDS = (3, 25)
# Learned endings: the last sentence of a story, when it reads as a label, a promo or a
# sign-off (no sentence-final mark, ENDING_WORDS words), gives the keys ENDING_MARK + its first
# word and + its first two words; an ending that recurs in enough stories of the source (a
# keyword tail "سمات ...", a "read the story at" link, a video promo, "- UTUSAN ONLINE") is cut
# from the end of every story.
# Only the story's end is looked at: the same openings inside a story are its text.
ENDING_MARK = "$"
ENDING_WORDS = (1, 25)
ENDING_KEY_WORDS = 2
ENDING_PASSES = 2
# A line after a line this short (and without figures) starts a paragraph of its own:
# hard-wrapped fragments follow lines near the wrap width, never a label ("ADVERTISEMENT").
SHORT_LINE_CHARS = 40
# Learned separators: a run of one symbol ("=====", "◆◆◆", "+++++") gives the key
# SEPARATOR_MARK + the symbol; a symbol whose runs recur in enough stories of the source is its
# section separator, and every run of it is cut out, wherever it stands (flattened texts glue
# it to sentences). The built-in separator rule knows a few symbols; this learns any.
SEPARATOR_MARK = "§"
# Learned credits: a bracket after a sentence that opens with a word and a comma or colon
# ("(APA, 30.9.2015)", "(Credit: Reuters)") gives the key CREDIT_MARK + that word; a word that
# opens such brackets in enough stories of the source is its credit, and every such bracket
# after a sentence goes. Figures and links never open one ("(1) http://..." is a list).
CREDIT_MARK = "("
CREDIT_MAX_CHARS = 60
# Learned shapes: what a source prints with varying words but one fixed build ("Editor :
# Widisandika" and "Penulis: Banu Adikara", "(abd/wdi)" and "(bbn/bbn)", "(red, 16.6.2015)" and
# "(tasch, 13.10.2015)"). A piece's shape (``shape_key``) keeps its punctuation and turns every
# run of letters (any script; lines also tell the words' case apart) into "a" and every run of
# figures into "9", spaces dropped. Two kinds of piece give a key: a short line standing as a
# paragraph of its own that holds a colon, a slash, a bar, an "@" or a "©" (SHAPE_LINE_MARK +
# shape), and a short bracket joining two or more parts with a comma, slash, colon or semicolon,
# after a sentence, that closes the paragraph or the story or comes before the next capitalised
# sentence (SHAPE_BRACKET_MARK + shape). A shape that recurs in enough stories of the source
# (the thresholds of learned lines) is its boilerplate, whatever words fill it. A bracket of one
# part has no build to recur ("(Senin)", "(Pasal 5)" are the sentence's own) and is never one.
SHAPE_LINE_MARK = "%L"
SHAPE_BRACKET_MARK = "%B"
SHAPE_LINE_MAX_CHARS = 60
SHAPE_LINE_MAX_WORDS = 8
SHAPE_BRACKET_MAX_CHARS = 40
_SHAPE_LINE_SIGNS = frozenset(":/|@©")
_QUOTE_OR_ITEM = frozenset("\"“”„‘’'«»-–—•*·+>")
_PROSE_END = ".!?…\"”’»"
# Signature shingles are taken from lines of at least this many words (widget, promo and
# sign-off lines are shorter), unless the text has too few such words.
SIGNATURE_MIN_LINE_WORDS = 8
SIGNATURE_SHINGLE = 3


# ---------------------------------------------------------------------------------------------
# rules


@dataclass(frozen=True)
class InlineRule:
    """One inline pattern: every match is cut out of its line."""

    name: str
    pattern: regex.Pattern
    requires: tuple[str, ...]  # one of these must occur in the text for the rule to be tried


@dataclass(frozen=True)
class Rules:
    """The built-in boilerplate rules: line rules as one alternation, inline rules in order."""

    line: regex.Pattern | None
    line_names: tuple[str, ...]
    inline: tuple[InlineRule, ...]
    shapes: frozenset[str] = frozenset(shapes.DETECTORS)  # the shape detectors switched on

    @cached_property
    def literals(self) -> tuple[str, ...]:
        """Every literal some inline rule requires, each once."""
        return tuple(sorted({lit for rule in self.inline for lit in rule.requires}))


def load_rules(path: str | Path | None = None) -> Rules:
    """The built-in boilerplate rules (from ``data/boilerplate.json`` unless a path is given)."""
    return compile_rules(rule_specs(path))


def rule_specs(path: str | Path | None = None) -> list[dict]:
    """The rule specifications of ``data/boilerplate.json`` (or of the file given)."""
    if path is None:
        data = package_resources.files("newsingest").joinpath("data", RULES_FILE).read_text(
            encoding="utf-8"
        )
    else:
        data = Path(path).read_text(encoding="utf-8")
    return json.loads(data)["rules"]


def compile_rules(
    specs: list[dict], detectors: Iterable[str] = shapes.DETECTORS
) -> Rules:
    """Rules from specifications, with the named shape detectors switched on."""
    rules = _compile_rules(specs)
    return replace(rules, shapes=frozenset(detectors))


def _compile_rules(specs: list[dict]) -> Rules:
    line_parts: list[str] = []
    line_names: list[str] = []
    inline: list[InlineRule] = []
    for spec in specs:
        flags = "(?i:" if spec.get("ignore_case") else "(?:"
        if spec["scope"] == "line":
            line_parts.append(f"(?P<r{len(line_names)}>{flags}{spec['pattern']}))")
            line_names.append(spec["name"])
        elif spec["scope"] == "inline":
            pattern = regex.compile(flags + spec["pattern"] + ")", regex.MULTILINE)
            inline.append(InlineRule(spec["name"], pattern, tuple(spec.get("requires", ()))))
        else:
            raise ValueError(f"unknown rule scope {spec['scope']!r} in rule {spec['name']!r}")
    line = regex.compile("|".join(line_parts)) if line_parts else None
    return Rules(line, tuple(line_names), tuple(inline))


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return load_rules()


# ---------------------------------------------------------------------------------------------
# normalisation

_LINE_BREAKS = "\r\u2028\u2029\x85\x0b\x0c"
_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
# Soft hyphen, zero-width space, word joiner, BOM, Mongolian vowel separator, C0/C1 controls.
# ZWJ/ZWNJ stay: they change how Arabic, Persian and Indic words are written.
_DROP = "\u00ad\u200b\u2060\ufeff\u180e" + "".join(
    chr(c) for c in [*range(0, 9), *range(14, 32), 127, *range(128, 160)]
)
_TRANSLATE = {ord(c): "\n" for c in _LINE_BREAKS} | {ord(c): " " for c in _SPACES}
_TRANSLATE |= {ord(c): None for c in _DROP}
_DROP_RE = re.compile("\r(?=\n)|[" + re.escape(_DROP) + "]")
_CHANGES = re.compile("[" + re.escape(_LINE_BREAKS + _SPACES + _DROP) + "]")


@dataclass(frozen=True)
class _Normalised:
    text: str
    deleted: tuple[int, ...] = ()  # for deletion i, the normalised offset it sat before
    nfc_lines: tuple[tuple[int, int, int], ...] = ()  # (nfc start, pre-NFC start, pre length)

    def orig(self, pos: int) -> int:
        """The offset in the original text of normalised offset ``pos``."""
        if self.nfc_lines:
            i = bisect_right(self.nfc_lines, (pos, math.inf, math.inf)) - 1
            if i >= 0:
                nfc_start, pre_start, pre_len = self.nfc_lines[i]
                pos = pre_start + min(pos - nfc_start, pre_len)
        if self.deleted:
            pos += bisect_right(self.deleted, pos)
        return pos


def _normalise(text: str) -> _Normalised:
    deleted: tuple[int, ...] = ()
    if _CHANGES.search(text):
        positions = [m.start() for m in _DROP_RE.finditer(text)]
        if positions:
            deleted = tuple(p - i for i, p in enumerate(positions))
            if "\r\n" in text:
                text = text.replace("\r\n", "\n")
        text = text.translate(_TRANSLATE)
    if unicodedata.is_normalized("NFC", text):
        return _Normalised(text, deleted)
    out: list[str] = []
    spans: list[tuple[int, int, int]] = []
    nfc_pos = pre_pos = 0
    for line in text.split("\n"):
        fixed = unicodedata.normalize("NFC", line)
        spans.append((nfc_pos, pre_pos, len(line)))
        out.append(fixed)
        nfc_pos += len(fixed) + 1
        pre_pos += len(line) + 1
    return _Normalised("\n".join(out), deleted, tuple(spans))


def normalise(text: str) -> str:
    """The text as cleaning sees it: one kind of line break and space, no invisible characters."""
    return _normalise(text).text


# ---------------------------------------------------------------------------------------------
# keys and units

_WS = re.compile(r"\s+")
# Long digit runs (permalink and story ids) vary inside otherwise fixed footers; short ones are
# table figures and must not make different rows one key.
_DIGITS = re.compile(r"\d{5,}")
_EDGE_PUNCT = " \t.,;:!?¡¿-–—|•·*\"'“”‘’«»()[]{}"
# Sentence ends (with closing quotes/brackets) and separator runs split a line into units.
_SEPARATORS = r"={3,}|\*{3,}|_{4,}|-{4,}|~{3,}|#{3,}|•{3,}"
# The lookaheads only skip positions where no alternative can start: 5-6x faster scanning.
_UNIT_BREAK = re.compile(
    r"(?=[\"”’»)\]\s=*_\-~#•])(?:(?<=[.!?…])[\"”’»)\]]*\s+|" + _SEPARATORS + ")"
)
# The same breaks, faster, for keys only (the sentence-final mark is lost, keys strip it anyway).
# A run of one symbol: any character but letters, digits, spaces and the punctuation of
# sentences, quotations and figures ("...", "!!!", "%%" and "///" are text); dashes and
# underscores need four (a "---" stands for a dash in typewritten text).
_NOT_SEPARATORS = frozenset(".!?,;:'\"“”‘’«»()[]{}…%/\\<>")
_LONG_SEPARATORS = "-_"


def _separator_run(symbol: str) -> str:
    return symbol * (4 if symbol in _LONG_SEPARATORS else 3)


def _separator_symbols(text: str) -> set[str]:
    """The symbols of which the text holds a separator run ("=====", "◆◆◆")."""
    # Substring tests on the text's few distinct symbols: a regex scan costs 4x as much.
    return {
        ch
        for ch in set(text)
        if not (ch.isalnum() or ch.isspace() or ch in _NOT_SEPARATORS)
        and _separator_run(ch) in text
    }


_CREDIT_OPENING = regex.compile(r"\((\p{L}[\p{L}-]*)[ \t]?[,:]")
_AFTER_SENTENCE_END = ".!?\"”’»"


def _bracket_credits(text: str, start: int = 0, end: int | None = None):
    """(start, end, opening word) of every bracket after a sentence that opens like a credit."""
    end = len(text) if end is None else end
    for m in _CREDIT_OPENING.finditer(text, start, end):
        a = m.start()
        before = text[max(start, a - 4) : a].rstrip(" \t")
        if not before or before[-1] not in _AFTER_SENTENCE_END:
            continue
        close = text.find(")", m.end(), min(end, m.end() + CREDIT_MAX_CHARS))
        if close == -1 or "(" in text[m.end() : close] or "\n" in text[m.end() : close]:
            continue
        inside = text[m.end() : close]
        if "://" in inside or "www." in inside:
            continue
        yield a, close + 1, m.group(1).casefold()


_LETTER_RUN = regex.compile(r"\p{L}[\p{L}\p{M}]*")
_FIGURE_RUN = re.compile(r"\d+")
_SHAPE_RUNS = re.compile(r"a+|9+")
_CASED_RUNS = re.compile(r"a+|9+|W+|C+|w+")
# A bracket of a few characters, right after a sentence's end (maybe on the next line), closing
# the paragraph (maybe before a closing quotation mark) or followed by the next capitalised
# sentence of a flattened text.
_SHORT_BRACKET = (
    rf"\([^()\[\]\n]{{1,{SHAPE_BRACKET_MAX_CHARS}}}\)|\[[^()\[\]\n]{{1,{SHAPE_BRACKET_MAX_CHARS}}}\]"
)
# The end of a paragraph, maybe after the closing quotation mark of a quoted article and a
# full stop, or before a separator run ("(abd/wdi)”.", "[rhm]” ======").
_CLOSE = r"[ \t]*[\"”’»]?\.?[ \t]*(?:$|[-–—=_*~]{2,})"
_SHAPE_BRACKET = regex.compile(
    rf"(?<=[.!?\"”’»)][ \t]{{0,3}}\n?[ \t]{{0,3}})(?:{_SHORT_BRACKET})"
    rf"(?={_CLOSE}|[ \t]+\p{{Lu}})",
    regex.MULTILINE,
)


_SHAPE_JOINS = frozenset(",/:;")
_BRACKET_OPENING = re.compile(r"[(\[]")
_CLOSING_BRACKET = regex.compile(rf"[ \t]({_SHORT_BRACKET})[ \t]*\Z")


def shape_key(piece: str, cased: bool = False) -> str:
    """The build of a piece with its words and figures abstracted: "(abd/wdi)" -> "(a/a)".

    ``cased`` tells words apart by their case ("W" capitalised, "C" capitals, "w" lower case,
    "a" uncased scripts), so that "Editor : Widisandika" ("W:W") is not "NARASI: INFO" ("C:C").
    """
    if cased:
        shape = _FIGURE_RUN.sub("9", _LETTER_RUN.sub(_word_class, piece))
        return _CASED_RUNS.sub(lambda m: m.group()[0], "".join(shape.split()))
    shape = _FIGURE_RUN.sub("9", _LETTER_RUN.sub("a", piece))
    return _SHAPE_RUNS.sub(lambda m: m.group()[0], "".join(shape.split()))


def _word_class(m: regex.Match) -> str:
    word = m.group()
    if word.islower():
        return "w"
    if word.isupper():
        return "C" if len(word) > 1 else "W"
    return "W" if word[0].isupper() else "a"


def shape_line_key(line: str) -> str | None:
    """The learned-shape key of a stripped line standing as a paragraph, or None."""
    if (
        len(line) > SHAPE_LINE_MAX_CHARS
        or _SHAPE_LINE_SIGNS.isdisjoint(line)
        or len(line.split()) > SHAPE_LINE_MAX_WORDS
        or "://" in line
        or _DASH_END.search(line) is not None  # a label or dateline introducing what follows
        or _HAS_LETTER.search(line) is None
        or _ANY_DIGIT.search(line) is not None  # "Jakarta: 5 kasus": a table's row
        or line[0] in _QUOTE_OR_ITEM  # a quotation or a list item
    ):
        return None
    return SHAPE_LINE_MARK + shape_key(line, cased=True)


def _listed(texts: list[str], index: int, key: str) -> bool:
    """Whether ``texts[index]`` is one of a run of lines of one shape set inside the story: a
    list ("Ketua: Budi Santoso", "Sekretaris: Ani Wijaya") is content. A run that opens or
    closes the story is its staff box ("Penulis: Banu Adikara", "Editor: Andy Pribadi")."""
    run = [index]
    for step in (-1, 1):
        i = index + step
        while 0 <= i < len(texts):
            if texts[i]:
                if shape_line_key(texts[i]) != key:
                    break
                run.append(i)
            i += step
    if len(run) == 1:
        return False
    filled = [i for i, text in enumerate(texts) if text]
    return not (min(run) == filled[0] or max(run) == filled[-1])


def _shape_brackets(text: str, start: int = 0, end: int | None = None, story_end: bool = True):
    """(start, end) of every bracket after a sentence that may be a source's credit or tag.

    With ``story_end``, a bracket closing the text (the end of ``text[start:end]``) counts too,
    whatever comes before it ("... associated coverage (tasch, 13.10.2015)").
    """
    end = len(text) if end is None else end
    last = None
    # A C-speed scan for openings, the pattern tried at each: 4x faster than a regex scan.
    for opening in _BRACKET_OPENING.finditer(text, start, end):
        m = _SHAPE_BRACKET.match(text, opening.start(), end)
        if m is None:
            continue
        last = m.end()
        if _shape_bracket(text, m.start(), m.end()):
            yield m.start(), m.end()
    if story_end:
        window = max(start, end - 2 * SHAPE_BRACKET_MAX_CHARS)  # the bracket and some spaces
        if text[window:end].rstrip(" \t")[-1:] not in (")", "]"):
            return
        m = _CLOSING_BRACKET.search(text, window, end)
        if m is not None and m.end(1) != last and _shape_bracket(text, m.start(1), m.end(1)):
            yield m.start(1), m.end(1)


def _shape_bracket(text: str, a: int, b: int) -> bool:
    inside = text[a + 1 : b - 1]
    if _HAS_LETTER.search(inside) is None or "://" in inside or "www." in inside:
        return False  # "(1)", "(2015)" number lists and years; links are references
    # A build joins two or more parts ("(abd/wdi)", "(red, 16.6.2015)", "(Foto: istimewa)"):
    # one part alone, "(Senin)", "(pendiri Kalbe Farma)", "(Pasal 5)", is the sentence's own.
    return not _SHAPE_JOINS.isdisjoint(inside)


@lru_cache(maxsize=64)
def _separator_pattern(symbols: frozenset[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(_separator_run(ch)) + "+" for ch in sorted(symbols)))

_UNIT_SPLIT = re.compile(r"(?=[.!?…=*_\-~#•])(?:[.!?…][\"”’»)\]]*\s+|" + _SEPARATORS + ")")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+")
_HAS_LETTER = regex.compile(r"\p{L}")
_ANY_DIGIT = re.compile(r"\d")
# A dash after a space or a word ("JAKARTA -", "Wien–"), or a colon; not the dash glued to a
# one-letter token of a widget ("A+ A-").
_DASH_END = regex.compile(r"(?:(?<=^|\s|\p{L}{2})[-–—]|:)\s*$")
# A line that follows one ending like this (or a blank line) starts a paragraph of its own;
# other lines may be fragments of a hard-wrapped paragraph ("said", "year").
_PARAGRAPH_END = ".!?:;\"”’»)]…"


def unit_key(text: str) -> str:
    """The matching key of a line or sentence: case-folded, digits as 0, spaces collapsed."""
    key = " ".join(text.casefold().split())
    if len(key) > 4:
        key = _DIGITS.sub("0", key)
    return key.strip(_EDGE_PUNCT)


def _dup_key(text: str) -> str:
    return " ".join(text.casefold().split()).strip(_EDGE_PUNCT)


def _units(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line (stripped), split at sentence ends and separator runs."""
    spans = []
    start = 0
    for m in _UNIT_BREAK.finditer(line):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(line):
        spans.append((start, len(line)))
    out = []
    for a, b in spans:
        piece = line[a:b]
        stripped = piece.strip()
        if stripped:
            a += len(piece) - len(piece.lstrip())
            out.append((a, a + len(stripped)))
    return out


def opening_key(line: str) -> str | None:
    """The learned-opening key of a stripped, unindented line, or None when it has none."""
    if not line or line[-1] in _PROSE_END or len(line) > LEARN_MAX_CHARS:
        return None
    words = line.casefold().split()
    if not PREFIX_LINE_WORDS[0] <= len(words) <= PREFIX_LINE_WORDS[1]:
        return None
    head: list[str] = []
    for word in words[:PREFIX_MAX_WORDS]:
        head.append(word)
        if word.endswith(":"):
            break
    if len(head) == len(words):
        return None  # the opening must leave something that varies
    key = " ".join(head)
    if _ANY_DIGIT.search(key) or not _HAS_LETTER.search(key):
        return None
    return PREFIX_MARK + key


def _starts_paragraph(previous: str) -> bool:
    """Whether a line after the (stripped) line ``previous`` starts a paragraph of its own."""
    if not previous or previous[-1] in _PARAGRAPH_END:
        return True
    # A short line with a figure is a table row, and the rows after it are the table's.
    return len(previous) <= SHORT_LINE_CHARS and _ANY_DIGIT.search(previous) is None


def ending_keys(unit: str) -> tuple[str, ...]:
    """The learned-ending keys of a story's last sentence, or () when it reads as prose."""
    unit = unit.strip()
    if not unit or unit[-1] in _PROSE_END or len(unit) > LEARN_MAX_CHARS:
        return ()
    unit = unit.lstrip(_EDGE_PUNCT)  # "- UTUSAN ONLINE", "[Baca berita penuh]"
    if "://" in unit or "www." in unit:
        return ()  # links closing a story are its references ("Referensi: https://...")
    words = unit.casefold().split()
    if not ENDING_WORDS[0] <= len(words) <= ENDING_WORDS[1]:
        return ()
    if _ANY_DIGIT.search(" ".join(words[: ENDING_KEY_WORDS + 1])):
        return ()  # a figure next to the opening words: a table row ("Shr 12 cts vs 10 cts")
    keys = []
    for n in range(1, min(ENDING_KEY_WORDS, len(words)) + 1):
        head = " ".join(words[:n])
        if not _HAS_LETTER.search(head) or (n == len(words) and head.endswith(":")):
            break  # a label with nothing after it ("REFERENSI:") introduces a list
        keys.append(ENDING_MARK + head)  # a fixed sign-off ("- UTUSAN ONLINE") is one too
        if head.endswith(":"):
            break
    return tuple(keys)


def _learnable(piece: str, key: str, whole_line: bool) -> bool:
    if not key or len(key) > LEARN_MAX_CHARS or not _HAS_LETTER.search(key):
        return False
    if not whole_line and (
        len(key) < LEARN_UNIT_MIN_CHARS or key.count(" ") + 1 > LEARN_UNIT_MAX_WORDS
    ):
        return False
    # Datelines and labels ("JAKARTA -", "NARASI:") introduce content: never boilerplate.
    return _DASH_END.search(piece) is None


# ---------------------------------------------------------------------------------------------
# the clean stage


@dataclass
class _Line:
    start: int  # offset of the line in the normalised text
    end: int
    indented: bool
    blank: bool
    leading_space: bool = False
    text: str = ""  # the kept text, pieces joined
    pieces: tuple[tuple[int, int], ...] = ()  # kept spans (normalised offsets)


_ZERO_RUNS = re.compile(rb"\x00+")


class _Cleaner:
    """One article's cleaning state: the normalised text and a mask of removed characters."""

    def __init__(self, text: str, rules: Rules, learned: frozenset[str]):
        self.original = text
        self.norm = _normalise(text)
        self.text = self.norm.text
        self.mask = bytearray(len(self.text))
        self.removals: list[tuple[int, int, str]] = []  # normalised spans
        self.late: list[Removal] = []  # removals of joined text, offsets unknown
        self.rules = rules
        self.learned = learned
        self.openings = any(key[:1] == PREFIX_MARK for key in learned)
        self.endings = any(key[:1] == ENDING_MARK for key in learned)
        self.separators = frozenset(
            key[1:] for key in learned if key[:1] == SEPARATOR_MARK and len(key) == 2
        )
        self.credits = frozenset(key[1:] for key in learned if key[:1] == CREDIT_MARK)
        self.shapes = any(key[:1] == SHAPE_LINE_MARK[0] for key in learned)

    def remove(self, a: int, b: int, reason: str) -> None:
        """Mark text[a:b] removed; only the not yet removed parts are recorded."""
        if a >= b:
            return
        segment = self.mask[a:b]
        if not any(segment):
            self.mask[a:b] = b"\x01" * (b - a)
            self.removals.append((a, b, reason))
            return
        for m in _ZERO_RUNS.finditer(segment):
            self.mask[a + m.start() : a + m.end()] = b"\x01" * (m.end() - m.start())
            self.removals.append((a + m.start(), a + m.end(), reason))

    def lines(self) -> list[_Line]:
        out = []
        pos = 0
        for raw in self.text.split("\n"):
            end = pos + len(raw)
            stripped = raw.lstrip()
            indent = len(raw) - len(stripped)
            out.append(_Line(pos, end, indent >= 2 or raw[:1] == "\t", not stripped, indent > 0))
            pos = end + 1
        return out

    def apply_rules(self, lines: list[_Line]) -> None:
        text = self.text
        line_rule = self.rules.line
        if line_rule is not None:
            for line in lines:
                if line.blank:
                    continue
                raw = text[line.start : line.end]
                stripped = raw.strip()
                m = line_rule.fullmatch(stripped)
                if m is not None:
                    a = line.start + len(raw) - len(raw.lstrip())
                    self.remove(a, a + len(stripped), self._line_reason(m))
        # Substring tests are far cheaper than running every pattern over every text.
        present = {literal for literal in self.rules.literals if literal in text}
        for rule in self.rules.inline:
            if rule.requires and present.isdisjoint(rule.requires):
                continue
            for m in rule.pattern.finditer(text):
                a, b = m.span()
                piece = text[a:b]
                a += len(piece) - len(piece.lstrip())
                b -= len(piece) - len(piece.rstrip())
                self.remove(a, b, REASON_PREFIX + rule.name)

    def _line_reason(self, m: regex.Match) -> str:
        for name, value in m.groupdict().items():
            if value is not None:
                return REASON_PREFIX + self.rules.line_names[int(name[1:])]
        return REASON_PREFIX + "line"

    def refresh(self, line: _Line) -> None:
        """Recompute a line's kept pieces and text from the mask."""
        pieces = []
        texts = []
        for m in _ZERO_RUNS.finditer(self.mask, line.start, line.end):
            piece = self.text[m.start() : m.end()]
            stripped = piece.strip()
            if stripped:
                a = m.start() + len(piece) - len(piece.lstrip())
                pieces.append((a, a + len(stripped)))
                texts.append(stripped)
        line.pieces = tuple(pieces)
        line.text = " ".join(texts)

    def apply_learned(self, lines: list[_Line]) -> None:
        text = self.text
        previous = ""
        last = next((line for line in reversed(lines) if line.pieces), None)
        for index, line in enumerate(lines):
            raw = text[line.start : line.end]
            stripped = raw.strip()
            # The story's last line is no fragment of a paragraph ("REUTER" after a table).
            standalone = _starts_paragraph(previous) or line is last
            previous = stripped
            if line.blank or not line.pieces:
                continue
            if self.separators:
                for m in _separator_pattern(self.separators).finditer(text, line.start, line.end):
                    self.remove(m.start(), m.end(), LEARNED_SEPARATOR)
            if self.credits and "(" in raw:
                for a, b, word in _bracket_credits(text, line.start, line.end):
                    if word in self.credits:
                        self.remove(a, b, LEARNED_CREDIT)
            if self.shapes and ("(" in raw or "[" in raw):
                brackets = _shape_brackets(text, line.start, line.end, line is last)
                for a, b in brackets:
                    if SHAPE_BRACKET_MARK + shape_key(text[a:b]) in self.learned:
                        self.remove(a, b, LEARNED_SHAPE)
            offset = line.start + len(raw) - len(raw.lstrip())
            if standalone and self.shapes:
                key = shape_line_key(stripped)
                if (
                    key is not None
                    and key in self.learned
                    and not _listed([text[ln.start : ln.end].strip() for ln in lines], index, key)
                ):  # the list is made only for a learned shape: rare
                    self.remove(offset, offset + len(stripped), LEARNED_SHAPE)
                    continue
            if standalone and unit_key(stripped) in self.learned:
                self.remove(offset, offset + len(stripped), LEARNED)
                continue
            if standalone and self.openings and raw[:1] == stripped[:1]:
                opening = opening_key(stripped)
                if opening is not None and opening in self.learned:
                    self.remove(offset, offset + len(stripped), LEARNED_OPENING)
                    continue
            pieces = _UNIT_SPLIT.split(stripped)
            if len(pieces) < 2 or not any(unit_key(p) in self.learned for p in pieces):
                continue
            units = _units(stripped)
            for a, b in units:
                if unit_key(stripped[a:b]) in self.learned:
                    self.remove(offset + a, offset + b, LEARNED)

    def cut(self, line: _Line, a: int, b: int, reason: str) -> None:
        """Remove text[a:b] of a line's kept text (offsets in ``line.text``)."""
        if len(line.pieces) == 1:
            base = line.pieces[0][0]
            self.remove(base + a, base + b, reason)
        else:
            self.late.append(Removal(line.text[a:b], reason, None))
            kept = (line.text[:a].rstrip() + " " + line.text[b:].lstrip()).strip()
            line.pieces = ()
            line.text = kept
            return
        self.refresh(line)

    def cut_spans(self, line: _Line, spans: list[tuple[int, int, str]]) -> None:
        """Remove several pieces of a line's kept text (offsets in ``line.text``) at once."""
        if not line.pieces:  # joined text of an earlier cut: no offsets to map to
            for a, b, reason in sorted(spans, reverse=True):
                self.cut(line, a, b, reason)
            return
        offset = 0
        for start, end in line.pieces:  # line.text joins the pieces with one space
            length = end - start
            for a, b, reason in spans:
                lo, hi = max(a, offset), min(b, offset + length)
                if lo < hi:
                    self.remove(start + lo - offset, start + hi - offset, reason)
            offset += length + 1
        self.refresh(line)

    def drop(self, line: _Line, reason: str) -> None:
        """Remove a line's whole kept text."""
        if len(line.pieces) == 1:
            self.remove(*line.pieces[0], reason)
        elif line.text:
            self.late.append(Removal(line.text, reason, None))
        line.pieces = ()
        line.text = ""


def _is_headline(candidate: str, blank_after: bool, next_text: str | None) -> bool:
    if len(candidate) > TITLE_MAX_CHARS or len(candidate.split()) > TITLE_MAX_WORDS:
        return False
    if _HAS_LETTER.search(candidate) is None:
        return False  # a headline has words: "©" or "* * *" is not one
    last = candidate[-1]
    if last in ",;:" or (last == "." and not candidate.endswith("...")):
        return False
    first = candidate[0]
    if first.isalpha() and first.islower():
        return False
    if blank_after:
        return True
    if next_text is None or len(candidate) > TITLE_TIGHT_MAX_CHARS:
        return False
    lead = next_text.lstrip("\"'“‘«(¿¡[-–— ")[:1]
    return bool(lead) and not (lead.isalpha() and lead.islower())


def clean(article: Article, resources) -> Article:
    """Stage: title and cleaned body from the reader's text, with every removal recorded."""
    rules = getattr(resources, "boilerplate", None) or _default_rules()
    learned_all = getattr(resources, "learned_boilerplate", None) or {}
    learned = learned_all.get(article.source, frozenset())
    title, body, removed = _clean_text(article.text, rules, learned, article.meta.title)
    # A removal can bring together pieces that are boilerplate of their own ("©(FOTO: X) 2012"
    # leaves "© 2012"): clean the result again while the rules still find something, so that
    # cleaning a cleaned article changes nothing.
    for _ in range(MAX_PASSES - 1):
        again = f"{title}\n\n{body}"
        if not removed or not _rules_match(again, rules):
            break
        title, body, more = _clean_text(again, rules, learned, article.meta.title)
        removed += tuple(replace(r, start=None) for r in more)  # offsets of another text
    return replace(article, title=title, body=body, removed=removed)


def _rules_match(text: str, rules: Rules) -> bool:
    c = _Cleaner(text, rules, frozenset())
    c.apply_rules(c.lines())
    return c.mask.find(1) != -1


def _clean_text(
    text: str, rules: Rules, learned: frozenset[str], meta_title: str | None
) -> tuple[str, str, tuple[Removal, ...]]:
    c = _Cleaner(text, rules, learned)
    lines = c.lines()
    c.apply_rules(lines)
    for line in lines:
        if not line.blank:
            c.refresh(line)

    title = ""
    body_lines = lines
    if meta_title and meta_title.strip():
        title = _WS.sub(" ", normalise(meta_title)).strip()
    elif lines and not lines[0].blank and lines[0].text and not lines[0].leading_space:
        blank_after = len(lines) > 1 and lines[1].blank
        next_text = next((ln.text for ln in lines[1:] if ln.text), None)
        candidate = _WS.sub(" ", lines[0].text)
        if _is_headline(candidate, blank_after, next_text):
            title = candidate
            body_lines = lines[1:]

    if learned:
        c.apply_learned(body_lines)
        for line in body_lines:
            if not line.blank:
                c.refresh(line)
        if c.endings:
            _remove_learned_endings(c, body_lines)

    _remove_shapes(c, body_lines)
    # A line removed after the shape pass can move a byline into the edge lines, and a cut
    # can leave a line repeating another: look again until nothing changes, so that cleaning
    # the cleaned text finds nothing more.
    for _ in range(len(body_lines) + SHAPE_PASSES):
        before = len(c.removals) + len(c.late)
        _remove_headline_blocks(c, body_lines)
        _remove_repeats(c, title, body_lines)
        if len(c.removals) + len(c.late) == before or not _remove_shapes(c, body_lines):
            break
    body = _assemble(body_lines)
    return title, body, _removals(c)


def _remove_learned_endings(c: _Cleaner, lines: list[_Line]) -> None:
    """Cut the story's last sentence while it opens like a learned ending of its source."""
    for _ in range(ENDING_PASSES):
        last = next((line for line in reversed(lines) if line.text), None)
        if last is None:
            return
        units = _units(last.text)
        if not units:
            return
        a, b = units[-1]
        if not any(key in c.learned for key in ending_keys(last.text[a:b])):
            return
        if a == 0 and b == len(last.text):
            c.drop(last, LEARNED_ENDING)
        else:
            c.cut(last, a, b, LEARNED_ENDING)


def _remove_shapes(c: _Cleaner, lines: list[_Line]) -> bool:
    """Remove what the shape detectors find, until a pass finds nothing more."""
    found = False
    if c.rules.shapes:
        for _ in range(len(lines) + SHAPE_PASSES):
            if not _remove_shapes_once(c, lines):
                break
            found = True
    return found


def _remove_shapes_once(c: _Cleaner, lines: list[_Line]) -> bool:
    kept = [line for line in lines if line.text]
    texts = [line.text for line in kept]
    found = False
    for i, line in enumerate(kept):
        neighbours = (texts[i - 1] if i else "", texts[i + 1] if i + 1 < len(texts) else "")
        spans = shapes.line_spans(texts[i], i, len(kept), neighbours, c.rules.shapes)
        if not spans:
            continue
        found = True
        if len(spans) == 1 and spans[0].end - spans[0].start == len(line.text):
            c.drop(line, REASON_PREFIX + spans[0].name)
            continue
        c.cut_spans(line, [(sp.start, sp.end, REASON_PREFIX + sp.name) for sp in spans])
    return found


def _remove_repeats(c: _Cleaner, title: str, lines: list[_Line]) -> None:
    title_key = _dup_key(title) if title else ""
    title_words = len(title.split())
    seen: set[str] = set()
    leading = 0
    for line in lines:
        if not line.text:
            continue
        key = _dup_key(line.text)
        if title_key and key == title_key:
            c.drop(line, REPEATED_TITLE)
            continue
        if title_key and leading < TITLE_REPEAT_LINES and title_words >= 3:
            tail = _cut_title(c, line, title)
            if tail:
                for sentence in _SENTENCE_END.split(tail):
                    if _substantial(_dup_key(sentence)):
                        seen.add(_dup_key(sentence))
            if not line.text:
                continue
            key = _dup_key(line.text)
        leading += 1
        if key in seen:
            c.drop(line, DUPLICATE)
            continue
        if _substantial(key):
            seen.add(key)
        sentences = _SENTENCE_END.split(line.text)
        if len(sentences) > 1:
            for sentence in sentences:
                sentence_key = _dup_key(sentence)
                if _substantial(sentence_key):
                    seen.add(sentence_key)


def _title_case(text: str) -> bool:
    """A headline-shaped line: 3-16 words, mostly capitalised, no final sentence punctuation."""
    tokens = text.split()
    if not 3 <= len(tokens) <= HEADLINE_BLOCK_MAX_WORDS or text[-1] in _SENTENCE_FINAL:
        return False
    if "  " in text or "\t" in text:  # aligned columns: a table row
        return False
    words = [t for t in (t.strip(_EDGE_PUNCT) for t in tokens) if t.isalpha()]
    if len(words) < 3 or not (text[0].isupper() or text[0].isdigit()):
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _remove_headline_blocks(c: _Cleaner, lines: list[_Line]) -> None:
    """Drop runs of two or more headline lines set between prose lines (related-story links)."""
    kept = [line for line in lines if line.text or line.blank]
    i = 0
    while i < len(kept):
        j = i
        while j < len(kept) and kept[j].text and _title_case(kept[j].text):
            j += 1
        if j - i >= 2 and 0 < i and j < len(kept):
            before, after = kept[i - 1].text, kept[j].text
            if before and after and before[-1] in _SENTENCE_FINAL and after[-1] in _SENTENCE_FINAL:
                for line in kept[i:j]:
                    c.drop(line, REASON_PREFIX + "related-headlines")
        i = max(j, i + 1)
    if shapes.HEADLINE_TAIL in c.rules.shapes:
        _remove_headline_tail(c, lines)


def _remove_headline_tail(c: _Cleaner, lines: list[_Line]) -> None:
    """Drop two or more headline lines that close the story after a sentence (more stories)."""
    texts = [line for line in lines if line.text]
    run = 0
    while run < len(texts) and _title_case(texts[-1 - run].text):
        run += 1
    if run < 2 or run == len(texts):
        return
    if any(shapes.names_line(line.text) for line in texts[len(texts) - run :]):
        return  # a list of people (signatories, a team sheet) is content
    before = texts[-1 - run].text
    if before[-1] in _SENTENCE_FINAL:
        for line in texts[len(texts) - run :]:
            c.drop(line, REASON_PREFIX + shapes.HEADLINE_TAIL)


def _substantial(key: str) -> bool:
    """Whether a repeated line is prose worth keeping once (not a short table row or label)."""
    if len(key) < DUP_MIN_CHARS:
        return False
    tokens = key.count(" ") + 1
    numeric = len(_NUMERIC_TOKEN.findall(key))
    return tokens - numeric >= DUP_MIN_WORDS and numeric <= 0.25 * tokens


def _cut_title(c: _Cleaner, line: _Line, title: str) -> str | None:
    """Remove the title repeated at the start of a leading line, or after its byline stamp.

    Returns the text that followed a title cut from inside the line (a standfirst), if any.
    """
    text = line.text
    if text.casefold().startswith(title.casefold()):
        rest = text[len(title) :]
        if not rest or not rest[0].isalnum():
            # Glued repeats ("Title Title body" minus the line break) and "Title. Body".
            stripped = rest.lstrip(" .:-–—")
            c.cut(line, 0, len(text) - len(stripped), REPEATED_TITLE)
        return None
    # "Author 03 November 2017 16:34 Title Standfirst...": a page header flattened into a line.
    pos = text.find(title, 0, TITLE_STAMP_MAX_CHARS + len(title))
    if pos > 0 and _TIME_STAMP_END.search(text, 0, pos) is not None:
        end = pos + len(title)
        if end == len(text) or not text[end].isalnum():
            tail = text[end:].strip()
            c.cut(line, pos, end, REPEATED_TITLE)
            return tail
    return None


def _assemble(lines: list[_Line]) -> str:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    previous_indented = True
    for line in lines:
        if line.blank:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if not line.text:
            continue
        if line.indented and not previous_indented and current:
            paragraphs.append(current)
            current = []
        previous_indented = line.indented
        current.append(line.text)
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(p) for p in paragraphs)


def _removals(c: _Cleaner) -> tuple[Removal, ...]:
    out = []
    for a, b, reason in sorted(c.removals):
        start = c.norm.orig(a)
        end = c.norm.orig(b)
        out.append(Removal(c.original[start:end], reason, start))
    out.extend(c.late)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# learned boilerplate


def boilerplate_evidence(article: Article) -> tuple[frozenset[str], int]:
    """``boilerplate_observations`` and ``story_signature`` of one article, normalising once."""
    text = normalise(article.text)
    return _observations(article, text), _signature(text)


def boilerplate_observations(article: Article) -> frozenset[str]:
    """The candidate boilerplate keys of one article: its short lines and sentences."""
    return _observations(article, normalise(article.text))


def _observations(article: Article, text: str) -> frozenset[str]:
    title_key = _dup_key(article.title) if article.title else None
    keys: set[str] = set()
    first = True
    previous = ""
    raw_lines = text.split("\n")
    last_index = max((i for i, raw in enumerate(raw_lines) if raw.strip()), default=-1)
    last = raw_lines[last_index].strip() if last_index >= 0 else ""
    stripped_lines: list[str] = []  # made when a line has a shape: lists are not learned
    for index, raw in enumerate(raw_lines):
        line = raw.strip()
        standalone = _starts_paragraph(previous) or index == last_index
        previous = line
        if not line:
            continue
        if first:
            first = False
            if title_key is not None and _dup_key(line) == title_key:
                continue
        if standalone:
            key = unit_key(line)
            if _learnable(line, key, True):
                keys.add(key)
            shape = shape_line_key(line)
            if shape is not None:
                stripped_lines = stripped_lines or [r.strip() for r in raw_lines]
                if not _listed(stripped_lines, index, shape):
                    keys.add(shape)
            if raw[:1] == line[:1]:  # indented lines are paragraphs and table rows
                opening = opening_key(line)
                if opening is not None:
                    keys.add(opening)
        units = _UNIT_SPLIT.split(line)
        if len(units) > 1:
            for unit in units:
                if _too_many_words(unit):
                    continue
                key = unit_key(unit)
                if _learnable(unit.strip(), key, False):
                    keys.add(key)
    if last:
        keys.update(ending_keys(_UNIT_SPLIT.split(last)[-1]))
    keys.update(SEPARATOR_MARK + symbol for symbol in _separator_symbols(text))
    if "(" in text:
        keys.update(CREDIT_MARK + word for _, _, word in _bracket_credits(text))
    if "(" in text or "[" in text:
        body_end = len(text.rstrip())
        keys.update(
            SHAPE_BRACKET_MARK + shape_key(text[a:b]) for a, b in _shape_brackets(text, 0, body_end)
        )
    # Lines the built-in rules remove need no learning; learning them anyway would send every
    # article holding them through the pipeline again for nothing.
    built_in = set()
    for removal in article.removed:
        if removal.reason.startswith("boilerplate:"):
            built_in.add(unit_key(removal.text))
            built_in.add(opening_key(" ".join(removal.text.split())))
            built_in.update(ending_keys(removal.text))
            run = removal.text.strip()
            if len(set(run)) == 1 and _separator_symbols(run):
                built_in.add(SEPARATOR_MARK + run[0])
            if run[:1] == "(":  # a credit the rules cut: as if after a sentence
                built_in.update(CREDIT_MARK + w for _, _, w in _bracket_credits(". " + run))
    return frozenset(keys - built_in)


def _too_many_words(unit: str) -> bool:
    """Whether the unit's key will have more words than a learnable unit (cheaper than the key).

    Only the edge strip of ``unit_key`` can drop a whole word, and only one made of edge
    punctuation at either end; any other word survives as one word of the key.
    """
    words = unit.split()
    return (
        len(words) > LEARN_UNIT_MAX_WORDS
        and words[0].strip(_EDGE_PUNCT) != ""
        and words[-1].strip(_EDGE_PUNCT) != ""
    )


_WORD = regex.compile(r"\w+")


def story_signature(article: Article) -> int:
    """A 64-bit id shared by near-duplicate copies of one story (a one-permutation MinHash).

    The story's word 3-shingles are hashed (a polynomial over the words' CRC-32 values, all
    shingles at once with numpy) and the shingle with the smallest hash names the story: two
    copies share it with a probability equal to the share of shingles they have in common.
    """
    return _signature(normalise(article.text))


def _signature(normalised: str) -> int:
    import numpy as np

    text = normalised.casefold()
    words: list[str] = []
    for line in text.split("\n"):
        if len(line) < 2 * SIGNATURE_MIN_LINE_WORDS - 1:
            continue  # too short to hold that many words: no need to look
        line_words = _WORD.findall(line)
        if len(line_words) >= SIGNATURE_MIN_LINE_WORDS:
            words.extend(line_words)
    if len(words) < 4 * SIGNATURE_SHINGLE:
        words = _WORD.findall(text)
    if len(words) < SIGNATURE_SHINGLE:
        best = " ".join(words).encode()
    else:
        codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
        count = len(words) - SIGNATURE_SHINGLE + 1
        hashes = np.zeros(count, dtype=np.uint64)
        for offset in range(SIGNATURE_SHINGLE):  # wraps modulo 2**64, the same everywhere
            hashes = hashes * np.uint64(1_000_003) + codes[offset : offset + count]
        first = int(np.argmin(hashes))
        best = " ".join(words[first : first + SIGNATURE_SHINGLE]).encode()
    digest = hashlib.blake2b(best, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def select_learned(key_story_counts: Mapping[str, int], source_story_count: int) -> frozenset[str]:
    """The keys of one source that recur in enough distinct stories to be its boilerplate."""
    threshold = max(LEARN_MIN_STORIES, math.ceil(LEARN_MIN_SHARE * source_story_count))
    return frozenset(
        k
        for k, n in key_story_counts.items()
        if n >= threshold or (n >= LEARN_MIN_STORIES and k[:1] == PREFIX_MARK)
    )


def learn_boilerplate(articles: Iterable[Article]) -> dict[str, frozenset[str]]:
    """Learned boilerplate per source from a set of parsed articles (order does not matter)."""
    stories: dict[str, set[int]] = {}
    keys: dict[str, dict[str, set[int]]] = {}
    for article in articles:
        signature = story_signature(article)
        stories.setdefault(article.source, set()).add(signature)
        per_key = keys.setdefault(article.source, {})
        for key in boilerplate_observations(article):
            per_key.setdefault(key, set()).add(signature)
    return {
        source: select_learned({k: len(s) for k, s in keys[source].items()}, len(sigs))
        for source, sigs in sorted(stories.items())
    }
