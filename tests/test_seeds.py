"""The seeds end to end: the acceptance criteria, and a golden export of both articles.

The golden file holds the whole JSONL export of the seeds; when a stage improves on purpose,
regenerate it with ``NEWSINGEST_UPDATE_GOLDEN=1 pytest tests/test_seeds.py`` and review the diff.
"""

import json
import os

import pytest
from click.testing import CliRunner

from newsingest.cli import cli

from .conftest import DATA

GOLDEN = DATA / "golden" / "seeds_export.jsonl"


@pytest.fixture
def exported(seeds):
    runner = CliRunner()
    added = runner.invoke(cli, ["add", str(seeds), "--workers", "0"], catch_exceptions=False)
    assert added.exit_code == 0, added.stderr
    result = runner.invoke(cli, ["export"], catch_exceptions=False)
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    return {os.path.basename(a["files"][0])[:3]: a for a in articles}


def _values(article, name, key):
    return {item[key] for item in article[name]}


def test_seed_000(exported):
    article = exported["000"]
    assert article["title"] == "Rusia Ganti Foto-Foto Bukti Dukungan Amerika ke ISIS"
    assert article["body"].startswith("Setelah sempat menghapus")
    assert article["title"] not in article["body"]
    assert article["language"] == "id"
    assert ("2017-11-15", "day") in {(d["value"], d["precision"]) for d in article["dates"]}
    assert any(d["text"].endswith("15 November 2017") for d in article["dates"])
    places = {(p["text"], p["country_code"]) for p in article["places"]}
    assert {("Abu Kamal", "SY"), ("Suriah", "SY"), ("Irak", "IQ"), ("Qatar", "QA")} <= places
    assert _values(article, "places", "name") >= {"Syria", "Iraq", "Qatar", "Euphrates"}
    assert any(p["text"] == "Sungai Efrat" and p["name"] == "Euphrates" for p in article["places"])
    urls = [u for u in article["urls"] if u["domain"] == "facebook.com"]
    assert len(urls) == 2
    assert all(u["text"].startswith("https://www.facebook.com/mod.mil.rus/photos/") for u in urls)


def test_seed_002(exported):
    article = exported["002"]
    assert article["title"] == (
        "Tak Sama, Kemenhan Rusia Jelaskan Perbedaan Pembebasan Aleppo dan Mosul"
    )
    caption = "Kepulan asap setelah serangan udara"
    assert article["body"].count(caption) == 1
    footer = "Ketika mengambil atau mengutip segala materi dari Russia Beyond"
    assert footer not in article["body"]
    assert any(r["text"].startswith(footer) for r in article["removed"])
    assert article["language"] == "id"
    dates = {(d["value"], d["precision"]) for d in article["dates"]}
    assert {("2017-03-01", "day"), ("2016-10-17", "day"), ("2016-12", "month"),
            ("2014", "year")} <= dates
    places = {(p["text"], p["country_code"]) for p in article["places"]}
    assert {("Mosul", "IQ"), ("Aleppo", "SY"), ("Irak", "IQ"), ("Suriah", "SY")} <= places


def test_every_offset_points_at_its_text(exported):
    for article in exported.values():
        for name in ("dates", "places", "urls"):
            for item in article[name]:
                field = article[item["field"]]
                assert field[item["start"] : item["start"] + len(item["text"])] == item["text"]


def test_query_aleppo_returns_seed_002_first(exported):
    result = CliRunner().invoke(cli, ["query", "Aleppo", "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows[0]["title"].startswith("Tak Sama") and "**Aleppo**" in rows[0]["snippet"]


def test_golden_export(exported):
    lines = []
    for key in sorted(exported):
        article = dict(exported[key])
        article["files"] = [os.path.basename(path) for path in article["files"]]
        lines.append(json.dumps(article, ensure_ascii=False, sort_keys=False))
    text = "\n".join(lines) + "\n"
    if os.environ.get("NEWSINGEST_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
