"""The HTML report in a real headless Chromium: it renders, the links work, nothing injected runs.

Needs Debian's Chromium and its driver (``apt-get install -y chromium chromium-driver``) and
Selenium (``pip install selenium``); skipped, saying which is missing, where they are not.
Selenium is pointed at /usr/bin/chromedriver, so it never tries to download a driver.

Screenshots land in the test's tmp dir, and are copied to $RASHOMON_TEST_ARTIFACTS or to
``out/test-artifacts/`` (at the repository root) when that folder exists, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rashomon.model import Comparison
from rashomon.report.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
INSTALL = "apt-get install -y chromium chromium-driver"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason=f"Chromium is not installed ({INSTALL})"),
    pytest.mark.skipif(CHROMEDRIVER is None, reason=f"chromedriver is not installed ({INSTALL})"),
]


# Installed before any of the page's own code: records dialogs instead of showing them, and
# any Content-Security-Policy violation (which would mean our own script or style was refused,
# or something injected tried to run).
WATCH = """
window.__alerts = [];
window.__csp = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

ARTIFACTS_ENV = "RASHOMON_TEST_ARTIFACTS"
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "out" / "test-artifacts"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    try:
        yield driver
    finally:
        driver.quit()


def open_report(browser: Any, comparison: Comparison, folder: Path) -> Path:
    page = folder / "report.html"
    page.write_text(render_html(comparison), encoding="utf-8")
    browser.get(page.as_uri())
    browser.get_log("browser")  # start each page with an empty console
    return page


def screenshot(browser: Any, path: Path) -> None:
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    target = Path(os.environ[ARTIFACTS_ENV]) if os.environ.get(ARTIFACTS_ENV) else ARTIFACTS_DIR
    if os.environ.get(ARTIFACTS_ENV) or target.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)


def assert_quiet(browser: Any) -> None:
    """No dialog was opened, no CSP violation, no error in the console."""
    assert browser.execute_script("return window.__alerts") == []
    assert browser.execute_script("return window.__csp") == []
    errors = [e for e in browser.get_log("browser") if e["level"] in {"SEVERE", "ERROR"}]
    assert errors == []


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
