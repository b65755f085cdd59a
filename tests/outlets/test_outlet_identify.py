"""identify_outlet: metadata > URL domain > in-text signature > the user's name; unknown stays unknown."""

from __future__ import annotations

import pytest

from rashomon.model import Outlet
from rashomon.outlets import Registry, identify_outlet

PRESS_TV_FOOTER = "Lavrov spoke.\n\nPress TV’s website can also be accessed at the following alternate addresses:\n"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.mark.parametrize(
    ("kwargs", "name", "via"),
    [
        # each source alone
        ({"metadata_name": "Global News"}, "Global News", "metadata"),
        ({"metadata_name": "globalnews.ca"}, "Global News", "metadata"),  # news-please source_domain
        ({"metadata_name": "www.presstv.ir"}, "Press TV", "metadata"),
        ({"url": "https://www.presstv.ir/Detail/2022/04/05/1"}, "Press TV", "url"),
        ({"text": PRESS_TV_FOOTER}, "Press TV", "signature"),
        ({"user_name": "press tv"}, "Press TV", "user"),
        # priority: metadata > url > signature > user
        ({"metadata_name": "Reuters", "url": "https://globalnews.ca/x"}, "Reuters", "metadata"),
        ({"url": "https://globalnews.ca/x", "text": PRESS_TV_FOOTER}, "Global News", "url"),
        ({"text": PRESS_TV_FOOTER, "user_name": "Global News"}, "Press TV", "signature"),
        (
            {"metadata_name": "CNN", "url": "https://globalnews.ca/x", "text": PRESS_TV_FOOTER, "user_name": "BBC"},
            "CNN",
            "metadata",
        ),
        # a site name the registry does not know does not hide what it does know
        ({"metadata_name": "Breaking News Live", "url": "https://globalnews.ca/x"}, "Global News", "url"),
        ({"metadata_name": "Breaking News Live", "user_name": "BBC"}, "BBC News", "user"),
        ({"metadata_name": "  ", "url": "https://globalnews.ca/x"}, "Global News", "url"),
    ],
)
def test_identify_outlet(registry: Registry, kwargs: dict[str, str], name: str, via: str) -> None:
    outlet, how = identify_outlet(registry, **kwargs)
    assert outlet is not None
    assert (outlet.name, how) == (name, via)
    assert outlet == registry.by_name(name)


@pytest.mark.parametrize(
    ("kwargs", "expected", "via"),
    [
        ({"metadata_name": "The Bugle"}, Outlet(name="The Bugle"), "metadata"),
        ({"metadata_name": "bugle.example.org"}, Outlet(name="bugle.example.org"), "metadata"),
        ({"user_name": "My Local Paper"}, Outlet(name="My Local Paper"), "user"),
        ({"metadata_name": "The Bugle", "user_name": "My Local Paper"}, Outlet(name="The Bugle"), "metadata"),
        ({"url": "https://bugle.example.org/x", "user_name": "My Paper"}, Outlet(name="My Paper"), "user"),
    ],
)
def test_unknown_names_are_kept_as_stated_and_nothing_more(
    registry: Registry, kwargs: dict[str, str], expected: Outlet, via: str
) -> None:
    outlet, how = identify_outlet(registry, **kwargs)
    assert (outlet, how) == (expected, via)
    assert outlet is not None and outlet.country is None and outlet.ownership is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"url": "https://bugle.example.org/2022/04/06/story"},
        {"text": "Press TV reported that Lavrov spoke. (Photo by Reuters)"},
        {"metadata_name": "", "url": "", "text": "", "user_name": ""},
        {"metadata_name": None, "url": None, "user_name": None},
    ],
)
def test_unknown_stays_unknown(registry: Registry, kwargs: dict[str, str]) -> None:
    assert identify_outlet(registry, **kwargs) == (None, None)
