"""The whole pipeline on arbitrary input: no stage raises, offsets hold, results are stable."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsingest.article import Article
from newsingest.pipeline import STAGES, process

# Text that looks like news more often than random Unicode does: words, digits, dates, URLs,
# brackets, credits, line breaks, mixed scripts.
PIECES = st.sampled_from(
    [
        "Jakarta", "Suriah", "di", "Kabupaten", "Bogor", "1 Maret 2017", "(21/10/2025)", "Rabu",
        "http://", "https://", "www.", ".com", "/", "?", "=", "&", "asep://", "©", "(FOTO:",
        ")", "(", "Baca juga:", "SCROLL TO CONTINUE WITH CONTENT", "Reuter", "\n", "\n\n",
        " ", "-", "–", ".", ",", "“", "”", "AS", "Amerika", "kemarin", "2014", "الرياض",
        "Москва", "東京", "\u00a0", "\u200b", "\r\n", "A+ A-", "=====", "Sungai Efrat",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["text", "html", "json"]))
def test_no_stage_raises_and_offsets_hold(resources, text, fmt):
    article = process(Article(raw=text, format=fmt, source="s"), resources)
    for mention in (*article.dates, *article.places, *article.urls):
        field = getattr(article, mention.field)
        assert field[mention.start : mention.start + len(mention.text)] == mention.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_processing_twice_gives_the_same_article(resources, text):
    article = Article(raw=text, source="s")
    assert process(article, resources) == process(article, resources)


def test_stage_order_is_data():
    names = [f"{stage.__module__}.{stage.__name__}" for stage in STAGES]
    assert names == [
        "newsingest.readers.parse",
        "newsingest.cleaning.clean",
        "newsingest.language.detect",
        "newsingest.urls.extract",
        "newsingest.dates.extract",
        "newsingest.places.extract",
        "newsingest.reprints.credit",
    ]
