import pytest

from rashomon.ingest.clean import clean, learnable, learnable_keys, split_lines
from rashomon.textnorm import line_key


def _removed(text: str, **kw: object) -> dict[str, str]:
    return {r.text: r.rule for r in clean(text, **kw).removed}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("News   /   Europe", "breadcrumb"),
        ("Home › World › Africa", "breadcrumb"),
        ("The minister arrives at a summit in Brussels on May 2, 2031. (Photo by Meridian)", "caption"),
        ("Rescue workers search the rubble. REUTERS/Jane Smith", "caption"),
        ("Protesters gather outside parliament. Photo: Anna Berg", "caption"),
        ("Get breaking World news", "promo"),
        ("Sign up for our morning newsletter", "promo"),
        ("Story continues below advertisement", "promo"),
        ("Comments", "comments"),
        ("12 comments", "comments"),
        ("Join the conversation", "comments"),
        ("Share this article", "share_prompt"),
        ("Valdora TV News Roku", "app_prompt"),
        ("Our website can also be accessed at the following alternate addresses:", "mirror_footer"),
        ("© 2031 The Esterby Gazette. All rights reserved.", "copyright"),
        ("By Mira Kolar", "byline"),
        ("Updated: March 4, 2031 10:12 am", "timestamp"),
    ],
)
def test_generic_rules(line: str, rule: str) -> None:
    text = f"A headline for the story\n\n{line}\n\nThe council said on Monday that the dam had failed.\n"
    assert _removed(text, title_in_text=True) == {line: rule}


@pytest.mark.parametrize(
    "line",
    [
        "The council said on Monday that 14 people had died in the flood.",
        "Comments from the minister were broadcast on state television on Tuesday.",
        "Subscribers to the utility were told to boil water.",  # starts like "subscribe"
        "He said the report was a “shameless fabrication”.",
        "Police in Port Alver / Esterby said the road was closed.",
        "The agency's photographers said they were detained by police.",
        "- The mayor said the toll had risen to 20 and would likely climb further.",
    ],
)
def test_reporting_is_never_removed(line: str) -> None:
    text = f"A headline for the story\n\n{line}\n"
    assert _removed(text, title_in_text=True) == {}


def test_related_link_list_and_mirror_addresses() -> None:
    text = (
        "Dam bursts above Port Alver\n"
        "The dam failed on Tuesday, officials said.\n"
        "- Call the plumber: 4 charged in alleged ‘pipe’ scam\n"
        "- How the council may bypass the assembly\n"
        "- ‘It’s the best week’: fisherman walks free\n"
        "Comments\n"
        "Valdora TV's website can also be accessed at the following alternate addresses:\n"
        "www.valdoratv.example\n"
        "valdora-tv.example/news\n"
    )
    got = _removed(text, title_in_text=True)
    assert [rule for rule in got.values()].count("related_links") == 3
    assert got["www.valdoratv.example"] == "mirror_footer"
    assert got["valdora-tv.example/news"] == "mirror_footer"
    assert got["Comments"] == "comments"
    assert "The dam failed on Tuesday, officials said." not in got


def test_related_header_takes_following_headlines_only() -> None:
    text = "Title here\nBody sentence one.\nRelated stories\nFlood waters rise in the south\nBridge closed after storm\nThe minister said more rain was expected."
    got = _removed(text, title_in_text=True)
    assert set(got) == {"Related stories", "Flood waters rise in the south", "Bridge closed after storm"}


def test_title_detection_and_spans() -> None:
    text = "News / World\n\nDam bursts above Port Alver, killing 14\n\nThe dam failed on Tuesday.\n"
    out = clean(text, title_in_text=True)
    assert out.title == "Dam bursts above Port Alver, killing 14"
    assert out.title_span is not None
    assert text[out.title_span[0] : out.title_span[1]] == out.title
    assert [text[p.start : p.end] for p in out.paragraphs] == ["The dam failed on Tuesday."]


def test_sentence_first_line_is_not_a_title() -> None:
    text = "The council said on Monday that the dam had failed.\nIt added more.\n"
    out = clean(text, title_in_text=True)
    assert out.title is None and out.title_span is None
    assert len(out.paragraphs) == 2


def test_metadata_title_repeated_in_text_is_marked() -> None:
    text = "Dam bursts\nThe dam failed on Tuesday."
    out = clean(text, title="Dam bursts", title_in_text=True)
    assert out.title_span == (0, 10)


def test_hard_wrapped_lines_join_and_headings_are_marked() -> None:
    text = (
        "Title of the piece\n\n"
        "The council said the dam, which was built\n"
        "in 1962, had not been inspected.\n\n"
        "Talks the only option: minister\n\n"
        "The minister said talks would go on.\n"
    )
    out = clean(text, title_in_text=True)
    got = [(text[p.start : p.end], p.kind) for p in out.paragraphs]
    assert got == [
        ("The council said the dam, which was built\nin 1962, had not been inspected.", "body"),
        ("Talks the only option: minister", "heading"),
        ("The minister said talks would go on.", "body"),
    ]


def test_spans_index_original_text_with_odd_whitespace() -> None:
    text = "\ufeffTitle\u00a0here\r\n\r\n\u00a0 The dam\u00a0failed.\u2028Officials said so.\r\n"
    out = clean(text, title_in_text=True)
    assert out.title == "Title\u00a0here"
    assert [text[p.start : p.end] for p in out.paragraphs] == ["The dam\u00a0failed.", "Officials said so."]


def test_recurring_outlet_lines_are_learned_but_sentences_are_not() -> None:
    promo = "Watch Valdora TV live on your phone"
    background = "The dam, built in 1962, holds back the largest reservoir in the northern province of the country."
    text = f"Title\n{promo}\nThe dam failed on Tuesday, officials said.\n{background}\n"
    counts = {line_key(promo): 3, line_key(background): 9}
    got = _removed(text, title_in_text=True, recurring=counts, min_recurring=3)
    assert got == {promo: "outlet_recurring"}
    assert _removed(text, title_in_text=True, recurring={line_key(promo): 2}, min_recurring=3) == {}
    assert line_key(background) not in learnable_keys(text)
    assert not learnable(background) and learnable(promo)


def test_split_lines_spans() -> None:
    text = "  a b  \n\n c\n"
    lines = split_lines(text)
    assert [(text[ln.start : ln.end], ln.after_blank) for ln in lines] == [("a b", True), ("c", True)]
