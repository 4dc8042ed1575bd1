"""Chromium driven through playwright, shared by every browser test.

The system's Chromium is used (playwright never downloads one): /usr/bin/chromium, or the
one named by PORTAL_CHROMIUM. Without it, or without playwright, the tests are skipped
with a reason saying what to install.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

try:
    from playwright.sync_api import expect
except ImportError:  # the tests skip before they would use it (see unavailable())
    expect = None

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(
    os.environ.get("PORTAL_SCREENSHOTS_DIR", settings.BASE_DIR / "var" / "screenshots")
)
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 812}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}
TIMEOUT_MS = 15_000


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}: browser tests skipped "
            "(apt-get install chromium fonts-noto-cjk, or set PORTAL_CHROMIUM)"
        )
    if expect is None:
        return "playwright is not installed: browser tests skipped (pip install -e '.[test]')"
    return None


@contextmanager
def chromium():
    """A running Chromium, for as long as the block lasts.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses
    database calls from a thread with a running loop; the tests' own database calls are
    synchronous and safe, so the refusal is lifted while the browser is up.
    """
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    allow = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if allow is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow


class Watched:
    """A page, with the CSP violations and script errors it reported."""

    def __init__(self, page):
        self.page = page
        self.csp_violations: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)


@contextmanager
def new_page(browser, base_url: str, viewport=DESKTOP):
    """A fresh tab (own cookies) on the live server; yields it watched."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


@contextmanager
def browser(base_url: str, viewport=DESKTOP):
    """One Chromium and one tab, for a test that needs a browser only once."""
    with chromium() as running, new_page(running, base_url, viewport) as watched:
        yield watched


def screenshot(page, name: str) -> Path:
    """Save the whole page as ``name``.png under SCREENSHOTS, for anyone to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Lazy images below the window would show as holes in a picture of the whole page.
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager' })")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    page.screenshot(path=path, full_page=True)
    return path


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing sticks out)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


SERIOUS = {"serious", "critical"}


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page: rule, impact, elements."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
    )

    results = axe.Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def image_loaded(locator) -> bool:
    """Whether the image is shown: scrolled to (lazy images load then) and decoded."""
    locator.scroll_into_view_if_needed()
    handle = locator.element_handle()
    locator.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)
    return True
