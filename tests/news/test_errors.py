import pytest
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls("tests.news.test_errors")
def test_a_server_error_shows_the_portals_own_page(db):
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert 'lang="zh-Hans"' in page
    assert "boom" not in page and "Traceback" not in page
