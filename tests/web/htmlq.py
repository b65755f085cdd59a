"""CSS selectors over lxml trees, for the tests: the small subset they use, as XPath.

Supported: ``tag``, ``*``, ``.class``, ``#id``, ``[attr]``, ``[attr=value]``,
``[attr~=word]``, the descendant (space) and child (``>``) combinators, and ``,`` groups.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_SIMPLE = re.compile(
    r"\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)"
    r"|\[(?P<attr>[\w-]+)(?:(?P<op>~?=)(?P<q>['\"]?)(?P<value>[^'\"\]]*)(?P=q))?\]"
)


def _compound(text: str) -> str:
    m = re.match(r"[a-zA-Z][\w-]*|\*", text)
    tag = m.group(0).lower() if m else "*"
    rest = text[m.end():] if m else text
    preds, pos = [], 0
    for p in _SIMPLE.finditer(rest):
        if p.start() != pos:
            raise ValueError(f"unsupported selector {text!r}")
        pos = p.end()
        if p.group("cls"):
            preds.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {p.group('cls')} ')")
        elif p.group("id"):
            preds.append(f"@id='{p.group('id')}'")
        elif p.group("op") == "=":
            preds.append(f"@{p.group('attr')}='{p.group('value')}'")
        elif p.group("op") == "~=":
            preds.append(f"contains(concat(' ', normalize-space(@{p.group('attr')}), ' '), ' {p.group('value')} ')")
        else:
            preds.append(f"@{p.group('attr')}")
    if pos != len(rest):
        raise ValueError(f"unsupported selector {text!r}")
    return tag + "".join(f"[{p}]" for p in preds)


def to_xpath(selector: str) -> str:
    groups = []
    for group in selector.split(","):
        parts = re.split(r"\s*(>)\s*|\s+", group.strip())
        path, axis = "", ".//"
        for part in parts:
            if part is None or part == "":
                continue
            if part == ">":
                axis = "/"
                continue
            path += axis + _compound(part)
            axis = "//"
        groups.append(path)
    return " | ".join(groups)


def select(element: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    """Elements under ``element`` matching ``selector``, in document order."""
    return list(element.xpath(to_xpath(selector)))
