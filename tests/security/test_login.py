"""Admin login lockout: repeated failures lock one address out, for a while, telling nothing
about which usernames exist, and never locking out editors elsewhere."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.news.helpers import text_of

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTACKER = "198.51.100.7"
EDITOR_IP = "203.0.113.20"
LOCKED = "登录失败次数过多，该地址已被暂时锁定，请 15 分钟后再试。"
WRONG = "请输入一个正确的工作人员账户 用户名 和密码"  # the admin's own message, in Chinese


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def login(client):
    """POST the admin login form from ``ip``; returns the response."""

    def post(username, password, ip=ATTACKER, client=client):
        return client.post(
            f"{LOGIN}?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=ip,
        )

    return post


def fail_until_locked(login, username="editor", ip=ATTACKER):
    """Five wrong passwords from ``ip``: the fifth locks it."""
    responses = [login(username, f"wrong-{n}", ip) for n in range(5)]
    for response in responses[:4]:
        assert response.status_code == 200
        assert WRONG in text_of(response)
    return responses[-1]


def logged_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def test_wrong_passwords_lock_the_address_out_with_a_chinese_message(login, staff_user, client):
    fifth = fail_until_locked(login)

    assert fifth.status_code == 429
    assert LOCKED in text_of(fifth)
    assert fifth.headers["Retry-After"] == "900"
    assert 'name="username"' in fifth.content.decode()  # still the admin's login page

    # Locked: even the right password is refused, and nobody is logged in.
    right = login("editor", "pw-editor-123")
    assert right.status_code == 429
    assert LOCKED in text_of(right)
    assert not logged_in(client)


def test_the_lockout_reveals_nothing_about_which_usernames_exist(login, staff_user):
    """Existing and unknown usernames get the same pages, before and after the lockout."""

    def page(response):
        html = response.content.decode()
        html = html.replace("editor", "USER").replace("nobody-here", "USER")
        return response.status_code, text_of(html)

    known = [login("editor", f"wrong-{n}", "198.51.100.1") for n in range(6)]
    unknown = [login("nobody-here", f"wrong-{n}", "198.51.100.2") for n in range(6)]

    assert [page(r) for r in known] == [page(r) for r in unknown]
    assert [r.status_code for r in known] == [200, 200, 200, 200, 429, 429]


def test_a_lockout_from_one_address_leaves_editors_elsewhere_free(login, staff_user):
    fail_until_locked(login, "editor", ATTACKER)
    editor = Client()

    response = login("editor", "pw-editor-123", EDITOR_IP, client=editor)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert logged_in(editor)


def test_failures_spread_over_usernames_count_for_the_address(login, staff_user):
    for n, username in enumerate(["admin", "root", "editor", "test"]):
        assert login(username, f"guess-{n}").status_code == 200

    assert login("administrator", "guess").status_code == 429


def test_the_lockout_expires(settings, login, staff_user, client):
    settings.PORTAL_ADMIN_LOGIN_LOCKOUT = 1
    fail_until_locked(login)
    assert login("editor", "pw-editor-123").status_code == 429

    time.sleep(1.3)  # real time: Redis expires keys by its own clock
    response = login("editor", "pw-editor-123")

    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_addresss_failures(login, staff_user):
    for n in range(4):
        login("editor", f"typo-{n}")
    assert login("editor", "pw-editor-123").status_code == 302

    after = [login("editor", f"typo-again-{n}", client=Client()) for n in range(4)]

    assert [r.status_code for r in after] == [200, 200, 200, 200]


def test_only_the_admin_login_counts(client, login, staff_user, article):
    """Readers' forms and the login page itself (GET) are never locked."""
    fail_until_locked(login)

    assert client.get(LOGIN, REMOTE_ADDR=ATTACKER).status_code == 200
    assert client.get("/", REMOTE_ADDR=ATTACKER).status_code == 200
    assert article.title in client.get("/", REMOTE_ADDR=ATTACKER).content.decode()
