"""Numbers, quantities and dates, normalised."""

from __future__ import annotations

import pytest

from rashomon.nlp.quantities import find_quantities

# (text, published, expected [(surface, kind, value, qualifier)])
CASES = [
    ("on Feb. 24", "2022-04-06", [("Feb. 24", "date", "2022-02-24", None)]),
    ("on February 24", "2022-04-06", [("February 24", "date", "2022-02-24", None)]),
    ("on 24 February", "2022-04-06", [("24 February", "date", "2022-02-24", None)]),
    ("on March 24, 2022", None, [("March 24, 2022", "date", "2022-03-24", None)]),
    ("on Feb. 24", None, [("Feb. 24", "date", "--02-24", None)]),
    # a date months after publication is last year's
    ("on Dec. 20", "2022-01-10", [("Dec. 20", "date", "2021-12-20", None)]),
    ("said on Tuesday", "2022-04-06", [("Tuesday", "date", "2022-04-05", None)]),
    ("said on Wednesday", "2022-04-06", [("Wednesday", "date", "2022-04-06", None)]),
    ("last Wednesday", "2022-04-06", [("last Wednesday", "date", "2022-03-30", "last")]),
    ("yesterday", "2022-04-06", [("yesterday", "date", "2022-04-05", None)]),
    ("on Tuesday", None, []),
    ("killed 300 people", None, [("300", "number", "300", None)]),
    ("about 1,500 votes", None, [("about 1,500", "approximate", "1500", "about")]),
    ("nearly 10 others", None, [("nearly 10", "approximate", "10", "nearly")]),
    ("hundreds of people", None, [("hundreds", "approximate", "100-999", None)]),
    (
        "tens of thousands of troops",
        None,
        [("tens of thousands", "approximate", "10000-99999", None)],
    ),
    ("$90 million in incentives", None, [("$90 million", "number", "90000000", None)]),
    ("49.9 percent", None, [("49.9", "number", "49.9", None)]),
    ("two sides", None, [("two", "number", "2", None)]),
    (
        "more than 6 in 10 voters",
        None,
        [("more than 6", "approximate", "6", "more than"), ("10", "number", "10", None)],
    ),
    ("no numbers here", None, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_quantities(
    text: str, published: str | None, expected: list[tuple[str, str, str, str | None]]
) -> None:
    found = find_quantities(text, 0, published)
    assert [(q.text, q.kind, q.value, q.qualifier) for q in found] == expected
    for q in found:
        assert text[q.start : q.end] == q.text


def test_offsets_are_shifted() -> None:
    (q,) = find_quantities("on Feb. 24", 100, "2022-04-06")
    assert (q.start, q.end) == (103, 110)


def test_same_date_two_spellings_normalise_alike() -> None:
    a = find_quantities("Feb. 24", 0, "2022-04-06")[0].value
    b = find_quantities("February 24", 0, "2022-04-06")[0].value
    assert a == b == "2022-02-24"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Fourteen people died in the riots.", "14"),
        ("Sixty-two participants were detained.", "62"),
        ("About ninety-nine ships waited.", "99"),
        ("Some seventy people marched.", "70"),
        ("twenty five boats", "25"),
    ],
)
def test_number_words(text: str, value: str) -> None:
    found = [q for q in find_quantities(text, 0, None) if q.kind != "date"]
    assert found and found[0].value == value
    assert text[found[0].start : found[0].end].lower().endswith(found[0].text.lower().split()[-1])
