"""Voices: who each outlet quotes, directly or indirectly, and how much.

Every attribution with a speaker counts once per content piece, under the story entity
the speaker is (so "the Kremlin said" and "Russia says" are one voice where the entities
say so) or, for an unnamed source ("officials", "the government"), under its words.
Words are counted in the quoted content without its quotation marks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rashomon.entities import fold, word_set
from rashomon.framing.view import speaker_entity, views
from rashomon.model import Annotation, Article, Entity, TextSpan, Voice

_WORDS = re.compile(r"[^\W_][\w’'-]*")
_PRONOUNS = word_set("he she they it we i you who which that this")


@dataclass(slots=True)
class _Tally:
    speaker: str
    entity: str | None
    articles: set[str] = field(default_factory=set)
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    words: int = 0
    quotes: list[TextSpan] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


def find_voices(
    articles: Sequence[Article], annotations: Sequence[Annotation], entities: Sequence[Entity]
) -> list[Voice]:
    """One Voice per speaker of the story, most widely quoted first (then most words, then
    name): a speaker quoted by one article only is a voice the others left out."""
    tallies: dict[str, _Tally] = {}
    for view in views(articles, annotations):
        for q in view.annotation.quotes:
            entity = speaker_entity(view, q, entities)
            if entity is not None:
                key, name = entity.id, entity.name
            else:
                name = " ".join((q.speaker or "").split())
                words = name.split()
                while words and words[0].lower() in ("the", "a", "an"):
                    words = words[1:]
                name = " ".join(words)
                if not name or name.lower() in _PRONOUNS:
                    continue
                key = "~" + fold(name)
            tally = tallies.setdefault(key, _Tally(name, entity.id if entity else None))
            tally.articles.add(view.id)
            tally.names.add(name)
            tally.kinds[q.kind] += 1
            content = view.text[q.content_start : q.content_end]
            tally.words += len(_WORDS.findall(content))
            tally.quotes.append(TextSpan(view.id, q.content_start, q.content_end, content, "quote"))
    voices = [
        Voice(
            # an unnamed source's spelling ("Officials" / "officials"): the same whatever
            # order the articles come in
            t.speaker if t.entity else min(t.names, key=lambda n: (n.casefold(), n)),
            t.entity,
            tuple(sorted(t.articles)),
            t.kinds.get("direct", 0),
            t.kinds.get("indirect", 0),
            t.kinds.get("mixed", 0),
            t.words,
            tuple(sorted(set(t.quotes), key=lambda x: (x.article, x.start, x.end))),
        )
        for t in tallies.values()
    ]
    voices.sort(key=lambda v: (-len(v.articles), -v.words, v.speaker.casefold(), v.speaker))
    return voices
