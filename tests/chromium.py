"""A real headless Chromium for the browser tests (the HTML report's and the web app's).

Debian's ``chromium`` and ``chromium-driver`` (installed by ``.ci/run``) driven with
Selenium, which is pointed at the Debian driver so it never downloads one. Tests that use
it are skipped, saying what is missing, where it is absent.

Every page gets :data:`WATCH` before its own code: dialogs are recorded instead of shown,
and any Content-Security-Policy violation (our own script or style refused, or something
injected trying to run) is recorded, so :func:`assert_quiet` can fail on either.
Screenshots are copied to $RASHOMON_TEST_ARTIFACTS, or to ``out/test-artifacts/`` at the
repository root when that folder exists, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
INSTALL = "apt-get install -y chromium chromium-driver"

# pytestmark for a module of browser tests.
REQUIRED = [
    pytest.mark.skipif(CHROMIUM is None, reason=f"Chromium is not installed ({INSTALL})"),
    pytest.mark.skipif(CHROMEDRIVER is None, reason=f"chromedriver is not installed ({INSTALL})"),
]

WATCH = """
window.__alerts = [];
window.__csp = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

ARTIFACTS_ENV = "RASHOMON_TEST_ARTIFACTS"
ARTIFACTS_DIR = Path(__file__).resolve().parents[1] / "out" / "test-artifacts"


def driver(profile: Path, *, page_load_timeout: int = 60) -> Iterator[Any]:
    """A headless Chromium session with :data:`WATCH` installed; quit on exit."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    session.set_page_load_timeout(page_load_timeout)
    session.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    try:
        yield session
    finally:
        session.quit()


def screenshot(browser: Any, path: Path) -> None:
    """Save a screenshot (it must show something) and copy it where a person can see it."""
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
