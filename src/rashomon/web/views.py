"""Views for the web pages: URLs, the templates' environment, and what a comparison leaves
in the cache (the story page's body and each article's highlighted text).

The templates are the HTML report's (``rashomon/report/templates``: the matrix, the article
columns, the findings) plus the web app's own (``rashomon/web/templates``), which come first:
the web app's ``base.html.j2`` replaces the report's, linking its style and script from
``/static`` instead of inlining them, as the web app's Content-Security-Policy (``'self'``
only) requires. Autoescape is on for every template; no article-derived value is ever
marked safe here. The one exception to "escape at render time" is the cached body, which
was rendered, escaped, by these same templates when the story was compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from urllib.parse import quote, urlencode

import jinja2
from markupsafe import Markup

from rashomon.model import Comparison
from rashomon.report.html import ArticleView, Piece, ReportView, Segment, report_view
from rashomon.report.json import comparison_record, dumps
from rashomon.report.terminal import short
from rashomon.web.data import Rendered, StoryEntry, comparison_digest

# Shown as U+FFFD, one for one: controls other than tab and line breaks (as the report), and
# the bidi overrides and isolates, with which a hostile title could make the page display
# text in another order than it reads (the terminal report drops them for the same reason).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def article_url(article_id: str) -> str:
    return "/article?" + urlencode({"id": article_id})


def outlet_url(name: str) -> str:
    return "/outlet?" + urlencode({"name": name})


def story_url(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def _visible(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("\ufffd", value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The web app's templates, then the report's: autoescape on for every template,
    undefined names an error, control characters in data shown as U+FFFD."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.PackageLoader("rashomon.web", "templates"),
            jinja2.PackageLoader("rashomon.report", "templates"),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_visible,
    )
    env.globals |= {"article_url": article_url, "outlet_url": outlet_url, "story_url": story_url}
    env.filters["short"] = short
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


# --- the timeline -------------------------------------------------------------------------

TL_LABEL = 230
TL_SPAN = 560
TL_ROW = 20
TL_HEAD = 28


@dataclass(frozen=True, slots=True)
class TimelineRow:
    y: int
    text_y: int
    x: int
    label: str
    date: str
    href: str
    title: str


@dataclass(frozen=True, slots=True)
class TimelineView:
    """Who published when: one row per dated article (in date order), a dot on its day;
    undated articles listed apart. ticks: (x, label) along the top."""

    width: int
    height: int
    ticks: tuple[tuple[int, str], ...]
    rows: tuple[TimelineRow, ...]
    undated: tuple[tuple[str, str], ...]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def timeline_view(view: ReportView) -> TimelineView:
    dated = sorted(((d, a) for a in view.articles if (d := _day(a.published)) is not None),
                   key=lambda t: (t[0], t[1].name))
    undated = tuple((a.name, article_url(a.id)) for a in view.articles if _day(a.published) is None)
    if not dated:
        return TimelineView(TL_LABEL + TL_SPAN + 40, 0, (), (), undated)
    first, last = dated[0][0], dated[-1][0]
    days = max((last - first).days, 1)

    def x_of(d: date) -> int:
        return TL_LABEL + round((d - first).days / days * TL_SPAN)

    step = max(1, -(-days // 8))
    ticks = tuple((x_of(date.fromordinal(first.toordinal() + k)), date.fromordinal(first.toordinal() + k).isoformat())
                  for k in range(0, days + 1, step))
    rows = tuple(
        TimelineRow(y=TL_HEAD + i * TL_ROW, text_y=TL_HEAD + i * TL_ROW + 14, x=x_of(d),
                    label=short(a.name, 32), date=d.isoformat(), href=article_url(a.id),
                    title=f"{a.name}, {d.isoformat()}: {short(a.title, 100)}")
        for i, (d, a) in enumerate(dated)
    )
    return TimelineView(TL_LABEL + TL_SPAN + 60, TL_HEAD + len(rows) * TL_ROW + 8, ticks, rows, undated)


# --- what a comparison leaves in the cache --------------------------------------------------


def _relink_segments(segs: tuple[Segment, ...], base: str) -> tuple[Segment, ...]:
    return tuple(replace(s, href=base + s.href) if s.href and s.href.startswith("#") else s for s in segs)


def _relink_pieces(pieces: tuple[Piece, ...], base: str) -> tuple[Piece, ...]:
    return tuple(
        replace(p, segments=_relink_segments(p.segments, base),
                claim_href=base + p.claim_href if p.claim_href and p.claim_href.startswith("#") else p.claim_href)
        for p in pieces
    )


def relink(article: ArticleView, base: str) -> ArticleView:
    """The article's column with every in-page link (to a finding, a claim, an entity)
    pointing into the story page at ``base`` instead, for the article's own page."""
    return replace(
        article,
        title_pieces=_relink_pieces(article.title_pieces, base),
        paragraphs=tuple(replace(p, pieces=_relink_pieces(p.pieces, base)) for p in article.paragraphs),
    )


def render_comparison(comparison: Comparison, entry: StoryEntry) -> Rendered:
    """Everything the cache keeps for one compared story (see ``rashomon.web.data``)."""
    view = report_view(comparison)
    base = story_url(entry.id)
    story_html = render("_story_body.html.j2", view=view, story=entry, timeline=timeline_view(view))
    articles = {a.id: render("_article_body.html.j2", article=relink(a, base), story=entry)
                for a in view.articles}
    return Rendered(
        record=dumps(comparison_record(comparison)),
        story_html=story_html,
        article_html=articles,
        digest=comparison_digest(comparison),
    )
