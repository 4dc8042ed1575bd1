"""axe-core on the reader pages, at desktop and phone sizes; each page is also photographed.

The pages hold the demo content of `make run`. The screenshots (home-desktop.png,
article-mobile.png …) land in var/screenshots/ (or PORTAL_SCREENSHOTS_DIR) on every run, for
anyone to look at the pages as a reader sees them; docs/screenshots/ keeps a copy for the
README.
"""

import pytest

from .support import VIEWPORTS, screenshot, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_reader_pages_have_no_serious_or_critical_accessibility_violation(page, demo_pages, size):
    page.set_viewport_size(VIEWPORTS[size])
    found = {}
    for name, url in demo_pages.items():
        assert page.goto(url).status == 200, name
        screenshot(page, f"{name}-{size}")
        found[name] = serious_accessibility_violations(page)

    assert {name: v for name, v in found.items() if v} == {}, "\n".join(
        f"{name} ({size}): {violation}" for name, v in found.items() for violation in v
    )


def test_the_check_would_notice_a_serious_violation(page, reader_pages):
    page.goto(reader_pages["home"])
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")

    (violation,) = serious_accessibility_violations(page)
    assert violation.startswith("button-name (critical)") and "main > button" in violation
