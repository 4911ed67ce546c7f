"""File formats beyond plain text, HTML and JSON: Markdown, upper-case extensions, gzip."""

from __future__ import annotations

import sqlite3
import string

from hypothesis import given
from hypothesis import strategies as st

from newsingest import ingest, readers
from newsingest.ingest import Options
from newsingest.markdown import markdown_text
from newsingest.store import open_store

MARKDOWN_ARTICLE = """# Banjir **Jakarta** meluas

Warga di [Kampung Melayu](https://www.antaranews.com/berita/123/banjir) mengungsi ke
![posko banjir](https://img.example.id/posko.jpg "Posko") posko _darurat_.

> Air naik **dua meter** dalam semalam, kata ~~petugas~~ warga.

* Kampung Melayu
- Bidara Cina
"""


def _add(db, paths, **options):
    store = open_store(db, write=True)
    run_id = store.start_run("add", {})
    report = ingest.add(store, [str(p) for p in paths], Options(**options), run_id, None)
    store.close()
    return report


def _rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


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
