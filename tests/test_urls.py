"""Tests for newsingest.urls: finding, splitting, trimming and normalising addresses."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import pipeline, readers, urls
from newsingest.article import Article
from newsingest.pipeline import Resources
from newsingest.urls import find_spans, normalize

SEEDS = Path(__file__).parent / "data" / "seeds"
RESOURCES = Resources(
    now=datetime(2026, 1, 1, tzinfo=UTC), boilerplate=None, language=None, gazetteer=None
)


def _written(text):
    spans = find_spans(text)
    for start, written in spans:
        assert text[start : start + len(written)] == written
    return [written for _, written in spans]


def test_seed_000_facebook_urls(resources):
    path = next(SEEDS.glob("000*"))
    article = readers.read_bytes(path.read_bytes(), ".txt", "seeds").articles[0]
    article = pipeline.process(article, resources)
    facebook = [u for u in article.urls if u.domain == "facebook.com"]
    assert len(facebook) == 2
    for u in facebook:
        assert u.text.startswith("https://www.facebook.com/mod.mil.rus/photos/")
        assert u.url.startswith("https://www.facebook.com/mod.mil.rus/photos/")
        source = article.title if u.field == "title" else article.body
        assert source[u.start : u.start + len(u.text)] == u.text


# Short address strings as they occur in the turnbackhoax corpus (glued reference lists).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "lihat https://www.youtube.com/watch?v=yGUZBEAuOiYhttps://www.cnnindonesia.com/"
            "nasional/x dan",
            [
                "https://www.youtube.com/watch?v=yGUZBEAuOiY",
                "https://www.cnnindonesia.com/nasional/x",
            ],
        ),
        (
            "REFERENSI:https://news.detik.com/d-4544311/keluarga-hoakshttps://www.antaranews.com/"
            "berita/864879/hoaks",
            [
                "https://news.detik.com/d-4544311/keluarga-hoaks",
                "https://www.antaranews.com/berita/864879/hoaks",
            ],
        ),
        (
            "https://turnbackhoax.id/tentang-kami/kode-etik/https://www.kominfo.go.id/content/x",
            [
                "https://turnbackhoax.id/tentang-kami/kode-etik/",
                "https://www.kominfo.go.id/content/x",
            ],
        ),
        (
            "https://www.facebook.com/a/photos/1/?type=3https://www.blogger.com/blogin.g?"
            "blogspotURL=https://kabarsworo.",
            [
                "https://www.facebook.com/a/photos/1/?type=3",
                "https://www.blogger.com/blogin.g?blogspotURL=https://kabarsworo",
            ],
        ),
    ],
)
def test_glued_addresses_are_split(text, expected):
    assert _written(text) == expected


def test_archived_address_stays_whole():
    text = "(1) https://web.archive.org/web/20190724043326/https://www.facebook.com/p/1, dan"
    assert _written(text) == [
        "https://web.archive.org/web/20190724043326/https://www.facebook.com/p/1"
    ]
    url, domain = normalize(_written(text)[0])
    assert url == "https://web.archive.org/web/20190724043326/https://www.facebook.com/p/1"
    assert domain == "archive.org"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1) http://bit.ly/2MXDWnV.", ["http://bit.ly/2MXDWnV"]),
        ("(lihat https://archive.fo/HlmYi).", ["https://archive.fo/HlmYi"]),
        ("di www.twitter.com/saididu.", ["www.twitter.com/saididu"]),
        ("“https://youtu.be/t1oD7ZeDPGQ”,", ["https://youtu.be/t1oD7ZeDPGQ"]),
        (
            "lihat https://en.wikipedia.org/wiki/Foo_(bar)), lalu",
            ["https://en.wikipedia.org/wiki/Foo_(bar)"],
        ),
        ("tanpa alamat https:// di sini, atau https://x saja", []),
        ("situs resmi http://www.ngay-dem.com, dan", ["http://www.ngay-dem.com"]),
        # punctuation beyond ASCII ends a clause after an address, in any script
        ("posts/1 https://www.facebook.com/a/posts/1185836438239432– kata",
         ["https://www.facebook.com/a/posts/1185836438239432"]),
        ("راجع https://example.com/a، ثم https://x.sa/b؟", ["https://example.com/a", "https://x.sa/b"]),
        ("见 https://example.cn/a。 然后", ["https://example.cn/a"]),
        ("(https://x.id/a)」", ["https://x.id/a"]),
        ("https://ar.wikipedia.org/wiki/مصر».", ["https://ar.wikipedia.org/wiki/مصر"]),
        # an ellipsis marks an address cut short: it stays, so the url is not taken as whole
        ("https://radarsolo.jawapos.com/…/flyer-r… lalu", ["https://radarsolo.jawapos.com/…/flyer-r…"]),
    ],
)
def test_trailing_punctuation_and_brackets_are_trimmed(text, expected):
    assert _written(text) == expected


@pytest.mark.parametrize(
    ("written", "url", "domain"),
    [
        (
            "HTTP://News.Detik.com:80/berita/d-1?utm_source=twitter&utm_medium=x&id=5",
            "http://news.detik.com/berita/d-1?id=5",
            "detik.com",
        ),
        (
            "https://www.facebook.com:443/a/?fbclid=abc",
            "https://www.facebook.com/a/",
            "facebook.com",
        ),
        ("www.twitter.com/saididu", "http://www.twitter.com/saididu", "twitter.com"),
        (
            "https://kominfo.go.id/content/detail/20175",
            "https://kominfo.go.id/content/detail/20175",
            "kominfo.go.id",
        ),
        (
            "https://x.blogspot.com/2019/a.html",
            "https://x.blogspot.com/2019/a.html",
            "x.blogspot.com",
        ),
        ("http://192.168.1.1/admin", "http://192.168.1.1/admin", "192.168.1.1"),
    ],
)
def test_normalisation(written, url, domain):
    assert normalize(written) == (url, domain)


def test_stage_fills_title_and_body():
    article = Article(
        raw="", title="Cek www.kompas.com", body="Baca https://detik.com/a?utm_source=x."
    )
    done = urls.extract(article, RESOURCES)
    assert [(u.field, u.start, u.text, u.url, u.domain) for u in done.urls] == [
        ("title", 4, "www.kompas.com", "http://www.kompas.com", "kompas.com"),
        ("body", 5, "https://detik.com/a?utm_source=x", "https://detik.com/a", "detik.com"),
    ]
    assert urls.extract(Article(raw="", title="", body="tidak ada"), RESOURCES).urls == ()


_TOKENS = list("abc/.?=&:-_()[]”,") + [
    "https://",
    "http://",
    "www.",
    "x.com",
    "détik.id",
    " ",
    "\n",
    "%",
    "#",
    "…",
    "web.archive.org/web/1/",
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=200), st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)
    )
)
def test_never_raises_and_keeps_offsets(text):
    done = urls.extract(Article(raw=text, title=text[:20], body=text), RESOURCES)
    for u in done.urls:
        source = done.title if u.field == "title" else done.body
        assert source[u.start : u.start + len(u.text)] == u.text
        assert u.url and u.domain is not None


def test_an_address_with_a_made_up_scheme_inside_its_query_does_not_break_normalising():
    written = (
        "www.pageviews.com/p/x-/?bahaya=1da96d5asep://www.facebook.com/DivHumasPolri/photos/"
        "a.658387904190069/2763974263631412/?dubes=3&theater"
    )
    url, domain = urls.normalize(written)
    assert url and domain
