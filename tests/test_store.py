"""The corpus database: schema, migrations, refusal of unusable files, FTS and search."""

import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.article import Article, DateMention, PlaceMention, Removal, UrlMention
from newsingest.errors import DatabaseError, QueryError
from newsingest.store import (
    KNOWN_MIGRATIONS,
    FileInfo,
    Filters,
    Processed,
    content_hash,
    open_store,
    quote_terms,
)


def _article(title="Judul", body="Isi berita tentang Aleppo dan Mosul.", **fields):
    return Article(raw=f"{title}\n\n{body}", title=title, body=body, source="test", **fields)


def _store_one(store, article, path="/x/a.txt", run_id=None):
    run_id = run_id or store.start_run("add", {})
    info = FileInfo(path=path, abs_path=path, size=1, mtime_ns=1, sha256="0" * 64)
    with store.transaction():
        return store.store_file(info, [Processed(article)], run_id, "1")


def test_new_database_has_every_table_and_fts(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    tables = {
        row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"articles", "files", "dates", "places", "urls", "removed", "runs"} <= tables
    assert "articles_fts" in tables
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA page_size").fetchone()[0] == 16384
    applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
    assert applied == list(KNOWN_MIGRATIONS)


def test_opening_twice_applies_nothing_new(tmp_path):
    open_store(tmp_path / "c.db", write=True).close()
    store = open_store(tmp_path / "c.db", write=True)
    assert store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(
        KNOWN_MIGRATIONS
    )


def test_a_newer_schema_is_refused(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    store.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('newsingest', 'm999_future', '2030-01-01')"
    )
    store.close()
    with pytest.raises(DatabaseError, match="newer newsingest"):
        open_store(tmp_path / "c.db", write=True)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes\n")
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        open_store(path, write=True)
    assert path.read_text() == "these are my notes\n"


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
    with pytest.raises(DatabaseError, match="not a newsingest corpus"):
        open_store(path, write=True)


def test_reading_a_missing_database_is_an_error(tmp_path):
    with pytest.raises(DatabaseError, match="no such database"):
        open_store(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_store_and_read_back_every_derived_row(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    article = _article(
        dates=(DateMention("body", 0, "1 Maret 2017", "2017-03-01", "day"),),
        places=(PlaceMention("body", 20, "Aleppo", "Aleppo", "SY", 36.2, 37.16, 170063, "city"),),
        urls=(UrlMention("body", 5, "https://x.org/a", "https://x.org/a", "x.org"),),
        removed=(Removal("Baca juga: lain", "promo", 3),),
    )
    assert _store_one(store, article) == ["added"]
    stored = store.get_article(1)
    assert stored["title"] == "Judul" and stored["source"] == "test"
    assert stored["dates"] == [
        {
            "field": "body",
            "start": 0,
            "text": "1 Maret 2017",
            "value": "2017-03-01",
            "precision": "day",
            "kind": "absolute",
        }
    ]
    assert stored["places"][0]["geonameid"] == 170063
    assert stored["urls"][0]["domain"] == "x.org"
    assert stored["removed"] == [{"start": 3, "text": "Baca juga: lain", "reason": "promo"}]
    assert stored["files"][0]["path"] == "/x/a.txt"
    assert stored["content_hash"] == content_hash(article)
    assert store.integrity_errors() == []


def test_same_text_from_two_files_is_one_article(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    assert _store_one(store, _article(), "/x/a.txt") == ["added"]
    assert _store_one(store, _article(), "/x/b.txt") == ["duplicate"]
    assert store.article_count() == 1
    assert [f["path"] for f in store.get_article(1)["files"]] == ["/x/a.txt", "/x/b.txt"]


def test_a_changed_file_updates_its_article_in_place(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    _store_one(store, _article(body="Versi pertama tentang Aleppo."))
    assert _store_one(store, _article(body="Versi kedua tentang Mosul.")) == ["updated"]
    assert store.article_count() == 1
    assert store.get_article(1)["body"] == "Versi kedua tentang Mosul."
    assert [r["id"] for r in store.search('"Mosul"', Filters())] == [1]
    assert store.search('"Aleppo"', Filters()) == []
    assert store.integrity_errors() == []


def test_search_ranks_title_matches_first_and_filters(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    _store_one(store, _article("Berita lain", "Aleppo disebut sekali."), "/x/1.txt")
    _store_one(
        store,
        _article(
            "Aleppo hari ini",
            "Aleppo, Aleppo dan Aleppo.",
            language="id",
            published="2017-03",
            published_precision="month",
        ),
        "/x/2.txt",
    )
    assert [r["id"] for r in store.search('"Aleppo"', Filters())] == [2, 1]
    assert [r["id"] for r in store.search('"Aleppo"', Filters(language="id"))] == [2]
    assert [r["id"] for r in store.search('"Aleppo"', Filters(since="2017-03-15"))] == [2]
    assert store.search('"Aleppo"', Filters(until="2017-02-28")) == []
    assert "[Aleppo]" in store.search('"Aleppo"', Filters())[0]["snippet"]


def test_sqlite_utils_can_search_the_file_without_newsingest(tmp_path):
    import sqlite_utils

    path = tmp_path / "c.db"
    store = open_store(path, write=True)
    _store_one(store, _article())
    store.close()
    db = sqlite_utils.Database(path)
    assert db["articles"].detect_fts() == "articles_fts"
    assert [row["id"] for row in db["articles"].search("Aleppo")] == [1]
    cli = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(path), "articles", "Mosul"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"id": 1' in cli.stdout


@pytest.mark.parametrize(
    "words",
    [
        ["-"],
        ["e-mail"],
        ['"'],
        ['say "hi'],
        ["AND"],
        ["NOT", "OR"],
        ["NEAR(a b)"],
        ["*"],
        ["a*"],
        ["title:x"],
        ["^start"],
        ["(", ")"],
        ["'"],
        ["100%"],
        ["Abu Kamal"],
    ],
)
def test_quoted_terms_never_break_fts(tmp_path, words):
    store = open_store(tmp_path / "c.db", write=True)
    _store_one(store, _article())
    store.search(quote_terms(words), Filters())  # no exception is the point


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=4))
def test_any_user_words_are_a_valid_query(tmp_path_factory, words):
    path = tmp_path_factory.mktemp("q") / "c.db"
    store = open_store(path, write=True)
    try:
        expression = quote_terms(words)
    except QueryError:
        assert not any(w.replace("\x00", "").strip() for w in words)
        return
    store.search(expression, Filters())


def test_malformed_raw_query_is_a_query_error(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    _store_one(store, _article())
    with pytest.raises(QueryError, match="malformed full-text query"):
        store.search('"unbalanced', Filters())
    with pytest.raises(QueryError):
        store.search("AND AND", Filters())


def test_an_article_sent_as_rows_is_stored_as_the_article_itself(tmp_path):
    article = _article(
        body="Di Aleppo, Suriah, 1 Maret 2017. Lihat https://example.com/x ya.",
        dates=(DateMention("body", 19, "1 Maret 2017", "2017-03-01", "day"),),
        places=(
            PlaceMention("body", 3, "Aleppo", "Aleppo", "SY", 36.2, 37.16, 170063, "city"),
            PlaceMention("body", 11, "Suriah", "Syria", "SY", 33.5, 36.3, 163843, "country"),
        ),
        urls=(
            UrlMention("body", 38, "https://example.com/x", "https://example.com/x", "example.com"),
        ),
        removed=(Removal("Baca juga: x", "boilerplate:read-also", 70),),
    )
    tables = ("articles", "dates", "places", "urls", "removed")
    stored = []
    for name, item in (
        ("whole", Processed(article)),
        ("packed", Processed.packed(article, (), 7)),
    ):
        store = open_store(tmp_path / f"{name}.db", write=True)
        info = FileInfo(path="/x/a.txt", abs_path="/x/a.txt", size=1, mtime_ns=1, sha256="0")
        with store.transaction():
            store.store_file(info, [item], store.start_run("add", {}), "1")
        stored.append(
            {
                table: store.conn.execute(
                    f"SELECT * FROM {table}"
                    if table != "articles"
                    else "SELECT title, body, raw, word_count, content_hash FROM articles"
                ).fetchall()
                for table in tables
            }
        )
    assert stored[0] == stored[1]
    assert len(stored[1]["places"]) == 2 and stored[1]["articles"][0][3] == 9


def test_reset_wal_starts_the_log_over_when_readers_are_idle_and_waits_briefly_when_not(tmp_path):
    import os
    import time

    store = open_store(tmp_path / "c.db", write=True)
    wal = tmp_path / "c.db-wal"
    reader = sqlite3.connect(tmp_path / "c.db")  # a worker's look-ups: open, idle between queries
    for number in range(20):
        _store_one(store, _article(title=f"Judul {number}"), path=f"/x/{number}.txt")
        reader.execute("SELECT count(*) FROM articles").fetchall()
    size = os.path.getsize(wal)
    assert size > 0
    store.reset_wal(above_bytes=size + 1)  # a log this small is left alone
    assert store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1] > 0
    store.reset_wal(above_bytes=0)
    # the next batch writes from the start of the log: it does not grow the file
    _store_one(store, _article(title="Judul lagi"), path="/x/lagi.txt")
    assert os.path.getsize(wal) == size
    frames = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    assert 0 < frames < size // 4096  # only the new batch is in the log
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchall()  # a reader inside a transaction
    started = time.monotonic()
    store.reset_wal(above_bytes=0, wait_ms=50)  # gives up after its wait: no error, the log is kept
    assert time.monotonic() - started < 3
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 50  # restored
    reader.execute("COMMIT")
    reader.close()
    store.close()
