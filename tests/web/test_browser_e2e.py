"""The web app in a real headless Chromium: ``rashomon serve`` in a subprocess over the test
store, driven with Selenium: open the stories page, click into a story, see the outlets'
columns side by side, follow a finding, search, open an article.

Needs Debian's Chromium and its driver (``apt-get install -y chromium chromium-driver``) and
Selenium (``pip install selenium``); skipped, saying which is missing, where they are not.
Selenium is pointed at /usr/bin/chromedriver, so it never tries to download a driver.

Screenshots land in the test's tmp dir, and are copied to $RASHOMON_TEST_ARTIFACTS or to
``out/test-artifacts/`` (at the repository root) when that folder exists.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import chromium
from chromium import assert_quiet, screenshot

pytestmark = chromium.REQUIRED


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_db: str, client: TestClient, dam_story: dict[str, Any]) -> Iterator[str]:
    """``rashomon serve`` on a free port; the dam story compared (cached) beforehand, so the
    browser's first visit reads it from the store."""
    assert client.get(f"/stories/{dam_story['id']}").status_code == 200
    port = free_port()
    log = Path(web_db).with_suffix(".serve.log")
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "rashomon", "serve", "--db", web_db, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/outlets", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"rashomon serve did not start: {log.read_text(errors='replace')}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from chromium.driver(tmp_path_factory.mktemp("chromium-profile"), page_load_timeout=60)


def wait_for(browser: Any, condition: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15).until(condition)


def click(browser: Any, element: Any) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_stories_story_search_article(browser: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # 1. the stories page
    browser.get(server + "/")
    browser.get_log("browser")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a.story-link")]
    assert titles == ["Velmark rail workers strike over pay", "Kessel dam breach floods valley, 14 dead"]
    # our stylesheet applies (the CSP let it in): the table spans the page
    assert browser.execute_script("return getComputedStyle(document.querySelector('table.stories')).width") != "auto"
    screenshot(browser, tmp_path / "web-stories.png")

    # 2. into the story: the outlets' columns, side by side
    click(browser, browser.find_element(By.LINK_TEXT, "Kessel dam breach floods valley, 14 dead"))
    wait_for(browser, lambda d: d.current_url.startswith(server + "/stories/"))
    columns = browser.find_elements(By.CSS_SELECTOR, ".columns > article.col")
    assert [c.find_element(By.CSS_SELECTOR, ".outlet").text for c in columns] == [
        "Alver Independent", "Daily Beacon", "RTV Valdora"]
    assert all(c.is_displayed() for c in columns)
    boxes = [c.rect for c in columns]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] and abs(boxes[0]["y"] - boxes[2]["y"]) < 2
    assert "They are hiding the dead" in columns[0].text and "inspected last year" in columns[1].text

    # the report's script runs (from /static, under the CSP): a finding lights up its words
    quote = browser.find_element(By.CSS_SELECTOR, "#quotes li.quote a.jump")
    key = quote.text
    click(browser, quote)
    wait_for(browser, lambda d: d.execute_script("return location.hash") == f"#span-{key}")
    lit = browser.execute_script(f"return document.querySelectorAll('[data-f~=\"{key}\"].focus').length")
    assert lit >= 1
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, tmp_path / "web-story.png")
    assert_quiet(browser)

    # 3. search
    box = browser.find_element(By.CSS_SELECTOR, "nav.site input[name=q]")
    box.send_keys("Mira Doss", Keys.ENTER)
    wait_for(browser, lambda d: "/search?" in d.current_url)
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit a.hit-link")
    assert [h.text for h in hits] == ["Dozens feared dead after Kessel dam bursts"]
    screenshot(browser, tmp_path / "web-search.png")

    # 4. the article, its highlights leading back into the story
    click(browser, hits[0])
    wait_for(browser, lambda d: "/article?" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Dozens feared dead after Kessel dam bursts"
    badge = browser.find_element(By.CSS_SELECTOR, ".sent.st-conflict a.cl")
    click(browser, badge)
    wait_for(browser, lambda d: "/stories/" in d.current_url and d.execute_script("return location.hash") == "#claim-c1")
    assert browser.execute_script("return document.querySelector(':target').id") == "claim-c1"
    assert_quiet(browser)
