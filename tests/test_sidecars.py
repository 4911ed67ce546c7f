"""Metadata sidecars: reading CSV/JSONL, and `add` taking title, URL, date and source from them."""

from __future__ import annotations

import email.utils
import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import sidecars
from newsingest.cli import cli

from .conftest import SEED_000, SEED_002

# Rows shaped like the corpus's meta.jsonl: the verbatim date, and its ISO rewrite.
META_ROWS = [
    {
        "file": "000_711718d73377f876.txt",
        "source": "rbth",
        "title": "Rusia Ganti Foto-Foto Bukti Dukungan Amerika ke ISIS",
        "url": "https://id.rbth.com/2017/11/isis",
        "published": "11/16/2017 09:15",
        "published_iso": "2017-11-16T09:15",
    },
    {
        "file": "002_48cacc80b9f457c0.txt",
        "title": "",
        "url": None,
        "published": "2017-12",
        "published_iso": None,
    },
]


def _run(*args, expect=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


def _rows(db, sql):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _folder(tmp_path, name="news"):
    folder = tmp_path / name
    folder.mkdir()
    for seed in (SEED_000, SEED_002):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_jsonl_sidecar_is_read_by_file_name(tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in META_ROWS) + "\n", encoding="utf-8")
    sidecar = sidecars.load(str(path))
    first = sidecar.lookup(str(tmp_path / "000_711718d73377f876.txt"))
    assert first == sidecars.Given(
        title="Rusia Ganti Foto-Foto Bukti Dukungan Amerika ke ISIS",
        url="https://id.rbth.com/2017/11/isis",
        published="2017-11-16T09:15:00",
        source="rbth",
    )
    second = sidecar.lookup(str(tmp_path / "sub" / "002_48cacc80b9f457c0.txt"))
    assert second.title == "" and second.published == "2017-12" and second.url is None
    assert sidecar.lookup(str(tmp_path / "other.txt")) is None


def test_csv_sidecar_with_other_column_names_and_delimiter(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text(
        "Filename;Headline;Link;Date;Outlet\n"
        "a/one.txt;Banjir di Jakarta;https://x.id/1;2020-01-05;Kompas\n"
        "two.txt;;https://x.id/2;05/01/2020;\n",
        encoding="utf-8",
    )
    sidecar = sidecars.load(str(path))
    one = sidecar.lookup(str(tmp_path / "a" / "one.txt"))
    assert (one.title, one.url, one.published, one.site_name) == (
        "Banjir di Jakarta",
        "https://x.id/1",
        "2020-01-05",
        "Kompas",
    )
    two = sidecar.lookup(str(tmp_path / "two.txt"))
    assert two.published is None  # day and month order unknown: not guessed


def test_jsonl_sidecar_values_may_hold_line_separators(tmp_path):
    path = tmp_path / "meta.jsonl"
    rows = [{"file": "a.txt", "title": "Banjir\u2028di Jakarta"}, {"file": "b.txt", "title": "B"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    sidecar = sidecars.load(str(path))
    assert sidecar.lookup(str(tmp_path / "a.txt")).title == "Banjir\u2028di Jakarta"
    assert sidecar.lookup(str(tmp_path / "b.txt")).title == "B"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("meta.jsonl", '{"file": "a.txt"}\n{"file": \n', "invalid JSON on line 2"),
        ("meta.csv", "title,url\nA,https://x\n", "no file name column"),
        ("meta.csv", b"file,title\na.txt,Caf\xe9\n", "not UTF-8"),
    ],
)
def test_bad_sidecar_raises_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(sidecars.SidecarError, match=message):
        sidecars.load(str(path))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.none()))
def test_iso_date_never_raises(value):
    result = sidecars.iso_date(value)
    assert result is None or result[:4].isdigit()


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 12, 31),
        timezones=st.sampled_from([timezone(timedelta(minutes=m)) for m in (-300, 0, 420, 345)]),
    )
)
def test_an_rfc_2822_date_gives_the_same_moment_and_the_day_in_its_own_zone(moment):
    written = email.utils.format_datetime(moment.replace(microsecond=0))
    read = datetime.fromisoformat(sidecars.iso_date(written))
    assert read == moment.replace(microsecond=0)
    assert read.date() == moment.date()  # the writer's day, not UTC's


@pytest.mark.parametrize(
    "value",
    ["Dec 2026", "03 Dec 26 10:00 GMT", "Tue, 32 Dec 2026 10:00 +0700", "03 Foo 2026 10:00"],
)
def test_rfc_2822_like_text_that_is_not_a_full_date_gives_none(value):
    assert sidecars.iso_date(value) is None


def test_add_reads_an_rss_pubdate_column(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    (folder / "meta.csv").write_text(
        "file,pubDate\n"
        f"{SEED_000.name},\"Thu, 16 Nov 2017 06:15:00 +0700\"\n"
        f"{SEED_002.name},\"Fri, 01 Dec 2017 23:30:00 -0500\"\n",
        encoding="utf-8",
    )
    _run("add", folder, "--workers", "0")
    assert _rows(isolated_db, "SELECT published, published_method FROM articles ORDER BY id") == [
        ("2017-11-16", "metadata"),  # 2017-11-15 in UTC
        ("2017-12-01", "metadata"),  # 2017-12-02 in UTC
    ]


@pytest.mark.parametrize(
    "value", [1764720000, 1764720000.0, 1764720000000, "1764720000", "1764720000000", " 1764720000"]
)
def test_epoch_seconds_and_milliseconds_as_numbers_or_digits(value):
    assert sidecars.iso_date(value) == "2025-12-03T00:00:00+00:00"


@pytest.mark.parametrize("value", ["123456789", "17647200001", "176472000000", "17647200000000"])
def test_other_runs_of_digits_are_no_date(value):
    assert sidecars.iso_date(value) is None


def test_add_reads_epoch_seconds_from_a_csv_sidecar(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    (folder / "meta.csv").write_text(
        f"file,date\n{SEED_000.name},1510800000\n{SEED_002.name},1512086400000\n",
        encoding="utf-8",
    )
    _run("add", folder, "--workers", "0")
    assert _rows(isolated_db, "SELECT published, published_method FROM articles ORDER BY id") == [
        ("2017-11-16", "metadata"),
        ("2017-12-01", "metadata"),
    ]


def test_add_finds_the_sidecar_beside_the_articles(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    (folder / "meta.jsonl").write_text(
        "\n".join(json.dumps(r) for r in META_ROWS) + "\n", encoding="utf-8"
    )
    result = _run("add", folder, "--workers", "0")
    assert "2 added" in result.stderr and "0 failed" in result.stderr  # the sidecar is no article
    rows = _rows(
        isolated_db,
        "SELECT source, url, published, published_precision, published_method FROM articles "
        "ORDER BY id",
    )
    assert rows == [
        ("rbth", "https://id.rbth.com/2017/11/isis", "2017-11-16", "day", "metadata"),
        ("news", None, "2017-12", "month", "metadata"),
    ]
    # the text itself dates the second seed to a day; the sidecar's month wins
    _run("reprocess", "--workers", "0")
    assert _rows(isolated_db, "SELECT published, published_method FROM articles ORDER BY id") == [
        ("2017-11-16", "metadata"),
        ("2017-12", "metadata"),
    ]


def test_metadata_option_names_a_sidecar_elsewhere(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    sidecar = tmp_path / "elsewhere" / "list.csv"
    sidecar.parent.mkdir()
    sidecar.write_text(
        "file,title,date\n000_711718d73377f876.txt,Judul dari metadata,2017-11-20\n",
        encoding="utf-8",
    )
    _run("add", folder, "--metadata", sidecar, "--source", "mine", "--workers", "0")
    rows = _rows(isolated_db, "SELECT source, title, published, published_method FROM articles")
    assert ("mine", "Judul dari metadata", "2017-11-20", "metadata") in rows
    assert {row[0] for row in rows} == {"mine"}  # --source beats every other label


def test_bad_sidecar_is_reported_and_the_articles_still_imported(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    (folder / "meta.jsonl").write_text('{"file": "000_711718d73377f876.txt"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(folder), "--workers", "0"])
    assert result.exit_code == 1
    problem = [line for line in result.stderr.splitlines() if "meta.jsonl" in line]
    assert len(problem) == 1 and "invalid JSON on line 1" in problem[0]
    assert "Traceback" not in result.output
    assert _rows(isolated_db, "SELECT count(*) FROM articles") == [(2,)]
    failed = _rows(isolated_db, "SELECT path, error FROM files WHERE status != 'stored'")
    assert len(failed) == 1 and failed[0][0].endswith("meta.jsonl")


def test_a_sidecar_added_later_applies_on_the_next_run(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    _run("add", folder, "--workers", "0")
    assert _rows(isolated_db, "SELECT count(*) FROM articles WHERE published_method = 'metadata'")[
        0
    ] == (0,)
    (folder / "meta.csv").write_text(
        "file,date\n000_711718d73377f876.txt,2017-11-16\n", encoding="utf-8"
    )
    result = _run("add", folder, "--workers", "0")
    assert "1 updated, 1 unchanged" in result.stderr
    rows = _rows(isolated_db, "SELECT published, published_method FROM articles ORDER BY id")
    assert rows[0] == ("2017-11-16", "metadata")
    again = _run("add", folder, "--workers", "0")  # nothing left to do
    assert "0 updated, 2 unchanged" in again.stderr


def test_sidecar_rows_naming_no_file_are_reported(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    (folder / "meta.csv").write_text(
        "file,title\n"
        f"{SEED_000.name},Judul satu\n"
        f"{SEED_002.name.replace('.txt', '.html')},Judul dua\n"
        "sub/tiga.txt,Judul tiga\n",
        encoding="utf-8",
    )
    result = _run("add", folder, "--workers", "0")  # not a failure: every file was stored
    unmatched = [line for line in result.stderr.splitlines() if "unmatched" in line]
    assert unmatched == [
        f"{folder / 'meta.csv'}: unmatched: 2 of 3 rows name no file there is "
        f"({SEED_002.name.replace('.txt', '.html')}, sub/tiga.txt); "
        "their metadata reaches no article"
    ]
    # said again on the next run, for as long as it holds
    assert "unmatched: 2 of 3 rows" in _run("add", folder, "--workers", "0").stderr


def test_sidecar_rows_that_met_a_file_or_name_one_not_imported_now_are_not_reported(
    tmp_path, isolated_db
):
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / SEED_002.name).rename(folder / "sub" / SEED_002.name)
    (folder / "meta.csv").write_text(
        f"file,title\n{SEED_000.name},Judul satu\n{SEED_002.name},Judul dua\n", encoding="utf-8"
    )
    result = _run("add", folder, "--workers", "0")  # a bare name found in a subfolder
    assert "unmatched" not in result.stderr
    titles = _rows(isolated_db, "SELECT title FROM articles ORDER BY id")
    assert titles == [("Judul satu",), ("Judul dua",)]
    # a single file, a subfolder, or a sidecar named with --metadata: its other rows may be
    # for files imported another time
    explicit = [folder, "--metadata", folder / "meta.csv"]
    for args in ([folder / SEED_000.name], [folder / "sub"], explicit):
        assert "unmatched" not in _run("add", *args, "--workers", "0").stderr


def test_sidecar_dates_that_their_articles_do_not_get_are_named(tmp_path, isolated_db):
    folder = _folder(tmp_path)
    for n in range(3):
        (folder / f"x{n}.txt").write_text(
            f"Berita nomor {n}\n\nHarga cabai di pasar naik lagi menurut pedagang nomor {n}.\n",
            encoding="utf-8",
        )
    (folder / "meta.csv").write_text(
        "file,date\n"
        f"{SEED_000.name},2017-11-16\n"
        f"{SEED_002.name},2921-05-01\n"  # a typo for 2021: no publication date can be later
        "x0.txt,10/12/24\n"
        "x1.txt,2024-02-30\n"
        "x2.txt,0\n",  # the zeroed epoch says "no date": nothing to tell
        encoding="utf-8",
    )
    now = datetime(2026, 12, 3, tzinfo=UTC)
    result = _run("add", folder, "--workers", "0")
    said = [line for line in result.stderr.splitlines() if "date not used" in line]
    assert said == [
        f"{folder / 'meta.csv'}: date not used: 3 of the 5 rows naming a file give a date that "
        f"is not used ({SEED_002.name}: '2921-05-01', in the future; x0.txt: '10/12/24', day "
        "and month order unknown; x1.txt: '2024-02-30', not a day on the calendar); their "
        "articles are dated from their text"
    ]
    assert _rows(isolated_db, "SELECT published_method FROM articles WHERE published = "
                 "'2017-11-16'") == [("metadata",)]
    assert not _rows(isolated_db, "SELECT 1 FROM articles WHERE published LIKE '2921%'")
    # said again on the next run, for as long as it holds
    assert "date not used: 3 of the 5 rows" in _run("add", folder, "--workers", "0").stderr
    assert sidecars.load(folder / "meta.csv").unused_date("x2.txt", now) is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime(1900, 1, 1).date(), max_value=datetime(2100, 12, 31).date()))
def test_a_sidecar_date_is_named_unused_exactly_when_its_article_does_not_get_it(day):
    from newsingest.dates import publication

    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    value = sidecars.iso_date(day.isoformat())
    got = publication.from_meta(value, "metadata", now)
    reason = publication.refused_meta(value, now)
    assert (got.value is None) == (reason is not None) or value.startswith("1970-01-01")
    assert reason in (None, "in the future")


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("10/11/2025", "day and month order unknown"),
        ("10/21/2025", "not ISO 8601, RFC 2822 or epoch seconds"),
        ("10.11.2025 10:00", "day and month order unknown"),
        ("31/12/2023", "not ISO 8601, RFC 2822 or epoch seconds"),
        ("2024-13-01", "not a day on the calendar"),
        ("kemarin sore", "not ISO 8601, RFC 2822 or epoch seconds"),
    ],
)
def test_unreadable_sidecar_dates_say_why(written, reason):
    assert sidecars.iso_date(written) is None
    assert sidecars.unread_reason(written) == reason
