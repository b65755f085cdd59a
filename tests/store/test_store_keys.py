"""canonical_url: one key for every spelling of an article's URL."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.store.keys import canonical_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://bbc.co.uk/news/world-1", "https://bbc.co.uk/news/world-1"),
        ("http://bbc.co.uk/news/world-1", "https://bbc.co.uk/news/world-1"),
        ("HTTPS://WWW.BBC.CO.UK/news/world-1", "https://bbc.co.uk/news/world-1"),
        ("https://www.bbc.co.uk/news/world-1/", "https://bbc.co.uk/news/world-1"),
        ("https://bbc.co.uk/news/world-1//", "https://bbc.co.uk/news/world-1"),
        ("https://bbc.co.uk:443/news/world-1", "https://bbc.co.uk/news/world-1"),
        ("http://bbc.co.uk:80/news/world-1", "https://bbc.co.uk/news/world-1"),
        ("https://bbc.co.uk:8080/news", "https://bbc.co.uk:8080/news"),
        ("https://bbc.co.uk/news/world-1#comments", "https://bbc.co.uk/news/world-1"),
        ("https://bbc.co.uk/a?utm_source=tw&utm_medium=social", "https://bbc.co.uk/a"),
        ("https://bbc.co.uk/a?UTM_Campaign=x&fbclid=1&gclid=2", "https://bbc.co.uk/a"),
        ("https://msn.com/a?ocid=BingNews&cmpid=rss", "https://msn.com/a"),
        ("https://x.com/a?id=7&utm_source=rss&page=2", "https://x.com/a?id=7&page=2"),
        ("https://x.com/a?page=2&id=7", "https://x.com/a?id=7&page=2"),
        ("https://x.com/a?q=a+b", "https://x.com/a?q=a%20b"),
        ("https://x.com/a?q=a%20b", "https://x.com/a?q=a%20b"),
        ("https://x.com/a?", "https://x.com/a"),
        ("https://x.com", "https://x.com/"),
        ("https://x.com/", "https://x.com/"),
        ("https://x.com/News/Article", "https://x.com/News/Article"),  # paths keep case
        ("https://x.com/%7euser/caf%c3%a9", "https://x.com/~user/caf%C3%A9"),
        ("https://x.com/café", "https://x.com/caf%C3%A9"),
        ("https://x.com/a b", "https://x.com/a%20b"),
        ("https://user:secret@x.com/a", "https://x.com/a"),
        ("https://x.com./a", "https://x.com/a"),
        ("//x.com/a", "https://x.com/a"),
        ("www.x.com/a/", "https://x.com/a"),
        ("  https://x.com/a  ", "https://x.com/a"),
        ("http://[2001:db8::1]:8080/a", "https://[2001:db8::1]:8080/a"),
        (
            "https://www.presstv.ir/Detail/2022/02/24/677.html",
            "https://presstv.ir/Detail/2022/02/24/677.html",
        ),
        # not web URLs
        (None, None),
        ("", None),
        ("   ", None),
        ("not a url", None),
        ("article.txt", None),
        ("ftp://x.com/a", None),
        ("mailto:desk@x.com", None),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("https://x.com:99999/a", None),
        ("https://x.com:port/a", None),
        ("http://[::1/a", None),
        ("https://ex ample.com/", None),
        ("https://x.com/\udc80", None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


@given(st.text(st.characters(exclude_categories=())))
def test_never_raises_and_is_idempotent(url: str) -> None:
    c = canonical_url(url)
    if c is not None:
        assert c.startswith("https://")
        assert canonical_url(c) == c


@given(
    host=st.from_regex(r"\A[a-z]{1,10}\.(com|org|co\.uk)\Z"),
    path=st.lists(st.from_regex(r"\A[A-Za-z0-9_-]{1,8}\Z"), max_size=4),
)
def test_spellings_of_one_url_agree(host: str, path: list[str]) -> None:
    p = "/".join(path)
    spellings = [
        f"https://{host}/{p}",
        f"http://www.{host}/{p}/",
        f"HTTP://{host.upper()}:80/{p}?utm_source=x#frag",
        f"//{host}/{p}",
    ]
    assert len({canonical_url(s) for s in spellings}) == 1
