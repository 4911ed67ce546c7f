"""Readers: encodings, formats, bad input, and the parse stage."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsingest import readers
from newsingest.article import Article
from newsingest.errors import (
    BinaryFileError,
    DecodeError,
    EmptyFileError,
    InvalidRecordError,
    ReadError,
    TooLongError,
    UnsupportedFileError,
)
from newsingest.pipeline import Resources

SEEDS = Path(__file__).parent / "data" / "seeds"

RES = Resources(
    now=datetime(2026, 1, 1, tzinfo=UTC), boilerplate=None, language=None, gazetteer=None
)

# Indonesian text with characters that differ between cp1252 and UTF-8 (curly quotes, é, –).
ID_TEXT = (
    "Harga “kopi” naik – kata pedagang café di Jakarta\n\n"
    "JAKARTA – Harga kopi di pasar naik tajam minggu ini, kata para pedagang.\n"
)


def only(result: readers.ReadResult) -> Article:
    assert len(result.articles) == 1
    return result.articles[0]


def test_seed_is_read_as_utf8_text():
    data = (SEEDS / "000_711718d73377f876.txt").read_bytes()
    result = readers.read_bytes(data, ".txt", "seeds")
    article = only(result)
    assert result.encoding == "utf-8"
    assert result.repairs == ()
    assert article.format == "text" and article.source == "seeds"
    assert article.raw == data.decode("utf-8")
    assert readers.parse(article, RES).text == article.raw


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf" + ID_TEXT.encode("utf-8"), "utf-8-bom"),
        (ID_TEXT.encode("utf-16"), "utf-16-le"),
        (b"\xfe\xff" + ID_TEXT.encode("utf-16-be"), "utf-16-be"),
        (ID_TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs in every other byte
        (ID_TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(data, encoding):
    result = readers.read_bytes(data, ".txt", "s")
    assert result.encoding == encoding
    assert only(result).raw == ID_TEXT


def test_latin1_pound_sign():
    text = "Deal worth £5m agreed\n\nThe club paid £5m for the striker, a record fee.\n"
    result = readers.read_bytes(text.encode("latin-1"), ".txt", "bbc")
    assert only(result).raw == text


def test_mojibake_is_recorded_and_repaired_by_parse():
    text = "Asosiasi padel\n\nPada 1988, \"AsociaciÃ³n Padel Argentina\" berdiri â€“ kata dia.\n"
    result = readers.read_bytes(text.encode("utf-8"), ".txt", "detik")
    article = only(result)
    assert result.repairs == ("mojibake",)
    assert article.raw == text  # raw stays the decoded original
    parsed = readers.parse(article, RES)
    assert "Asociación Padel Argentina" in parsed.text
    assert "â€“" not in parsed.text


@pytest.mark.parametrize(
    ("data", "suffix", "error", "message"),
    [
        (b"", ".txt", EmptyFileError, "empty file"),
        (b"  \r\n\t \n", ".txt", EmptyFileError, "empty file"),
        ("\u00a0\u200b\n".encode(), ".txt", EmptyFileError, "empty file (whitespace only)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), ".txt", BinaryFileError, "binary file (PNG image)"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)), ".html", BinaryFileError, "binary file (JPEG"),
        (b"abc\x00\x01\x02def\x00\x00\x00" * 50, ".txt", BinaryFileError, "(NUL bytes)"),
        (b"text \x01\x02\x03\x04 more \x05\x06\x07" * 40, ".txt", BinaryFileError, "control"),
        (bytes(range(128, 256)) * 20, ".txt", DecodeError, "undecodable bytes"),
        (b"hello", ".pdf", UnsupportedFileError, "unsupported file type .pdf"),
        (b"hello", "", UnsupportedFileError, "unsupported file type (none)"),
        (b"{not json", ".json", InvalidRecordError, "invalid JSON"),
        (b'[{"title": "no text"}]', ".json", InvalidRecordError, "no article text"),
    ],
)
def test_bad_input_raises_read_error_with_reason(data, suffix, error, message):
    with pytest.raises(error) as info:
        readers.read_bytes(data, suffix, "s")
    assert isinstance(info.value, ReadError)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_5mb_single_line_is_rejected_as_too_long():
    data = b"kata " * 1_000_000
    with pytest.raises(TooLongError, match=r"line too long \(5,000,000 characters"):
        readers.read_bytes(data, ".txt", "s")


def test_long_but_plausible_flattened_article_is_read():
    data = ("Ini kalimat berita yang panjang sekali. " * 3000).encode()  # 120,000 characters
    assert len(only(readers.read_bytes(data, ".txt", "s")).raw) == 120_000


PAGE = """<html lang="en"><head><title>Big storm hits coast | Example News</title>
<meta property="og:title" content="Big storm hits coast">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://news.example.com/world/big-storm">
<meta property="article:published_time" content="2021-03-11T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>
<h1>Big storm hits coast</h1>{paragraphs}</article>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"""
PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the storm brought heavy rain and strong winds to the coastal towns on "
    "Friday, officials said, and thousands of homes lost power overnight.</p>"
    for i in range(6)
)


def test_html_main_text_and_metadata():
    data = PAGE.format(paragraphs=PARAGRAPHS).encode()
    result = readers.read_bytes(data, ".html", "web")
    article = readers.parse(only(result), RES)
    assert article.format == "html"
    assert "Paragraph 3: the storm brought heavy rain" in article.text
    assert "All rights reserved" not in article.text
    assert "Home" not in article.text.split("\n")
    meta = article.meta
    assert meta.title == "Big storm hits coast"
    assert meta.published == "2021-03-11" and meta.published_method == "html:markup"
    assert meta.url == "https://news.example.com/world/big-storm"
    assert meta.site_name == "Example News"
    assert meta.author == "Jane Doe"
    assert meta.language == "en"


def test_html_meta_charset_is_honoured():
    page = PAGE.format(paragraphs=PARAGRAPHS + "<p>Le café était fermé à Montréal.</p>")
    page = page.replace("<head>", '<head><meta charset="windows-1252">')
    result = readers.read_bytes(page.encode("cp1252"), ".htm", "web")
    assert result.encoding == "windows-1252"
    assert "Le café était fermé à Montréal." in readers.parse(only(result), RES).text


def _labelled_page(label: str, text: str) -> str:
    return f'<html><head><meta charset="{label}"></head><body><p>{text}</p></body></html>'


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "us-ascii"])
def test_html_labelled_latin1_is_read_as_cp1252_like_a_browser(label):
    page = _labelled_page(label, ID_TEXT + "Harganya naik 5€ sehari.")
    result = readers.read_bytes(page.encode("cp1252"), ".html", "web")
    assert result.encoding == "cp1252"
    assert only(result).raw == page  # Latin-1 would make C1 controls of “ ” – €


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("pl_wiadomosci.txt", "iso-8859-1"),
        ("pl_wiadomosci.txt", "windows-1252"),
        ("pl_wiadomosci.txt", "windows-1256"),
        ("cs_zpravy.txt", "windows-1256"),
    ],
)
def test_html_whose_declared_charset_reads_as_no_language_is_decoded_by_evidence(name, label):
    page = _labelled_page(label, (DECODING / name).read_text(encoding="utf-8"))
    result = readers.read_bytes(page.encode("cp1250"), ".html", "web")
    assert only(result).raw == page
    assert result.repairs[0] == f"declared-charset-ignored:{label}"


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[1] / "samples").glob("es_fakedes/*.txt"))
)
@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1"])
def test_html_whose_declared_charset_is_right_keeps_it(path, label):
    page = _labelled_page(label, _original(path))
    result = readers.read_bytes(page.encode("cp1252"), ".html", "web")
    assert only(result).raw == page
    assert not result.repairs


def test_html_date_from_url():
    page = PAGE.format(paragraphs=PARAGRAPHS).replace(
        '<meta property="article:published_time" content="2021-03-11T08:00:00Z">', ""
    )
    page = page.replace("/world/big-storm", "/2021/03/12/big-storm")
    article = readers.parse(only(readers.read_bytes(page.encode(), ".html", "web")), RES)
    assert (article.meta.published, article.meta.published_method) == ("2021-03-12", "html:url")


def test_html_without_main_text_parses_to_empty_text():
    data = b"<html><head><title>x</title></head><body><div></div><script>1</script></body></html>"
    article = readers.parse(only(readers.read_bytes(data, ".html", "web")), RES)
    assert article.text == ""


NEWS_PLEASE = {
    "authors": ["Jane Doe", "John Roe"],
    "date_download": "2017-11-15 10:00:00",
    "date_publish": "2017-11-14 14:10:15",
    "description": "A short summary.",
    "language": "en",
    "maintext": "The council approved the budget on Tuesday.\n\nIt takes effect in January.",
    "source_domain": "news.example.com",
    "title": "Council approves budget",
    "url": "https://news.example.com/council-budget",
}


def test_news_please_json_imports_directly():
    data = json.dumps(NEWS_PLEASE).encode()
    article = readers.parse(only(readers.read_bytes(data, ".json", "np")), RES)
    assert article.format == "json"
    assert article.text == NEWS_PLEASE["maintext"]
    meta = article.meta
    assert meta.title == "Council approves budget"
    assert (meta.published, meta.published_method) == ("2017-11-14T14:10:15", "json:date_publish")
    assert meta.url == NEWS_PLEASE["url"]
    assert meta.language == "en"
    assert meta.site_name == "news.example.com"
    assert meta.author == "Jane Doe, John Roe"


def test_json_list_and_jsonl_give_one_article_per_record():
    records = [
        {"title": "A", "text": "First body.", "published": "2020-01-02"},
        {"headline": "B", "content": "Second body.", "date": "2020-01-03T10:00:00Z"},
        {"title": "no text here"},
    ]
    result = readers.read_bytes(json.dumps(records).encode(), ".json", "dump")
    assert [readers.parse(a, RES).text for a in result.articles] == ["First body.", "Second body."]
    assert result.skipped == ("record 3: no article text",)
    second = readers.parse(result.articles[1], RES)
    assert second.meta.title == "B"
    assert second.meta.published == "2020-01-03T10:00:00+00:00"

    lines = "\n".join(json.dumps(r) for r in records[:2]) + "\n{broken\n\n"
    result = readers.read_bytes(lines.encode(), ".jsonl", "dump")
    assert len(result.articles) == 2
    assert result.skipped == ("line 3: invalid JSON (Expecting property name enclosed in double "
                              "quotes, column 2)",)
    assert json.loads(result.articles[0].raw) == records[0]  # raw is the record's JSON text


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_jsonl_strings_may_hold_the_separators_json_leaves_unescaped(separator):
    records = [
        {"title": "A", "text": f"First paragraph.{separator}Second paragraph."},
        {"title": "B", "text": "Another article."},
    ]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    assert separator in lines  # Python writes it as it is
    result = readers.read_bytes(lines.encode(), ".jsonl", "dump")
    assert [json.loads(a.raw) for a in result.articles] == records
    assert result.skipped == ()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_bad_jsonl_line_is_named_by_its_line_number(newline):
    good = json.dumps({"title": "A", "text": "Body."})
    text = newline.join([good, "", '{"text": "cut off', good, '["not", "an", "object"]']) + newline
    result = readers.read_bytes(text.encode(), ".jsonl", "dump")
    assert len(result.articles) == 2
    assert result.skipped == (
        "line 3: invalid JSON (Unterminated string starting at, column 10)",
        "line 5: not a JSON object",
    )


def test_json_text_in_html_is_read_as_text():
    record = {
        "title": "Harga &#8220;kopi&#8221; naik",
        "content": '<p>JAKARTA &#8211; Harga <strong>kopi</strong> naik.</p>\n<p class="x">Kata '
        'pedagang &amp; pembeli.<br/>Baris baru.</p><script>var ads = 1;</script>'
        '<style>p {color: red}</style><figure><img src="a.jpg"/><figcaption>Foto</figcaption>'
        "</figure>",
    }
    read = readers.read_bytes(json.dumps(record).encode(), ".json", "d")
    article = readers.parse(only(read), RES)
    assert article.text == (
        "JAKARTA – Harga kopi naik.\n\nKata pedagang & pembeli.\n\nBaris baru.\n\nFoto"
    )
    assert article.meta.title == "Harga “kopi” naik"


@pytest.mark.parametrize(
    "text",
    [
        "Harga naik dari 5 < 6 menjadi 7 > 6, kata dia. AT&T & Co.",
        "Sebut saja <nama> dalam surat itu.\n\nParagraf kedua.",
    ],
)
def test_json_plain_text_with_angle_brackets_is_left_as_it_is(text):
    read = readers.read_bytes(json.dumps({"text": text}).encode(), ".json", "d")
    assert readers.parse(only(read), RES).text == text


_WORDS = st.text(alphabet="abcdefghij klmnopq\u00e9\u00f1", min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS.filter(lambda w: w.split()), min_size=1, max_size=6))
def test_paragraphs_in_p_tags_come_back_as_paragraphs(paragraphs):
    fragment = "".join(f"<p>{p}</p>" for p in paragraphs)
    assert readers.markup_text(fragment) == "\n\n".join(" ".join(p.split()) for p in paragraphs)


@pytest.mark.parametrize("value", [1764720000, "1764720000", 1764720000000, "1764720000000"])
def test_json_epoch_dates_as_numbers_or_digits(value):
    record = {"text": "Body.", "datePublished": value}
    read = readers.read_bytes(json.dumps(record).encode(), ".json", "d")
    assert readers.parse(only(read), RES).meta.published == "2025-12-03T00:00:00+00:00"


def test_json_unparseable_date_is_left_out():
    data = json.dumps({"text": "Body.", "date": "yesterday"}).encode()
    article = readers.parse(only(readers.read_bytes(data, ".json", "d")), RES)
    assert article.meta.published is None and article.meta.published_method is None


def test_json_rss_pubdate_is_read_in_its_own_zone():
    record = {"text": "Body.", "pubDate": "Wed, 03 Dec 2025 06:30:00 +0700"}
    read = readers.read_bytes(json.dumps(record).encode(), ".json", "d")
    article = readers.parse(only(read), RES)
    assert (article.meta.published, article.meta.published_method) == (
        "2025-12-03T06:30:00+07:00",
        "json:pubDate",
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".json", ".jsonl", ".xyz"]))
def test_read_bytes_raises_only_read_errors(data, suffix):
    try:
        result = readers.read_bytes(data, suffix, "s")
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        for article in result.articles:
            readers.parse(article, RES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(["text", "markdown", "html", "json"]))
def test_parse_never_raises(text, fmt):
    article = readers.parse(Article(raw=text, format=fmt), RES)
    assert isinstance(article.text, str)


# ---------------------------------------------------------------------------------------------
# Decoding by evidence: real articles re-encoded must read back identical.

SAMPLES = Path(__file__).parents[1] / "samples"
DECODING = Path(__file__).parent / "data" / "decoding"
# The shared corpus beside a clone (when present) adds the languages whose articles the
# repository cannot carry (Arabic, German, Portuguese); the benchmark covers all of it.
SHARED_CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
RE_ENCODINGS = ("latin-1", "cp1252", "cp1250", "cp1256", "utf-16", "utf-16-le", "utf-16-be")


def _original(path: Path) -> str:
    return only(readers.read_bytes(path.read_bytes(), ".txt", "s")).raw


def _re_encoded_cases(paths) -> list:
    cases = []
    for path in paths:
        text = _original(path)
        for encoding in RE_ENCODINGS:
            try:
                text.encode(encoding)
            except UnicodeEncodeError:
                continue  # this article cannot be written in this encoding
            name = f"{path.parent.name}/{path.stem}-{encoding}"
            cases.append(pytest.param(path, encoding, id=name))
    return cases


SAMPLE_ARTICLES = sorted(SAMPLES.glob("es_fakedes/*.txt")) + sorted(
    SAMPLES.glob("ms_malaya_news_2018/*.txt")
)


@pytest.mark.parametrize(("path", "encoding"), _re_encoded_cases(SAMPLE_ARTICLES))
def test_re_encoded_article_reads_back_identical(path, encoding):
    original = _original(path)
    result = readers.read_bytes(original.encode(encoding), ".txt", "s")
    assert only(result).raw == original


def test_every_re_encoding_is_exercised_by_real_articles():
    covered = {case.values[1] for case in _re_encoded_cases(SAMPLE_ARTICLES)}
    assert covered == set(RE_ENCODINGS)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus not beside the clone")
@pytest.mark.parametrize("folder", ["ar_saudinewsnet_2015", "de_10kgnad", "pt_fakebr"])
def test_re_encoded_corpus_articles_of_other_languages(folder):
    paths = sorted((SHARED_CORPUS / folder).glob("*.txt"))[:25]
    tried = 0
    for case in _re_encoded_cases(paths):
        path, encoding = case.values
        original = _original(path)
        if any("\x80" <= ch <= "\x9f" for ch in original):
            continue  # C1 controls in the source: as 8-bit bytes they are cp1252 punctuation
        result = readers.read_bytes(original.encode(encoding), ".txt", "s")
        assert only(result).raw == original, (path.name, encoding)
        tried += 1
    assert tried >= 25


@pytest.mark.parametrize("name", ["cs_zpravy.txt", "pl_wiadomosci.txt"])
def test_czech_and_polish_in_cp1250_stay_cp1250(name):
    original = (DECODING / name).read_text(encoding="utf-8")
    result = readers.read_bytes(original.encode("cp1250"), ".txt", "s")
    assert result.encoding == "cp1250"
    assert result.repairs[0].startswith("encoding-guessed:cp1250/")
    assert only(result).raw == original


def test_spanish_in_cp1252_is_not_read_as_cp1250():
    original = _original(SAMPLES / "es_fakedes" / "0016_02a04a048f5f3189.txt")
    assert "ñ" in original
    result = readers.read_bytes(original.encode("cp1252"), ".txt", "s")
    assert result.encoding == "cp1252"
    assert result.repairs == ("encoding-guessed:cp1252/es",)
    assert "ń" not in only(result).raw


def test_indonesian_in_cp1252_stays_cp1252():
    result = readers.read_bytes(ID_TEXT.encode("cp1252"), ".txt", "s")
    assert (result.encoding, only(result).raw) == ("cp1252", ID_TEXT)


@pytest.mark.parametrize("path", SAMPLE_ARTICLES[:3] + SAMPLE_ARTICLES[-3:])
def test_utf8_with_stray_bytes_is_kept_as_utf8_with_the_bytes_replaced(path):
    original = _original(path) + "\nHarga “kopi” naik – kata pedagang café.\n"
    data = original.encode("utf-8")
    middle = len(data) // 2
    while data[middle] >= 0x80:
        middle += 1  # never inside a multi-byte character
    data = data[:10] + b"\x92" + data[10:middle] + b"\xe9\xff" + data[middle:]
    result = readers.read_bytes(data, ".txt", "s")
    assert result.encoding == "utf-8"
    assert result.repairs == ("replaced-invalid-bytes:3",)
    text = only(result).raw
    assert text.count("\ufffd") == 3 and text.replace("\ufffd", "") == original


def test_arabic_utf16_without_bom_is_recognised():
    # Arabic code units have no NUL byte: the high byte (0x06) repeating tells the byte order.
    text = "مرحبا بكم في الرياض\n" * 20
    for codec in ("utf-16-le", "utf-16-be"):
        result = readers.read_bytes(text.encode(codec), ".txt", "s")
        assert (result.encoding, only(result).raw) == (codec, text)


def test_repairs_are_recorded_for_the_file(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    original = _original(SAMPLES / "es_fakedes" / "0016_02a04a048f5f3189.txt")
    (folder / "latin.txt").write_bytes(original.encode("cp1252"))
    (folder / "stray.txt").write_bytes(original.encode("utf-8") + b"\xff\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["add", str(folder), "--workers", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    repairs = {}
    for article_id in ("1", "2"):
        shown = json.loads(runner.invoke(cli, ["show", article_id, "--format", "json"]).output)
        for f in shown["files"]:
            repairs[Path(f["path"]).name] = (f["encoding"], f["repairs"])
    assert repairs == {
        "latin.txt": ("cp1252", "encoding-guessed:cp1252/es"),
        "stray.txt": ("utf-8", "replaced-invalid-bytes:1"),
    }


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_letter_fit_is_a_share_for_any_text(text):
    fit, language = readers._letter_fit(text)
    assert 0.0 <= fit <= 1.0 and language


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F)))
def test_any_latin_text_in_cp1252_or_cp1250_decodes_to_some_text(text):
    for encoding in ("cp1252", "cp1250"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        try:
            result = readers.read_bytes(data, ".txt", "s")
        except ReadError:
            continue  # empty, binary-looking or undecodable: a reason, never a crash
        assert only(result).raw


def test_shipped_alphabets_are_rebuilt_identically():
    shipped = json.loads(readers.ALPHABETS_FILE.read_text(encoding="utf-8"))
    assert shipped == readers.build_alphabets()
    assert set("ñáéíóú") <= set(shipped["es"]) and set("ěščřžů") <= set(shipped["cs"])


# ---------------------------------------------------------------------------------------------
# JSON shapes of crawls and APIs


@pytest.mark.parametrize("wrapper", ["article", "data", "_source"])
def test_json_record_wrapped_one_level_is_read_with_the_fields_beside_it(wrapper):
    record = {
        "url": "https://news.example.id/banjir",
        wrapper: {"title": "Banjir Jakarta", "text": "Air naik dua meter.", "date": "2024-02-03"},
    }
    for suffix, data in ((".json", json.dumps(record)), (".jsonl", json.dumps(record) + "\n")):
        article = readers.parse(only(readers.read_bytes(data.encode(), suffix, "s")), RES)
        assert article.text == "Air naik dua meter."
        assert article.meta.title == "Banjir Jakarta"
        assert article.meta.published == "2024-02-03"
        assert article.meta.url == "https://news.example.id/banjir"


def test_a_wrapper_without_article_text_is_still_no_article_text():
    data = json.dumps([{"data": {"views": 3, "title": "x"}}, {"text": "Isi."}]).encode()
    assert readers.read_bytes(data, ".json", "s").skipped == ("record 1: no article text",)


def test_wordpress_rest_posts_are_read():
    posts = [
        {
            "id": 101,
            "date": "2024-03-01T07:30:00",
            "date_gmt": "2024-03-01T00:30:00",
            "link": "https://blog.example.id/2024/03/banjir/",
            "title": {"rendered": "Banjir &#8211; warga mengungsi"},
            "content": {
                "rendered": "<p>Warga <strong>Kampung Melayu</strong> mengungsi.</p>\n"
                "<p>Air naik &amp; surut.</p>",
                "protected": False,
            },
            "excerpt": {"rendered": "<p>Warga mengungsi.</p>"},
            "author": 3,
        }
    ]
    result = readers.read_bytes(json.dumps(posts).encode(), ".json", "wp")
    article = readers.parse(only(result), RES)
    assert article.text == "Warga Kampung Melayu mengungsi.\n\nAir naik & surut."
    assert article.meta.title == "Banjir – warga mengungsi"
    assert (article.meta.published, article.meta.published_method) == (
        "2024-03-01T07:30:00",
        "json:date",
    )
    assert article.meta.url == "https://blog.example.id/2024/03/banjir/"
    assert article.meta.author is None


def test_wordpress_date_gmt_is_used_when_there_is_no_local_date():
    post = {"content": {"rendered": "Isi."}, "date_gmt": "2024-03-01T00:30:00"}
    article = readers.parse(only(readers.read_bytes(json.dumps(post).encode(), ".json", "wp")), RES)
    assert (article.meta.published, article.meta.published_method) == (
        "2024-03-01T00:30:00",
        "json:date_gmt",
    )
