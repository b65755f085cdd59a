"""The HTML report in a real headless Chromium: it renders, the links work, nothing injected runs.

Needs Debian's Chromium and its driver (``apt-get install -y chromium chromium-driver``) and
Selenium (``pip install selenium``); skipped, saying which is missing, where they are not.
Selenium is pointed at /usr/bin/chromedriver, so it never tries to download a driver.

Screenshots land in the test's tmp dir, and are copied to $RASHOMON_TEST_ARTIFACTS or to
``out/test-artifacts/`` (at the repository root) when that folder exists, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import chromium
from chromium import assert_quiet, screenshot
from rashomon.model import Comparison
from rashomon.report.html import render_html

pytestmark = chromium.REQUIRED


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from chromium.driver(tmp_path_factory.mktemp("chromium-profile"), page_load_timeout=30)


def open_report(browser: Any, comparison: Comparison, folder: Path) -> Path:
    page = folder / "report.html"
    page.write_text(render_html(comparison), encoding="utf-8")
    browser.get(page.as_uri())
    browser.get_log("browser")  # start each page with an empty console
    return page


def click(browser: Any, css: str) -> None:
    from selenium.webdriver.common.by import By

    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def wait_for_hash(browser: Any, fragment: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return location.hash") == fragment)


def test_report_renders_side_by_side_and_links_both_ways(
    browser: Any, story: Comparison, tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    open_report(browser, story, tmp_path)
    columns = browser.find_elements(By.CSS_SELECTOR, ".columns > article.col")
    assert [c.get_attribute("id") for c in columns] == ["a1", "a2", "a3"]
    assert all(c.is_displayed() for c in columns)
    boxes = [c.rect for c in columns]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # side by side, not stacked
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2
    assert "Kessel reservoir" in columns[2].text and "Daily Beacon could not reach" in columns[1].text

    # A finding -> its words: the quote's target is the :target, every piece of it lit, focused.
    click(browser, "#quote-q3 a.jump")
    wait_for_hash(browser, "#span-q3")
    state = browser.execute_script("""
        const t = document.querySelector(':target');
        const lit = [...document.querySelectorAll('[data-f~="q3"]')];
        return {target: t && t.id, active: document.activeElement.id,
                lit: lit.length, focused: lit.filter(e => e.classList.contains('focus')).length,
                outline: getComputedStyle(lit[lit.length - 1]).outlineStyle};
    """)
    assert state["target"] == "span-q3" and state["active"] == "span-q3"
    assert state["lit"] == state["focused"] == 3  # speaker, cue, content
    assert state["outline"] == "solid"
    screenshot(browser, tmp_path / "report-finding-to-span.png")

    # Words -> their finding: clicking the highlighted hedge opens its framing finding.
    click(browser, "a.hl-hedge")
    wait_for_hash(browser, "#framing-f2")
    assert browser.execute_script("return document.querySelector(':target').id") == "framing-f2"

    # The matrix: a cell goes to the sentence stating the fact; the sentence's badge back to the fact.
    click(browser, "svg.matrix a[href='#a3-s3'] .cell")
    wait_for_hash(browser, "#a3-s3")
    assert browser.execute_script("return document.querySelector('.sent.focus').id") == "a3-s3"
    click(browser, "#a3-s3 > a.cl")
    wait_for_hash(browser, "#claim-c5")
    assert_quiet(browser)

    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, tmp_path / "report-top.png")


def test_hostile_text_runs_nothing_in_the_browser(
    browser: Any, hostile_story: Comparison, tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    open_report(browser, hostile_story, tmp_path)
    # The payload is there as text...
    title = browser.find_element(By.CSS_SELECTOR, "h1").text
    assert "<script>alert(1)</script>" in title and "{{ 7*7 }}" in title
    # ...and nothing of it became an element.
    counts = browser.execute_script("""
        return {scripts: document.scripts.length, imgs: document.images.length,
                iframes: document.querySelectorAll('iframe, textarea, object, embed').length,
                handlers: [...document.querySelectorAll('*')].filter(
                    e => [...e.attributes].some(a => a.name.startsWith('on'))).length};
    """)
    assert counts == {"scripts": 1, "imgs": 0, "iframes": 0, "handlers": 0}
    for selector in (".columns a.hl-quote", "#claims a"):
        click(browser, selector)
    assert_quiet(browser)
    screenshot(browser, tmp_path / "report-hostile.png")
