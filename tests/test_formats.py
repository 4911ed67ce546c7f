"""File formats beyond plain text, HTML and JSON: Markdown, upper-case extensions, gzip."""

from __future__ import annotations

import gzip
import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import markdown, readers
from newsingest.errors import ReadError, UnsupportedFileError
from newsingest.markdown import markdown_text

from .test_ingest import _add, _rows

MARKDOWN_ARTICLE = """# Banjir **Jakarta** meluas

Warga di [Kampung Melayu](https://www.antaranews.com/berita/123/banjir) mengungsi ke
![posko banjir](https://img.example.id/posko.jpg "Posko") posko _darurat_.

> Air naik **dua meter** dalam semalam, kata ~~petugas~~ warga.

* Kampung Melayu
- Bidara Cina
"""


def test_markdown_markup_is_reduced_to_its_words():
    text = markdown_text(MARKDOWN_ARTICLE)
    assert text.splitlines()[0] == "Banjir Jakarta meluas"
    assert "Kampung Melayu (https://www.antaranews.com/berita/123/banjir) mengungsi" in text
    assert "posko banjir (https://img.example.id/posko.jpg) posko darurat." in text
    assert "Air naik dua meter dalam semalam, kata petugas warga." in text
    assert "Kampung Melayu\nBidara Cina" in text
    for markup in ("#", "**", "](", "![", "~~", "> ", "* ", "- "):
        assert markup not in text


def test_markdown_leaves_words_with_underscores_and_products_alone():
    line = "file_name_here dan 2*3*4 serta harga_*promo*"
    assert markdown_text(line) == line


def test_markdown_reference_links_and_setext_headings():
    text = markdown_text('Judul\n=====\n\nLihat [laporan][1].\n\n[1]: https://bnpb.go.id/a "BNPB"')
    assert text.splitlines() == ["Judul", "", "", "Lihat laporan.", "", "https://bnpb.go.id/a"]


@pytest.mark.parametrize("mark", ["*", "**", "_", "~~"])
def test_a_long_line_of_unmatched_marks_is_left_as_it_is(mark):
    # every mark opens a span that never closes: without a bound on how far a span is sought,
    # this line (the longest allowed is 200,000 characters) would take minutes
    line = f"{mark}a " * (60_000 // (len(mark) + 2))
    assert markdown_text(line) == line


def test_emphasis_spans_are_sought_only_so_far():
    near = "**" + "x" * 10 + "**"
    far = "**" + "x" * (markdown.SPAN_CHARS + 1) + "**"
    assert markdown_text(near) == "x" * 10
    assert markdown_text(far) == far


PLAIN = st.text(alphabet=string.ascii_letters + string.digits + " .,;:?'\"\n", max_size=300)


@given(PLAIN)
def test_text_without_markup_comes_back_unchanged(text):
    assert markdown_text(text) == text


@given(st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=12), min_size=1))
def test_emphasised_and_linked_words_come_back_as_words(words):
    marked = " ".join(
        f"**{w}**" if i % 3 == 0 else f"[{w}](https://x.example/{i})" if i % 3 == 1 else f"_{w}_"
        for i, w in enumerate(words)
    )
    plain = markdown_text(marked)
    expected = " ".join(
        f"{w} (https://x.example/{i})" if i % 3 == 1 else w for i, w in enumerate(words)
    )
    assert plain == expected


def test_markdown_file_is_stored_as_text_with_its_links(tmp_path, isolated_db):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "banjir.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (folder / "zz.MARKDOWN").write_text("# Kedua\n\nIsi **berita** kedua.\n")
    report = _add(isolated_db, [folder])
    assert report.counts["added"] == 2 and report.counts["skipped"] == 0
    rows = _rows(isolated_db, "SELECT title, body, format FROM articles ORDER BY id")
    (title, body, fmt), (second_title, second_body, _) = rows
    assert (title, fmt) == ("Banjir Jakarta meluas", "markdown")
    assert "**" not in body and "](" not in body and "Air naik dua meter" in body
    assert (second_title, second_body) == ("Kedua", "Isi berita kedua.")
    urls = {u for (u,) in _rows(isolated_db, "SELECT url FROM urls")}
    assert "https://www.antaranews.com/berita/123/banjir" in urls


def test_upper_case_extensions_are_read(tmp_path, isolated_db):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "A.TXT").write_text("Judul pertama\n\nIsi berita pertama tentang banjir.\n")
    (folder / "B.HTM").write_text(
        "<html><body><article><h1>Judul kedua</h1><p>Isi berita kedua tentang gempa bumi "
        "yang melanda kota pada malam hari.</p></article></body></html>"
    )
    report = _add(isolated_db, [folder])
    assert report.counts["added"] == 2 and report.counts["skipped"] == 0


def test_markdown_read_bytes_keeps_raw_and_parse_reduces_it():
    article = readers.read_bytes(MARKDOWN_ARTICLE.encode(), ".md", "s").articles[0]
    assert article.format == "markdown" and article.raw == MARKDOWN_ARTICLE
    parsed = readers.parse(article, None)
    assert parsed.text == markdown_text(MARKDOWN_ARTICLE)


# ---------------------------------------------------------------------------------------------
# gzip


def test_gzip_files_are_read_as_their_inner_type(tmp_path, isolated_db):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt.gz").write_bytes(gzip.compress(b"Judul teks\n\nIsi berita banjir.\n"))
    (folder / "b.HTML.GZ").write_bytes(
        gzip.compress(
            b"<html><body><article><h1>Judul laman</h1><p>Isi berita gempa bumi yang melanda "
            b"kota pada malam hari dan merusak rumah.</p></article></body></html>"
        )
    )
    records = [{"title": "Satu", "text": "Isi satu."}, {"title": "Dua", "text": "Isi dua."}]
    lines = "\n".join(json.dumps(r) for r in records).encode()
    (folder / "c.jsonl.gz").write_bytes(gzip.compress(lines))
    (folder / "d.md.gz").write_bytes(gzip.compress(b"# Judul md\n\nIsi **tebal**.\n"))
    report = _add(isolated_db, [folder])
    assert report.counts["added"] == 5 and report.counts["failed"] == 0
    rows = _rows(isolated_db, "SELECT title, body, format FROM articles ORDER BY id")
    assert rows[0] == ("Judul teks", "Isi berita banjir.", "text")
    assert rows[1][0] == "Judul laman" and rows[1][2] == "html"
    assert [r[:2] for r in rows[2:4]] == [("Satu", "Isi satu."), ("Dua", "Isi dua.")]
    assert rows[4] == ("Judul md", "Isi tebal.", "markdown")


def test_a_corrupt_or_bomb_gzip_is_a_failed_file_with_its_reason(tmp_path, isolated_db):
    folder = tmp_path / "news"
    folder.mkdir()
    packed = gzip.compress(b"Judul\n\nIsi berita yang cukup panjang untuk dipotong.\n")
    (folder / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "garbage.txt.gz").write_bytes(b"this is not gzip at all\n")
    (folder / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 200_000))
    report = _add(isolated_db, [folder], max_bytes=100_000)
    assert report.counts["failed"] == 3
    errors = dict(_rows(isolated_db, "SELECT path, error FROM files"))
    by_name = {path.rsplit("/", 1)[-1]: error for path, error in errors.items()}
    assert by_name["cut.txt.gz"] == "corrupt gzip file (truncated)"
    assert by_name["garbage.txt.gz"].startswith("corrupt gzip file (Not a gzipped file")
    assert by_name["bomb.txt.gz"] == (
        "gzip file unpacks to over 100,000 bytes (the --max-bytes limit)"
    )
    assert all("\n" not in error for error in by_name.values())


def test_a_gzip_of_no_named_type_is_skipped_with_the_reason():
    with pytest.raises(UnsupportedFileError, match=r"^unsupported file type \.gz \(what"):
        readers.read_bytes(gzip.compress(b"x"), ".gz", "s")
    with pytest.raises(UnsupportedFileError, match=r"^unsupported file type \.pdf\.gz"):
        readers.read_bytes(gzip.compress(b"x"), ".pdf.gz", "s")


@pytest.mark.parametrize(
    ("path", "suffix"),
    [
        ("a/x.txt.gz", ".txt.gz"),
        ("x.JSONL.GZ", ".JSONL.GZ"),
        ("x.gz", ".gz"),
        ("x.2024.txt", ".txt"),
        ("laporan v1.2.md", ".md"),
        ("noext", ""),
    ],
)
def test_file_suffix(path, suffix):
    assert readers.file_suffix(path) == suffix


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_gzip_of_any_bytes_reads_like_the_bytes_or_fails_cleanly(data):
    try:
        plain = readers.read_bytes(data, ".txt", "s")
    except ReadError as exc:
        with pytest.raises(type(exc)):
            readers.read_bytes(gzip.compress(data), ".txt.gz", "s")
    else:
        assert readers.read_bytes(gzip.compress(data), ".txt.gz", "s") == plain
