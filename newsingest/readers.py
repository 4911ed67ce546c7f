"""Bytes on disk -> Article records (raw text + format), and the parse stage (raw -> text + meta).

``read_bytes`` turns one file's bytes into articles whose ``raw`` is the decoded original:

* ``.txt`` (and ``.text``): the encoding is taken from a BOM (UTF-8, UTF-16, UTF-32), else strict
  UTF-8, else UTF-16 without a BOM (one byte of each pair held on a few values), else UTF-8
  with its invalid bytes replaced when it is UTF-8 but for a few stray bytes, else the 8-bit
  code page (cp1252, cp1250, cp1256, ...) whose reading best fits the alphabet of one language
  (``_letter_fit``: Spanish in cp1250 gives "nińos", which no alphabet holds with "á"; Polish
  in cp1252 gives "b¹dŸ"), else charset-normalizer's guess. What decoding had to do is
  recorded in ``ReadResult.repairs`` (``replaced-invalid-bytes:3``,
  ``encoding-guessed:cp1250/cs``). Mojibake (UTF-8 read as cp1252, stray C1 controls) is
  detected here too; the repair itself (ftfy) is applied by ``parse`` so that it is re-derived
  from ``raw``.
* ``.md`` / ``.markdown``: decoded like ``.txt``; ``parse`` reduces the markup to its words
  (``markdown.markdown_text``: headings, emphasis, ``[text](url)`` as ``text (url)``).
* ``.html`` / ``.htm`` / ``.xhtml``: decoded the same way, honouring a ``<meta charset>`` as
  browsers do (ISO-8859-1 read as cp1252) unless its 8-bit reading fits no language;
  ``parse`` extracts the main text and metadata with trafilatura (one pass) and the publication
  date with htmldate (markup first, page text only when the markup has none).
* ``.json`` / ``.jsonl`` / ``.ndjson``: one article per object (a list, a single object, or one
  object per line); ``raw`` is that record's JSON text. ``parse`` reads the usual field names of
  news crawlers and dataset dumps (news-please's ``maintext``/``date_publish`` and the like);
  a text field that holds HTML (CMS dumps) is turned into paragraphs of text (``markup_text``).

A gzip file named for its inner type (``x.txt.gz``, ``x.jsonl.gz``) is unpacked, up to a limit
(``--max-bytes``) against decompression bombs, and read as that type.

Bad input raises a ``ReadError`` subclass whose message is a one-line reason: an unsupported
type (``UnsupportedFileError``, to be counted as skipped), an empty or whitespace-only file,
binary content (a known file signature, NUL bytes, or many control characters), bytes that fit
no encoding, and text beyond the limits of one article.

Limits, chosen deliberately: a plain-text line longer than ``MAX_LINE_CHARS`` (200,000
characters, about 30,000 words with no line break) or a text longer than ``MAX_TEXT_CHARS``
(2,000,000 characters) is rejected as "line too long" / "text too long". The longest news
pieces run to some tens of thousands of characters even when flattened to one line, so a 5 MB
line is a dump or junk, not an article, and would make every later stage crawl. HTML is exempt
from the line limit (minified pages are one line) but its extracted text is held to the same
total; a JSON record whose text is over the limit is skipped with the reason.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import Any

from .article import Article, DateMention, Metadata, PlaceMention, Removal, UrlMention
from .errors import (
    BinaryFileError,
    DecodeError,
    EmptyFileError,
    InvalidRecordError,
    TooLongError,
    UnsupportedFileError,
)
from .markdown import markdown_text
from .sidecars import JSON_LINE_BREAK, epoch_date, is_epoch_digits, rfc2822_date

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}

# Formats read as lines of plain text: held to the line limit and checked for mojibake.
_LINED = frozenset({"text", "markdown"})

GZIP_SUFFIX = ".gz"
# What a gzip file may unpack to when no --max-bytes is given (the default of ``add``).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

MAX_LINE_CHARS = 200_000
MAX_TEXT_CHARS = 2_000_000
# Share of control characters (besides tab/newline/CR/FF) above which decoded "text" is binary.
MAX_CONTROL_SHARE = 0.01

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "audio"),
    (b"ID3", "audio"),
    (b"fLaC", "audio"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-bom"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32-be"),
    (b"\xff\xfe", "utf-16", "utf-16-le"),
    (b"\xfe\xff", "utf-16", "utf-16-be"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "audio", b"AVI ": "video"}
# Whitespace plus the invisible characters cleaning deletes: a file of only these is empty.
_INVISIBLE = (
    " \t\n\r\x0b\x0c\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u2060\ufeff\u00ad"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
# UTF-8 read as cp1252/Latin-1: a lead byte of a 2-4 byte sequence (U+00C2-U+00F4) followed by a
# character that a continuation byte becomes in cp1252, or a bare C1 control (Latin-1 reading of
# cp1252 punctuation). Only text matching this is handed to ftfy, which is too slow to run on all.
_MOJIBAKE_HINT = re.compile(
    "[\u0080-\u009f]|[\u00c2-\u00f4][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass(frozen=True)
class ReadResult:
    """What one file holds: its encoding and the articles in it (one, or several for JSONL)."""

    encoding: str
    articles: tuple[Article, ...]
    repairs: tuple[str, ...] = ()  # e.g. ("mojibake",): what parse will repair in the text
    skipped: tuple[str, ...] = ()  # reasons for records of a JSON file that were left out


# ---------------------------------------------------------------------------------------------
# bytes -> str


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data[4:8] == b"ftyp":
        return "video"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order of BOM-less UTF-16 text, else None.

    Text in one script keeps the high byte of each code unit on a few values (0x00 for Latin,
    0x06 for Arabic, ...) while the low byte varies: the half of the bytes that is concentrated
    is the high half. Latin text shows it as NULs in every other byte; Arabic mostly does not.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if _concentrated(odd) and not _concentrated(even):
        return "utf-16-le"
    if _concentrated(even) and not _concentrated(odd):
        return "utf-16-be"
    return None


def _concentrated(half: bytes) -> bool:
    top = Counter(half).most_common(3)
    return sum(n for _, n in top) > 0.9 * len(half)


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read with, and what decoding had to do."""

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


def _detect(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` by the evidence in it. Raises a ReadError when impossible."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable bytes (invalid {name} after its BOM)") from exc
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise BinaryFileError("binary file (NUL bytes)")
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError as exc:
            raise BinaryFileError("binary file (NUL bytes)") from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    if declared:
        reading = _declared_reading(data, declared)
        if reading is not None:
            return reading
    return _guess(data)


# Labels that browsers (WHATWG Encoding Standard) read as another, larger encoding: pages
# labelled ISO-8859-1 are written in cp1252 far more often than not, and Latin-1 turns its
# curly quotes, dashes and euro sign into C1 controls that cleaning then deletes.
_WHATWG_LABELS = {
    "cp1252": "iso-8859-1 iso8859-1 iso_8859-1 iso88591 latin1 latin-1 l1 us-ascii ascii cp819"
    " ibm819 iso-ir-100 x-cp1252",
    "cp1254": "iso-8859-9 iso8859-9 iso_8859-9 latin5 l5",
    "cp874": "iso-8859-11 iso8859-11 tis-620 dos-874",
    "gb18030": "gb2312 gb_2312-80 x-gbk gbk chinese",
    "cp949": "ks_c_5601-1987 euc-kr korean windows-949",
}
_WHATWG_CODECS = {
    label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()
}
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _declared_reading(data: bytes, declared: str) -> Decoded | None:
    """The text as the page's own ``<meta charset>`` says, unless that reading is not text.

    A declared 8-bit charset decodes any bytes, so a wrong one (cp1250 Polish labelled
    ISO-8859-1: "Rz¹d og³osi³") would pass unnoticed; when its reading fits no language's
    alphabet (``_letter_fit`` below ``MIN_LETTER_FIT``) and the evidence-based guess fits
    one language's better, the guess is taken and ``declared-charset-ignored:LABEL`` recorded.
    """
    label = declared.strip().lower()
    codec = _WHATWG_CODECS.get(label, label)
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    name = label if codec == label else codec
    if not _single_byte(codec):
        return Decoded(text, name)
    fit = _letter_fit(text)[0]
    if fit >= MIN_LETTER_FIT:
        return Decoded(text, name)
    try:
        guessed = _guess(data)
    except DecodeError:
        return Decoded(text, name)
    guessed_fit, language = _letter_fit(guessed.text)
    if guessed_fit <= fit or language == "-":
        # "-": the guess reads no letter beyond ASCII, so it has nothing to be right about
        # (a stray "Â" with curly quotes is no reason to read a cp1252 page as Hebrew).
        return Decoded(text, name)
    return replace(guessed, repairs=(f"declared-charset-ignored:{label}", *guessed.repairs))


def _single_byte(codec: str) -> bool:
    """Whether ``codec`` reads every byte as one character (cp1252, ISO-8859-x, KOI8-R...)."""
    if codecs.lookup(codec).name.startswith("utf"):
        return False
    return len(_HIGH_BYTES.decode(codec, errors="replace")) == len(_HIGH_BYTES)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with its few invalid bytes replaced (U+FFFD), when it is UTF-8 but for them.

    A legacy 8-bit text seldom holds a valid multi-byte UTF-8 sequence (a lead byte followed
    by exactly the right continuation bytes: a letter before an Arabic comma in cp1256 is
    one), and then among many invalid bytes; a UTF-8 text with stray bytes is the other way
    round. Each valid sequence weighs its continuation bytes: three-byte ones (curly quotes,
    dashes) almost never occur by chance.
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    evidence = sum(len(ch.encode()) - 1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if evidence == 0:
        return None
    if invalid > STRAY_BYTES_PER_UTF8_EVIDENCE * evidence:
        # Outnumbered valid sequences still decide when the invalid bytes are few (under 1 %
        # of the text; in an 8-bit text in a non-Latin script nearly every letter is one) and
        # an 8-bit reading turns the valid ones into mojibake ("Â£" for "£").
        if invalid * 100 > len(data) or not has_mojibake(data.decode("latin-1")):
            return None
    return Decoded(text, "utf-8", (f"replaced-invalid-bytes:{invalid}",))


# How many invalid bytes one continuation byte of valid UTF-8 outweighs (see ``_mostly_utf8``).
STRAY_BYTES_PER_UTF8_EVIDENCE = 2


# The 8-bit encodings tried, in order of preference when two read the bytes equally well
# (cp1252 is the most common; cp1256 before cp1251/cp1253, whose letters an Arabic text also
# decodes to, while Cyrillic or Greek text read as cp1256 mixes scripts inside words).
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1250",
    "cp1256",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "latin-1",
)
# Below this share of plausible letters no 8-bit reading is trusted (see ``_letter_fit``).
MIN_LETTER_FIT = 0.6
_WORD = re.compile(r"\w+")
# What may sit inside a word: marks (Arabic vowel signs), the soft hyphen, apostrophes and
# dashes (categories Pi/Pf/Pd), the Catalan middle dot. Symbols, other punctuation (¿) and
# superscript digits glued to letters are Polish or Czech read as cp1252 ("b¹dŸ", "mo¿e").
_IN_WORD = {"Mn", "Mc", "Me", "Cf", "Pi", "Pf", "Pd", "Nd"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_GLUED = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f](?=[^\W\d_])")


def _guess(data: bytes) -> Decoded:
    """An 8-bit text: the encoding whose reading fits the letters of one language best."""
    best: tuple[float, int, str, str, str] | None = None
    for rank, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        fit, language = _letter_fit(text)
        key = (fit, -rank, encoding, text, language)
        if best is None or key > best:
            best = key
    if best is not None and best[0] >= MIN_LETTER_FIT:
        return Decoded(best[3], best[2], (f"encoding-guessed:{best[2]}/{best[4]}",))
    # No 8-bit reading fits a language: perhaps a multi-byte legacy encoding (GBK, Shift-JIS),
    # which charset-normalizer knows; its reading must fit better than the best 8-bit one.
    from charset_normalizer import from_bytes

    found = from_bytes(data).best()
    if found is not None and (best is None or _letter_fit(str(found))[0] > best[0]):
        return Decoded(str(found), found.encoding, (f"encoding-guessed:{found.encoding}",))
    if best is None or found is None:
        raise DecodeError("undecodable bytes (no text encoding fits)")
    return Decoded(best[3], best[2], (f"encoding-guessed:{best[2]}/{best[4]}",))


def _letter_fit(text: str) -> tuple[float, str]:
    """How well ``text`` reads as one language: (share, language code).

    The share is the non-ASCII letters that belong to the best-fitting language's alphabet,
    over all non-ASCII letters plus the symbols found inside words ("b¹dŸ" is Polish read as
    cp1252). Letters of a word that mixes scripts ("niсos") count as misfits. A text with no
    non-ASCII letter fits perfectly: every candidate reads it the same way but for punctuation.
    """
    sample = text[:100_000]
    letters: Counter = Counter()
    misfits = 0
    for word in _WORD.findall(sample):
        if word.isascii():
            continue
        alpha = [ch for ch in word if ch.isalpha()]
        high = [ch.lower() for ch in alpha if ord(ch) > 0x7F]
        if len({_script(ch) for ch in alpha}) > 1 or _case_flips(word):
            misfits += len(high)
        else:
            letters.update(high)
    # Symbols and controls glued to letters; \w does not match them, so they split words.
    for found in _GLUED.finditer(sample):
        category = unicodedata.category(found.group())
        if category not in _IN_WORD and category[0] != "C" and found.group() not in "\u00b7\u2026":
            misfits += 1
    misfits += _stray_marks_and_controls(sample)
    total = sum(letters.values()) + misfits
    if total == 0:
        return 1.0, "-"
    language, covered = max(
        (
            (code, sum(n for ch, n in letters.items() if ch in alphabet))
            for code, alphabet in _alphabets().items()
        ),
        key=lambda item: item[1],
    )
    return covered / total, language


def _stray_marks_and_controls(sample: str) -> int:
    """Controls (C1: cp1252 punctuation read as latin-1), unassigned characters, and combining
    marks that follow no letter (Hebrew points where cp1255 reads Latin bytes)."""
    count = 0
    for run in _NON_ASCII.finditer(sample):
        after_letter = run.start() > 0 and sample[run.start() - 1].isalpha()
        for ch in run.group():
            category = unicodedata.category(ch)
            if category in ("Cc", "Cn", "Co") or (category[0] == "M" and not after_letter):
                count += 1
            if category[0] != "M":
                after_letter = category[0] == "L"
    return count


def _case_flips(word: str) -> bool:
    """A lower-case letter followed by a capital: Arabic read as Greek or Cyrillic ("ΚήαΘΗα")."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ", 1)[0]


# Languages written with an 8-bit Windows code page, whose alphabets decide between readings.
ALPHABET_LANGUAGES = (
    "en es pt de fr it nl id ms sv da nb fi is ca ga "  # cp1252
    "cs pl sk sl hu hr ro sq bs "  # cp1250
    "ru uk bg sr mk be "  # cp1251
    "el tr az he ar fa ur lt lv et"  # cp1253-cp1257
).split()
# A letter belongs to a language's alphabet when CLDR writes it at least this often in the
# language's own names of countries, languages, months and weekdays; rarer ones come from
# foreign names ("Curaçao", "Åland").
MIN_LETTER_USES = 3


ALPHABETS_FILE = Path(__file__).parent / "data" / "alphabets.json"


@lru_cache(maxsize=1)
def _alphabets() -> dict[str, frozenset[str]]:
    """Each language's non-ASCII lower-case letters (shipped; see ``build_alphabets``)."""
    with open(ALPHABETS_FILE, encoding="utf-8") as handle:
        return {code: frozenset(letters) for code, letters in json.load(handle).items()}


def write_alphabets() -> None:
    """Rebuild ``data/alphabets.json`` (the same bytes for the same Babel version)."""
    with open(ALPHABETS_FILE, "w", encoding="utf-8") as out:
        json.dump(build_alphabets(), out, ensure_ascii=False, indent=0, sort_keys=True)
        out.write("\n")


def build_alphabets() -> dict[str, str]:
    """Each language's non-ASCII lower-case letters as CLDR (through Babel) writes them.

    Built once into ``data/alphabets.json`` by ``write_alphabets``: reading the CLDR data of
    38 locales costs 0.6 s of CPU, too much for every worker process that meets an 8-bit file.
    """
    from babel import Locale

    alphabets = {}
    for code in ALPHABET_LANGUAGES:
        locale = Locale.parse(code)
        names = [*locale.territories.values(), *locale.languages.values()]
        for context in ("format", "stand-alone"):
            names += [*locale.months[context]["wide"].values()]
            names += [*locale.days[context]["wide"].values()]
        uses = Counter(ch for name in names for ch in name.lower() if ord(ch) > 0x7F)
        letters = (ch for ch, n in uses.items() if ch.isalpha() and n >= MIN_LETTER_USES)
        alphabets[code] = "".join(sorted(letters))
    return alphabets


def _check_text(text: str) -> None:
    if not text.strip(_INVISIBLE):
        raise EmptyFileError("empty file (whitespace only)")
    controls = len(_CONTROL.findall(text, 0, 100_000))
    if controls > MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise BinaryFileError("binary file (control characters)")


def _check_length(text: str, *, lines: bool) -> None:
    if lines and len(text) > MAX_LINE_CHARS:
        longest = max(len(line) for line in text.splitlines())
        if longest > MAX_LINE_CHARS:
            raise TooLongError(
                f"line too long ({longest:,} characters; limit {MAX_LINE_CHARS:,})"
            )
    if len(text) > MAX_TEXT_CHARS:
        raise TooLongError(f"text too long ({len(text):,} characters; limit {MAX_TEXT_CHARS:,})")


def has_mojibake(text: str) -> bool:
    """Whether ftfy would repair mis-decoded text (UTF-8 read as cp1252, C1 controls)."""
    if _MOJIBAKE_HINT.search(text) is None:
        return False
    return _fix_mojibake(text) != text


def _fix_mojibake(text: str) -> str:
    if _MOJIBAKE_HINT.search(text) is None:
        return text
    import ftfy

    return ftfy.fix_text(text, _ftfy_config())


@lru_cache(maxsize=1)
def _ftfy_config():
    from ftfy import TextFixerConfig

    # Only undo wrong decodings; every other normalisation belongs to cleaning (which records
    # what it does), and HTML entities in plain text may be meant literally.
    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


# ---------------------------------------------------------------------------------------------
# read_bytes


def file_suffix(path: str) -> str:
    """The suffix that says how a file is read: ``.txt``, or ``.txt.gz`` for a compressed one."""
    suffixes = PurePath(path).suffixes
    if len(suffixes) >= 2 and suffixes[-1].lower() == GZIP_SUFFIX:
        return "".join(suffixes[-2:])
    return PurePath(path).suffix


def read_bytes(
    data: bytes, suffix: str, source: str, *, max_unpacked: int = MAX_UNPACKED_BYTES
) -> ReadResult:
    """Decode one file's bytes into articles; raise ReadError with the reason when impossible.

    A ``suffix`` ending in ``.gz`` (``.txt.gz``, ``.jsonl.gz``) is a gzip file of the inner
    type, unpacked to at most ``max_unpacked`` bytes.
    """
    if suffix.lower().endswith(GZIP_SUFFIX):
        inner = suffix[: -len(GZIP_SUFFIX)]
        if inner.lower() not in FORMATS:
            hint = f"{inner} inside" if inner else "what it holds is not named, as in x.txt.gz"
            raise UnsupportedFileError(f"unsupported file type {suffix} ({hint})")
        data, suffix = gunzip(data, max_unpacked), inner
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise UnsupportedFileError(f"unsupported file type {suffix or '(none)'}")
    if not data.strip():
        raise EmptyFileError("empty file")
    kind = _binary_kind(data)
    if kind is not None:
        raise BinaryFileError(f"binary file ({kind})")
    declared = None
    if fmt == "html":
        found = _META_CHARSET.search(data[:4096])
        declared = found.group(1).decode("ascii") if found else None
    decoded = _detect(data, declared)
    text, encoding = decoded.text, decoded.encoding
    _check_text(text)
    if fmt == "json":
        articles, skipped = _json_articles(text, suffix.lower(), source)
        return ReadResult(encoding, articles, decoded.repairs, skipped)
    _check_length(text, lines=fmt in _LINED)
    repairs = decoded.repairs
    if fmt in _LINED and has_mojibake(text):
        repairs += ("mojibake",)
    return ReadResult(encoding, (Article(raw=text, format=fmt, source=source),), repairs)


def gunzip(data: bytes, limit: int) -> bytes:
    """The unpacked bytes of a gzip file; a ReadError when it is corrupt or unpacks beyond
    ``limit`` bytes (a small file can unpack to gigabytes: it is never unpacked further)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            unpacked = packed.read(limit + 1)
    except EOFError as exc:
        raise DecodeError("corrupt gzip file (truncated)") from exc
    except (OSError, zlib.error) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DecodeError(f"corrupt gzip file ({reason})") from exc
    if len(unpacked) > limit:
        raise TooLongError(f"gzip file unpacks to over {limit:,} bytes (the --max-bytes limit)")
    return unpacked


@dataclass(frozen=True)
class _Unparsed:
    """A JSON line that does not parse, and why."""

    reason: str


def _json_records(text: str, suffix: str) -> list[tuple[str, Any]]:
    """The records of a JSON or JSON Lines text, each with where it is ("record 2", "line 7")."""
    stripped = text.lstrip()
    if suffix == ".json" or stripped[:1] == "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            if suffix == ".json":
                raise InvalidRecordError(f"invalid JSON ({exc.msg}, line {exc.lineno})") from exc
        else:
            if isinstance(value, dict):
                for key in ("articles", "data", "items", "records", "results"):
                    inner = value.get(key)
                    if isinstance(inner, list) and _text_field(value) is None:
                        value = inner
                        break
                else:
                    value = [value]
            if isinstance(value, list):
                return [(f"record {number}", item) for number, item in enumerate(value, start=1)]
            raise InvalidRecordError("invalid JSON (not an object or a list of objects)")
    records: list[tuple[str, Any]] = []
    bad = 0
    for number, line in enumerate(JSON_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            bad += 1
            records.append((f"line {number}", _Unparsed(f"{exc.msg}, column {exc.colno}")))
    if bad and bad == len(records):
        raise InvalidRecordError("invalid JSON lines (no line parses)")
    return records


def _json_articles(text: str, suffix: str, source: str) -> tuple[tuple[Article, ...], tuple]:
    articles: list[Article] = []
    skipped: list[str] = []
    for where, record in _json_records(text, suffix):
        if isinstance(record, _Unparsed):
            skipped.append(f"{where}: invalid JSON ({record.reason})")
            continue
        if not isinstance(record, dict):
            skipped.append(f"{where}: not a JSON object")
            continue
        body = _text_field(_article_record(record))
        if not body:
            skipped.append(f"{where}: no article text")
            continue
        if len(body) > MAX_TEXT_CHARS:
            skipped.append(f"{where}: text too long ({len(body):,} characters)")
            continue
        raw = json.dumps(record, ensure_ascii=False)
        if _EXPORT_KEYS <= record.keys():
            label = record["source"] if isinstance(record.get("source"), str) else source
            articles.append(Article(raw=raw, format=EXPORTED, source=label or source))
        else:
            articles.append(Article(raw=raw, format="json", source=source))
    if not articles:
        reason = skipped[0].split(": ", 1)[1] if len(skipped) == 1 else "no article records"
        raise InvalidRecordError(f"no usable JSON record ({reason})")
    return tuple(articles), tuple(skipped)


# ---------------------------------------------------------------------------------------------
# JSON fields

_TEXT_FIELDS = ("maintext", "text", "body", "content", "article", "full_text", "fulltext")
_TITLE_FIELDS = ("title", "headline")
_DATE_FIELDS = (
    "date_publish",
    "published",
    "date_published",
    "datePublished",
    "published_at",
    "publish_date",
    "pubDate",
    "date",
    "date_gmt",
)
_URL_FIELDS = ("url", "link", "canonical_url", "source_url")
_LANG_FIELDS = ("language", "lang")
_SITE_FIELDS = ("source_domain", "site_name", "sitename", "outlet", "source")
_AUTHOR_FIELDS = ("authors", "author", "byline")


# Keys under which crawls and APIs wrap one article's fields one level down:
# {"article": {...}}, {"data": {...}}, Elasticsearch's {"_source": {...}}, JSON:API's attributes.
_WRAPPER_FIELDS = (
    "article",
    "data",
    "item",
    "post",
    "record",
    "document",
    "doc",
    "_source",
    "attributes",
)


def _article_record(record: dict) -> dict:
    """The fields of the article a JSON record holds: the record's own, or those of the object
    it wraps one level down (merged over the record's other fields, so a URL or date beside
    the wrapped object still counts)."""
    if _text_field(record) is not None:
        return record
    for key in _WRAPPER_FIELDS:
        inner = record.get(key)
        if isinstance(inner, dict) and _text_field(inner) is not None:
            return {**{k: v for k, v in record.items() if k != key}, **inner}
    return record


def _as_text(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("rendered"), str):
        # WordPress REST API: {"title": {"rendered": "..."}, "content": {"rendered": "<p>..."}}
        value = value["rendered"]
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        joined = "\n\n".join(v for v in value if v.strip())
        return joined or None
    return None


def _first(record: dict, fields: tuple[str, ...]) -> tuple[str | None, str | None]:
    for name in fields:
        value = _as_text(record.get(name))
        if value is not None:
            return value, name
    return None, None


def _text_field(record: dict) -> str | None:
    return _first(record, _TEXT_FIELDS)[0]


def _iso_date(value: Any) -> str | None:
    """An ISO 8601 date/datetime from a JSON date value, or None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return epoch_date(value)
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if is_epoch_digits(candidate):
        return epoch_date(int(candidate))
    if candidate.endswith("Z"):
        candidate = candidate[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return rfc2822_date(candidate)
    if len(candidate) == 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _parse_json(article: Article) -> Article:
    try:
        record = json.loads(article.raw)
    except json.JSONDecodeError:
        return replace(article, text="")
    if not isinstance(record, dict):
        return replace(article, text="")
    record = _article_record(record)
    text = _text_field(record) or ""
    title = _first(record, _TITLE_FIELDS)[0]
    if _is_markup(text):
        # Dumps of CMS content (WordPress's content.rendered, scraped "content" fields) hold
        # HTML: its tags and scripts would otherwise be stored and searched as words.
        text = markup_text(text)
        title = markup_text(title) if title else title
    published = method = unread = None
    for name in _DATE_FIELDS:
        if name in record:
            published = _iso_date(record[name])
            if published:
                method = f"json:{name}"
                break
            if unread is None and (written := _unread_date(record[name])) is not None:
                unread = (f"json:{name}", written)
    author = record.get("authors", record.get("author", record.get("byline")))
    if isinstance(author, list):
        author = ", ".join(a for a in author if isinstance(a, str) and a.strip()) or None
    meta = Metadata(
        title=title.strip() if title else None,
        published=published,
        published_method=method,
        url=_first(record, _URL_FIELDS)[0],
        language=_first(record, _LANG_FIELDS)[0],
        site_name=_first(record, _SITE_FIELDS)[0],
        author=author if isinstance(author, str) and author.strip() else None,
        published_unread=None if published else unread,
    )
    return replace(article, text=text, meta=meta)


def _unread_date(value: Any) -> str | None:
    """A date value written that reads as no date; None for an empty one, or zeros (a zeroed
    epoch: "no date")."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    written = str(value).strip()
    return written if written.strip("0") else None


# HTML tags that only markup has: two of them (or one closing tag) make a JSON text HTML.
_MARKUP_TAG = re.compile(
    r"</(?:p|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|td|tr"
    r"|script|style)\s*>|<(?:br|hr|img)\b[^<>]*/?>",
    re.IGNORECASE,
)
_MARKUP_BLOCKS = frozenset(
    "p div br hr li ul ol h1 h2 h3 h4 h5 h6 blockquote figure figcaption table tr section "
    "article header footer aside pre".split()
)
_MARKUP_HIDDEN = frozenset("script style noscript template iframe svg".split())
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _is_markup(text: str) -> bool:
    return bool(_MARKUP_TAG.search(text))


class _MarkupText(HTMLParser):
    """The text of an HTML fragment: paragraphs at block tags, no scripts, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def _break(self) -> None:
        # A blank line in the text between tags is a paragraph break too: dumps mix the two.
        for piece in _BLANK_LINE.split("".join(self.current)):
            paragraph = " ".join(piece.split())
            if paragraph:
                self.paragraphs.append(paragraph)
        self.current = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _MARKUP_HIDDEN:
            self.hidden += 1
        elif tag in _MARKUP_BLOCKS:
            self._break()

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in _MARKUP_BLOCKS:
            self._break()

    def handle_endtag(self, tag) -> None:
        if tag in _MARKUP_HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _MARKUP_BLOCKS:
            self._break()

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.current.append(data)


def markup_text(fragment: str) -> str:
    """The plain text of an HTML fragment, one paragraph per block, "\n\n" between them."""
    parser = _MarkupText()
    parser.feed(fragment)
    parser.close()
    parser._break()
    return "\n\n".join(parser.paragraphs)


# ---------------------------------------------------------------------------------------------
# HTML


def _parse_html(article: Article, now: datetime | None) -> Article:
    import trafilatura

    max_date = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    try:
        doc = trafilatura.bare_extraction(
            article.raw,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Markup-only date search here; the page text is searched below only when needed.
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": max_date,
            },
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    if doc is None:
        return replace(article, text="")
    text = (doc.text or "")[:MAX_TEXT_CHARS]
    published, method = doc.date, "html:markup"
    if published and doc.url:
        found = _URL_DATE.search(doc.url)
        if found and "-".join(found.groups()) == published:
            method = "html:url"
    if not published and text:
        published, method = _text_date(article.raw, doc.url, max_date), "html:text"
    meta = Metadata(
        title=(doc.title or "").strip() or None,
        published=published or None,
        published_method=method if published else None,
        url=doc.url or None,
        language=_html_lang(article.raw),
        site_name=doc.sitename or None,
        author=doc.author or None,
    )
    return replace(article, text=text, meta=meta)


def _text_date(raw: str, url: str | None, max_date: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(
            raw, extensive_search=True, original_date=True, url=url, max_date=max_date
        )
    except Exception:  # htmldate raises assorted errors on broken markup
        return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|$)")
_HTML_LANG = re.compile(r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""")


def _html_lang(raw: str) -> str | None:
    found = _HTML_LANG.search(raw, 0, 20_000)
    return found.group(1).lower() if found else None


# ---------------------------------------------------------------------------------------------
# parse stage


def parse(article: Article, resources) -> Article:
    """Stage: the article text and metadata inside ``raw`` (given metadata wins)."""
    if article.format == "html":
        parsed = _parse_html(article, getattr(resources, "now", None))
    elif article.format == "json":
        parsed = _parse_json(article)
    elif article.format == "markdown":
        parsed = replace(article, text=markdown_text(_fix_mojibake(article.raw)))
    else:
        parsed = replace(article, text=_fix_mojibake(article.raw))
    return _with_given(parsed)


def _with_given(article: Article) -> Article:
    given = article.given
    if given is None:
        return article
    found = article.meta
    meta = Metadata(
        # an empty given title says "none of its own": the text's first line may still be one
        title=given.title or found.title,
        published=given.published or found.published,
        published_method=given.published_method if given.published else found.published_method,
        url=given.url or found.url,
        language=given.language or found.language,
        site_name=given.site_name or found.site_name,
        author=given.author or found.author,
    )
    return replace(article, meta=meta)


# ---------------------------------------------------------------------------------------------
# newsingest's own export: imported as it was exported, no stage run again

EXPORTED = "export"
# The keys that tell a record of ``newsingest export`` from any other JSON article.
_EXPORT_KEYS = {"body", "published_precision", "dates", "places", "urls", "removed"}


def restore(article: Article) -> Article:
    """An exported article as it was: title (or none), body, language, publication date and
    every mention, from the export record in ``raw``; an empty article when the record is
    malformed (it is then reported as giving no article text)."""
    try:
        record = json.loads(article.raw)
        title, body = record.get("title") or "", record["body"]
        if not isinstance(title, str) or not isinstance(body, str):
            raise TypeError("title and body must be text")
        return replace(
            article,
            text="",
            title=title,
            body=body,
            language=record.get("language"),
            language_probability=record.get("language_probability"),
            published=record.get("published"),
            published_precision=record.get("published_precision"),
            published_method=record.get("published_method"),
            credit=record.get("credit"),
            meta=Metadata(
                title=title or None,
                published=record.get("published"),
                published_method=record.get("published_method"),
                url=record.get("url"),
                site_name=record.get("site_name"),
                author=record.get("author"),
            ),
            dates=tuple(DateMention(**d) for d in record["dates"]),
            places=tuple(PlaceMention(**p) for p in record["places"]),
            urls=tuple(UrlMention(**u) for u in record["urls"]),
            removed=tuple(Removal(**r) for r in record["removed"]),
        )
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return replace(article, text="", title="", body="")

