"""Tests for newsingest.dates: finding, resolving and the publication date."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import dates, pipeline, readers
from newsingest.article import Article, Metadata
from newsingest.dates import find_dates, parse
from newsingest.pipeline import Resources

SEEDS = Path(__file__).parent / "data" / "seeds"

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _resources(now=NOW):
    return Resources(now=now, boilerplate=None, language=None, gazetteer=None)


def _values(text, language="id", reference=None, **kw):
    return [(f.text, f.value, f.precision) for f in find_dates(text, language, reference, **kw)]


def _article(title="", body="", language="id", published=None, method=None):
    meta = Metadata(published=published, published_method=method)
    return Article(raw=title + "\n" + body, title=title, body=body, language=language, meta=meta)


def _seed(name, resources):
    path = next(SEEDS.glob(name + "*"))
    article = readers.read_bytes(path.read_bytes(), ".txt", "seeds").articles[0]
    return pipeline.process(article, resources)


# ---------------------------------------------------------------- seeds


def test_seed_000(resources):
    article = _seed("000", resources)
    found = {(d.value, d.precision) for d in article.dates}
    assert ("2017-11-15", "day") in found
    mention = next(d for d in article.dates if d.value == "2017-11-15")
    assert "15 November 2017" in mention.text
    _assert_offsets(article)


def test_seed_002(resources):
    article = _seed("002", resources)
    found = {(d.value, d.precision) for d in article.dates}
    for expected in [
        ("2017-03-01", "day"),
        ("2016-10-17", "day"),
        ("2016-12", "month"),
        ("2014", "year"),
    ]:
        assert expected in found
    assert article.published is None  # the text states no publication date
    lalu = next(d for d in article.dates if d.text == "19 Februari lalu")
    assert (lalu.value, lalu.precision, lalu.kind) == (None, None, "relative")
    _assert_offsets(article)


def test_seed_002_relative_dates_follow_the_publication_date(resources):
    article = _seed("002", resources)
    dated = dates.extract(
        replace(article, meta=Metadata(published="2017-03-10", published_method="html:meta")),
        resources,
    )
    assert (dated.published, dated.published_precision) == ("2017-03-10", "day")
    assert dated.published_method == "html:meta"
    by_text = {d.text: d for d in dated.dates}
    assert by_text["19 Februari lalu"].value == "2017-02-19"
    assert by_text["Januari lalu"].value == "2017-01"
    # "lalu" means the latest 19 February not after the publication date
    early = dates.extract(replace(article, meta=Metadata(published="2017-02-01")), resources)
    assert {d.text: d.value for d in early.dates}["19 Februari lalu"] == "2016-02-19"


def _assert_offsets(article):
    for d in article.dates:
        source = article.title if d.field == "title" else article.body
        assert source[d.start : d.start + len(d.text)] == d.text


# ---------------------------------------------------------------- absolute forms


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "dirilis melalui media sosial Rabu 15 November 2017.",
            "id",
            ("Rabu 15 November 2017", "2017-11-15", "day"),
        ),
        (
            "kata dia di Jakarta, Selasa (21/10/2025).",
            "id",
            ("Selasa (21/10/2025)", "2025-10-21", "day"),
        ),
        ("sejak 1 Maret 2017 lalu", "id", ("1 Maret 2017", "2017-03-01", "day")),
        ("pada Desember 2016.", "id", ("Desember 2016", "2016-12", "month")),
        ("menduduki kota itu sejak 2014.", "id", ("2014", "2014", "year")),
        ("KUALA LUMPUR 4 Jun 2018 - Polis", "ms", ("4 Jun 2018", "2018-06-04", "day")),
        ("pada 17 Ogos 2018", "ms", ("17 Ogos 2018", "2018-08-17", "day")),
        ("bermula 1 Mac 2019", "ms", ("1 Mac 2019", "2019-03-01", "day")),
        ("em 16 de novembro de 2017 o", "pt", ("16 de novembro de 2017", "2017-11-16", "day")),
        ("Em outubro de 1936, Alemanha", "pt", ("outubro de 1936", "1936-10", "month")),
        ("a 17 de marzo de 1615.", "es", ("17 de marzo de 1615", "1615-03-17", "day")),
        ("vom 13. April 1941 gegenüber", "de", ("13. April 1941", "1941-04-13", "day")),
        ("(APA, 11.10.2015)", "de", ("11.10.2015", "2015-10-11", "day")),
        ("في 29 يوليو 1938 غزت", "ar", ("29 يوليو 1938", "1938-07-29", "day")),
        ("on November 19, 2014 at noon", "en", ("November 19, 2014", "2014-11-19", "day")),
        ("due March 26, 1992 with", "en", ("March 26, 1992", "1992-03-26", "day")),
        ("released 2017-11-15 by", "en", ("2017-11-15", "2017-11-15", "day")),
        ("lahir 8-mei-2011", "id", ("8-mei-2011", "2011-05-08", "day")),
        ("sampai Senin (12/3/18) pagi", "id", ("Senin (12/3/18)", "2018-03-12", "day")),
        ("periode 2014-2019 mendatang", "id", ("2014", "2014", "year")),
    ],
)
def test_absolute_forms(text, language, expected):
    assert expected in _values(text, language)


def test_written_time_is_kept_with_the_date():
    found = find_dates("14 Februari 2010 pukul 15.25 WIB", "id")
    assert [(f.value, f.precision) for f in found] == [("2010-02-14T15:25", "minute")]
    stage = dates.extract(
        _article(body="Rapat digelar 14 Februari 2010 pukul 15.25 WIB."), _resources()
    )
    assert [(d.value, d.precision) for d in stage.dates] == [("2010-02-14", "day")]


def test_day_range_gives_both_days():
    found = _values("Survei dilakukan pada 22 - 25 Januari 2013, dengan")
    assert ("22", "2013-01-22", "day") in found
    assert ("25 Januari 2013", "2013-01-25", "day") in found


def test_english_numeric_dates_with_unknown_order_keep_only_the_year():
    assert _values("on 3/4/2017 the", "en") == [("3/4/2017", "2017", "year")]
    assert _values("on 3/4/2017 the", "id") == [("3/4/2017", "2017-04-03", "day")]
    assert _values("on 3/23/87 the", "en") == [("3/23/87", "1987-03-23", "day")]


@pytest.mark.parametrize(
    "text",
    [
        "harga naik menjadi Rp 2.000 per kilo",
        "money rates declined to 3.75/80 pct from 1-5/8 pct",
        "versi 2.1.12 dan alamat 192.168.1.1",
        "lebih dari 2000 orang hadir",
        "telepon 08 11 58 54 41",
        "skor akhir 2-1-0 untuk tuan rumah",
        "dibagi (1/2) bagian",
        "28/299",
        "il y a 10 des 20 pays",
        "the 5 may be right",
        "sebanyak 1.945 orang",
        "ditempuh dalam 3 jam",
        "foo",
        "",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert find_dates(text, None) == []


def test_dates_inside_urls_are_not_read():
    text = "Lihat https://www.suara.com/news/2019/05/10/205313/viral dan 20190510"
    assert find_dates(text, "id") == []


# ---------------------------------------------------------------- relative forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kemarin", ("2017-03-09", "day")),
        ("hari ini", ("2017-03-10", "day")),
        ("besok", ("2017-03-11", "day")),
        ("2 hari yang lalu", ("2017-03-08", "day")),
        ("seminggu yang lalu", ("2017-03-03", "day")),
        ("tiga bulan lalu", ("2016-12-10", "day")),
        ("dua tahun lalu", ("2015-03-10", "day")),
        ("bulan lalu", ("2017-02", "month")),
        ("tahun depan", ("2018", "year")),
        ("pekan lalu", ("2017-W09", "week")),
        ("Rabu lalu", ("2017-03-08", "day")),
        ("Jumat mendatang", ("2017-03-17", "day")),
        ("kata dia, Selasa.", ("2017-03-07", "day")),
        ("Januari lalu", ("2017-01", "month")),
        ("Mei lalu", ("2016-05", "month")),
        ("19 Februari lalu", ("2017-02-19", "day")),
        ("Senin (6/3) kemarin", ("2017-03-06", "day")),
        ("pada Hari Kemerdekaan", ("2016-08-17", "day")),  # the last 17 August
    ],
)
def test_relative_forms_against_a_reference(text, expected):
    found = find_dates(text, "id", date(2017, 3, 10))  # a Friday
    assert [(f.value, f.precision) for f in found] == [expected]
    assert found[0].kind == "relative"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("yesterday", "en", "2017-03-09"),
        ("last Tuesday", "en", "2017-03-07"),
        ("two weeks ago", "en", "2017-02-24"),
        ("ontem", "pt", "2017-03-09"),
        ("hace dos años", "es", "2015-03-10"),
        ("vor drei Jahren", "de", "2014-03-10"),
        ("أمس", "ar", "2017-03-09"),
    ],
)
def test_relative_forms_in_other_languages(text, language, expected):
    assert [f.value for f in find_dates(text, language, date(2017, 3, 10))] == [expected]


def test_counted_back_months_are_days_but_stored_as_months():
    # "sebulan yang lalu" is the same day a month back (dateparser, Duckling); "bulan lalu" is
    # the whole month
    ref = date(2015, 6, 15)
    assert _values("sebulan yang lalu", reference=ref) == [
        ("sebulan yang lalu", "2015-05-15", "day")
    ]
    assert _values("setahun yang lalu", reference=ref) == [
        ("setahun yang lalu", "2014-06-15", "day")
    ]
    assert _values("1 bulan lalu", reference=date(2017, 3, 31))[0][1] == "2017-02-28"
    stage = dates.extract(
        _article(body="Ia pindah tiga bulan lalu dan dua tahun lalu.", published="2017-03-10"),
        _resources(),
    )
    assert [(d.text, d.value, d.precision) for d in stage.dates] == [
        ("tiga bulan lalu", "2016-12", "month"),
        ("dua tahun lalu", "2015", "year"),
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("7 hari terakhir", "id", ("2013-02-05", "day", "2013-02-12")),
        ("dalam 14 hari terakhir", "id", ("2013-01-29", "day", "2013-02-12")),
        ("dua minggu terakhir", "id", ("2013-W05", "week", "2013-W07")),
        ("tiga bulan terakhir", "id", ("2012-11", "month", "2013-02")),
        ("the last two years", "en", ("2011", "year", "2013")),
        ("nos últimos 11 anos", "pt", ("2002", "year", "2013")),
    ],
)
def test_the_last_n_units_is_a_stretch_up_to_the_reference(text, language, expected):
    found = find_dates(text, language, date(2013, 2, 12))
    assert [(f.value, f.precision, f.end) for f in found] == [expected]


def test_stretches_are_stored_as_the_month_or_year_holding_them():
    body = "Dalam 7 hari terakhir harga naik, dan dalam 5 tahun terakhir juga."
    stage = dates.extract(_article(body=body, published="2013-02-12"), _resources())
    assert [(d.text, d.value, d.precision) for d in stage.dates] == [
        ("Dalam 7 hari terakhir", "2013-02", "month"),
        ("dalam 5 tahun terakhir", None, None),
    ]


def test_hours_minutes_and_seconds_need_a_reference_time():
    noon = datetime(2015, 6, 15, 12, 0, 0)
    assert _values("2 jam yang lalu", reference=noon) == [
        ("2 jam yang lalu", "2015-06-15T10:00", "hour")
    ]
    assert _values("30 minutes ago", "en", noon) == [
        ("30 minutes ago", "2015-06-15T11:30", "minute")
    ]
    assert _values("2 jam yang lalu", reference="2015-06-15T01:00:00") == [
        ("2 jam yang lalu", "2015-06-14T23:00", "hour")
    ]
    # without the time of day, two hours ago may be yesterday
    assert _values("2 jam yang lalu", reference=date(2015, 6, 15)) == [
        ("2 jam yang lalu", None, None)
    ]


def test_whole_expressions_that_running_text_does_not_read():
    noon = datetime(2015, 6, 15, 12, 0, 0)
    assert (parse("dlm 23 dtk", "id", noon).value, parse("dlm 23 dtk", "id", noon).precision) == (
        "2015-06-15T12:00:23",
        "second",
    )
    assert parse("dalam 3 hari", "id", noon).value == "2015-06-18"
    assert parse("baru saja", "id", noon).value == "2015-06-15T12:00:00"
    assert parse("sekarang", "id", date(2015, 6, 15)).value == "2015-06-15"
    # in running text "dalam 3 hari" is as often "within 3 days", "baru saja" is "has just"
    assert find_dates("selesai dalam 3 hari, ia baru saja tiba", "id", noon) == []


def test_relative_words_count_only_in_their_language():
    assert find_dates("menuju Ayer Keroh", "ms") == []
    assert find_dates("ayer", "es", date(2017, 3, 10))[0].value == "2017-03-09"


def test_without_reference_relative_dates_stay_unresolved():
    text = "Kemarin, Rabu lalu dan 19 Februari lalu; bulan lalu juga, pada Senin (20/10)."
    found = find_dates(text, "id")
    assert len(found) == 5
    assert all(f.value is None and f.precision is None and f.kind == "relative" for f in found)


def test_weekday_picks_the_year_of_a_date_without_one():
    # 20 October is a Monday in 2025, not in 2024 or 2026
    found = find_dates("Senin (20/10)", "id", date(2026, 4, 1))
    assert found[0].value == "2025-10-20"


def test_prefer_settles_dates_without_year():
    assert find_dates("17 Agustus", "id", date(2013, 2, 12))[0].value == "2012-08-17"
    assert find_dates("17 Agustus", "id", date(2013, 2, 12), prefer="current")[0].value == (
        "2013-08-17"
    )
    assert find_dates("17 Agustus", "id", date(2013, 2, 12), prefer="past")[0].value == (
        "2012-08-17"
    )
    with pytest.raises(ValueError):
        find_dates("x", prefer="sometime")


def test_parse_reads_a_whole_expression():
    # news resolves toward the past: "15/2" on 12 February is last year's
    assert parse("15/2", "id", date(2013, 2, 12)).value == "2012-02-15"
    assert parse("15/2", "id", date(2013, 2, 12), prefer="nearest").value == "2013-02-15"
    assert parse("20251112").value == "2025-11-12"
    assert parse("sel.", "id", date(2013, 2, 14)).value == "2013-02-12"
    assert parse("Minggu, 18 Mar 2018 07:30", "id").value == "2018-03-18T07:30"
    assert parse("tidak ada tanggal", "id") is None


# ---------------------------------------------------------------- publication date


def test_publication_from_metadata_is_checked_against_now():
    stage = dates.extract(
        _article(body="x", published="2017-11-15T10:00:00+07:00", method="html:meta"), _resources()
    )
    assert (stage.published, stage.published_precision, stage.published_method) == (
        "2017-11-15",
        "day",
        "html:meta",
    )
    future = dates.extract(_article(body="x", published="2026-03-01"), _resources())
    assert future.published is None
    ancient = dates.extract(_article(body="x", published="1850-01-01"), _resources())
    assert ancient.published is None
    month = dates.extract(_article(body="x", published="2017-11"), _resources())
    assert (month.published, month.published_precision) == ("2017-11", "month")


@pytest.mark.parametrize(
    "zeroed",
    [
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00.000+00:00",
        "1970-01-01T07:00:00+07:00",
        "1969-12-31T19:00:00-05:00",
        "1970-01-01 00:00:00",
        "1970-01-01",
    ],
)
def test_a_metadata_date_at_the_unix_epoch_is_no_date(zeroed):
    stage = dates.extract(_article(body="x", published=zeroed, method="json:date"), _resources())
    assert (stage.published, stage.published_method) == (None, None)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("1970-01-01T09:30:00+07:00", "1970-01-01"),
        ("1970-01-02", "1970-01-02"),
        ("1969-12-31", "1969-12-31"),
        ("1970-01", "1970-01"),
    ],
)
def test_dates_near_the_unix_epoch_are_kept(value, day):
    stage = dates.extract(_article(body="x", published=value, method="json:date"), _resources())
    assert stage.published == day


@pytest.mark.parametrize("zero", [0, 0.0, "1970-01-01T00:00:00Z"])
def test_a_json_record_with_a_zeroed_date_takes_its_date_from_the_text(zero, resources):
    body = "JAKARTA, 3 Desember 2025 - Hujan deras membuat sungai meluap di beberapa kecamatan."
    record = {"title": "Banjir", "text": body, "date_publish": zero}
    read = readers.read_bytes(json.dumps(record).encode(), ".json", "s").articles[0]
    stage = pipeline.process(read, replace(resources, now=NOW))
    assert (stage.published, stage.published_method) == ("2025-12-03", "dateline")


def test_publication_from_a_dateline():
    body = "Cúcuta (Norte de Santander), 19 de febrero de 2021. – En el marco del inicio"
    stage = dates.extract(_article(body=body, language="es"), _resources())
    assert (stage.published, stage.published_precision, stage.published_method) == (
        "2021-02-19",
        "day",
        "dateline",
    )


def test_publication_from_a_byline_with_time():
    body = "Eko Wahyu 03 November 2017 16:34 Kerap diterpa isu, artis ini harmonis."
    stage = dates.extract(_article(body=body), _resources())
    assert (stage.published, stage.published_method) == ("2017-11-03", "byline")


def test_publication_from_a_sign_off():
    body = "Isi artikel.\n\nPenulis adalah ahli parlimen. - HARAKAHDAILY 29/3/2018"
    stage = dates.extract(_article(body=body, language="ms"), _resources())
    assert (stage.published, stage.published_method) == ("2018-03-29", "signoff")


def test_publication_from_a_sign_off_run_on_at_the_end_of_a_paragraph():
    body = 'Isi artikel.\n\n"Kami sedia," ujar beliau.-HARAKAHDAILY 5/2/2018'
    stage = dates.extract(_article(body=body, language="ms"), _resources())
    assert (stage.published, stage.published_method) == ("2018-02-05", "signoff")
    body = "Isi artikel.\n\nMereka juga guna tunai,”katanya.- 27/6/2018"
    assert dates.extract(_article(body=body, language="ms"), _resources()).published == (
        "2018-06-27"
    )
    # a date closing an ordinary sentence is not a sign-off
    body = "Isi artikel.\n\nSidang akan digelar pada 27/6/2018"
    assert dates.extract(_article(body=body), _resources()).published is None


def test_no_opening_date_for_a_text_that_cites_web_pages(resources):
    body = (
        "Beredar unggahan yang mengklaim gempa terjadi Kamis (3/1/2019), kata akun itu.\n"
        "Referensi: https://news.example.com/read/2019/01/03/gempa"
    )
    article = _article(body=body)
    assert dates.extract(article, _resources()).published == "2019-01-03"
    raw = ("Judul\n\n" + body).encode()
    cited = pipeline.process(readers.read_bytes(raw, ".txt", "x").articles[0], resources)
    assert cited.body == body and cited.urls and cited.published is None


def test_opening_reporting_date_is_the_day_with_its_own_method():
    body = (
        'Jakarta - "Kami siap," kata Budi kepada wartawan, Selasa (21/10/2025).\n\n'
        "Dia menambahkan, Senin (20/10) kemarin rapat digelar, seperti tahun lalu. "
        "Kemarin pula dana cair."
    )
    stage = dates.extract(_article(body=body), _resources())
    assert (stage.published, stage.published_precision, stage.published_method) == (
        "2025-10-21",
        "day",
        "opening",
    )
    by_text = {d.text: (d.value, d.precision) for d in stage.dates}
    assert by_text["Senin (20/10) kemarin"] == ("2025-10-20", "day")
    assert by_text["tahun lalu"] == ("2024", "year")
    # the reporting day may be the day before publication: a bare "kemarin" is left unresolved
    assert by_text["Kemarin"] == (None, None)


def test_opening_takes_the_last_reported_day_and_skips_announced_ones():
    body = (
        "Pengiriman pertama tiba di Medan, Jumat (31/10/2025) kemarin.\n"
        "Tahap kedua diterima Sabtu (1/11/2025), kata dia.\n"
        "Tahap ketiga akan tiba pada Senin (1/12/2025)."
    )
    stage = dates.extract(_article(body=body), _resources())
    assert (stage.published, stage.published_precision) == ("2025-11-01", "day")
    announced = "Berlaku terhitung sejak Senin, 1 September 2025, kata dia, Minggu (31/8/2025)."
    stage = dates.extract(_article(body=announced), _resources())
    assert stage.published == "2025-08-31"
    body = "Putusan itu tercantum dengan tanggal putusan Senin 22 September 2025."
    assert dates.extract(_article(body=body), _resources()).published is None


def test_no_publication_date_after_now_or_without_basis():
    body = "KUALA LUMPUR 4 Jun - Polis menahan dua lelaki."
    stage = dates.extract(_article(body=body, language="ms"), _resources())
    assert stage.published is None  # the dateline has no year
    body = "Cúcuta, 19 de febrero de 2021. – En el marco"
    early = dates.extract(
        _article(body=body, language="es"), _resources(datetime(2020, 1, 1, tzinfo=UTC))
    )
    assert early.published is None


# ---------------------------------------------------------------- properties


_TOKENS = list("0123456789 /-.,()'abcdefghijklmnopqrstuvwxyzSRKJM\nİß") + [
    "Selasa ",
    "Mei ",
    "lalu ",
    "2017",
    "Desember ",
    " de ",
    "kemarin ",
    "pukul ",
    "الأحد ",
    "https://",
    "www.",
    "(21/10",
    "Jumat",
    "minggu ",
    "tahun ",
    " 19",
    "terakhir ",
    "jam lalu ",
    "dalam ",
    "bulan yang lalu ",
]
_DATE_TEXT = st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=200), _DATE_TEXT),
    reference=st.one_of(
        st.none(),
        st.dates(date(1000, 1, 1), date(2199, 12, 31)),
        st.dates(),  # the calendar's edges: "besok" on 9999-12-31 has no value
        st.datetimes(),
    ),
    language=st.sampled_from([None, "id", "ms", "en", "de", "es", "pt", "ar", "xx"]),
)
def test_find_dates_never_raises_and_keeps_offsets(text, reference, language):
    for found in find_dates(text, language, reference):
        assert text[found.start : found.start + len(found.text)] == found.text
        assert (found.value is None) == (found.precision is None)
        assert found.end is None or (found.value is not None and found.end >= found.value)
        if found.kind == "absolute":
            assert found.value is not None
    parse(text, language, reference)


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(max_size=60),
    body=st.one_of(st.text(max_size=300), _DATE_TEXT),
    published=st.one_of(
        st.none(),
        st.text(max_size=25),
        st.sampled_from(
            ["2017-11-15", "2017-11", "2017", "9999-12-31", "2017-02-30", "2017-11-15T25:00"]
        ),
    ),
)
def test_extract_never_raises_and_never_dates_after_now(title, body, published):
    article = _article(title=title, body=body, published=published)
    stage = dates.extract(article, _resources())
    _assert_offsets(stage)
    if stage.published is not None:
        assert stage.published[:4] <= "2026"
        assert stage.published_precision in ("day", "month", "year")
    for d in stage.dates:
        assert d.precision in (None, "day", "month", "year")
        assert d.kind in ("absolute", "relative")


def test_opening_skips_a_caption_above_an_undated_dateline():
    body = (
        "Peserta karnaval berfoto di Balai Kota, Selasa (10/7/2018).\n\n"
        "TRIBUNSOLO.COM, SOLO - Penyanyi itu didapuk menjadi maskot, kata panitia, "
        "Kamis (12/7/2018).\n"
    )
    stage = dates.extract(_article(body=body), _resources())
    assert (stage.published, stage.published_method) == ("2018-07-12", "opening")


def test_opening_leaves_out_a_later_day_announced_earlier_in_its_sentence():
    body = (
        "Ketua panitia berbicara di Solo, Selasa (10/7/2018).\n"
        "Acara akan dimulai Rabu (11/7) dengan pameran di benteng dan puncaknya karnaval "
        "pada Sabtu (14/7/2018)."
    )
    stage = dates.extract(_article(body=body), _resources())
    assert stage.published == "2018-07-10"


def test_opening_moves_to_a_later_weekday_date_written_without_its_year():
    body = (
        "Menteri hadir dalam rapat, Jumat (17/10/2025).\n"
        "Pantauan di lokasi pada Minggu (19/10) menunjukkan antrean panjang."
    )
    stage = dates.extract(_article(body=body), _resources())
    assert stage.published == "2025-10-19"
    # a weekday that disagrees with the day is not the story's day
    body = body.replace("Minggu (19/10)", "Senin (19/10)")
    assert dates.extract(_article(body=body), _resources()).published == "2025-10-17"


def test_a_scheduling_word_before_a_speech_verb_does_not_hide_the_reporting_day():
    body = "Aturan berlaku mulai bulan depan, kata dia, Minggu (31/8/2025)."
    stage = dates.extract(_article(body=body), _resources())
    assert stage.published == "2025-08-31"
    body = "Aturan itu akan berlaku mulai Senin (1/9/2025)."
    assert dates.extract(_article(body=body), _resources()).published is None


# ---------------------------------------------------------------- news grammar (issue 12)

THU = date(2024, 3, 14)  # a Thursday


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("lima belas hari lalu", "2024-02-28"),
        ("dua puluh lima tahun lalu", "1999-03-14"),
        ("sebelas bulan yang lalu", "2023-04-14"),
        ("seratus hari lagi", "2024-06-22"),
        ("kemaren", "2024-03-13"),
        ("kmrn", "2024-03-13"),
        ("bsk", "2024-03-15"),
        ("besok lusa", "2024-03-16"),
        ("kemarin dulu", "2024-03-12"),
        ("skrg", "2024-03-14"),
        ("17 Agustus", "2023-08-17"),
        ("28/2", "2024-02-28"),
        ("15.02", "2024-02-15"),
        ("tgl 1/11", "2023-11-01"),
        ("tanggal 20", "2024-02-20"),
        ("tanggal 10", "2024-03-10"),
        ("tanggal 17 bulan depan", "2024-04-17"),
        ("bulan Desember", "2023-12"),
        ("awal Maret", "2024-03"),
        ("Desember tahun lalu", "2023-12"),
        ("bulan Februari lalu", "2024-02"),
        ("awal Juni mendatang", "2024-06"),
        ("Januari tahun depan", "2025-01"),
        ("Desember", "2023-12"),
        ("senin depan jam 10", "2024-03-18T10:00"),
        ("5 Peb 2019", "2019-02-05"),
    ],
)
def test_parse_news_grammar_toward_the_past(text, value):
    found = parse(text, "id", THU)
    assert found is not None and found.value == value


def test_a_future_word_turns_a_yearless_date_forward():
    assert _values("Festival akan digelar 20 Maret.", reference=THU) == [
        ("20 Maret", "2024-03-20", "day")
    ]
    assert _values("Festival digelar 20 Maret.", reference=THU) == [
        ("20 Maret", "2023-03-20", "day")
    ]
    assert _values("20 Maret mendatang", reference=THU)[0][1] == "2024-03-20"


def test_forms_read_only_as_a_whole_text_stay_out_of_running_text():
    # "tanggal 20 sampai 25 Desember": the month comes later; "Desember" alone is a name too
    text = "Pendaftaran tanggal 20 sampai 25 Desember, kata Desember Sitorus."
    assert [f.text for f in find_dates(text, "id", THU)] == ["25 Desember"]
    # a number glued to a name by a hyphen is not a count of months
    assert _values("Pada PRU-14 bulan lepas", "ms", THU) == [("bulan lepas", "2024-02", "month")]
    # a rate or a duration is not a date
    for text in ("40 jam seminggu", "Rp 1 miliar setahun", "selama sepekan", "lima orang"):
        assert _values(text, reference=THU) == [], text


@given(st.integers(min_value=1, max_value=99))
@settings(max_examples=60, deadline=None)
def test_every_number_word_up_to_99_counts_days_back(n):
    units = "satu dua tiga empat lima enam tujuh delapan sembilan".split()
    if n == 1:
        word = "satu"
    elif n < 10:
        word = units[n - 1]
    elif n == 10:
        word = "sepuluh"
    elif n == 11:
        word = "sebelas"
    elif n < 20:
        word = units[n - 11] + " belas"
    else:
        word = units[n // 10 - 1] + " puluh" + (" " + units[n % 10 - 1] if n % 10 else "")
    found = parse(f"{word} hari yang lalu", "id", THU)
    assert found is not None and found.value == (THU - timedelta(days=n)).isoformat()


def test_a_part_of_today_is_today_and_se_counts_one_hour():
    assert _values("Ia tiba pagi ini dan pergi nanti malam.", reference=THU) == [
        ("pagi ini", "2024-03-14", "day"),
        ("nanti malam", "2024-03-14", "day"),
    ]
    found = parse("sejam lalu", "id", datetime(2024, 3, 14, 10, 0))
    assert (found.value, found.precision) == ("2024-03-14T09:00", "hour")


def test_a_month_or_day_named_alone_follows_prefer():
    ref = date(2013, 2, 12)
    by_prefer = {
        prefer: [parse(t, "id", ref, prefer=prefer).value for t in ("maret", "tanggal 20")]
        for prefer in ("past", "future", "current", "nearest")
    }
    assert by_prefer == {
        "past": ["2012-03", "2013-01-20"],
        "future": ["2013-03", "2013-02-20"],
        "current": ["2013-03", "2013-02-20"],
        "nearest": ["2013-03", "2013-02-20"],
    }


def test_counted_periods_and_dated_statements_in_running_text():
    ref = date(2017, 9, 23)
    # a count before "tahun lalu" / "tahun ini" makes it a length of time
    for text in ("sejak puluhan tahun lalu", "selama 2,5 tahun ini", "beberapa bulan lalu"):
        assert _values(text, reference=ref) == [], text
    assert _values("Pada PRU-14 bulan lepas", "ms", ref) == [("bulan lepas", "2017-08", "month")]
    # "bulan Mei tahun 2009" is May 2009, not last May
    found = _values("pada bulan Mei tahun 2009.", "ms", ref)
    assert found == [("Mei tahun 2009", "2009-05", "month")]
    # a speech verb just before a bracketed day and month dates the statement
    assert _values('"Itu sejarah," ujar Said (22/9).', reference=ref) == [
        ("(22/9)", "2017-09-22", "day")
    ]
    assert _values("Skor akhir (2/1).", reference=ref) == []


def test_a_written_weekday_settles_the_year_and_the_past_allows_one_day():
    ref = date(2025, 9, 17)  # a Wednesday
    text = "Kami memperkirakan IHSG akan menguji level itu pada perdagangan Kamis (18/9)."
    assert _values(text, reference=ref) == [("Kamis (18/9)", "2025-09-18", "day")]
    # a dateline one day after the publication day (time zones) is still this year's
    assert _values("HULU SELANGOR 29 Mei - Timbalan", "ms", date(2018, 5, 28)) == [
        ("29 Mei", "2018-05-29", "day")
    ]
    assert _values("pada 30 Mei", "ms", date(2018, 5, 28)) == [("30 Mei", "2017-05-30", "day")]


def test_a_list_of_three_years_is_read_and_a_list_of_amounts_is_not():
    text = "Untuk tahun-tahun sebelumnya, 2020, 2021, 2022 dan 2023, nilainya naik."
    assert [v for _, v, _ in _values(text, reference=THU)] == ["2020", "2021", "2022", "2023"]
    assert _values("sebanyak 1900, 1950 dan 2000 orang", reference=THU) == []
    assert _values("nilai 2020, 2021", reference=THU) == []


def test_parts_of_a_year_are_stretches_of_months_stored_as_their_year():
    ref = date(2025, 10, 21)
    found = find_dates("Laba kuartal III 2025 naik, semester I tahun lalu turun.", "id", ref)
    assert [(f.text, f.value, f.end, f.kind) for f in found] == [
        ("kuartal III 2025", "2025-07", "2025-10", "absolute"),
        ("semester I tahun lalu", "2024-01", "2024-07", "relative"),
    ]
    assert parse("triwulan pertama", "id", ref).value == "2025-01"  # the last one begun
    assert find_dates("mahasiswa semester 2 dan semester III", "id", ref) == []
    body = "Penjualan kuartal IV diperkirakan naik, kata dia, Selasa (21/10/2025)."
    stage = dates.extract(_article(body=body), _resources())
    assert [(d.text, d.value, d.precision) for d in stage.dates if "kuartal" in d.text] == [
        ("kuartal IV", "2025", "year")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("jam setengah 4 sore", "2024-03-14T15:30"),
        ("pukul 3 lewat seperempat", "2024-03-14T03:15"),
        ("jam 5 kurang 10 menit", "2024-03-14T04:50"),
        ("besok jam setengah 8 pagi", "2024-03-15T07:30"),
        ("tengah hari", "2024-03-14T12:00"),
    ],
)
def test_times_told_by_halves_and_quarters(text, value):
    assert parse(text, "id", datetime(2024, 3, 14, 10, 0)).value == value


def test_ini_after_a_yearless_date_is_this_years():
    ref = date(2025, 9, 5)
    text = "Jadi sebelum 2 Oktober ini sudah selesai."
    assert _values(text, reference=ref) == [("2 Oktober ini", "2025-10-02", "day")]
    body = "Rapat digelar, kata dia, Jumat (5/9/2025). Sebelum 2 Oktober ini selesai."
    stage = dates.extract(_article(body=body), _resources())
    assert [(d.text, d.value) for d in stage.dates if "Oktober" in d.text] == [
        ("2 Oktober ini", "2025-10-02")
    ]


def test_a_week_of_a_month_is_read_as_its_month():
    ref = date(2025, 10, 21)
    assert _values("Hasilnya keluar pada pekan kedua Oktober.", reference=ref) == [
        ("pekan kedua Oktober", "2025-10", "month")
    ]
    assert _values("Minggu terakhir bulan Maret 2024", reference=ref) == [
        ("Minggu terakhir bulan Maret 2024", "2024-03", "month")
    ]
    # "Minggu (19/10)" stays a Sunday
    sunday = _values("pada Minggu (19/10)", reference=ref)
    assert sunday == [("Minggu (19/10)", "2025-10-19", "day")]
