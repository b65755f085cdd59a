"""Quote marks: every style pairs up, apostrophes are not quotes, unclosed ones run on."""

from __future__ import annotations

import pytest

from rashomon.nlp.marks import find_quotations, leading_quote

CASES = [
    ('He said "yes" twice.', ['"yes"']),
    ("He said “yes” twice.", ["“yes”"]),
    ("He said ‘yes’ twice.", ["‘yes’"]),
    ("Il a dit «oui» deux fois.", ["«oui»"]),
    ("Er sagte „ja“ zweimal.", ["„ja“"]),
    ("Er sagte »ja« zweimal.", ["»ja«"]),
    ("He said ''yes'' twice.", ["''yes''"]),
    ("He said ``yes'' twice.", ["``yes''"]),
    ("“A,” he said, “B.”", ["“A,”", "“B.”"]),
    ("“He called it ‘fake’ news,” she said.", ["“He called it ‘fake’ news,”"]),
    ("“A typo,“ said the editor.", ["“A typo,“"]),
    # straight and curly marks mixed, as pasted text has them
    ('"I prefer Kasich,” he said.', ['"I prefer Kasich,”']),
    ('“It is unfair," she said "and wrong.”', ['“It is unfair,"', '"and wrong.”']),
    # a space lost between a sentence's end and the next quote
    ('"It was all lies," said one owner."We were deceived."', ['"It was all lies,"', '"We were deceived."']),
    ('He said "yes."No more.', ['"yes."']),
    # a closing mark left out before the cue: the quote ends at the comma
    ('"No one told us, said Kessel, a parent.', ['"No one told us,']),
    ("“No one told us, Maria Kessel said.", ["“No one told us,"]),
    # apostrophes are not quotes
    ("It's the people's choice, isn't it?", []),
    ("The 1990s' boom ended.", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quotations(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e, _ in find_quotations(text)] == expected


def test_unclosed_quote_runs_to_the_end() -> None:
    text = "“We will fight on. We have no choice."
    assert find_quotations(text) == [(0, len(text), False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Yes.”", True),
        ('  "Yes."', True),
        ("''Yes.''", True),
        ("He said “yes”.", False),
        ("", False),
    ],
)
def test_leading_quote(text: str, expected: bool) -> None:
    assert leading_quote(text) is expected


def test_cue_lists_have_no_words_run_together() -> None:
    # The lists are written as strings; a missing space at a line end once fused
    # "convince" and "decry" (and five more pairs) into one non-word.
    from rashomon.nlp.cues import COGNITION, EVALUATION, SPEECH, STANCE

    for lemma in ("convince", "decry", "email", "embrace", "issue", "like", "target", "trumpet"):
        assert lemma in STANCE
    for lemma in (*SPEECH, *COGNITION, *STANCE, *EVALUATION):
        assert lemma.isalpha() and lemma.islower() and len(lemma) <= 12, lemma


def test_a_closing_mark_at_a_line_start_opens_a_quote() -> None:
    text = "”Mr. Trump is here.” ― Sonya Herridge\n  ”Another one.”"
    assert find_quotations(text) == [(0, 20, True), (40, 54, True)]
    # ... but not in running text, where it closes (or is stray)
    assert find_quotations("He said ”Yes” twice.") == []
