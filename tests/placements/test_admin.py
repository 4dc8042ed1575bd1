from datetime import timedelta

import pytest
from django.utils import timezone

from placements.models import Placement

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/placements/placement/"


def test_the_placement_list_offers_a_home_page_preview_at_a_chosen_time(admin_client):
    html = admin_client.get(CHANGELIST).content.decode()
    assert '<form class="placement-preview" action="/" method="get" target="_blank">' in html
    assert '<input type="datetime-local" id="preview-at" name="at" required>' in html


def test_the_placement_list_tells_pages_and_open_ended_placements(
    admin_client, article_factory, categories
):
    home = article_factory(title="首页幻灯文章")
    finance = article_factory(title="财经栏目推荐文章", category=categories["finance"])
    Placement.objects.create(article=home, slot=Placement.Slot.SLIDESHOW)
    Placement.objects.create(
        article=finance,
        slot=Placement.Slot.RECOMMENDED,
        category=categories["finance"],
        ends_at=timezone.now() + timedelta(days=1),
    )

    listed = admin_client.get(CHANGELIST).content.decode()
    assert "一直保留" in listed and "生效中" in listed
    only_home = admin_client.get(CHANGELIST, {"page_of": "home"}).content.decode()
    assert home.title in only_home and finance.title not in only_home
    only_finance = admin_client.get(
        CHANGELIST, {"page_of": str(categories["finance"].pk)}
    ).content.decode()
    assert finance.title in only_finance and home.title not in only_finance
    for odd in ("²", "9" * 5000, "abc"):  # no such page: the whole list, never an error
        assert admin_client.get(CHANGELIST, {"page_of": odd}).status_code == 200
