"""The corpus database: every table name and SQL statement, migrations, locking, FTS and search.

The file is a plain SQLite database that Datasette and sqlite-utils open without newsingest:
``articles`` carries an FTS5 index (``articles_fts``) set up the way sqlite-utils does it, kept in
step by triggers. The schema is created and upgraded by named migrations (sqlite-utils'
``Migrations``); a database written by a newer newsingest is refused rather than scribbled on.

Writers are serialised by a POSIX record lock on ``<db>.lock``: the kernel drops it when the
process dies, so a killed import never leaves a stale lock, and worker processes forked by the
writer do not inherit it. Readers never take it: the database
runs in WAL mode, so ``query``/``show``/``export`` keep working while an import commits.
Readers open the file read-only (``mode=ro``), so a corpus in a read-only folder or on read-only
media can be queried; every wait for another process is bounded by the caller's ``wait``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .article import Article, Metadata
from .errors import DatabaseBusyError, DatabaseError, QueryError, WriteFailedError

if TYPE_CHECKING:  # reprints imports numpy: `query` and `show` need not pay for it
    from .reprints import Fingerprint

MIGRATION_SET = "newsingest"
MIGRATIONS_TABLE = "_sqlite_migrations"
# Every migration this version knows, in order; a database that has applied any other name was
# written by a newer newsingest.
KNOWN_MIGRATIONS = (
    "m001_initial",
    "m002_decoding_and_metadata",
    "m003_run_failures",
    "m004_search_terms",
    "m005_reprint_clusters",
    "m006_stats",
    "m007_search_speed",
    "m008_reprint_speed",
    "m009_term_documents",
)

SQLITE_HEADER = b"SQLite format 3\x00"
# 16 KB pages: a typical 3 KB article no longer fills a 4 KB page alone (16-21 % smaller files).
PAGE_SIZE = 16384

# Files whose row needs no new read while their size and mtime are unchanged. Files that failed
# for an I/O reason ("unreadable", "missing") are retried on every run.
SETTLED_STATUSES = ("stored", "duplicate", "failed", "skipped")

# The outcome counts a run records in its row of `runs` (and `status` shows).
RUN_COUNTS = (
    "added",
    "updated",
    "unchanged",
    "duplicate",
    "failed",
    "skipped",
    "missing",
    "still_failing",
)

# Above this many matches, ranking looks only at the newest matches (see Store.search): BM25
# costs about 1.7 us per match ranked, so a window of 20,000 cost 35 ms. What the smaller window
# changes in the first results is measured in README (Speed).
RANK_WINDOW = 2000
# The same for a word widened to its other forms: BM25 over ten forms costs about ten times one.
WIDENED_RANK_WINDOW = 500
# Snippets of results ranked among at most this many matches read that stretch of the index
# once (about 2 ms for 20,000); beyond it, each article is looked up alone (see Store.search).
SNIPPET_SCAN_MAX = 20_000

# The matches of a query's words are counted up to this many (a walk of the index: 1-2 ms for
# the commonest words at 1,000,000 articles); a count at the cap is shown as "10,000+".
COUNT_MAX = 10_000
# With filters, each match is tested against them (a lookup: about 1 us, more with --place, so
# 0.1-0.4 s for a common word at 1,000,000 articles): up to this many matches all are tested
# and the count is exact; beyond, an even sample of about this many among the COUNT_MAX
# counted, and the count is an estimate, shown as such.
COUNT_SAMPLE = 500
# Article texts whose words are counted together (term_documents) at most; more are counted
# before the transaction goes on.
TERM_COUNT_BATCH = 500

# The page cache of a connection, in MB (see Store.__init__).
READ_CACHE_MB = 128

# SQLite's own short locks (WAL recovery, a checkpoint) are waited for at least this long,
# whatever --wait says: they last milliseconds, and failing on them would be a false alarm.
MIN_BUSY_SECONDS = 5.0
# A --since/--until bound as the command line takes it.
_DATE_BOUND = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
# Suffixes of the files SQLite and newsingest keep next to a database.
OWN_FILE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")
# Primary result codes (the low byte of sqlite_errorcode) that mean the disk failed a write.
SQLITE_BUSY, SQLITE_IOERR, SQLITE_FULL = 5, 10, 13
# What SQLite says when it cannot create the -shm file beside a WAL database: in a folder the
# user may not write, and on a read-only mount.
SQLITE_CANTOPEN, SQLITE_READONLY_DIRECTORY = 14, 1544


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def key_hash(text: str) -> int:
    """A stable signed 64-bit hash of a boilerplate key (same value in every process)."""
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


def content_hash(article: Article) -> str:
    """The identity of an article: the hash of its cleaned title and body."""
    return hashlib.sha256(f"{article.title}\n\n{article.body}".encode()).hexdigest()


def quote_terms(terms: Iterable[str]) -> str:
    """An FTS5 expression finding every term as written: each one a quoted phrase, all required.

    Quoting keeps a user's hyphens, quotes, AND/OR/NOT/NEAR and ``*`` from being read as FTS5
    syntax.
    """
    # NUL ends a string inside FTS5's query parser: drop it rather than fail.
    cleaned = [term.replace("\x00", " ") for term in terms]
    phrases = ['"' + term.replace('"', '""') + '"' for term in cleaned if term.strip()]
    if not phrases:
        raise QueryError("nothing to search for")
    return " ".join(phrases)


# ----------------------------------------------------------------------------------------------
# Schema


def _migrations():
    # sqlite-utils costs ~0.1-0.2 s to import: only commands that create or upgrade pay for it.
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="m001_initial")
    def m001_initial(db):
        db.executescript(
            """
            -- Small columns first, the long texts last: filters and listings then read only
            -- the first page of a row, never the overflow pages of body and raw.
            CREATE TABLE articles (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                language TEXT,
                language_probability REAL,
                published TEXT,
                published_precision TEXT,
                published_method TEXT,
                format TEXT NOT NULL,
                url TEXT,
                site_name TEXT,
                author TEXT,
                word_count INTEGER NOT NULL,
                content_hash TEXT NOT NULL UNIQUE,
                story_signature INTEGER,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                pipeline_version TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                raw TEXT NOT NULL
            );
            CREATE INDEX idx_articles_source ON articles(source);
            CREATE INDEX idx_articles_language ON articles(language);
            CREATE INDEX idx_articles_published ON articles(published);

            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                arguments TEXT NOT NULL,
                started TEXT NOT NULL,
                finished TEXT,
                seconds REAL,
                exit_code INTEGER,
                added INTEGER NOT NULL DEFAULT 0,
                updated INTEGER NOT NULL DEFAULT 0,
                unchanged INTEGER NOT NULL DEFAULT 0,
                duplicate INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0,
                skipped INTEGER NOT NULL DEFAULT 0,
                missing INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE files (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL,
                abs_path TEXT NOT NULL,
                record INTEGER NOT NULL DEFAULT 0,
                size INTEGER,
                mtime_ns INTEGER,
                sha256 TEXT,
                encoding TEXT,
                repairs TEXT,
                article_id INTEGER REFERENCES articles(id),
                status TEXT NOT NULL,
                error TEXT,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                run_id INTEGER REFERENCES runs(id),
                UNIQUE (abs_path, record)
            );
            CREATE INDEX idx_files_article ON files(article_id);
            CREATE INDEX idx_files_status ON files(status);

            CREATE TABLE dates (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                field TEXT NOT NULL,
                start INTEGER NOT NULL,
                text TEXT NOT NULL,
                value TEXT,
                precision TEXT,
                kind TEXT NOT NULL
            );
            CREATE INDEX idx_dates_article ON dates(article_id);
            CREATE INDEX idx_dates_value ON dates(value);

            CREATE TABLE places (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                field TEXT NOT NULL,
                start INTEGER NOT NULL,
                text TEXT NOT NULL,
                name TEXT,
                country_code TEXT,
                latitude REAL,
                longitude REAL,
                geonameid INTEGER,
                kind TEXT
            );
            -- Covers the --place test of one article's mentions (see Store._filter_sql).
            CREATE INDEX idx_places_article ON places(article_id, geonameid, name COLLATE NOCASE);
            CREATE INDEX idx_places_geonameid ON places(geonameid);
            CREATE INDEX idx_places_name ON places(name COLLATE NOCASE);

            CREATE TABLE urls (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                field TEXT NOT NULL,
                start INTEGER NOT NULL,
                text TEXT NOT NULL,
                url TEXT NOT NULL,
                domain TEXT
            );
            CREATE INDEX idx_urls_article ON urls(article_id);
            CREATE INDEX idx_urls_domain ON urls(domain);

            CREATE TABLE removed (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                start INTEGER,
                text TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            CREATE INDEX idx_removed_article ON removed(article_id);

            -- Which article holds which boilerplate candidate (a hashed line); counting the
            -- distinct story signatures per key says how many different stories repeat it.
            CREATE TABLE boilerplate_observations (
                key_hash INTEGER NOT NULL,
                article_id INTEGER NOT NULL,
                PRIMARY KEY (key_hash, article_id)
            ) WITHOUT ROWID;
            CREATE INDEX idx_observations_article ON boilerplate_observations(article_id);
            -- The text of every key seen in more than one article (only those can be learned).
            CREATE TABLE boilerplate_keys (
                key_hash INTEGER PRIMARY KEY,
                line TEXT NOT NULL
            );
            -- Sources whose learned boilerplate must be recomputed (written in the same
            -- transaction as their new articles, so a killed run leaves the work queued).
            CREATE TABLE boilerplate_pending (source TEXT PRIMARY KEY);
            -- Articles to clean again because a line they hold became (or stopped being) learned
            -- boilerplate: queued with the change, so a killed run leaves the work queued.
            CREATE TABLE boilerplate_reclean (article_id INTEGER PRIMARY KEY);
            CREATE TABLE learned_boilerplate (
                source TEXT NOT NULL,
                line TEXT NOT NULL,
                stories INTEGER NOT NULL,
                PRIMARY KEY (source, line)
            );
            """
        )
        db["articles"].enable_fts(
            ["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
        )
        # FTS5 merges index segments as it goes; merging in larger steps (8 segments of a level
        # instead of 4) cuts the write cost of a large import by a sixth (measured at 100,000
        # articles) for slightly more segments to read per query.
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8)")
        # sqlite-utils' update trigger re-indexes on ANY column change; bumping last_seen on
        # every unchanged re-add would then rewrite the whole index. Same trigger, narrowed.
        db.executescript(
            """
            DROP TRIGGER articles_au;
            CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
              INSERT INTO articles_fts (articles_fts, rowid, title, body)
                VALUES('delete', old.rowid, old.title, old.body);
              INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
            END;
            """
        )

    @migrations(name="m002_decoding_and_metadata")
    def m002_decoding_and_metadata(db):
        # The metadata given with an article's file (a sidecar), as JSON: reprocessing applies
        # it again, so it keeps winning over what the text says.
        db.execute("ALTER TABLE articles ADD COLUMN metadata TEXT")

    @migrations(name="m003_run_failures")
    def m003_run_failures(db):
        # still_failing: files that failed before and are unchanged (reported on every run);
        # error: why a run stopped early (disk full, interrupted).
        db.executescript(
            """
            ALTER TABLE runs ADD COLUMN still_failing INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN error TEXT;
            """
        )

    @migrations(name="m004_search_terms")
    def m004_search_terms(db):
        # Every indexed word with its stem, per stemmer family (newsingest.search): the forms a
        # query word is widened to. A plain table: any SQLite client can read it.
        db.executescript(
            """
            CREATE TABLE search_terms (
                family TEXT NOT NULL,
                term TEXT NOT NULL,
                stem TEXT NOT NULL,
                PRIMARY KEY (family, term)
            ) WITHOUT ROWID;
            CREATE INDEX idx_search_terms_stem ON search_terms(family, stem);
            -- How many articles hold each indexed word (FTS5's own vocabulary, never stale).
            CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row');
            """
        )
        from .search import term_rows

        rows = db.conn.execute("SELECT language, title, body FROM articles")
        for language, title, body in rows:
            db.conn.executemany(_TERM_INSERT, term_rows(language, (title, body)))

    @migrations(name="m005_reprint_clusters")
    def m005_reprint_clusters(db):
        db.executescript(
            """
            ALTER TABLE articles ADD COLUMN credit TEXT;
            -- The LSH index of near-duplicate detection: every MinHash band key of every body
            -- (newsingest/reprints.py). Two articles sharing a key are compared. On disk, not
            -- in memory: at 1,000,000 articles it is 20,000,000 short rows.
            CREATE TABLE reprint_bands (
                band_key INTEGER NOT NULL,
                article_id INTEGER NOT NULL,
                PRIMARY KEY (band_key, article_id)
            ) WITHOUT ROWID;
            CREATE INDEX idx_reprint_bands_article ON reprint_bands(article_id);
            -- The MinHash signature of every body long enough to cluster, and its number of
            -- distinct shingles: candidates are judged from these, without reading bodies.
            CREATE TABLE reprint_signatures (
                article_id INTEGER PRIMARY KEY,
                shingles INTEGER NOT NULL,
                signature BLOB NOT NULL
            );
            -- One row per article in a cluster of two or more (an article without a row is
            -- alone, its own canonical): the cluster id is its canonical member's id.
            CREATE TABLE reprint_clusters (
                article_id INTEGER PRIMARY KEY,
                cluster_id INTEGER NOT NULL,
                similarity REAL NOT NULL
            );
            CREATE INDEX idx_reprint_clusters_cluster ON reprint_clusters(cluster_id);
            -- Articles whose edges and cluster must be worked out again: queued with their
            -- bands, so a killed run leaves the work queued for the next.
            CREATE TABLE reprint_pending (article_id INTEGER PRIMARY KEY);
            """
        )

    @migrations(name="m006_stats")
    def m006_stats(db):
        db.executescript(_stats_schema_sql())
        db.executescript(_STATS_FILL)
        # One line per article for browsing (Datasette): the long texts left out, the month
        # of publication as a column to facet on.
        db.executescript(
            """
            CREATE VIEW article_list AS
            SELECT id, published, title, source, language, word_count, url,
                   substr(published, 1, 7) AS published_month
            FROM articles;
            """
        )

    @migrations(name="m007_search_speed")
    def m007_search_speed(db):
        db.executescript(_FILTER_SCHEMA)
        db.execute(_FILTER_FILL)

    @migrations(name="m008_reprint_speed")
    def m008_reprint_speed(db):
        # Clustering now only adds to the clusters it finds, and a cluster is taken apart when
        # one of its articles changes. A run of an older version stopped before clustering may
        # have left a changed article queued inside the cluster its old text built: that
        # cluster is taken apart now, its members queued.
        db.executescript(
            """
            CREATE TEMP TABLE stale_clusters AS SELECT DISTINCT cluster_id
                FROM reprint_clusters JOIN reprint_pending USING (article_id);
            INSERT OR IGNORE INTO reprint_pending (article_id) SELECT article_id
                FROM reprint_clusters WHERE cluster_id IN (SELECT cluster_id FROM stale_clusters);
            DELETE FROM reprint_clusters
                WHERE cluster_id IN (SELECT cluster_id FROM stale_clusters);
            DROP TABLE stale_clusters;
            """
        )

    @migrations(name="m009_term_documents")
    def m009_term_documents(db):
        # In how many articles each indexed word occurs, read by the query planner's guards:
        # fts5vocab answers by walking the word's whole list of articles (21 ms for the forms
        # of "kata" at 1,000,000 articles), this table by one look-up. Kept in step by
        # Store._count_terms on every write of an article's text.
        db.executescript(_TERM_DOCUMENTS_SCHEMA)
        db.execute(_TERM_DOCUMENTS_FILL)

    return migrations


def _period_end(published: str, pad: str) -> str:
    """SQL: the first (pad '-00-00') or last ('-99-99') day of a publication date's period as a
    YYYY-MM-DD string ordered like dates; NULL for a value of another shape."""
    digits = "[0-9][0-9][0-9][0-9]"
    return (
        f"CASE WHEN {published} GLOB '{digits}-[0-9][0-9]-[0-9][0-9]*' "
        f"THEN substr({published}, 1, 10) "
        f"WHEN {published} GLOB '{digits}-[0-9][0-9]' THEN {published} || '{pad[3:]}' "
        f"WHEN {published} GLOB '{digits}' THEN {published} || '{pad}' END"
    )


def _filter_values(row: str) -> str:
    return (
        f"{row}.id, {row}.language, {row}.source, {row}.published, "
        f"{_period_end(row + '.published', '-00-00')}, {_period_end(row + '.published', '-99-99')}"
    )


# The columns that --lang, --source, --since and --until test, one short row per article: a
# filtered query tests every candidate the full-text index gives, and a lookup in the wide
# ``articles`` rows (about one article per 16 KB page, 9 GB at 1,000,000 articles) cost most
# of a filtered query; these rows fit 50 MB and candidates come in rowid order, so most
# lookups hit the page the previous one read. The first and last day of the publication
# period make a date bound two plain comparisons. Kept in step with ``articles`` by triggers.
_FILTER_COLUMNS = "id, language, source, published, published_first, published_last"
_FILTER_SCHEMA = f"""
CREATE TABLE search_filters (
    id INTEGER PRIMARY KEY,
    language TEXT,
    source TEXT NOT NULL,
    published TEXT,
    published_first TEXT,
    published_last TEXT
);
CREATE TRIGGER search_filters_ai AFTER INSERT ON articles BEGIN
  INSERT INTO search_filters ({_FILTER_COLUMNS}) VALUES ({_filter_values("new")});
END;
CREATE TRIGGER search_filters_ad AFTER DELETE ON articles BEGIN
  DELETE FROM search_filters WHERE id = old.id;
END;
CREATE TRIGGER search_filters_au AFTER UPDATE OF id, language, source, published ON articles
BEGIN
  DELETE FROM search_filters WHERE id = old.id;
  INSERT INTO search_filters ({_FILTER_COLUMNS}) VALUES ({_filter_values("new")});
END;
"""
_FILTER_FILL = (
    f"INSERT OR IGNORE INTO search_filters ({_FILTER_COLUMNS}) "
    f"SELECT {_filter_values('a')} FROM articles a"
)

_TERM_INSERT = "INSERT OR IGNORE INTO search_terms (family, term, stem) VALUES (?, ?, ?)"

_TERM_DOCUMENTS_SCHEMA = """
CREATE TABLE term_documents (
    term TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
) WITHOUT ROWID;
"""
# Every count afresh from the full-text index itself (a full walk of it: for a migration or a
# bulk load that bypassed the writes, never for a query).
_TERM_DOCUMENTS_FILL = (
    "INSERT INTO term_documents (term, documents) SELECT term, doc FROM articles_fts_vocab"
)
# A one-row index of the same tokenizer as articles_fts: its vocabulary is exactly the distinct
# words FTS5 indexes in a text (a tokenizer of our own in Python differs on Arabic hamza forms).
_TERM_PROBE_SCHEMA = tuple(
    statement
    for probe in ("term_probe_added", "term_probe_removed")
    for statement in (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{probe} USING fts5("
        "text, content='', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{probe}_vocab "
        f"USING fts5vocab(temp, {probe}, 'row')",
    )
)


# ----------------------------------------------------------------------------------------------
# Corpus figures kept by triggers (m006_stats)
#
# ``stats`` must answer in well under a second at a million articles, where grouping the ten
# million place mentions alone takes seconds. So every figure is also kept in small tables,
# one row per (source, language, publication month, whether the day is known) and counted
# thing, updated by triggers on every table they summarise. Each trigger keeps one invariant,
# whatever order rows come and go in: a stats table equals the grouping of its table joined
# with ``articles``. A mention whose article is gone counts nowhere; an article update that
# moves it to another month or language moves its mentions' counts with it.

# (mention table, its stats table, the counted column, the columns copied along, rows counted as)
_STATS_DERIVED = (
    (
        "places",
        "stats_places",
        "geonameid",
        ("name", "country_code", "kind", "latitude", "longitude"),
        "mentions",
    ),
    ("urls", "stats_domains", "domain", (), "mentions"),
    ("removed", "stats_removed", "reason", (), "pieces"),
)
_STATS_KEY = "source, language, period, to_day"
_STATS_CONFLICT = "source, ifnull(language, ''), ifnull(period, ''), to_day"


def _stats_key(alias: str) -> str:
    """The stats key of the article row ``alias`` (``a``, ``NEW``, ``OLD``)."""
    return (
        f"{alias}.source, {alias}.language, substr({alias}.published, 1, 7), "
        f"length({alias}.published) IS 10"
    )


def _stats_key_match(alias: str, stats: str = "s") -> str:
    """SQL true when the stats row ``stats`` has the key of article row ``alias``."""
    return (
        f"{stats}.source = {alias}.source "
        f"AND ifnull({stats}.language, '') = ifnull({alias}.language, '') "
        f"AND ifnull({stats}.period, '') = ifnull(substr({alias}.published, 1, 7), '') "
        f"AND {stats}.to_day = (length({alias}.published) IS 10)"
    )


def _stats_columns(column: str, copied: Sequence[str], counted: str) -> str:
    return f"{_STATS_KEY}, {column}, {''.join(c + ', ' for c in copied)}articles, {counted}"


def _stats_upsert(column: str, counted: str) -> str:
    return (
        f"ON CONFLICT ({_STATS_CONFLICT}, {column}) DO UPDATE SET "
        f"articles = articles + excluded.articles, {counted} = {counted} + excluded.{counted};"
    )


def _stats_schema_sql() -> str:
    """The stats tables and the triggers that keep them (migration m006_stats)."""
    parts = [
        """
        -- Articles per source, language and publication month (period: YYYY-MM, or YYYY when
        -- only the year is known, NULL when unknown; to_day: 1 when the day is known).
        CREATE TABLE stats_articles (
            source TEXT NOT NULL,
            language TEXT,
            period TEXT,
            to_day INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            with_places INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX idx_stats_articles
            ON stats_articles (source, ifnull(language, ''), ifnull(period, ''), to_day);
        """
    ]
    upsert_articles = (
        f"ON CONFLICT ({_STATS_CONFLICT}) DO UPDATE SET articles = articles + excluded.articles, "
        "with_places = with_places + excluded.with_places;"
    )
    for _table, stats, column, copied, counted in _STATS_DERIVED:
        extra = "".join(
            f"{c} {'REAL' if c in ('latitude', 'longitude') else 'TEXT'}, " for c in copied
        )
        kind = "INTEGER" if column == "geonameid" else "TEXT"
        parts.append(
            f"""
            CREATE TABLE {stats} (
                source TEXT NOT NULL,
                language TEXT,
                period TEXT,
                to_day INTEGER NOT NULL,
                {column} {kind} NOT NULL,
                {extra}articles INTEGER NOT NULL,
                {counted} INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX idx_{stats}
                ON {stats} ({_STATS_CONFLICT}, {column});
            """
        )
    # Mention rows coming and going.
    for table, stats, column, copied, counted in _STATS_DERIVED:
        columns = _stats_columns(column, copied, counted)
        upsert = _stats_upsert(column, counted)
        for event, row, sign, others in (
            ("INSERT", "NEW", "", "AND t.id != NEW.id"),
            ("DELETE", "OLD", "-", ""),
        ):
            copied_values = "".join(f"{row}.{c}, " for c in copied)
            # Whether this row is the article's first (or last) of its value / of any value.
            alone = (
                f"NOT EXISTS (SELECT 1 FROM {table} t WHERE t.article_id = {row}.article_id "
                f"AND t.{column} = {row}.{column} {others})"
            )
            statements = [
                f"INSERT INTO {stats} ({columns}) SELECT {_stats_key('a')}, {row}.{column}, "
                f"{copied_values}{sign}({alone}), {sign}1 FROM articles a "
                f"WHERE a.id = {row}.article_id {upsert}"
            ]
            if sign:
                statements.append(
                    f"DELETE FROM {stats} WHERE rowid IN (SELECT s.rowid FROM {stats} s "
                    f"JOIN articles a ON a.id = OLD.article_id WHERE {_stats_key_match('a')} "
                    f"AND s.{column} = OLD.{column} AND s.{counted} <= 0);"
                )
            body = "\n  ".join(statements)
            parts.append(
                f"CREATE TRIGGER {stats}_{event.lower()} AFTER {event} ON {table} "
                f"WHEN {row}.{column} IS NOT NULL BEGIN\n  {body}\nEND;\n"
            )
            if table == "places":
                # Any place counts here, resolved or not: the article's first one or last one.
                no_place = (
                    f"NOT EXISTS (SELECT 1 FROM places t WHERE t.article_id = {row}.article_id "
                    f"{others})"
                )
                parts.append(
                    f"CREATE TRIGGER stats_with_places_{event.lower()} AFTER {event} ON places "
                    f"BEGIN\n  INSERT INTO stats_articles ({_STATS_KEY}, articles, with_places) "
                    f"SELECT {_stats_key('a')}, 0, {sign}1 FROM articles a "
                    f"WHERE a.id = {row}.article_id AND {no_place} {upsert_articles}\nEND;\n"
                )

    def article_counts(row: str, sign: str) -> list[str]:
        """Statements adding (or, with sign '-', taking away) article ``row`` everywhere."""
        statements = [
            f"INSERT INTO stats_articles ({_STATS_KEY}, articles, with_places) "
            f"VALUES ({_stats_key(row)}, {sign}1, "
            f"{sign}EXISTS (SELECT 1 FROM places WHERE article_id = {row}.id)) {upsert_articles}"
        ]
        if sign:
            statements.append(
                f"DELETE FROM stats_articles WHERE rowid IN (SELECT s.rowid FROM stats_articles s "
                f"WHERE {_stats_key_match(row)} AND s.articles <= 0);"
            )
        for table, stats, column, copied, counted in _STATS_DERIVED:
            statements.append(
                f"INSERT INTO {stats} ({_stats_columns(column, copied, counted)}) "
                f"SELECT {_stats_key(row)}, t.{column}, "
                f"{''.join('t.' + c + ', ' for c in copied)}{sign}1, {sign}count(*) "
                f"FROM {table} t WHERE t.article_id = {row}.id AND t.{column} IS NOT NULL "
                f"GROUP BY t.{column} {_stats_upsert(column, counted)}"
            )
            if sign:
                statements.append(
                    f"DELETE FROM {stats} WHERE rowid IN (SELECT s.rowid FROM {stats} s "
                    f"WHERE {_stats_key_match(row)} AND s.{counted} <= 0 AND s.{column} IN "
                    f"(SELECT {column} FROM {table} WHERE article_id = {row}.id));"
                )
        return statements

    moved = (
        "OLD.source IS NOT NEW.source OR OLD.language IS NOT NEW.language "
        "OR substr(OLD.published, 1, 7) IS NOT substr(NEW.published, 1, 7) "
        "OR (length(OLD.published) IS 10) != (length(NEW.published) IS 10)"
    )
    for name, header, statements in (
        ("stats_articles_insert", "AFTER INSERT ON articles", article_counts("NEW", "")),
        ("stats_articles_delete", "AFTER DELETE ON articles", article_counts("OLD", "-")),
        (
            "stats_articles_update",
            f"AFTER UPDATE OF source, language, published ON articles WHEN {moved}",
            article_counts("OLD", "-") + article_counts("NEW", ""),
        ),
    ):
        body = "\n  ".join(statements)
        parts.append(f"CREATE TRIGGER {name} {header} BEGIN\n  {body}\nEND;\n")
    return "\n".join(parts)


# Canned queries of the Datasette view (see datasette.py): name -> (title, SQL).
DATASETTE_QUERIES = {
    "articles_per_month": (
        "Articles per month of publication",
        "SELECT period AS month, sum(articles) AS articles, sum(with_places) AS with_places "
        "FROM stats_articles WHERE period IS NOT NULL GROUP BY period ORDER BY period DESC",
    ),
    "top_places": (
        "Most named places",
        "SELECT name, country_code, kind, sum(articles) AS articles, sum(mentions) AS mentions, "
        "latitude, longitude FROM stats_places GROUP BY geonameid "
        "ORDER BY articles DESC, mentions DESC LIMIT 100",
    ),
    "article_mentions": (
        "One article with its dates, places and URLs",
        "SELECT 'article' AS what, 'title' AS field, NULL AS start, title AS text, "
        "trim(coalesce(published, '') || ' ' || source || ' ' || coalesce(language, '')) "
        "AS value "
        "FROM articles WHERE id = :id "
        "UNION ALL SELECT 'date', field, start, text, "
        "coalesce(value, '(unresolved)') || ' ' || coalesce(precision, kind) "
        "FROM dates WHERE article_id = :id "
        "UNION ALL SELECT 'place', field, start, text, coalesce(name, '') "
        "|| coalesce(' (' || country_code || ', ' || kind || ')', '') "
        "FROM places WHERE article_id = :id "
        "UNION ALL SELECT 'url', field, start, text, url FROM urls WHERE article_id = :id "
        "ORDER BY what, field DESC, start",
    ),
}


# Fills the stats tables from the tables they summarise (m006_stats on an existing corpus, and
# Store.rebuild_stats).
_STATS_FILL = """
INSERT INTO stats_articles (source, language, period, to_day, articles, with_places)
SELECT source, language, substr(published, 1, 7), length(published) IS 10, count(*),
       sum(EXISTS (SELECT 1 FROM places p WHERE p.article_id = a.id))
FROM articles a GROUP BY 1, 2, 3, 4;
INSERT INTO stats_places (source, language, period, to_day, geonameid, name, country_code, kind,
                          latitude, longitude, articles, mentions)
SELECT a.source, a.language, substr(a.published, 1, 7), length(a.published) IS 10, t.geonameid,
       t.name, t.country_code, t.kind, t.latitude, t.longitude, count(DISTINCT t.article_id),
       count(*)
FROM places t JOIN articles a ON a.id = t.article_id WHERE t.geonameid IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO stats_domains (source, language, period, to_day, domain, articles, mentions)
SELECT a.source, a.language, substr(a.published, 1, 7), length(a.published) IS 10, t.domain,
       count(DISTINCT t.article_id), count(*)
FROM urls t JOIN articles a ON a.id = t.article_id WHERE t.domain IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO stats_removed (source, language, period, to_day, reason, articles, pieces)
SELECT a.source, a.language, substr(a.published, 1, 7), length(a.published) IS 10, t.reason,
       count(DISTINCT t.article_id), count(*)
FROM removed t JOIN articles a ON a.id = t.article_id
GROUP BY 1, 2, 3, 4, 5;
"""


def _check_file(path: Path, write: bool, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if path.exists():
        try:
            with open(path, "rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise DatabaseError(f"{path}: cannot open database ({exc.strerror})") from exc
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path}: not an SQLite database")
        if write and not os.access(path, os.W_OK):
            raise DatabaseError(f"{path}: database is read-only")
    elif not create:
        raise DatabaseError(f"{path}: no such database (create it with `newsingest add`)")
    if write and not _folder_writable(path):
        folder = path.parent
        if not folder.is_dir():
            raise DatabaseError(f"{path}: folder {folder} does not exist")
        raise DatabaseError(f"{path}: folder {folder} is not writable")


def _folder_writable(path: Path) -> bool:
    # SQLite needs to create the -wal and -shm files next to the database.
    return path.parent.is_dir() and os.access(path.parent, os.W_OK | os.X_OK)


def _applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """Names of applied migrations, or None when this is not a newsingest database."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if MIGRATIONS_TABLE not in tables:
        return None if tables else []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
    ).fetchall()
    if not rows and "articles" not in tables:
        return None if tables - {MIGRATIONS_TABLE} else []
    return [row[0] for row in rows]


def open_store(
    path: str | os.PathLike, *, write: bool = False, create: bool | None = None, wait: float = 0
) -> Store:
    """Open the corpus at ``path``; DatabaseError if unusable, DatabaseBusyError after ``wait``.

    Writers may create the database (unless ``create`` is False) and upgrade its schema;
    readers open it read-only and upgrade it only when its schema is older than this version.
    """
    path = Path(path)
    _check_file(path, write, write if create is None else create)
    busy_seconds = max(wait, MIN_BUSY_SECONDS)
    deadline = time.monotonic() + wait
    while True:
        conn = _connect(path, write, busy_seconds)
        try:
            pending = _pending_migrations(conn, path)
        except BaseException:
            conn.close()
            raise
        if not pending:
            return Store(conn, path)
        if not write:
            conn.close()
            if not (os.access(path, os.W_OK) and _folder_writable(path)):
                raise DatabaseError(f"{path}: needs a schema upgrade but is read-only")
            conn = _connect(path, True, busy_seconds)
        # Another process may be creating or upgrading the same database: take the writer
        # lock without blocking, and look again until ``wait`` runs out.
        lock = Lock(f"{path}.lock")
        try:
            lock.acquire(0)
        except DatabaseBusyError:
            conn.close()
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(
                    f"{path}: another newsingest run is creating or upgrading this database "
                    "(use --wait SECONDS to wait for it)"
                ) from None
            time.sleep(0.1)
            continue
        try:
            pending = _pending_migrations(conn, path)
            if pending:
                _migrate(conn, fresh=len(pending) == len(KNOWN_MIGRATIONS))
        except sqlite3.Error as exc:
            conn.close()
            reason = _write_failure(exc)
            if reason is None:
                raise DatabaseError(f"{path}: cannot create or upgrade the schema ({exc})") from exc
            raise WriteFailedError(f"{reason} while writing {path}") from None
        finally:
            lock.release()
        if write:
            return Store(conn, path)
        conn.close()


def _connect(path: Path, write: bool, busy_seconds: float) -> sqlite3.Connection:
    try:
        if write:
            conn = sqlite3.connect(
                path, timeout=busy_seconds, isolation_level=None, check_same_thread=False
            )
        else:
            conn = _connect_read_only(path, busy_seconds)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        return conn
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _busy(path) from None
        raise DatabaseError(f"{path}: not a usable SQLite database ({exc})") from exc


def _connect_read_only(path: Path, busy_seconds: float) -> sqlite3.Connection:
    uri = "file:" + quote(str(path.resolve()))
    options = {"timeout": busy_seconds, "isolation_level": None, "check_same_thread": False}
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, **options)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        code = getattr(exc, "sqlite_errorcode", None)
        if code not in (SQLITE_CANTOPEN, SQLITE_READONLY_DIRECTORY) or _folder_writable(path):
            raise
    # In a read-only folder SQLite cannot create the -shm file a WAL database needs. When no
    # -wal file holds recent commits the main file is the whole database: read it as immutable.
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(
            f"{path}: its folder is read-only and {wal.name} holds changes not yet in the "
            "database; open it once where the folder is writable"
        )
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, **options)


def _pending_migrations(conn: sqlite3.Connection, path: Path) -> list[str]:
    """The migrations this database still needs; DatabaseError when it is not ours to open."""
    try:
        applied = _applied_migrations(conn)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _busy(path) from None
        raise DatabaseError(f"{path}: not a usable SQLite database ({exc})") from exc
    if applied is None:
        raise DatabaseError(f"{path}: an SQLite database, but not a newsingest corpus")
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    if unknown:
        raise DatabaseError(
            f"{path}: written by a newer newsingest (schema {unknown[-1]}); upgrade newsingest"
        )
    return [name for name in KNOWN_MIGRATIONS if name not in applied]


def _migrate(conn: sqlite3.Connection, fresh: bool) -> None:
    """Apply the pending migrations; the caller holds the writer lock."""
    from sqlite_utils import Database

    if fresh:
        # Both only take effect before the first table is written.
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode = WAL")
    _migrations().apply(Database(conn))


# ----------------------------------------------------------------------------------------------
# Records passed in and out


@dataclass(frozen=True)
class KnownFile:
    """What the corpus remembers about one file on disk."""

    size: int | None
    mtime_ns: int | None
    sha256: str | None
    settled: bool  # nothing to do while size and mtime are unchanged
    failure: str | None = None  # why it failed, when it did (reported again while unchanged)
    has_article: bool = False  # one record, which gave its own article (not a duplicate)
    metadata: str | None = None  # the sidecar values its article was stored with (JSON)


@dataclass(frozen=True)
class FileInfo:
    """One file as read in this run."""

    path: str  # as given to `add`
    abs_path: str
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None
    encoding: str | None = None
    repairs: str | None = None  # what decoding had to repair, e.g. "mojibake"


class KnownTerms:
    """Which words already have their stem in ``search_terms``, asked from any process.

    Stemming an Indonesian or Malay word costs 0.3-0.6 ms (PySastrawi), and a worker's own
    cache starts empty on every run: the corpus's table of stems is the cache that lasts. Each
    process opens its own read-only connection on first use (a connection must not cross a
    fork); a database that cannot be read answers that no word is known.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._inherited: sqlite3.Connection | None = None

    def __getstate__(self) -> dict:
        return {"path": self.path}  # a connection does not travel to another process

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path"])

    def __call__(self, family: str, words: Sequence[str]) -> set[str]:
        """The words of ``words`` whose stem under ``family`` is stored."""
        conn = self._connection()
        found: set[str] = set()
        if conn is None:
            return found
        try:
            for chunk in _chunks(words, 500):
                found.update(
                    term
                    for (term,) in conn.execute(
                        "SELECT term FROM search_terms WHERE family = ? "
                        f"AND term IN ({', '.join('?' * len(chunk))})",
                        [family, *chunk],
                    )
                )
        except sqlite3.Error:
            return set()  # stemmed afresh: slower, never wrong
        return found

    def close(self) -> None:
        """Close this process's connection (SQLite tidies its WAL when the last one closes)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn, self._pid = None, None

    def _connection(self) -> sqlite3.Connection | None:
        if self._pid != os.getpid():
            # A connection inherited through fork is kept, never closed here: closing it in
            # the child could tidy up files its parent still uses.
            self._inherited = self._conn
            self._pid, self._conn = os.getpid(), None
            try:
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False)
            except (sqlite3.Error, OSError):
                self._conn = None
        return self._conn


@dataclass(frozen=True)
class Processed:
    """One processed article and its boilerplate observations, ready to store."""

    article: Article
    observations: tuple[tuple[int, str], ...] = ()  # (key_hash, key)
    signature: int | None = None
    word_count: int | None = None  # counted by the worker; None: counted when stored
    # The article's dates, places, URLs and removals as rows of their tables (see
    # ``derived_rows``) when the article travels without them (``packed``); None: taken from
    # the article.
    rows: DerivedRows | None = None
    # The article's words with their stems (see newsingest.search.term_rows), computed by the
    # worker (stemming a new word costs ~0.2 ms); None: computed when stored.
    terms: tuple[tuple[str, str, str], ...] | None = None
    fingerprint: Fingerprint | None = None  # for near-duplicates (reprints.fingerprint)

    @classmethod
    def packed(
        cls,
        article: Article,
        observations: tuple[tuple[int, str], ...],
        signature: int,
        fingerprint: Fingerprint | None = None,
        known_terms: KnownTerms | None = None,
    ) -> Processed:
        """Ready to send to the writer process: mentions as plain tuples (a worker's result
        unpickles 4-5x faster than with a dataclass per mention), the reader's text dropped
        (derived from raw, never stored), and only the words the corpus has no stem for yet."""
        from .search import term_rows

        return cls(
            replace(article, text="", dates=(), places=(), urls=(), removed=()),
            observations,
            signature,
            len(article.body.split()),
            derived_rows(article),
            tuple(term_rows(article.language, (article.title, article.body), known_terms)),
            fingerprint,
        )


# dates, places, urls, removed: each a tuple of rows, in the column order of _write_derived
DerivedRows = tuple[tuple[tuple, ...], tuple[tuple, ...], tuple[tuple, ...], tuple[tuple, ...]]


_DERIVED_INSERTS = (
    "INSERT INTO dates (article_id, field, start, text, value, precision, kind) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO places (article_id, field, start, text, name, country_code, latitude, "
    "longitude, geonameid, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO urls (article_id, field, start, text, url, domain) VALUES (?, ?, ?, ?, ?, ?)",
    "INSERT INTO removed (article_id, start, text, reason) VALUES (?, ?, ?, ?)",
)


def derived_rows(article: Article) -> DerivedRows:
    """The article's mentions and removals as rows of their tables, article_id left out."""
    return (
        tuple((d.field, d.start, d.text, d.value, d.precision, d.kind) for d in article.dates),
        tuple(
            (
                p.field,
                p.start,
                p.text,
                p.name,
                p.country_code,
                p.latitude,
                p.longitude,
                p.geonameid,
                p.kind,
            )
            for p in article.places
        ),
        tuple((u.field, u.start, u.text, u.url, u.domain) for u in article.urls),
        tuple((r.start, r.text, r.reason) for r in article.removed),
    )


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by `query` and `export`."""

    language: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    place: str | None = None  # the place as the user wrote it
    place_ids: tuple[int, ...] = ()  # the geonameids it may mean (places.resolve_query)
    place_names: tuple[str, ...] = ()  # names of the places it may mean that have no geonameid
    canonical_only: bool = False  # one article per cluster of reprints: its canonical member
    undated: bool = False  # only articles without a publication date (what a date bound drops)


@dataclass(frozen=True)
class MatchCount:
    """How many articles a query matches."""

    value: int
    # False: estimated from an even sample of the matches (see Store.count_matches).
    exact: bool = True
    # The words matched more articles than were counted (COUNT_MAX): ``value`` is a floor.
    more: bool = False


@dataclass
class Lock:
    """The writer lock of one database (see module docstring)."""

    path: str
    handle: object = field(default=None, repr=False)

    def acquire(self, wait: float) -> None:
        self.handle = open(self.path, "a")
        deadline = time.monotonic() + max(wait, 0)
        while True:
            try:
                fcntl.lockf(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() >= deadline:
                    self.handle.close()
                    self.handle = None
                    raise DatabaseBusyError(
                        f"{self.path[: -len('.lock')]}: another newsingest run is writing to this "
                        "database (use --wait SECONDS to wait for it)"
                    ) from None
                time.sleep(0.2)

    def release(self) -> None:
        if self.handle is not None:
            fcntl.lockf(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


# ----------------------------------------------------------------------------------------------
# The store


ARTICLE_COLUMNS = (
    "title, body, raw, format, source, url, site_name, author, language, language_probability, "
    "published, published_precision, published_method, content_hash, story_signature, "
    "word_count, last_seen, pipeline_version, metadata, credit"
)


class Store:
    """The corpus: one SQLite connection and every statement run over it."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        # SQLite's default page cache (2 MB) is smaller than what one query reads: its ranking,
        # snippets and count walk the same stretches of the index, and the filter rows of a
        # million articles take 50 MB; past the cache each page is read from the file again.
        # Pages are allocated as read, so a small corpus costs no more (writers set their own).
        conn.execute(f"PRAGMA cache_size = -{READ_CACHE_MB * 1024}")
        # Articles whose words wait to be counted in term_documents (see _count_terms).
        self._probed = 0
        # Where a query with words reads the filtered columns of its candidates: the narrow
        # copy (m007_search_speed). ``articles`` holds the same values: tests compare the two.
        self.filter_table = "search_filters"

    def close(self) -> None:
        """Close the connection (WriteFailedError when its final checkpoint cannot be written)."""
        with self.write_errors():
            if self._probed and not self.conn.in_transaction:
                self.flush_term_counts()  # texts of a transaction committed without a flush
            self.conn.close()

    def lock(self, wait: float = 0) -> Lock:
        """Take the writer lock, waiting up to ``wait`` seconds; DatabaseBusyError otherwise."""
        lock = Lock(f"{self.path}.lock")
        lock.acquire(wait)
        return lock

    def own_files(self) -> frozenset[str]:
        """Real paths of the database and of the files SQLite and newsingest keep beside it."""
        real = os.path.realpath(self.path)
        return frozenset(real + suffix for suffix in OWN_FILE_SUFFIXES)

    @contextmanager
    def write_errors(self):
        """Turn a failed write (disk full, I/O error) into WriteFailedError naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            reason = _write_failure(exc)
            if reason is None:
                raise
            raise WriteFailedError(f"{reason} while writing {self.path}") from None

    def tune_for_writing(self, cache_mb: int = 32) -> None:
        """Settings for a long batch import (one writer, WAL, large page cache).

        At 100,000 articles the indexes outgrow 16 MB of cache: 32 MB saves the writer 4 s of
        reads from the OS (of 195 s), for 16 MB more memory.
        """
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA cache_size = -{cache_mb * 1024}")
        self.conn.execute("PRAGMA temp_store = MEMORY")

    def reset_wal(self, above_bytes: int = 16 << 20, wait_ms: int = 50) -> None:
        """Copy the write-ahead log into the database and start it over, if readers allow it now.

        SQLite's automatic checkpoints never wait for readers, so a log whose readers are
        never all idle at once (the workers' stem look-ups, KnownTerms) is never reset and
        grows with every batch of a long import: 38 MB of log over a 12 MB database, on a
        nearly full disk a failed import. Only a log past ``above_bytes`` is started over (a
        smaller one costs little, and its pages need no second copy on a nearly full disk).
        Readers get ``wait_ms`` to finish their query; after that the log is left as it is,
        to be reset after a later batch.
        """
        try:
            if os.path.getsize(f"{self.path}-wal") < above_bytes:
                return
        except OSError:
            return  # no log file (not in WAL mode, or already gone): nothing to reset
        busy = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            # RESTART, not TRUNCATE: the next batch writes over the log's own file from its
            # start, and never needs new disk space for what the log already had.
            self.conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
        except sqlite3.OperationalError:
            # Not now: no room to copy the log into the database (a full disk: the next write
            # meets it and reports it), or a statement of this connection still reading. The
            # log still holds every committed batch; a later batch tries again.
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(busy)}")

    def transaction(self):
        """A context manager: one write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        return _Transaction(self)

    def begin(self) -> None:
        """Open a write transaction (for writers that commit in batches of their own)."""
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Commit the open write transaction, with the word counts of its texts."""
        self.flush_term_counts()
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open write transaction, if SQLite has not already done so."""
        # A full disk makes SQLite roll back by itself: a second ROLLBACK would fail and hide
        # the reason.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def integrity_errors(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks (empty when sound).

        Needs a store opened for writing: FTS5 runs its check as an INSERT command.
        """
        problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        try:
            self.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"articles_fts: {exc}")
        return problems

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self, command: str, arguments: dict) -> int:
        """Record the start of an `add` or `reprocess`; returns the run id."""
        cursor = self.conn.execute(
            "INSERT INTO runs (command, arguments, started) VALUES (?, ?, ?)",
            [command, json.dumps(arguments, ensure_ascii=False), _now()],
        )
        return cursor.lastrowid

    def finish_run(
        self,
        run_id: int,
        counts: dict[str, int],
        exit_code: int,
        seconds: float,
        error: str | None = None,
    ):
        """Record the end of a run with its counts (and why it stopped early, if it did)."""
        with self.write_errors():
            self.conn.execute(
                "UPDATE runs SET finished = ?, seconds = ?, exit_code = ?, error = ?, "
                + ", ".join(f"{name} = ?" for name in RUN_COUNTS)
                + " WHERE id = ?",
                [
                    _now(),
                    round(seconds, 3),
                    exit_code,
                    error,
                    *(counts.get(n, 0) for n in RUN_COUNTS),
                    run_id,
                ],
            )

    def recent_runs(self, limit: int = 10) -> list[dict]:
        """The latest runs, newest first."""
        return self._dicts("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit])

    def failed_files(self, limit: int = 50) -> list[dict]:
        """Files whose last read failed, newest first."""
        return self._dicts(
            "SELECT path, status, error, last_seen FROM files "
            "WHERE status IN ('failed', 'unreadable', 'skipped', 'missing') "
            "ORDER BY last_seen DESC, path LIMIT ?",
            [limit],
        )

    def title_only_articles(self, limit: int = 50) -> list[dict]:
        """Articles stored with a title and no body text (0 words), each with a file of it."""
        return self._dicts(
            "SELECT a.id, a.title, (SELECT min(f.path) FROM files f WHERE f.article_id = a.id) "
            "AS path FROM articles a WHERE a.word_count = 0 ORDER BY a.id LIMIT ?",
            [limit],
        )

    def counts(self, canonical_only: bool = False) -> dict:
        """Totals for `status`: articles, files by status, articles by language and source.

        With ``canonical_only`` every cluster of reprints counts once (its canonical member).
        """
        one = self.conn.execute
        where = (
            " WHERE NOT EXISTS (SELECT 1 FROM reprint_clusters c "
            "WHERE c.article_id = articles.id AND c.cluster_id != articles.id)"
            if canonical_only
            else ""
        )
        return {
            "articles": one(f"SELECT count(*) FROM articles{where}").fetchone()[0],
            "canonical_only": canonical_only,
            "files": dict(one("SELECT status, count(*) FROM files GROUP BY status").fetchall()),
            "languages": dict(
                one(
                    f"SELECT coalesce(language, '-'), count(*) FROM articles{where} "
                    "GROUP BY language ORDER BY count(*) DESC"
                ).fetchall()
            ),
            "sources": dict(
                one(
                    f"SELECT source, count(*) FROM articles{where} "
                    "GROUP BY source ORDER BY count(*) DESC"
                ).fetchall()
            ),
            "reprints": self.cluster_counts(),
            "title_only": one(
                f"SELECT count(*) FROM articles{where}{' AND' if where else ' WHERE'} "
                "word_count = 0"
            ).fetchone()[0],
        }

    # -- files ---------------------------------------------------------------------------------

    def known_files(self, abs_paths: Sequence[str]) -> dict[str, KnownFile]:
        """What the corpus knows of each of these files (absent when never seen)."""
        known: dict[str, KnownFile] = {}
        settled = ", ".join(f"'{s}'" for s in SETTLED_STATUSES)
        for chunk in _chunks(abs_paths, 500):
            rows = self.conn.execute(
                "SELECT f.abs_path, max(f.size), max(f.mtime_ns), max(f.sha256), "
                f"min(f.status IN ({settled})), count(DISTINCT f.size), "
                "count(DISTINCT f.mtime_ns), count(*) = 1 AND max(f.status = 'stored'), "
                "max(a.metadata), "
                "max(CASE WHEN f.status = 'failed' THEN coalesce(f.error, 'failed') END) "
                "FROM files f LEFT JOIN articles a ON a.id = f.article_id "
                f"WHERE f.abs_path IN ({', '.join('?' * len(chunk))}) GROUP BY f.abs_path",
                list(chunk),
            )
            for row in rows:
                path, size, mtime_ns, sha, settled_all, sizes, mtimes, linked, given, failure = row
                consistent = sizes == 1 and mtimes == 1
                known[path] = KnownFile(
                    size,
                    mtime_ns,
                    sha,
                    bool(settled_all) and consistent,
                    failure=failure,
                    has_article=bool(linked),
                    metadata=given,
                )
        return known

    def touch_files(self, abs_paths: Sequence[str], run_id: int) -> None:
        """Mark unchanged files (and their articles) as seen in this run.

        An article's ``last_seen`` moves only when its day changes: rewriting the (wide)
        article rows on every run would cost more than the rest of an unchanged re-add together
        (2.2 s of 4.5 s at 100,000 files); ``files.last_seen`` keeps the exact time.
        """
        now = _now()
        for chunk in _chunks(abs_paths, 500):
            marks = ", ".join("?" * len(chunk))
            self.conn.execute(
                f"UPDATE files SET last_seen = ?, run_id = ? WHERE abs_path IN ({marks})",
                [now, run_id, *chunk],
            )
            self.conn.execute(
                "UPDATE articles SET last_seen = ? WHERE id IN (SELECT article_id FROM files "
                f"WHERE abs_path IN ({marks}) AND article_id IS NOT NULL) "
                "AND substr(last_seen, 1, 10) < substr(?, 1, 10)",
                [now, *chunk, now],
            )

    def record_file_problem(self, info: FileInfo, status: str, error: str, run_id: int) -> None:
        """Record a file that gave no article (failed, unreadable or skipped), keeping its article.

        A file that once gave an article keeps its link: the article stays in the corpus and
        the file row says what went wrong this time.
        """
        self._upsert_file(info, 0, None, status, error, run_id, _now())
        # The other records of a JSON file share its fate, and keep their articles too.
        self.conn.execute(
            "UPDATE files SET status = ?, error = ?, run_id = ? WHERE abs_path = ? AND record > 0",
            [status, error, run_id, info.abs_path],
        )

    def mark_missing(self, roots: Sequence[str], run_id: int) -> list[str]:
        """Files under these folders that were not seen in this run: mark and return them."""
        missing: list[str] = []
        for root in roots:
            prefix = root.rstrip(os.sep) + os.sep
            rows = self.conn.execute(
                "SELECT DISTINCT path FROM files WHERE abs_path >= ? AND abs_path < ? "
                "AND (run_id IS NULL OR run_id != ?) AND status != 'missing' ORDER BY path",
                [prefix, prefix[:-1] + chr(ord(os.sep) + 1), run_id],
            ).fetchall()
            if rows:
                self.conn.execute(
                    "UPDATE files SET status = 'missing', error = 'file no longer exists' "
                    "WHERE abs_path >= ? AND abs_path < ? AND (run_id IS NULL OR run_id != ?) "
                    "AND status != 'missing'",
                    [prefix, prefix[:-1] + chr(ord(os.sep) + 1), run_id],
                )
                missing.extend(row[0] for row in rows)
        return missing

    # -- articles ------------------------------------------------------------------------------

    def store_file(
        self, info: FileInfo, processed: Sequence[Processed | str], run_id: int, version: str
    ) -> list[str]:
        """Store the articles read from one file; returns one outcome per record.

        Outcomes: "added" (a new article), "updated" (this file's article changed),
        "unchanged" (same cleaned text as before), "duplicate" (the same cleaned text is
        already stored from another file: the file is linked to that article), "failed" (the
        record gave no article: ``processed`` holds the reason as a str).
        """
        now = _now()
        outcomes = []
        for record, item in enumerate(processed):
            if isinstance(item, str):
                self._upsert_file(info, record, None, "failed", item, run_id, now)
                outcomes.append("failed")
            else:
                outcomes.append(self._store_record(info, record, item, run_id, version, now))
        self.conn.execute(
            "DELETE FROM files WHERE abs_path = ? AND record >= ?", [info.abs_path, len(processed)]
        )
        return outcomes

    def _upsert_file(
        self,
        info: FileInfo,
        record: int,
        article_id: int | None,
        status: str,
        error: str | None,
        run_id: int,
        now: str,
    ) -> None:
        # A failing record keeps the article it gave before: nothing stored is lost.
        self.conn.execute(
            "INSERT INTO files (path, abs_path, record, size, mtime_ns, sha256, encoding, "
            "repairs, article_id, status, error, first_seen, last_seen, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (abs_path, record) DO UPDATE SET path = excluded.path, "
            "size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
            "encoding = excluded.encoding, repairs = excluded.repairs, "
            "article_id = coalesce(excluded.article_id, files.article_id), "
            "status = excluded.status, error = excluded.error, last_seen = excluded.last_seen, "
            "run_id = excluded.run_id",
            [
                info.path,
                info.abs_path,
                record,
                info.size,
                info.mtime_ns,
                info.sha256,
                info.encoding,
                info.repairs,
                article_id,
                status,
                error,
                now,
                now,
                run_id,
            ],
        )

    def update_file_stat(self, info: FileInfo, run_id: int) -> None:
        """A file touched without changing its bytes: remember its new size and mtime."""
        self.conn.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, last_seen = ?, run_id = ? WHERE abs_path = ?",
            [info.size, info.mtime_ns, _now(), run_id, info.abs_path],
        )

    def _store_record(
        self, info: FileInfo, record: int, item: Processed, run_id: int, version: str, now: str
    ) -> str:
        article = item.article
        digest = content_hash(article)
        row = self.conn.execute(
            "SELECT id, article_id FROM files WHERE abs_path = ? AND record = ?",
            [info.abs_path, record],
        ).fetchone()
        file_id, prior = (row[0], row[1]) if row else (None, None)
        existing = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ?", [digest]
        ).fetchone()
        if existing:
            article_id = existing[0]
            if article_id == prior and self._given_changed(article_id, file_id, article):
                # same text, new sidecar values: they win, so the article is written again
                outcome, status = "updated", self._file_status(file_id)
                self._write_article(article_id, article, digest, item, version, now)
            elif article_id == prior:
                outcome, status = "unchanged", self._file_status(file_id)
            else:
                outcome, status = "duplicate", "duplicate"
            self.conn.execute("UPDATE articles SET last_seen = ? WHERE id = ?", [now, article_id])
        elif prior is not None and not self._shared(prior, file_id):
            article_id, outcome, status = prior, "updated", "stored"
            self._write_article(article_id, article, digest, item, version, now)
        else:
            article_id, outcome, status = None, "added", "stored"
            article_id = self._write_article(None, article, digest, item, version, now)
        self._upsert_file(info, record, article_id, status, None, run_id, now)
        if prior is not None and prior != article_id:
            self._drop_if_orphan(prior)
        return outcome

    def _given_changed(self, article_id: int, file_id: int | None, article: Article) -> bool:
        """Whether the file that gave this article now brings other sidecar values (a file
        linked as a duplicate never changes another file's article)."""
        if self._file_status(file_id) != "stored" or file_id is None:
            return False
        stored = self.conn.execute(
            "SELECT metadata FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return stored[0] != _given_json(article)

    def _file_status(self, file_id: int | None) -> str:
        if file_id is None:
            return "stored"
        status = self.conn.execute("SELECT status FROM files WHERE id = ?", [file_id]).fetchone()
        return status[0] if status and status[0] in ("stored", "duplicate") else "stored"

    def _shared(self, article_id: int, file_id: int | None) -> bool:
        """Whether another file row also links to this article."""
        return (
            self.conn.execute(
                "SELECT 1 FROM files WHERE article_id = ? AND id != ? LIMIT 1",
                [article_id, file_id if file_id is not None else -1],
            ).fetchone()
            is not None
        )

    def _drop_if_orphan(self, article_id: int) -> None:
        # A file whose new text equals another stored article no longer needs its old article,
        # unless another file still points to it.
        if not self.conn.execute(
            "SELECT 1 FROM files WHERE article_id = ? LIMIT 1", [article_id]
        ).fetchone():
            self.delete_article(article_id)

    def delete_article(self, article_id: int) -> None:
        """Delete one article with every derived row."""
        texts = self.conn.execute(
            "SELECT title, body FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        if texts:
            self._count_terms(texts, -1)
        self._delete_derived(article_id)
        self.conn.execute("DELETE FROM boilerplate_observations WHERE article_id = ?", [article_id])
        self.dequeue_reclean(article_id)
        self._forget_reprints(article_id)
        self.conn.execute("DELETE FROM articles WHERE id = ?", [article_id])

    def _delete_derived(self, article_id: int) -> None:
        for table in ("dates", "places", "urls", "removed"):
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])

    def _write_article(
        self,
        article_id: int | None,
        article: Article,
        digest: str,
        item: Processed,
        version: str,
        now: str,
    ) -> int:
        meta = article.meta
        values = [
            article.title,
            article.body,
            article.raw,
            article.format,
            article.source,
            meta.url,
            meta.site_name,
            meta.author,
            article.language,
            article.language_probability,
            article.published,
            article.published_precision,
            article.published_method,
            digest,
            item.signature,
            item.word_count if item.word_count is not None else len(article.body.split()),
            now,
            version,
            _given_json(article),
            article.credit,
        ]
        if article_id is None:
            cursor = self.conn.execute(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}, first_seen) "
                f"VALUES ({', '.join('?' * (len(values) + 1))})",
                [*values, now],
            )
            article_id = cursor.lastrowid
            self._count_terms((article.title, article.body), +1)
        else:
            # Naming title or body in an UPDATE fires the FTS trigger even when they are equal.
            current = self.conn.execute(
                "SELECT title, body FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            same_text = current == (article.title, article.body)
            # No row (an article deleted under a file row still naming it): the UPDATE below
            # writes nothing, so there is no text to count in or out either.
            if current is not None and not same_text:
                self._count_terms(current, -1)
                self._count_terms((article.title, article.body), +1)
            pairs = [
                (column.strip(), value)
                for column, value in zip(ARTICLE_COLUMNS.split(","), values, strict=True)
                if not (same_text and column.strip() in ("title", "body"))
            ]
            self.conn.execute(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c, _ in pairs)} WHERE id = ?",
                [*(v for _, v in pairs), article_id],
            )
            self._delete_derived(article_id)
            self.conn.execute(
                "DELETE FROM boilerplate_observations WHERE article_id = ?", [article_id]
            )
        self._write_derived(
            article_id, item.rows if item.rows is not None else derived_rows(article)
        )
        self._write_search_terms(article, item.terms)
        self._write_observations(article_id, item.observations)
        self.conn.execute(
            "INSERT OR IGNORE INTO boilerplate_pending (source) VALUES (?)", [article.source]
        )
        self._write_fingerprint(article_id, item.fingerprint)
        return article_id

    def _count_terms(self, texts: Sequence[str], change: int) -> None:
        """Count an article's text in (``change`` +1) or out (-1) of the articles holding each
        of its words, as FTS5 tokenizes them (its title and body as one text: the same words).

        Texts wait in a probe index and are counted together by ``flush_term_counts`` before
        the transaction commits: one upsert per distinct word of a batch, a quarter of the cost
        of counting each article alone.
        """
        self._term_probes()
        self._probed += 1
        probe = "term_probe_added" if change > 0 else "term_probe_removed"
        self.conn.execute(
            f"INSERT INTO temp.{probe} (rowid, text) VALUES (?, ?)",
            [self._probed, "\n".join(texts)],
        )
        if not self.conn.in_transaction or self._probed >= TERM_COUNT_BATCH:
            self.flush_term_counts()

    def flush_term_counts(self) -> None:
        """Apply the word counts of the texts written since the last flush; every writer calls
        it before COMMIT (a transaction rolled back takes its texts with it)."""
        if not self._probed:
            return
        self._term_probes()
        self.conn.execute(
            "INSERT INTO term_documents (term, documents) SELECT term, doc "
            "FROM temp.term_probe_added_vocab WHERE true "
            "ON CONFLICT (term) DO UPDATE SET documents = documents + excluded.documents"
        )
        removed = "SELECT term FROM temp.term_probe_removed_vocab"
        self.conn.execute(
            "UPDATE term_documents SET documents = documents - (SELECT doc FROM "
            "temp.term_probe_removed_vocab r WHERE r.term = term_documents.term) "
            f"WHERE term IN ({removed})"
        )
        self.conn.execute(
            f"DELETE FROM term_documents WHERE documents <= 0 AND term IN ({removed})"
        )
        for probe in ("term_probe_added", "term_probe_removed"):
            self.conn.execute(f"INSERT INTO temp.{probe} ({probe}) VALUES ('delete-all')")
        self._probed = 0

    def _term_probes(self) -> None:
        # Made again when missing: a transaction rolled back takes the probes made inside it.
        # One statement at a time: executescript would commit the writer's transaction.
        for statement in _TERM_PROBE_SCHEMA:
            self.conn.execute(statement)

    def _write_search_terms(self, article: Article, terms) -> None:
        # Words are only ever added: a word no article holds any more widens a query to a form
        # that matches nothing, which costs nothing.
        if terms is None:
            from .search import term_rows

            terms = term_rows(article.language, (article.title, article.body))
        self.conn.executemany(_TERM_INSERT, terms)
    def _write_fingerprint(self, article_id: int, fingerprint: Fingerprint | None) -> None:
        # A cluster holding the article was built from its old text (and its old dates, which
        # choose the canonical): it is taken apart and its members worked out again.
        self._dissolve_cluster(article_id)
        self.conn.execute("DELETE FROM reprint_bands WHERE article_id = ?", [article_id])
        self.conn.execute("DELETE FROM reprint_signatures WHERE article_id = ?", [article_id])
        if fingerprint is not None:
            self.conn.executemany(
                "INSERT OR IGNORE INTO reprint_bands (band_key, article_id) VALUES (?, ?)",
                [(key, article_id) for key in fingerprint.bands],
            )
            self.conn.execute(
                "INSERT INTO reprint_signatures (article_id, shingles, signature) VALUES (?, ?, ?)",
                [article_id, fingerprint.shingles, fingerprint.signature],
            )
        self.conn.execute(
            "INSERT OR IGNORE INTO reprint_pending (article_id) VALUES (?)", [article_id]
        )

    def _write_derived(self, article_id: int, rows: DerivedRows) -> None:
        for statement, table_rows in zip(_DERIVED_INSERTS, rows, strict=True):
            if table_rows:
                self.conn.executemany(statement, [(article_id, *row) for row in table_rows])

    def _write_observations(self, article_id: int, observations: Iterable[tuple[int, str]]):
        observations = list(observations)
        if not observations:
            return
        # Keep the text of a key only once a second article holds it: most lines are unique.
        self.conn.executemany(
            "INSERT OR IGNORE INTO boilerplate_keys (key_hash, line) SELECT ?, ? "
            "WHERE EXISTS (SELECT 1 FROM boilerplate_observations WHERE key_hash = ?)",
            [(h, line, h) for h, line in observations],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO boilerplate_observations (key_hash, article_id) VALUES (?, ?)",
            [(h, article_id) for h, _ in observations],
        )

    def replace_article(self, article_id: int, item: Processed, version: str) -> str:
        """Store a reprocessed article under its id; returns "updated", "unchanged" or "merged".

        When reprocessing makes it identical to another article, the two become one: its files
        move to the other article and it is deleted ("merged").
        """
        now = _now()
        digest = content_hash(item.article)
        other = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? AND id != ?", [digest, article_id]
        ).fetchone()
        if other:
            self.conn.execute(
                "UPDATE files SET article_id = ?, status = 'duplicate' WHERE article_id = ?",
                [other[0], article_id],
            )
            self.delete_article(article_id)
            return "merged"
        title, body, last_seen = self.conn.execute(
            "SELECT title, body, last_seen FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        self._write_article(article_id, item.article, digest, item, version, last_seen or now)
        self.dequeue_reclean(article_id)
        same = (title, body) == (item.article.title, item.article.body)
        return "unchanged" if same else "updated"

    def articles_for_processing(
        self, ids: Sequence[int] | None = None, batch: int = 500
    ) -> Iterator[tuple[int, str, str, str, Metadata | None]]:
        """(id, raw, format, source, given metadata) of every article (or of ``ids``), in id
        order, streamed."""
        columns = "id, raw, format, source, metadata"
        if ids is not None:
            for chunk in _chunks(sorted(ids), batch):
                for row in self.conn.execute(
                    f"SELECT {columns} FROM articles "
                    f"WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
                    list(chunk),
                ):
                    yield (*row[:4], _given_from_json(row[4]))
            return
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {columns} FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                [last, batch],
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield (*row[:4], _given_from_json(row[4]))
            last = rows[-1][0]

    def article_count(self) -> int:
        """How many articles the corpus holds."""
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    # -- corpus figures (stats) ------------------------------------------------------------------

    def stats_rows(self, filters: Filters, match: str | None = None, places_per_kind: int = 500):
        """The grouped counts behind `stats`, from the stats tables when the filters allow.

        The stats tables answer filters on source, language and a month or year bound; a day
        bound, a place, a full-text match or one article per cluster of reprints needs the
        matching articles themselves (the same groupings, over the articles passing the
        filters).
        """
        bounds = [b for b in (filters.since, filters.until) if b]
        if match or filters.place or filters.canonical_only or any(len(b) > 7 for b in bounds):
            rows = self._stats_from_articles(filters, match, places_per_kind)
            return {**rows, "method": "articles", "failures": self._failure_rows()}
        where, params = self._stats_filter_sql(filters)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = {
            "articles": self._dicts(
                "SELECT source, language, period, to_day, sum(articles) AS articles, "
                f"sum(with_places) AS with_places FROM stats_articles s{clause} "
                "GROUP BY source, language, period, to_day",
                params,
            ),
            "places": self._top_places(
                "SELECT geonameid, name, country_code, kind, latitude, longitude, "
                "sum(articles) AS articles, sum(mentions) AS mentions "
                f"FROM stats_places s{clause} GROUP BY geonameid",
                params,
                places_per_kind,
            ),
            "domains": self._dicts(
                "SELECT domain, sum(articles) AS articles, sum(mentions) AS mentions "
                f"FROM stats_domains s{clause} GROUP BY domain "
                "ORDER BY articles DESC, domain LIMIT 100",
                params,
            ),
            "removed": self._dicts(
                "SELECT reason, sum(articles) AS articles, sum(pieces) AS pieces "
                f"FROM stats_removed s{clause} GROUP BY reason ORDER BY pieces DESC, reason",
                params,
            ),
        }
        return {**rows, "method": "aggregates", "failures": self._failure_rows()}

    def _stats_filter_sql(self, filters: Filters) -> tuple[list[str], list]:
        """``_filter_sql`` over stats rows: the same tests, on a stand-in publication date.

        A day-precise date stands in as ``YYYY-MM-xx``: against a bound of a year or a month it
        compares exactly as every day of that month does.
        """
        published = "(s.period || CASE WHEN s.to_day THEN '-xx' ELSE '' END)"
        return _shared_filters(filters, "s", published)

    def _stats_from_articles(self, filters: Filters, match: str | None, places_per_kind: int):
        where, params = self._filter_sql(filters)
        if match:
            where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(match)
        clause = "".join(f" AND {w}" for w in where)
        joined = "JOIN articles a ON a.id = t.article_id"
        return {
            "articles": self._dicts(
                "SELECT source, language, substr(published, 1, 7) AS period, "
                "length(published) IS 10 AS to_day, count(*) AS articles, "
                "sum(EXISTS (SELECT 1 FROM places t WHERE t.article_id = a.id)) AS with_places "
                f"FROM articles a WHERE 1{clause} GROUP BY 1, 2, 3, 4",
                params,
                fts=bool(match),
            ),
            "places": self._top_places(
                "SELECT t.geonameid, t.name, t.country_code, t.kind, t.latitude, t.longitude, "
                "count(DISTINCT t.article_id) AS articles, count(*) AS mentions "
                f"FROM places t {joined} WHERE t.geonameid IS NOT NULL{clause} "
                "GROUP BY t.geonameid",
                params,
                places_per_kind,
                fts=bool(match),
            ),
            "domains": self._dicts(
                "SELECT t.domain, count(DISTINCT t.article_id) AS articles, count(*) AS mentions "
                f"FROM urls t {joined} WHERE t.domain IS NOT NULL{clause} GROUP BY t.domain "
                "ORDER BY articles DESC, t.domain LIMIT 100",
                params,
                fts=bool(match),
            ),
            "removed": self._dicts(
                "SELECT t.reason, count(DISTINCT t.article_id) AS articles, count(*) AS pieces "
                f"FROM removed t {joined} WHERE 1{clause} GROUP BY t.reason "
                "ORDER BY pieces DESC, t.reason",
                params,
                fts=bool(match),
            ),
        }

    def _top_places(self, grouped: str, params: list, per_kind: int, fts: bool = False):
        return self._dicts(
            "SELECT geonameid, name, country_code, kind, latitude, longitude, articles, mentions "
            "FROM (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY articles DESC, "
            f"mentions DESC, geonameid) AS n FROM ({grouped})) WHERE n <= ? "
            "ORDER BY articles DESC, mentions DESC, geonameid",
            [*params, per_kind],
            fts=fts,
        )

    def _failure_rows(self) -> list[dict]:
        # Reasons carry details in parentheses ("invalid JSON (Expecting value, line 3)"): the
        # words before them name the kind of failure.
        reason = (
            "CASE WHEN instr(error, ' (') > 0 THEN substr(error, 1, instr(error, ' (') - 1) "
            "ELSE coalesce(error, status) END"
        )
        return self._dicts(
            f"SELECT status, {reason} AS reason, count(*) AS files FROM files "
            "WHERE status IN ('failed', 'unreadable') GROUP BY 1, 2 ORDER BY files DESC, reason"
        )

    def rebuild_stats(self) -> None:
        """Recompute the stats tables from the tables they summarise (in one transaction)."""
        with self.transaction():
            for table in ("stats_articles", "stats_places", "stats_domains", "stats_removed"):
                self.conn.execute(f"DELETE FROM {table}")
            for statement in _STATS_FILL.split(";"):
                if statement.strip():
                    self.conn.execute(statement)

    # -- learned boilerplate -------------------------------------------------------------------

    def learned_boilerplate(self) -> dict[str, frozenset[str]]:
        """The learned boilerplate lines of every source."""
        learned: dict[str, set[str]] = {}
        for source, line in self.conn.execute("SELECT source, line FROM learned_boilerplate"):
            learned.setdefault(source, set()).add(line)
        return {source: frozenset(lines) for source, lines in learned.items()}

    def pending_sources(self) -> list[str]:
        """Sources whose learned boilerplate is out of date."""
        return [
            row[0]
            for row in self.conn.execute("SELECT source FROM boilerplate_pending ORDER BY source")
        ]

    def boilerplate_counts(self, source: str) -> tuple[int, dict[str, int]]:
        """(distinct stories in the source, {key: distinct stories holding it}).

        Only keys held by more than one article are counted: a key seen once cannot recur.
        Articles without a signature count as stories of their own.
        """
        stories = self.conn.execute(
            "SELECT count(DISTINCT coalesce(story_signature, -id)) FROM articles WHERE source = ?",
            [source],
        ).fetchone()[0]
        rows = self.conn.execute(
            "SELECT k.line, count(DISTINCT coalesce(a.story_signature, -a.id)) "
            "FROM boilerplate_keys k JOIN boilerplate_observations o ON o.key_hash = k.key_hash "
            "JOIN articles a ON a.id = o.article_id WHERE a.source = ? GROUP BY k.key_hash",
            [source],
        ).fetchall()
        return stories, dict(rows)

    def set_learned_boilerplate(self, source: str, lines: dict[str, int]) -> int:
        """Replace one source's learned lines; queue the articles holding a line that changed.

        Returns how many articles were queued (see ``reclean_queue``).
        """
        self.conn.execute("DELETE FROM boilerplate_pending WHERE source = ?", [source])
        old = {
            line
            for (line,) in self.conn.execute(
                "SELECT line FROM learned_boilerplate WHERE source = ?", [source]
            )
        }
        changed = old.symmetric_difference(lines)
        self.conn.execute("DELETE FROM learned_boilerplate WHERE source = ?", [source])
        self.conn.executemany(
            "INSERT INTO learned_boilerplate (source, line, stories) VALUES (?, ?, ?)",
            [(source, line, count) for line, count in sorted(lines.items())],
        )
        queued = 0
        for chunk in _chunks([key_hash(line) for line in sorted(changed)], 500):
            queued += self.conn.execute(
                "INSERT OR IGNORE INTO boilerplate_reclean (article_id) "
                "SELECT o.article_id FROM boilerplate_observations o "
                "JOIN articles a ON a.id = o.article_id "
                f"WHERE o.key_hash IN ({', '.join('?' * len(chunk))}) AND a.source = ?",
                [*chunk, source],
            ).rowcount
        return queued

    def reclean_queue(self) -> list[int]:
        """Ids of the articles waiting to be cleaned again with the current learned lines."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT article_id FROM boilerplate_reclean ORDER BY article_id"
            )
        ]

    def dequeue_reclean(self, article_id: int) -> None:
        """Take an article off the queue (done, or impossible to process again)."""
        self.conn.execute("DELETE FROM boilerplate_reclean WHERE article_id = ?", [article_id])

    # -- reprint clusters ----------------------------------------------------------------------

    def _forget_reprints(self, article_id: int) -> None:
        """Drop an article from the reprint index; the rest of its cluster is queued again."""
        self._dissolve_cluster(article_id)
        for table in ("reprint_bands", "reprint_signatures", "reprint_pending"):
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])

    def _dissolve_cluster(self, article_id: int) -> None:
        # The article may have held its cluster together: every member is queued and the
        # cluster's rows go, so that no queued article sits in a cluster built from old text
        # (clustering then only ever adds to the clusters it finds).
        row = self.conn.execute(
            "SELECT cluster_id FROM reprint_clusters WHERE article_id = ?", [article_id]
        ).fetchone()
        if row is None:
            return
        self.conn.execute(
            "INSERT OR IGNORE INTO reprint_pending (article_id) "
            "SELECT article_id FROM reprint_clusters WHERE cluster_id = ?",
            row,
        )
        self.conn.execute("DELETE FROM reprint_clusters WHERE cluster_id = ?", row)

    def reprint_queue(self, limit: int = 500) -> list[int]:
        """Ids of articles whose near-duplicates must be worked out again, smallest first."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT article_id FROM reprint_pending ORDER BY article_id LIMIT ?", [limit]
            )
        ]

    def dequeue_reprints(self, ids: Sequence[int]) -> None:
        """Take articles off the reprint queue (their clusters are written)."""
        self.conn.executemany(
            "DELETE FROM reprint_pending WHERE article_id = ?", [(i,) for i in ids]
        )

    def requeue_all_reprints(self) -> None:
        """Forget every cluster and queue every article: `reprocess` rebuilds them all."""
        self.conn.execute("DELETE FROM reprint_clusters")
        self.conn.execute(
            "INSERT OR IGNORE INTO reprint_pending (article_id) SELECT id FROM articles"
        )

    def reprint_candidates(self, ids: Sequence[int]) -> dict[int, dict[int, int]]:
        """{article: {other article sharing a band key with it: how many keys they share}}."""
        found: dict[int, dict[int, int]] = {article_id: {} for article_id in ids}
        for chunk in _chunks(sorted(set(ids)), 500):
            for article_id, other, shared in self.conn.execute(
                "SELECT mine.article_id, other.article_id, count(*) FROM reprint_bands mine "
                "JOIN reprint_bands other ON other.band_key = mine.band_key "
                f"WHERE mine.article_id IN ({', '.join('?' * len(chunk))}) "
                "AND other.article_id != mine.article_id GROUP BY 1, 2",
                list(chunk),
            ):
                found[article_id][other] = shared
        return found

    def fingerprints(self, ids: Iterable[int]) -> dict[int, tuple[int, bytes]]:
        """{article: (distinct shingles, MinHash signature)} of those that have one."""
        found: dict[int, tuple[int, bytes]] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            for article_id, count, signature in self.conn.execute(
                "SELECT article_id, shingles, signature FROM reprint_signatures "
                f"WHERE article_id IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            ):
                found[article_id] = (count, signature)
        return found

    def cluster_ids(self, ids: Iterable[int]) -> dict[int, int]:
        """{article: cluster id} of those in a cluster."""
        found: dict[int, int] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            found.update(
                self.conn.execute(
                    "SELECT article_id, cluster_id FROM reprint_clusters "
                    f"WHERE article_id IN ({', '.join('?' * len(chunk))})",
                    list(chunk),
                ).fetchall()
            )
        return found

    def cluster_members(self, cluster_ids: Iterable[int]) -> dict[int, list[int]]:
        """{cluster id: its articles, by id} of these clusters."""
        found: dict[int, list[int]] = {}
        for chunk in _chunks(sorted(set(cluster_ids)), 500):
            for article_id, cluster_id in self.conn.execute(
                "SELECT article_id, cluster_id FROM reprint_clusters "
                f"WHERE cluster_id IN ({', '.join('?' * len(chunk))}) ORDER BY article_id",
                list(chunk),
            ):
                found.setdefault(cluster_id, []).append(article_id)
        return found

    def cluster_facts(self, ids: Sequence[int]) -> list[tuple[int, str | None, str, str]]:
        """(id, published, first_seen, content_hash) of each article: what picks a canonical."""
        rows = []
        for chunk in _chunks(sorted(ids), 500):
            rows += self.conn.execute(
                "SELECT id, published, first_seen, content_hash FROM articles "
                f"WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
                list(chunk),
            ).fetchall()
        return rows

    def set_clusters(self, assignments: Sequence[tuple[int, int, float]], alone: Iterable[int]):
        """Write (article, cluster, similarity to canonical) rows; drop the rows of ``alone``."""
        self.conn.executemany(
            "DELETE FROM reprint_clusters WHERE article_id = ?", [(i,) for i in alone]
        )
        self.conn.executemany(
            "INSERT INTO reprint_clusters (article_id, cluster_id, similarity) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET cluster_id = excluded.cluster_id, "
            "similarity = excluded.similarity",
            list(assignments),
        )

    def cluster_of(self, article_id: int) -> dict | None:
        """An article's cluster: its id, canonical and every member with its similarity."""
        row = self.conn.execute(
            "SELECT cluster_id FROM reprint_clusters WHERE article_id = ?", [article_id]
        ).fetchone()
        if row is None:
            return None
        members = self._dicts(
            "SELECT a.id, c.similarity, a.published, a.source, a.credit, a.title "
            "FROM reprint_clusters c JOIN articles a ON a.id = c.article_id "
            "WHERE c.cluster_id = ? ORDER BY c.similarity DESC, a.id",
            [row[0]],
        )
        return {"cluster_id": row[0], "size": len(members), "members": members}

    def cluster_counts(self) -> dict:
        """Clusters of reprints: how many, how many articles they hold, the largest sizes."""
        one = self.conn.execute
        clusters, members = one(
            "SELECT count(DISTINCT cluster_id), count(*) FROM reprint_clusters"
        ).fetchone()
        sizes = one(
            "SELECT size, count(*) FROM (SELECT count(*) AS size FROM reprint_clusters "
            "GROUP BY cluster_id) GROUP BY size ORDER BY size"
        ).fetchall()
        return {
            "clusters": clusters,
            "clustered_articles": members,
            "reprints": members - clusters,
            "canonical_articles": self.article_count() - (members - clusters),
            "cluster_sizes": {size: n for size, n in sizes},
            "pending": one("SELECT count(*) FROM reprint_pending").fetchone()[0],
        }

    # -- reading -------------------------------------------------------------------------------

    def get_article(self, article_id: int) -> dict | None:
        """Everything stored for one article, or None."""
        rows = self._dicts("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        article = rows[0]
        article["files"] = self._dicts(
            "SELECT path, record, size, sha256, encoding, repairs, status, error, first_seen, "
            "last_seen "
            "FROM files WHERE article_id = ? ORDER BY id",
            [article_id],
        )
        for name, derived in self._derived([article_id]).items():
            article[name] = derived.get(article_id, [])
        article["cluster"] = self.cluster_of(article_id)
        return article

    def _derived(self, ids: Sequence[int]) -> dict[str, dict[int, list[dict]]]:
        columns = {
            "dates": "field, start, text, value, precision, kind",
            "places": (
                "field, start, text, name, country_code, latitude, longitude, geonameid, kind"
            ),
            "urls": "field, start, text, url, domain",
            "removed": "start, text, reason",
        }
        result: dict[str, dict[int, list[dict]]] = {name: {} for name in columns}
        marks = ", ".join("?" * len(ids))
        for name, cols in columns.items():
            for row in self._dicts(
                f"SELECT article_id, {cols} FROM {name} WHERE article_id IN ({marks}) "
                "ORDER BY article_id, id",
                list(ids),
            ):
                result[name].setdefault(row.pop("article_id"), []).append(row)
        return result

    def export(
        self, filters: Filters, match: str | None = None, batch: int = 500
    ) -> Iterator[dict]:
        """Every article passing the filters, in id order, in the export contract's shape."""
        where, params = self._filter_sql(filters)
        if match:
            where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(match)
        last = 0
        while True:
            rows = self._dicts(
                "SELECT a.id, a.source, a.title, a.body, a.language, a.language_probability, "
                "a.published, a.published_precision, a.published_method, a.url, a.site_name, "
                "a.author, a.credit FROM articles a WHERE "
                + " AND ".join(["a.id > ?", *where])
                + " ORDER BY a.id LIMIT ?",
                [last, *params, batch],
                fts=bool(match),
            )
            if not rows:
                return
            ids = [row["id"] for row in rows]
            derived = self._derived(ids)
            files: dict[int, list[str]] = {}
            for article_id, path in self.conn.execute(
                "SELECT article_id, path FROM files "
                f"WHERE article_id IN ({', '.join('?' * len(ids))}) ORDER BY id",
                ids,
            ):
                files.setdefault(article_id, []).append(path)
            clusters = self.cluster_sizes(ids)
            for row in rows:
                article_id = row["id"]
                cluster_id, size, value = clusters[article_id]
                yield {
                    "id": article_id,
                    "files": files.get(article_id, []),
                    **{k: row[k] for k in row if k not in ("id", "credit")},
                    "dates": derived["dates"].get(article_id, []),
                    "places": derived["places"].get(article_id, []),
                    "urls": derived["urls"].get(article_id, []),
                    "removed": derived["removed"].get(article_id, []),
                    "credit": row["credit"],
                    "cluster_id": cluster_id,
                    "cluster_size": size,
                    "cluster_similarity": value,
                }
            last = ids[-1]

    def _filter_sql(self, filters: Filters, narrow: bool = False) -> tuple[list[str], list]:
        """WHERE conditions on articles ``a``; ``narrow``: ``a`` is a row of search_filters."""
        bounds = (filters.since, filters.until)
        if narrow and any(bounds) and all(b is None or _DATE_BOUND.fullmatch(b) for b in bounds):
            undated = replace(filters, since=None, until=None)
            where, params = _shared_filters(undated, "a", "a.published")
            periods, values = _period_filters(filters)
            where, params = [*where, *periods], [*params, *values]
        else:
            where, params = _shared_filters(filters, "a", "a.published")
        if filters.place:
            # A resolved mention matches by its place id; one the gazetteer lacks (found by a
            # cue such as "Desa X", or a hand-listed feature) by its name.
            conditions = ["(geonameid IS NULL AND name = ? COLLATE NOCASE)"]
            values: list = [filters.place]
            if filters.place_ids:
                conditions.append(f"geonameid IN ({', '.join('?' * len(filters.place_ids))})")
                values.extend(filters.place_ids)
            if filters.place_names:
                marks = ", ".join("?" * len(filters.place_names))
                conditions.append(f"(geonameid IS NULL AND name IN ({marks}))")
                values.extend(filters.place_names)
            # Tested per candidate article through the covering index on (article_id, ...):
            # a common place (Malaysia in a Malaysian corpus) is in too many articles to list.
            where.append(
                "EXISTS (SELECT 1 FROM places p WHERE p.article_id = a.id "
                f"AND ({' OR '.join(conditions)}))"
            )
            params.extend(values)
        if filters.canonical_only:
            where.append(
                "NOT EXISTS (SELECT 1 FROM reprint_clusters c "
                "WHERE c.article_id = a.id AND c.cluster_id != a.id)"
            )
        return where, params

    # -- search --------------------------------------------------------------------------------

    def related_terms(self, family: str, stem: str) -> list[str]:
        """The indexed words of one stemmer family that have this stem."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT term FROM search_terms WHERE family = ? AND stem = ? ORDER BY term",
                [family, stem],
            )
        ]

    def stored_stem(self, family: str, term: str) -> str | None:
        """The stem stored for an indexed word under a stemmer family, or None."""
        row = self.conn.execute(
            "SELECT stem FROM search_terms WHERE family = ? AND term = ?", [family, term]
        ).fetchone()
        return row[0] if row else None

    def document_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """In how many articles each indexed word occurs (absent words are left out)."""
        counts: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(terms)), 500):
            counts.update(
                self.conn.execute(
                    "SELECT term, documents FROM term_documents WHERE documents > 0 AND term IN "
                    f"({', '.join('?' * len(chunk))})",
                    list(chunk),
                ).fetchall()
            )
        return counts

    def language_shares(self, term: str, sample: int = 500) -> dict[str, float]:
        """The share of the articles of each language that hold an indexed word.

        Its articles' languages are read from a sample of them: the first and the last
        ``sample // 2`` by rowid (the oldest and newest imports: a corpus added one language
        after another is seen in both), so that a word held by a large part of a large corpus
        costs the same as a rare one.
        """
        holding = self.document_counts([term]).get(term, 0)
        if not holding:
            return {}
        match = quote_terms([term])
        half = max(1, sample // 2)
        found = dict(
            self.conn.execute(
                "SELECT f.language, count(*) FROM ("
                "SELECT rowid FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid LIMIT ?) UNION "
                "SELECT rowid FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?)"
                ") AS h JOIN search_filters f ON f.id = h.rowid "
                "WHERE f.language IS NOT NULL GROUP BY f.language",
                [match, half, match, half],
            ).fetchall()
        )
        sampled = min(holding, 2 * half)
        totals = dict(
            self.conn.execute(
                "SELECT language, sum(articles) FROM stats_articles "
                "WHERE language IS NOT NULL GROUP BY language"
            ).fetchall()
        )
        return {
            language: min(1.0, holding * count / sampled / totals[language])
            for language, count in found.items()
            if totals.get(language)
        }

    def unknown_value(self, column: str, value: str) -> list[str] | None:
        """None when some article has this language or source; else every value there is."""
        if column not in ("language", "source"):
            raise ValueError(column)
        if self.conn.execute(
            f"SELECT 1 FROM articles WHERE {column} = ? LIMIT 1", [value]
        ).fetchone():
            return None
        return [
            row[0]
            for row in self.conn.execute(
                f"SELECT DISTINCT {column} FROM articles WHERE {column} IS NOT NULL "
                f"ORDER BY {column}"
            )
        ]

    def _matching(
        self, match: str | None, filters: Filters, columns: bool = False
    ) -> tuple[str, list]:
        """FROM and WHERE of the articles matching an FTS5 expression (or all) and the filters.

        With words, the full-text index is read first (CROSS JOIN fixes the order): left to
        itself SQLite may start from a language or source index and test the words article by
        article, 1,000 times slower. Candidates are tested in ``search_filters`` (id, language,
        source, published), never in the wide article rows. Without filters (and without
        ``columns``: those columns as ``a.*``), the index alone.
        """
        if match is None:
            where, params = self._filter_sql(filters)
            return "articles a" + (" WHERE " + " AND ".join(where) if where else ""), params
        where, params = self._filter_sql(filters, self.filter_table == "search_filters")
        if not where and not columns:
            return "articles_fts WHERE articles_fts MATCH ?", [match]
        sql = f"articles_fts CROSS JOIN {self.filter_table} a ON a.id = articles_fts.rowid WHERE "
        return sql + " AND ".join(["articles_fts MATCH ?", *where]), [match, *params]

    def search(
        self,
        match: str | None,
        filters: Filters,
        limit: int = 20,
        highlight=("[", "]"),
        exact: str | None = None,
        rank_all: bool = False,
    ) -> list[dict]:
        """Articles matching an FTS5 expression, best first, with a highlighted snippet.

        With ``exact`` (the query with every word as written, matching a subset of ``match``),
        articles matching it come first, ranked among themselves: a widened query must not bury
        the exact form under its variants. Scores compare only within each of the two groups.
        Without ``match``, the newest articles passing the filters, with the start of their body.

        BM25 costs a couple of microseconds per matching row, so a word found in most of a
        million articles would take seconds to rank. When more than RANK_WINDOW articles match
        the words, only the RANK_WINDOW most recently added matches are ranked (widened while
        the filters leave fewer than ``limit`` of them).
        """
        if match is None:
            source, params = self._matching(None, filters)
            rows = self._dicts(
                "SELECT a.id, a.title, a.source, a.language, a.published, "
                f"substr(a.body, 1, 160) AS snippet FROM {source} ORDER BY a.id DESC LIMIT ?",
                [*params, limit],
            )
            sizes = self.cluster_sizes([row["id"] for row in rows])
            return [
                {**row, "score": None, "cluster_size": sizes[row["id"]][1]} for row in rows
            ]
        # Exact forms first: the words as written, ranked alone (one phrase per word is cheap
        # to rank and to snippet); then, when they fill less than the page, the other forms.
        tiers = [(match, None if rank_all else RANK_WINDOW)]
        if exact:
            tiers = [(exact, tiers[0][1]), (match, None if rank_all else WIDENED_RANK_WINDOW)]
        chosen: dict[int, tuple[float, str]] = {}
        # The number of matches of each expression among which its results were ranked.
        windows: dict[str, int] = {}
        for expression, window in tiers:
            if len(chosen) >= limit:
                break
            ranked, windows[expression] = self._ranked(
                expression, filters, limit + len(chosen), window
            )
            for article_id, score in ranked:
                if article_id not in chosen and len(chosen) < limit:
                    chosen[article_id] = (score, expression)
        if not chosen:
            return []
        ids = list(chosen)
        marks = ", ".join("?" * len(ids))
        rows = {
            row["id"]: row
            for row in self._dicts(
                "SELECT id, title, source, language, published FROM articles "
                f"WHERE id IN ({marks})",
                ids,
            )
        }
        snippets: dict[int, str] = {}
        for expression in {expression for _, expression in chosen.values()}:
            group = [i for i in ids if chosen[i][1] == expression]
            marks = ", ".join("?" * len(group))
            if windows[expression] is not None and windows[expression] <= SNIPPET_SCAN_MAX:
                # FTS5 answers `rowid IN (...)` with one full look-up of the expression per
                # article, every form's index pages read again each time (15-30 ms for 20
                # articles of a widened word at 100,000 articles). The results lie among the
                # newest ``window`` matches: reading that stretch of the index once costs at
                # most what the rank window's bound cost (2 ms), and `+rowid` keeps the list
                # a plain test.
                bounds = "rowid BETWEEN ? AND ? AND +rowid"
                values = [expression, min(group), max(group), *group]
            else:
                bounds, values = "rowid", [expression, *group]
            snippets.update(
                self._execute(
                    "SELECT rowid, snippet(articles_fts, -1, ?, ?, '…', 16) FROM articles_fts "
                    f"WHERE articles_fts MATCH ? AND {bounds} IN ({marks})",
                    [*highlight, *values],
                    fts=True,
                ).fetchall()
            )
        sizes = self.cluster_sizes(ids)
        return [
            {
                **rows[article_id],
                "snippet": snippets.get(article_id, ""),
                "score": round(-chosen[article_id][0], 4),
                "cluster_size": sizes[article_id][1],
            }
            for article_id in ids
        ]

    def _ranked(
        self, match: str, filters: Filters, limit: int, window: int | None
    ) -> tuple[list[tuple[int, float]], int | None]:
        """(rowid, BM25 score) of the best ``limit`` matches among the newest ``window`` (None:
        among all), and that window (widened while the filters leave too few)."""
        where, params = self._filter_sql(filters, self.filter_table == "search_filters")
        join = f" CROSS JOIN {self.filter_table} a ON a.id = articles_fts.rowid" if where else ""
        while True:
            # The window is counted in matches of the words alone (a cheap scan of the index);
            # filters then apply inside it, and it widens while it holds too few results.
            cutoff = self._rank_cutoff(match, window) if window else None
            bounded = ["articles_fts.rowid >= ?"] if cutoff is not None else []
            # Rank on the index alone, then fetch rows and snippets for the few shown.
            ranked = self._execute(
                "SELECT articles_fts.rowid, bm25(articles_fts, 4.0, 1.0) AS score "
                f"FROM articles_fts{join} WHERE articles_fts MATCH ?"
                + "".join(f" AND {w}" for w in [*where, *bounded])
                + " ORDER BY score LIMIT ?",
                [match, *params, *([cutoff] if bounded else []), limit],
                fts=True,
            ).fetchall()
            if cutoff is None or len(ranked) >= limit:
                return ranked, window
            window *= 8

    def cluster_sizes(self, ids: Sequence[int]) -> dict[int, tuple[int, int, float]]:
        """{article: (cluster id, size, similarity to the canonical)}; alone: (id, 1, 1.0)."""
        found = {article_id: (article_id, 1, 1.0) for article_id in ids}
        for chunk in _chunks(sorted(ids), 500):
            for article_id, cluster_id, size, value in self.conn.execute(
                "SELECT c.article_id, c.cluster_id, (SELECT count(*) FROM reprint_clusters o "
                "WHERE o.cluster_id = c.cluster_id), c.similarity FROM reprint_clusters c "
                f"WHERE c.article_id IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            ):
                found[article_id] = (cluster_id, size, value)
        return found

    def count_matches(self, match: str | None, filters: Filters) -> MatchCount:
        """How many articles match, counting no further than COUNT_MAX matches of the words.

        Without filters, or with fewer than twice COUNT_SAMPLE matches of the words, the count
        is exact. Beyond, an even sample of about COUNT_SAMPLE of the counted matches (picked
        by a hash of the article id, so neither the oldest nor one source) is tested against
        the filters, and the share that passes scales the words' count: an estimate, rounded
        to two significant digits. When fewer than a tenth of the sample pass, every counted
        match is tested instead: exact, or a floor when the words matched more than COUNT_MAX.
        """
        if match is None:
            source, params = self._matching(None, filters)
            sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} LIMIT ?)"
            found = self._execute(sql, [*params, COUNT_MAX]).fetchone()[0]
            return MatchCount(found, more=found >= COUNT_MAX)
        where, params = self._filter_sql(filters, self.filter_table == "search_filters")
        words = "SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?"
        if not where:
            # Not from fts5vocab for a single word: its `doc` walks the word's whole position
            # list (43 ms for "yang" at 1,000,000 articles, against 7 ms to count 100,000).
            found = self._execute(
                f"SELECT count(*) FROM ({words})", [match, COUNT_MAX], fts=True
            ).fetchone()[0]
            return MatchCount(found, more=found >= COUNT_MAX)
        test = (
            f"EXISTS (SELECT 1 FROM {self.filter_table} a WHERE a.id = m.id AND "
            + " AND ".join(where)
            + ")"
        )
        def walk(stride: int) -> tuple[int, int, int]:
            # One walk of the matches: their count, and the filters tested on an even sample
            # of them (a multiplicative hash reduced by a prime first: the id modulo the
            # stride alone would pick the same articles from every block of ids repeating
            # with a shared period).
            picked = f"m.id * 2654435761 % 4294967291 % {stride} = 0"
            return self._execute(
                f"SELECT count(*), ifnull(sum({picked}), 0), "
                f"ifnull(sum(CASE WHEN {picked} THEN {test} END), 0) FROM ({words}) m",
                [*params, match, COUNT_MAX],
                fts=True,
            ).fetchone()

        def every(found: int) -> MatchCount:
            # The filters tested on each of the ``found`` matches counted: exact, or a floor
            # when the words matched more than were counted.
            passed = self._execute(
                f"SELECT ifnull(sum({test}), 0) FROM ({words}) m",
                [*params, match, found],
                fts=True,
            ).fetchone()[0]
            return MatchCount(passed, more=found >= COUNT_MAX)

        found, sampled, passed = walk(COUNT_MAX // COUNT_SAMPLE)
        stride = max(1, found // COUNT_SAMPLE)
        if stride == 1:
            return every(found)  # few enough to test every one: a second, short walk
        if stride < COUNT_MAX // COUNT_SAMPLE:
            # Fewer matches than the cap: a second walk keeps a sample of about COUNT_SAMPLE
            # (the first kept only one in COUNT_MAX // COUNT_SAMPLE).
            found, sampled, passed = walk(stride)
        if passed < COUNT_SAMPLE // 10:
            # A filter that few of the sample pass says too little for an estimate (3 passes
            # in 500 could be 0 or 30 among all) and may pass none at all while some of the
            # matches shown do: every counted match is tested (at most COUNT_MAX lookups).
            return every(found)
        estimate = passed * found / sampled if sampled else 0
        return MatchCount(_two_digits(estimate), exact=False, more=found >= COUNT_MAX)

    def facets(
        self, match: str | None, filters: Filters, top: int = 20
    ) -> dict[str, list[tuple[str, int]]]:
        """Counts of the matching articles by source, language, month and country, largest first.

        An article counts once per country it names; months are those of the publication date
        (articles without one count under "unknown").
        """
        source, params = self._matching(match, filters, columns=True)
        self.conn.execute("DROP TABLE IF EXISTS temp.facet_ids")
        self._execute(
            f"CREATE TEMP TABLE facet_ids AS SELECT a.id AS id, a.source AS source, "
            f"a.language AS language, a.published AS published FROM {source}",
            params,
            fts=match is not None,
        )
        try:
            queries = {
                "source": "SELECT source, count(*) FROM temp.facet_ids GROUP BY 1",
                "language": "SELECT coalesce(language, 'unknown'), count(*) "
                "FROM temp.facet_ids GROUP BY 1",
                "month": "SELECT coalesce(substr(published, 1, 7), 'unknown'), count(*) "
                "FROM temp.facet_ids GROUP BY 1",
                "country": "SELECT p.country_code, count(DISTINCT p.article_id) "
                "FROM temp.facet_ids f JOIN places p ON p.article_id = f.id "
                "WHERE p.country_code IS NOT NULL GROUP BY 1",
            }
            return {
                name: sorted(self.conn.execute(sql).fetchall(), key=lambda r: (-r[1], r[0]))[:top]
                for name, sql in queries.items()
            }
        finally:
            self.conn.execute("DROP TABLE temp.facet_ids")

    def _rank_cutoff(self, match: str, window: int) -> int | None:
        """The rowid of the ``window``-th most recent match, or None when there are fewer."""
        row = self._execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [match, window],
            fts=True,
        ).fetchone()
        return row[0] if row else None

    def _execute(self, sql: str, params: Sequence, fts: bool = False) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy(self.path) from None
            message = str(exc)
            if fts and not any(word in message for word in ("locked", "busy", "disk", "memory")):
                raise QueryError(
                    f"malformed full-text query ({message}); without --raw, words, "
                    '"phrases", OR, -word and word* are understood; '
                    "see https://www.sqlite.org/fts5.html#full_text_query_syntax"
                ) from exc
            raise

    def _dicts(self, sql: str, params: Sequence = (), fts: bool = False) -> list[dict]:
        cursor = self._execute(sql, params, fts=fts)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _two_digits(value: float) -> int:
    """An estimate rounded to two significant digits (45,678 -> 46,000), so it reads as one."""
    whole = round(value)
    drop = max(0, len(str(whole)) - 2)
    return round(whole, -drop) if drop else whole


def _period_filters(filters: Filters) -> tuple[list[str], list]:
    """--since and --until over search_filters ``a``: the same test as _shared_filters makes.

    A period overlaps a bound's exactly when its last day is on or after the first day of
    ``since`` and its first day on or before the last day of ``until`` (days padded with 00 and
    99 order the same). A value of another shape (no first day) takes the general test.
    """
    where: list[str] = []
    params: list = []
    if filters.since:
        where.append(
            "(a.published_last >= ? OR a.published_last IS NULL "
            "AND a.published >= substr(?, 1, length(a.published)))"
        )
        params.extend([filters.since + "-00-00"[len(filters.since) - 4 :], filters.since])
    if filters.until:
        where.append(
            "(a.published_first <= ? OR a.published_first IS NULL "
            "AND substr(a.published, 1, length(?)) <= substr(?, 1, length(a.published)))"
        )
        params.extend([filters.until + "-99-99"[len(filters.until) - 4 :], *[filters.until] * 2])
    return where, params


def _shared_filters(filters: Filters, alias: str, published: str) -> tuple[list[str], list]:
    """The language, source and date-bound tests, over articles or over the stats rows."""
    where: list[str] = []
    params: list = []
    if filters.language:
        where.append(f"{alias}.language = ?")
        params.append(filters.language)
    if filters.source:
        where.append(f"{alias}.source = ?")
        params.append(filters.source)
    # A published value is as precise as the text allowed ("2016-12"), a bound as the user
    # wrote it ("2017"): both are cut to the shorter of the two before comparing, so a date is
    # in range when its period overlaps the bound's ("2017-05-02" is within --until 2017).
    if filters.since:
        where.append(f"{published} >= substr(?, 1, length({published}))")
        params.append(filters.since)
    if filters.until:
        where.append(f"substr({published}, 1, length(?)) <= substr(?, 1, length({published}))")
        params.extend([filters.until, filters.until])
    if filters.undated:
        where.append(f"{published} IS NULL")
    return where, params


class _Transaction:
    def __init__(self, store: Store):
        self.store = store

    def __enter__(self):
        self.store.begin()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.store.commit()
        else:
            self.store.rollback()
        return False


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == SQLITE_BUSY


def _busy(path: Path) -> DatabaseBusyError:
    return DatabaseBusyError(
        f"{path}: locked by another process (use --wait SECONDS to wait for it)"
    )


def _write_failure(exc: sqlite3.Error) -> str | None:
    """"disk full" or "disk I/O error" when SQLite failed to write, else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    if primary == SQLITE_FULL:
        return "disk full"
    if primary == SQLITE_IOERR:
        return "disk I/O error"
    return None
def _given_json(article: Article) -> str | None:
    return metadata_json(article.given)


def metadata_json(given: Metadata | None) -> str | None:
    """Sidecar values as stored in ``articles.metadata`` (None when there are none)."""
    if given is None:
        return None
    values = {k: getattr(given, k) for k in given.__slots__ if getattr(given, k) is not None}
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _given_from_json(text: str | None) -> Metadata | None:
    if not text:
        return None
    return Metadata(**json.loads(text))


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
