"""The reader pages on a phone (375×812): nothing sticks out sideways, the essentials show."""

import pytest

from .support import expect, horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_pages_fit_a_phone_screen_without_sideways_scrolling(mobile_page, reader_pages):
    page = mobile_page
    overflow = {}
    for name, url in reader_pages.items():
        assert page.goto(url).status == 200, name
        expect(page.get_by_role("heading", level=1)).to_be_attached()
        overflow[name] = horizontal_overflow(page)

    assert overflow == dict.fromkeys(reader_pages, 0), "pixels wider than the 375 px screen"


def test_a_reader_on_a_phone_can_search_and_comment(mobile_page, news):
    page = mobile_page
    page.goto(news["story"].get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text(news["story"].title)
    expect(page.get_by_role("searchbox", name="搜索文章")).to_be_visible()
    comment_box = page.get_by_role("textbox", name="留言", exact=True)
    comment_box.scroll_into_view_if_needed()
    expect(comment_box).to_be_visible()
    expect(page.get_by_role("button", name="提交留言")).to_be_in_viewport()
