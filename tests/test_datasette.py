"""The Datasette view, checked as a person sees it: Datasette on 127.0.0.1, a headless Chromium
rendering the page (skipped when either is not installed)."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsingest.cli import cli

SAMPLES = Path(__file__).parent.parent / "samples"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def run(*args, expect=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == expect, result.output + result.stderr
    return result


def test_metadata_names_every_column_of_the_browsing_view(tmp_path):
    db = tmp_path / "corpus.db"
    run("add", SAMPLES / "seeds", "--db", db, "--workers", "0")
    meta = json.loads(run("datasette-metadata", "--db", db).stdout)
    tables = meta["databases"]["corpus"]["tables"]
    view = tables["article_list"]
    assert view["sort_desc"] == "published" and view["fts_table"] == "articles_fts"
    assert view["facets"] == ["source", "language", "published_month"]
    import sqlite3

    columns = [r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(article_list)")]
    assert list(view["columns"]) == columns and "raw" not in columns and "body" not in columns
    articles = [r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(articles)")]
    assert set(tables["articles"]["columns"]) == set(articles)
    assert set(meta["databases"]["corpus"]["queries"]) == {
        "articles_per_month", "top_places", "article_mentions",
    }


def test_metadata_of_a_missing_database_is_an_error(tmp_path):
    result = run("datasette-metadata", "--db", tmp_path / "none.db", expect=2)
    assert "no such database" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def datasette(tmp_path):
    pytest.importorskip("datasette", reason="Datasette is not installed (pip install datasette)")
    db = tmp_path / "corpus.db"
    run("add", SAMPLES, "--db", db, "--workers", "0")
    meta = tmp_path / "metadata.json"
    run("datasette-metadata", "--db", db, "-o", meta)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta),
         "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/corpus"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + ".json", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("Datasette did not start")
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_datasette_serves_the_view_search_and_canned_queries(datasette):
    def rows(path):
        with urllib.request.urlopen(f"{datasette}/{path}", timeout=30) as response:
            return json.load(response)

    listed = rows("article_list.json?_shape=array&_size=50")
    dates = [r["published"] for r in listed if r["published"]]
    assert dates == sorted(dates, reverse=True) and listed[0]["published"] == max(dates)
    assert [r["id"] for r in rows("article_list.json?_search=Aleppo&_shape=array")] == [18]
    months = rows("articles_per_month.json?_shape=array")
    assert sum(m["articles"] for m in months) == sum(1 for r in listed if r["published"])
    assert rows("top_places.json?_shape=array")[0]["name"] == "United States"
    mentions = rows("article_mentions.json?id=18&_shape=array")
    assert mentions[0]["what"] == "article"
    assert {"date", "place"} <= {m["what"] for m in mentions}


def test_a_person_sees_titles_and_dates_not_the_long_texts(datasette, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    page = f"{datasette}/article_list"
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*command, "--dump-dom", page], capture_output=True, text=True, timeout=120
    ).stdout
    headers = dom.split("<thead>", 1)[1].split("</thead>", 1)[0]
    for column in ("published", "source", "language", "title"):
        assert f'data-column="{column}"' in headers, column
    assert 'data-column="raw"' not in headers and 'data-column="body"' not in headers
    assert "sorted by published descending" in dom
    assert "MUI: Takbir Keliling" in dom  # the newest article
    shot = tmp_path / "view.png"
    subprocess.run(
        [*command, "--window-size=1280,1600", f"--screenshot={shot}", page],
        capture_output=True,
        timeout=120,
    )
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 1600)
    assert len(png) > 50_000  # a blank or error page compresses to a few kilobytes
