"""The storage contract: what every backend must do, run against SQLite and PostgreSQL.

Each test takes the ``store`` fixture (or ``target``, a fresh place to open one), which
is parametrised over the backends; a new backend joins by adding to ``TARGETS``. The
PostgreSQL runs need a server (``tests/pg_server.py``): without one they skip, or fail
where RASHOMON_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pg_server
from rashomon.errors import StoreError
from rashomon.model import Article, Outlet, Paragraph, Removed, WireCredit
from rashomon.store import Store, open_store

# Where each backend can open a new, empty store: a file in the test's temporary
# directory, or a schema of its own on the session's PostgreSQL server.
TARGETS: dict[str, Callable[[Path], str]] = {
    "sqlite": lambda tmp: str(tmp / "store.db"),
    "postgresql": lambda tmp: pg_server.current().fresh_url(),
}
BACKENDS: dict[str, Callable[[Path], Store]] = {
    name: (lambda tmp, where=where: open_store(where(tmp))) for name, where in TARGETS.items()
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    """The backend's name; for PostgreSQL, once its server is up (or the test skipped)."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres_server")
    return str(request.param)


@pytest.fixture
def target(backend: str, tmp_path: Path) -> str:
    """Where to open a new, empty store of the backend under test."""
    return TARGETS[backend](tmp_path)


@pytest.fixture
def store(target: str) -> Iterator[Store]:
    with open_store(target) as s:
        yield s


PRESS_TV = Outlet(
    name="Press TV",
    domains=("presstv.ir", "presstv.com"),
    country="IR",
    language="en",
    ownership="state-controlled",
    signatures=("Press TV's website can also be accessed",),
    source="https://en.wikipedia.org/wiki/Press_TV",
)
REUTERS = Outlet(name="Reuters", ownership="wire")


def make_article(
    n: int = 1,
    text: str | None = None,
    *,
    outlet: Outlet | None = None,
    url: str | None = None,
    content_hash: str | None = None,
    title: str | None = None,
    path: str | None = None,
) -> Article:
    """A plain article whose content hash follows its number unless given."""
    if text is None:
        text = f"Headline {n}\n\nBody of article number {n} about the summit in Geneva."
    cut = text.find("\n\n")
    paragraphs = (Paragraph(cut + 2, len(text)),) if cut >= 0 else (Paragraph(0, len(text)),)
    p = path if path is not None else f"art{n}.txt"
    return Article(
        id=p,
        path=p,
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        paragraphs=paragraphs,
        content_hash=content_hash if content_hash is not None else f"hash{n}",
    )


FULL = Article(
    id="feed.xml#2",
    path="feed.xml",
    text="Iran says talks 'constructive'\n\n(Reuters) - Tehran said on Thursday…\n\nSubscribe now!",
    # A crosshead as well as a body paragraph: the kind must survive the store (the
    # annotation key covers it, so a lost kind hid every stored annotation of the article).
    title="Iran says talks 'constructive'",
    title_span=(0, 30),
    published="2022-02-24",
    url="https://www.presstv.ir/Detail/2022/02/24/677",
    outlet=PRESS_TV,
    outlet_via="url",
    wire=(WireCredit("Reuters", 32, 43), WireCredit("Reuters", 32, 43)),
    removed=(Removed(71, 85, "Subscribe now!", "promo"),),
    paragraphs=(Paragraph(0, 30, "heading"), Paragraph(32, 69)),
    language="en",
    authors=("Jane Doe", "John Roe"),
    encoding="utf-8 (bom)",
    source_format="feed",
    content_hash="ab" * 32,
)


# --- round trip ------------------------------------------------------------------------


def test_full_article_round_trips(store: Store) -> None:
    assert store.add_article(FULL).status == "new"
    assert store.get(FULL.id) == FULL


def test_minimal_article_round_trips_with_none_and_empty_fields(store: Store) -> None:
    bare = Article(id="a.txt", path="a.txt", text="")
    assert store.add_article(bare).is_new
    got = store.get("a.txt")
    assert got == bare
    assert got is not None
    assert got.content_hash == "" and got.title is None and got.wire == () and got.outlet is None


def test_empty_strings_stay_empty_and_none_stays_none(store: Store) -> None:
    a = Article(
        id="",
        path="",
        text="x",
        title="",
        published=None,
        url="",
        language="",
        authors=("",),
        encoding="",
        outlet=Outlet(name="", domains=(), country=""),
        content_hash="h",
    )
    store.add_article(a)
    assert store.get("") == a


def test_get_unknown_id_is_none(store: Store) -> None:
    assert store.get("nope.txt") is None


# Every code point, lone surrogates included (Hypothesis leaves them out by default).
any_text = st.text(st.characters(exclude_categories=()), max_size=60)
maybe_text = st.none() | any_text
small_int = st.integers(min_value=-5, max_value=10**9)
span = st.tuples(small_int, small_int)
texts = st.lists(any_text, max_size=3).map(tuple)

outlets = st.builds(
    Outlet,
    name=any_text,
    domains=texts,
    country=maybe_text,
    language=maybe_text,
    ownership=maybe_text,
    signatures=texts,
    source=maybe_text,
)
articles = st.builds(
    Article,
    id=any_text,
    path=any_text,
    text=any_text,
    title=maybe_text,
    title_span=st.none() | span,
    published=maybe_text,
    url=maybe_text,
    outlet=st.none() | outlets,
    outlet_via=maybe_text,
    wire=st.lists(st.builds(WireCredit, any_text, small_int, small_int), max_size=3).map(tuple),
    removed=st.lists(st.builds(Removed, small_int, small_int, any_text, any_text), max_size=3).map(
        tuple
    ),
    paragraphs=st.lists(
        st.builds(Paragraph, small_int, small_int, st.sampled_from(("body", "heading"))), max_size=3
    ).map(tuple),
    language=maybe_text,
    authors=texts,
    encoding=maybe_text,
    source_format=any_text,
    content_hash=any_text,
)


# The backend fixture is only a name: each example opens a store of its own.
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(article=articles, line_keys=st.lists(any_text, max_size=4), query=any_text)
def test_any_article_round_trips_exactly(
    backend: str, article: Article, line_keys: list[str], query: str
) -> None:
    # A fresh store per example: function fixtures are shared by all examples.
    with tempfile.TemporaryDirectory() as tmp, BACKENDS[backend](Path(tmp)) as s:
        assert s.add_article(article, line_keys).is_new
        assert s.get(article.id) == article
        assert s.articles() == [article]
        if article.outlet is not None:
            assert s.count(outlet=article.outlet.name) == 1
            assert s.articles(outlet=article.outlet.name) == [article]
        assert s.add_article(article).status == "duplicate" or not article.content_hash
        s.search(query)  # never raises, whatever the user types
        if article.outlet is not None:
            counts = s.line_counts(article.outlet.name, line_keys)
            assert counts == dict.fromkeys(line_keys, 1)


# --- idempotence -----------------------------------------------------------------------


def test_same_article_twice_is_a_duplicate_and_changes_nothing(store: Store) -> None:
    a = make_article(1, outlet=PRESS_TV)
    assert store.add_article(a, ["k1"]).is_new
    again = store.add_article(a, ["k1", "k2"])
    assert again.status == "duplicate"
    assert again.duplicate_of == "art1.txt"
    assert again.reason == "same content as art1.txt"
    assert store.count() == 1
    assert store.line_counts("Press TV", ["k1", "k2"]) == {"k1": 1, "k2": 0}


def test_same_content_under_another_path_is_a_duplicate(store: Store) -> None:
    store.add_article(make_article(1, content_hash="same"))
    result = store.add_article(make_article(2, content_hash="same"))
    assert (result.status, result.article_id, result.duplicate_of) == (
        "duplicate",
        "art2.txt",
        "art1.txt",
    )
    assert store.get("art2.txt") is None


@pytest.mark.parametrize(
    "first, second",
    [
        ("https://www.bbc.co.uk/news/world-1", "https://www.bbc.co.uk/news/world-1"),
        ("http://www.bbc.co.uk/news/world-1/", "https://bbc.co.uk/news/world-1?utm_source=tw"),
        ("https://BBC.co.uk:443/news/world-1#comments", "bbc.co.uk/news/world-1"),
    ],
)
def test_same_url_with_other_content_is_a_duplicate(store: Store, first: str, second: str) -> None:
    store.add_article(make_article(1, url=first))
    result = store.add_article(make_article(2, url=second))
    assert result.status == "duplicate"
    assert result.reason == "same URL as art1.txt"
    assert store.count() == 1


def test_different_urls_and_content_are_both_new(store: Store) -> None:
    assert store.add_article(make_article(1, url="https://x.com/a")).is_new
    assert store.add_article(make_article(2, url="https://x.com/b")).is_new
    assert store.add_article(make_article(3, url=None)).is_new
    assert store.add_article(make_article(4, url="not a url")).is_new
    assert store.add_article(make_article(5, url="not a url")).is_new  # no canonical form
    assert store.count() == 5


def test_articles_without_content_hash_are_not_duplicates_of_each_other(store: Store) -> None:
    assert store.add_article(make_article(1, content_hash="")).is_new
    assert store.add_article(make_article(2, content_hash="")).is_new
    assert store.count() == 2


def test_same_id_new_content_is_stored_and_get_returns_newest(store: Store) -> None:
    store.add_article(make_article(1, "old text", path="a.txt", content_hash="old"))
    store.add_article(make_article(2, "new text", path="a.txt", content_hash="new"))
    assert store.count() == 2
    got = store.get("a.txt")
    assert got is not None and got.text == "new text"


# --- listing ---------------------------------------------------------------------------


def test_articles_newest_first_with_paging_and_outlet_filter(store: Store) -> None:
    for n in range(1, 8):
        store.add_article(make_article(n, outlet=PRESS_TV if n % 2 else REUTERS))
    ids = [a.id for a in store.articles()]
    assert ids == [f"art{n}.txt" for n in range(7, 0, -1)]
    assert [a.id for a in store.articles(limit=2, offset=1)] == ["art6.txt", "art5.txt"]
    assert [a.id for a in store.articles(outlet="Reuters")] == ["art6.txt", "art4.txt", "art2.txt"]
    assert store.articles(outlet="Nobody") == []
    assert store.articles(limit=0) == []
    assert store.count() == 7
    assert store.count(outlet="Press TV") == 4
    assert store.count(outlet="Nobody") == 0


def test_negative_paging_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.articles(limit=-1)


# --- search ----------------------------------------------------------------------------


def test_search_finds_words_in_title_and_body(store: Store) -> None:
    store.add_article(
        make_article(1, "Kyiv talks\n\nThe talks in Geneva ended.", title="Kyiv talks")
    )
    store.add_article(make_article(2, "Other\n\nNothing about that city here."))
    store.add_article(make_article(3, "Geneva\n\nKyiv appears only in the body of this one."))
    assert {h.article_id for h in store.search("kyiv")} == {"art1.txt", "art3.txt"}
    hits = store.search("Kyiv")
    assert [h.rank for h in hits] == [1, 2]
    assert hits[0].score >= hits[1].score
    assert hits[0].article_id == "art1.txt"  # a title match weighs more
    assert hits[0].title == "Kyiv talks"
    assert "Geneva" in hits[0].snippet
    assert store.search("geneva ended") and [
        h.article_id for h in store.search("geneva ended")
    ] == ["art1.txt"]
    assert store.search("kyiv", limit=1)[0].article_id == "art1.txt"


def test_search_ignores_boilerplate_outside_paragraphs(store: Store) -> None:
    text = "Title\n\nReal reporting here.\n\nSubscribe to our newsletter"
    store.add_article(
        Article(id="a", path="a", text=text, paragraphs=(Paragraph(7, 27),), content_hash="h")
    )
    assert store.search("reporting")
    assert store.search("newsletter") == []


def test_search_folds_case_and_diacritics(store: Store) -> None:
    store.add_article(make_article(1, "x\n\nPresident Zelenskyy met Macron in Élysée Palace."))
    assert store.search("ELYSEE")
    assert store.search("élysée")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "AND(",
        "kyiv AND(",
        "NOT",
        "OR kyiv",
        "NEAR(kyiv talks)",
        "kyiv*",
        "*",
        "title:kyiv",
        "^kyiv",
        "kyiv + -",
        "(((",
        "''",
        "'; DROP TABLE articles; --",
        "\x00",
        "kyiv\x00",
        "\ud800",
        "{title body}: kyiv",
        "\\",
        "kyiv\u200b",
        "   ",
        "",
    ],
)
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    store.add_article(make_article(1, "x\n\nKyiv and Geneva talks, NOT over (yet)."))
    hits = store.search(query)
    assert all(h.article_id == "art1.txt" for h in hits)
    assert store.count() == 1


def test_search_words_are_literal(store: Store) -> None:
    store.add_article(make_article(1, "x\n\nTalks NOT over, officials say."))
    store.add_article(make_article(2, "x\n\nTalks are over."))
    # "NOT" is a word to find, not an operator: only the first article has it.
    assert [h.article_id for h in store.search("talks NOT")] == ["art1.txt"]
    assert [h.article_id for h in store.search('"talks" OR')] == []
    assert store.search("talk*") == []  # no prefix search either


def test_search_with_no_articles_is_empty(store: Store) -> None:
    assert store.search("anything") == []


# --- line counts -----------------------------------------------------------------------


def test_line_counts_count_distinct_articles_per_outlet(store: Store) -> None:
    store.add_article(make_article(1, outlet=PRESS_TV), ["footer", "footer", "a"])
    store.add_article(make_article(2, outlet=PRESS_TV), ["footer", "b"])
    store.add_article(make_article(3, outlet=REUTERS), ["footer"])
    store.add_article(make_article(4), ["footer"])  # no outlet: nothing to learn for
    store.add_article(make_article(2, outlet=PRESS_TV), ["footer"])  # duplicate: ignored
    assert store.line_counts("Press TV", ["footer", "a", "b", "unseen"]) == {
        "footer": 2,
        "a": 1,
        "b": 1,
        "unseen": 0,
    }
    assert store.line_counts("Reuters", ["footer", "a"]) == {"footer": 1, "a": 0}
    assert store.line_counts("Nobody", ["footer"]) == {"footer": 0}
    assert store.line_counts("Press TV", []) == {}


def test_line_counts_with_many_keys(store: Store) -> None:
    keys = [f"k{i}" for i in range(2500)]
    store.add_article(make_article(1, outlet=PRESS_TV), keys)
    store.add_article(make_article(2, outlet=PRESS_TV), keys[::2])
    counts = store.line_counts("Press TV", iter(keys))
    assert counts["k0"] == 2 and counts["k1"] == 1 and counts["k2498"] == 2
    assert sum(counts.values()) == 2500 + 1250


# --- transactions and checkpoints ------------------------------------------------------


class Boom(Exception):
    pass


def test_transaction_commits_articles_and_checkpoint_together(store: Store) -> None:
    with store.transaction():
        store.add_article(make_article(1))
        store.add_article(make_article(2))
        store.set_checkpoint("ingest:feed.xml", "2")
    assert store.count() == 2
    assert store.get_checkpoint("ingest:feed.xml") == "2"


def test_transaction_rollback_on_exception_leaves_nothing(store: Store) -> None:
    store.add_article(make_article(1, outlet=PRESS_TV), ["k"])
    store.set_checkpoint("ingest", "1")
    with pytest.raises(Boom), store.transaction():
        store.add_article(make_article(2, outlet=PRESS_TV), ["k"])
        store.add_article(make_article(3))
        store.set_checkpoint("ingest", "3")
        raise Boom
    assert store.count() == 1
    assert store.get("art2.txt") is None
    assert store.get_checkpoint("ingest") == "1"
    assert store.line_counts("Press TV", ["k"]) == {"k": 1}
    assert len(store.search("article")) == 1
    # The store is usable afterwards, and the rolled-back articles are not "duplicates".
    assert store.add_article(make_article(2)).is_new


def test_nested_transaction_failure_undoes_only_inner_block(store: Store) -> None:
    with store.transaction():
        store.add_article(make_article(1))
        with pytest.raises(Boom), store.transaction():
            store.add_article(make_article(2))
            raise Boom
        store.set_checkpoint("c", "after")
    assert [a.id for a in store.articles()] == ["art1.txt"]
    assert store.get_checkpoint("c") == "after"


def test_failed_write_inside_a_transaction_leaves_the_rest_usable(store: Store) -> None:
    # Ingest catches the StoreError of one bad article and goes on with the batch; on
    # PostgreSQL a failed statement would otherwise abort the whole transaction.
    bad = dataclasses.replace(make_article(2), title_span=(0, 10**30))  # beyond 64 bits
    with store.transaction():
        store.add_article(make_article(1), [])
        with pytest.raises(StoreError, match=r"cannot store article 'art2\.txt'"):
            store.add_article(bad)
        store.add_article(make_article(3))
        store.set_checkpoint("ingest", "3")
    assert [a.id for a in store.articles()] == ["art3.txt", "art1.txt"]
    assert store.get_checkpoint("ingest") == "3"


def test_checkpoints_set_and_overwrite(store: Store) -> None:
    assert store.get_checkpoint("missing") is None
    store.set_checkpoint("c", "1")
    store.set_checkpoint("c", "2")
    store.set_checkpoint("d", "")
    assert store.get_checkpoint("c") == "2"
    assert store.get_checkpoint("d") == ""


def test_closed_store_raises_store_error(target: str) -> None:
    s = open_store(target)
    s.close()
    s.close()  # twice is harmless
    with pytest.raises(StoreError, match="closed"):
        s.count()
    with pytest.raises(StoreError, match="closed"):
        s.add_article(make_article(1))


# --- derived results -----------------------------------------------------------------------


def test_derived_round_trip_and_replace(store: Store) -> None:
    assert store.get_derived("comparison", "k1") is None
    store.put_derived("comparison", "k1", '{"a": 1}')
    store.put_derived("annotation", "k1", "other kind, same key")
    assert store.get_derived("comparison", "k1") == '{"a": 1}'
    store.put_derived("comparison", "k1", '{"a": 2}')
    assert store.get_derived("comparison", "k1") == '{"a": 2}'
    assert store.get_derived("annotation", "k1") == "other kind, same key"


def test_derived_drop_by_kind(store: Store) -> None:
    store.put_derived("comparison", "a", "1")
    store.put_derived("comparison", "b", "2")
    store.put_derived("annotation", "a", "3")
    assert store.drop_derived("comparison") == 2
    assert store.get_derived("comparison", "a") is None
    assert store.get_derived("annotation", "a") == "3"
    assert store.drop_derived() == 1
    assert store.get_derived("annotation", "a") is None


def test_derived_rolls_back_with_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.put_derived("comparison", "x", "lost")
        raise RuntimeError("boom")
    assert store.get_derived("comparison", "x") is None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=any_text, kind=any_text, key=any_text)
def test_derived_payload_exact(backend: str, payload: str, kind: str, key: str) -> None:
    with tempfile.TemporaryDirectory() as d, BACKENDS[backend](Path(d)) as s:
        s.put_derived(kind, key, payload)
        assert s.get_derived(kind, key) == payload
        s.set_checkpoint(key, payload)
        assert s.get_checkpoint(key) == payload


# --- read-only and time limits (the web app's mode) ---------------------------------------


def test_read_only_reads_and_refuses_every_write(target: str) -> None:
    with open_store(target) as s:
        s.add_article(make_article(1, outlet=PRESS_TV), ["k"])
        s.set_checkpoint("ingest", "1")
        s.put_derived("comparison", "k", "v")
    with open_store(target, read_only=True) as s:
        assert s.count() == 1
        assert s.get("art1.txt") == make_article(1, outlet=PRESS_TV)
        assert [h.article_id for h in s.search("geneva")] == ["art1.txt"]
        assert s.line_counts("Press TV", ["k"]) == {"k": 1}
        assert s.get_checkpoint("ingest") == "1"
        writes: list[Callable[[], object]] = [
            lambda: s.add_article(make_article(2)),
            lambda: s.set_checkpoint("ingest", "2"),
            lambda: s.put_derived("comparison", "k", "changed"),
            lambda: s.drop_derived(),
            lambda: s.transaction().__enter__(),
        ]
        for write in writes:
            with pytest.raises(StoreError, match="open read-only") as info:
                write()
            assert "\n" not in str(info.value)
        assert s.count() == 1  # still usable
    with open_store(target) as s:
        assert s.count() == 1
        assert s.get_checkpoint("ingest") == "1"
        assert s.get_derived("comparison", "k") == "v"


def test_read_only_never_creates_a_store(target: str) -> None:
    with pytest.raises(StoreError, match="run `rashomon ingest` first") as info:
        open_store(target, read_only=True)
    assert "\n" not in str(info.value)
    with open_store(target) as s:  # read-write opening creates it as usual
        assert s.count() == 0


def test_read_only_sees_later_commits_of_a_writer(target: str) -> None:
    with open_store(target) as writer, open_store(target, read_only=True) as reader:
        writer.add_article(make_article(1))
        assert reader.count() == 1
        with writer.transaction():
            writer.add_article(make_article(2))
            assert reader.count() == 1  # not before the commit
        assert reader.count() == 2


@pytest.mark.parametrize("bad", [0, -1])
def test_timeout_must_be_positive(target: str, bad: int) -> None:
    with pytest.raises(ValueError, match="timeout_ms"):
        open_store(target, timeout_ms=bad)


def test_store_with_timeout_works_normally(target: str) -> None:
    with open_store(target, timeout_ms=60_000) as s:
        s.add_article(make_article(1))
        assert [h.article_id for h in s.search("geneva")] == ["art1.txt"]
    with open_store(target, read_only=True, timeout_ms=60_000) as s:
        assert s.count() == 1


def test_search_finds_an_article_with_a_crosshead(store: Store) -> None:
    # Stored paragraph rows carry a third field for a crosshead; search reads them back.
    store.add_article(FULL)
    hits = store.search("Tehran")
    assert [h.article_id for h in hits] == [FULL.id]
    assert "Tehran" in hits[0].snippet
