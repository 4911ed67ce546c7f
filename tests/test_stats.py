"""`newsingest stats`: the trigger-kept figures against the rows they summarise, the report's
figures against SQL written here, filters, the terminal, JSON and HTML outputs."""

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsingest.article import Article, PlaceMention, Removal, UrlMention
from newsingest.cli import cli
from newsingest.stats import corpus_stats, summarise
from newsingest.stats_report import html_report, terminal_tables
from newsingest.store import FileInfo, Filters, Processed, open_store

SAMPLES = Path(__file__).parent.parent / "samples"


def run(*args, expect=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == expect, result.output + result.stderr
    return result


# ----------------------------------------------------------------------------------------------
# The stats tables equal the grouping of the rows they summarise, computed here in Python.


def expected_tables(conn: sqlite3.Connection) -> dict:
    """Every stats table as a Counter, computed from plain reads of the summarised tables."""
    articles = {
        row[0]: row[1:]
        for row in conn.execute("SELECT id, source, language, published FROM articles")
    }

    def key(article_id):
        source, language, published = articles[article_id]
        period = published[:7] if published else None
        return (source, language, period, int(bool(published) and len(published) == 10))

    placed = {r[0] for r in conn.execute("SELECT article_id FROM places")} & set(articles)
    result = {"stats_articles": Counter()}
    for article_id in articles:
        result["stats_articles"][(*key(article_id), "articles")] += 1
        result["stats_articles"][(*key(article_id), "with_places")] += article_id in placed
    for table, stats, column, counted in (
        ("places", "stats_places", "geonameid", "mentions"),
        ("urls", "stats_domains", "domain", "mentions"),
        ("removed", "stats_removed", "reason", "pieces"),
    ):
        counts = Counter()
        seen = set()
        for article_id, value in conn.execute(f"SELECT article_id, {column} FROM {table}"):
            if value is None or article_id not in articles:
                continue
            counts[(*key(article_id), value, counted)] += 1
            if (article_id, value) not in seen:
                seen.add((article_id, value))
                counts[(*key(article_id), value, "articles")] += 1
        result[stats] = counts
    return {name: +counter for name, counter in result.items()}


def stored_tables(conn: sqlite3.Connection) -> dict:
    result = {}
    for stats, column, counted in (
        ("stats_articles", None, "with_places"),
        ("stats_places", "geonameid", "mentions"),
        ("stats_domains", "domain", "mentions"),
        ("stats_removed", "reason", "pieces"),
    ):
        dims = "source, language, period, to_day" + (f", {column}" if column else "")
        counts = Counter()
        for row in conn.execute(f"SELECT {dims}, articles, {counted} FROM {stats}"):
            *dim, articles, other = row
            assert articles > 0 or (not column and other == 0), (stats, row)
            counts[(*dim, "articles")] += articles
            counts[(*dim, counted)] += other
        result[stats] = +counts
    return result


PLACES = [
    PlaceMention("body", 0, "Aleppo", "Aleppo", "SY", 36.2, 37.15, 170063, "city"),
    PlaceMention("body", 10, "Suriah", "Syria", "SY", 33.5, 36.3, 163843, "country"),
    PlaceMention("title", 0, "Mosul", "Mosul", "IQ", 36.3, 43.1, 99072, "city"),
    PlaceMention("body", 20, "Desa Sukamaju", "Desa Sukamaju", None, None, None, None, None),
]
URLS = [
    UrlMention("body", 0, "https://a.com/x", "https://a.com/x", "a.com"),
    UrlMention("body", 5, "www.b.org", "http://www.b.org/", "b.org"),
]
REMOVALS = [
    Removal("Baca juga: x", "boilerplate:related-link", 0),
    Removal("Judul", "duplicate", 5),
]

article_fields = st.fixed_dictionaries(
    {
        "body": st.sampled_from(["Isi satu.", "Isi dua.", "Isi tiga.", "Isi empat."]),
        "source": st.sampled_from(["alpha", "beta"]),
        "language": st.sampled_from(["id", "ms", None]),
        "published": st.sampled_from([None, "2017", "2017-03", "2017-03-05", "2017-04-01"]),
        "places": st.lists(st.sampled_from(PLACES), max_size=4).map(tuple),
        "urls": st.lists(st.sampled_from(URLS), max_size=3).map(tuple),
        "removed": st.lists(st.sampled_from(REMOVALS), max_size=3).map(tuple),
    }
)
operations = st.lists(
    st.tuples(st.sampled_from(["store", "reprocess", "delete"]), st.integers(0, 3), article_fields),
    min_size=1,
    max_size=12,
)


def _article(fields: dict) -> Article:
    precision = {4: "year", 7: "month", 10: "day"}.get(len(fields["published"] or ""))
    return Article(
        raw=fields["body"],
        title="Judul",
        body=fields["body"],
        source=fields["source"],
        language=fields["language"],
        published=fields["published"],
        published_precision=precision,
        places=fields["places"],
        urls=fields["urls"],
        removed=fields["removed"],
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_stats_tables_follow_every_add_update_reprocess_merge_and_delete(tmp_path_factory, steps):
    store = open_store(tmp_path_factory.mktemp("db") / "c.db", write=True)
    run_id = store.start_run("add", {})
    for action, slot, fields in steps:
        with store.transaction():
            ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]
            if action == "store":
                # Same text as another file: a duplicate; new text for a known path: an update.
                info = FileInfo(path=f"/x/{slot}.txt", abs_path=f"/x/{slot}.txt", size=1)
                store.store_file(info, [Processed(_article(fields))], run_id, "3")
            elif action == "reprocess" and ids:
                # Identical to another article's text: the two are merged.
                store.replace_article(ids[slot % len(ids)], Processed(_article(fields)), "3")
            elif action == "delete" and ids:
                store.delete_article(ids[slot % len(ids)])
        assert stored_tables(store.conn) == expected_tables(store.conn)


def test_rebuilding_gives_the_trigger_kept_tables(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    run_id = store.start_run("add", {})
    for number, published in enumerate([None, "2017-03-05", "2017-03", "2018"]):
        fields = {
            "body": f"Isi {number}.", "source": "alpha", "language": "id",
            "published": published, "places": tuple(PLACES[number:]), "urls": tuple(URLS),
            "removed": tuple(REMOVALS[:number]),
        }
        info = FileInfo(path=f"/x/{number}.txt", abs_path=f"/x/{number}.txt")
        with store.transaction():
            store.store_file(info, [Processed(_article(fields))], run_id, "3")
    before = stored_tables(store.conn)
    store.rebuild_stats()
    assert stored_tables(store.conn) == before == expected_tables(store.conn)


def test_the_migration_fills_the_tables_of_an_existing_corpus(tmp_path):
    db = tmp_path / "c.db"
    run("add", SAMPLES, "--db", db, "--workers", "0")
    conn = sqlite3.connect(db)
    # Back to the schema before m006: its tables, triggers and view gone, the rows kept.
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name LIKE 'stats%' OR name = 'article_list'"
    ).fetchall():
        if kind in ("table", "trigger", "view"):
            conn.execute(f"DROP {kind.upper()} IF EXISTS {name}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_stats'")
    conn.commit()
    conn.close()
    store = open_store(db)
    expected = expected_tables(store.conn)
    assert expected["stats_articles"][("seeds", "id", None, 0, "articles")] == 2
    assert stored_tables(store.conn) == expected


# ----------------------------------------------------------------------------------------------
# The report's figures against SQL written here


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("samples") / "samples.db"
    run("add", SAMPLES, "--db", db, "--workers", "0")
    return db


def test_report_figures_match_independent_sql(sample_db):
    report = json.loads(run("stats", "--db", sample_db, "--format", "json").stdout)
    conn = sqlite3.connect(sample_db)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert report["articles"] == one("SELECT count(*) FROM articles") == 18
    assert report["coverage"]["published"]["articles"] == one(
        "SELECT count(*) FROM articles WHERE published IS NOT NULL"
    )
    assert report["coverage"]["any_place"]["articles"] == one(
        "SELECT count(DISTINCT article_id) FROM places"
    )
    assert {r["source"]: r["articles"] for r in report["sources"]} == dict(
        conn.execute("SELECT source, count(*) FROM articles GROUP BY source")
    )
    assert {r["language"]: r["articles"] for r in report["languages"]} == dict(
        conn.execute("SELECT language, count(*) FROM articles GROUP BY language")
    )
    timeline = Counter()
    for row in report["timeline"]:
        timeline[(row["period"], row["source"])] += row["articles"]
    assert timeline == Counter(
        {
            (period, source): n
            for period, source, n in conn.execute(
                "SELECT CASE WHEN published IS NULL THEN NULL ELSE substr(published, 1, 7) END, "
                "source, count(*) FROM articles GROUP BY 1, 2"
            )
        }
    )
    countries = conn.execute(
        "SELECT name, count(DISTINCT article_id), count(*) FROM places WHERE kind = 'country' "
        "GROUP BY geonameid ORDER BY 2 DESC, 3 DESC, geonameid LIMIT 20"
    ).fetchall()
    assert [(p["name"], p["articles"], p["mentions"]) for p in report["countries"]] == countries
    assert {r["reason"]: r["pieces"] for r in report["removed"]} == dict(
        conn.execute("SELECT reason, count(*) FROM removed GROUP BY reason")
    )
    assert {r["domain"]: r["articles"] for r in report["domains"]} == dict(
        conn.execute("SELECT domain, count(DISTINCT article_id) FROM urls GROUP BY domain")
    )
    assert report["method"] == "aggregates" and report["failures"] == []


@pytest.mark.parametrize(
    "filters",
    [
        Filters(source="ms_malaya_news_2018"),
        Filters(language="id"),
        Filters(since="2016"),
        Filters(until="2015-08"),
        Filters(until="2018-06"),
        Filters(since="2015-08", until="2018"),
        Filters(language="id", since="2015", source="ms_malaya_news_2018"),
    ],
)
def test_stats_tables_answer_filters_exactly_as_the_articles_do(sample_db, filters):
    store = open_store(sample_db)
    from_stats = store.stats_rows(filters)
    assert from_stats["method"] == "aggregates"
    where, params = store._filter_sql(filters)
    exact = store.conn.execute(
        "SELECT count(*) FROM articles a WHERE " + (" AND ".join(where) or "1"), params
    ).fetchone()[0]
    assert summarise(from_stats)["articles"] == exact
    from_articles = {
        **store._stats_from_articles(filters, None, 500), "method": "articles", "failures": []
    }
    for key in ("coverage", "sources", "languages", "timeline", "countries", "cities", "map",
                "domains", "removed"):
        assert summarise(from_stats)[key] == summarise(from_articles)[key], key


def test_a_day_bound_is_answered_from_the_articles(sample_db):
    store = open_store(sample_db)
    rows = store.stats_rows(Filters(since="2018-06-13"))
    assert rows["method"] == "articles"
    assert summarise(rows)["articles"] == store.conn.execute(
        "SELECT count(*) FROM articles WHERE published >= '2018-06-13'"
    ).fetchone()[0]


def test_a_match_and_a_place_narrow_the_report(sample_db):
    store = open_store(sample_db)
    report = corpus_stats(store, Filters(), match='"Aleppo"')
    assert report["articles"] == 1 and report["method"] == "articles"
    assert report["filters"] == {"match": '"Aleppo"'}
    result = json.loads(
        run("stats", "--db", sample_db, "--format", "json", "--place", "Syria").stdout
    )
    conn = sqlite3.connect(sample_db)
    assert result["articles"] == conn.execute(
        "SELECT count(DISTINCT article_id) FROM places WHERE geonameid = 163843"
    ).fetchone()[0]


def test_terminal_report_lists_every_section(sample_db):
    out = run("stats", "--db", sample_db).stdout
    for heading in (
        "18 articles",
        "publication date known: 2 (11.1 %)",
        "Articles by month of publication and source",
        "Articles by month of publication and language",
        "Top countries",
        "Top cities",
        "Top linked domains",
        "Removed by cleaning",
        "Files that failed: none",
    ):
        assert heading in out, heading
    assert "United States" in out and "Jakarta" in out


def test_html_report_is_self_contained_and_holds_the_charts(sample_db, tmp_path):
    page = tmp_path / "report.html"
    result = run("stats", "--db", sample_db, "--html", page, "--format", "json")
    assert json.loads(result.stdout)["articles"] == 18
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 9  # two timelines, the map, six bar charts (no failures)
    assert "http://" not in text.replace('http://www.w3.org', "") and "<script" not in text
    assert "src=" not in text and "<link" not in text
    assert "United States" in text and "ms_malaya_news_2018" in text


def test_stats_of_an_empty_corpus(tmp_path):
    db = tmp_path / "empty.db"
    open_store(db, write=True).close()
    result = run("stats", "--db", db)
    assert "0 articles" in result.stdout
    report = json.loads(run("stats", "--db", db, "--format", "json").stdout)
    assert report["articles"] == 0 and report["coverage"]["any_place"]["share"] == 0.0
    assert "No article has a publication month" in html_report(report)
    assert terminal_tables(report)


def test_failures_are_grouped_by_reason(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "empty.txt").write_text("   \n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (folder / "broken.json").write_text("{not json")
    (folder / "also_broken.json").write_text("[1, 2")
    run("add", folder, "--workers", "0", expect=1)
    report = json.loads(run("stats", "--format", "json").stdout)
    reasons = {(r["status"], r["reason"]): r["files"] for r in report["failures"]}
    assert reasons[("failed", "invalid JSON")] == 2
    assert sum(reasons.values()) == 4


def test_bad_inputs_give_one_line_errors(tmp_path, sample_db):
    missing = run("stats", "--db", tmp_path / "none.db", expect=2)
    assert "no such database" in missing.stderr and "Traceback" not in missing.output
    bad = run("stats", "--db", sample_db, "--match", "ISIS AND", "--raw", expect=2)
    assert "malformed full-text query" in bad.stderr
    folder = tmp_path / "no_such_folder" / "r.html"
    unwritable = run("stats", "--db", sample_db, "--html", folder, expect=1)
    assert f"{folder}: cannot write" in unwritable.stderr
    assert "use YYYY" in run("stats", "--since", "March", expect=2).stderr


def test_canonical_only_counts_each_cluster_of_reprints_once(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    story = (Path(__file__).parent / "data" / "seeds" / "002_48cacc80b9f457c0.txt").read_text(
        encoding="utf-8"
    )
    body = story.split("\n", 1)[1]
    (folder / "first.txt").write_text(story, encoding="utf-8")
    (folder / "reprint.txt").write_text("Judul Lain untuk Berita yang Sama\n" + body, "utf-8")
    db = tmp_path / "wire.db"
    run("add", folder, "--db", db, "--workers", "0")
    every = json.loads(run("stats", "--db", db, "--format", "json").stdout)
    canonical = json.loads(
        run("stats", "--db", db, "--format", "json", "--canonical-only").stdout
    )
    assert (every["articles"], canonical["articles"]) == (2, 1)
