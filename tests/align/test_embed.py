"""The packaged sentence embedder: unit vectors, independent of the order of the texts."""

from __future__ import annotations

import numpy as np

from rashomon.embed import DIM, Embedder

TEXTS = [
    "The fire killed 14 people.",
    "",
    "Fourteen people died when a fire swept through the market on Tuesday night, officials said.",
    "Talks continue.",
    "Moscow denies the charge.",
    "The Kremlin said work on a peace deal was continuing, although it was complicated by the events.",
]


def test_rows_are_unit_vectors_in_input_order(embedder: Embedder) -> None:
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # each row belongs to its own text: a text is closest to itself encoded alone
    for i, text in enumerate(TEXTS):
        alone = embedder.encode([text])[0]
        assert int(np.argmax(vectors @ alone)) == i


def test_the_order_of_the_texts_changes_no_vector(embedder: Embedder) -> None:
    # more texts than one batch holds, of many lengths: batches made in input order would
    # pad each text differently in the two orders
    texts = [f"Report {i}: " + " ".join(["the ministry said"] * (i // 7)) for i in range(150)] + TEXTS
    forward = embedder.encode(texts)
    backward = embedder.encode(texts[::-1])[::-1]
    assert np.array_equal(forward, backward)


def test_no_texts_give_an_empty_array(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, DIM)
