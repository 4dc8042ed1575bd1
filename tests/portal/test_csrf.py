"""The CSRF tokens put into cached pages: Django's own format, checked by Django's middleware."""

from collections import Counter

from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from portal.csrf import get_token

factory = RequestFactory()
middleware = CsrfViewMiddleware(lambda request: HttpResponse("已提交"))


def page_request(cookie=None):
    request = factory.get("/article/1/")
    if cookie:
        request.COOKIES["csrftoken"] = cookie
    middleware.process_request(request)
    return request


def post_with(token, cookie):
    request = factory.post("/comments/1/", {"csrfmiddlewaretoken": token})
    request.COOKIES["csrftoken"] = cookie
    middleware.process_request(request)
    return middleware.process_view(request, lambda request: None, (), {})


def test_a_first_visit_gets_a_new_cookie_whose_token_django_accepts():
    request = page_request()
    token = get_token(request)
    response = middleware.process_response(request, HttpResponse())
    cookie = response.cookies["csrftoken"].value

    assert len(cookie) == CSRF_SECRET_LENGTH and len(token) == 2 * CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == cookie
    assert post_with(token, cookie) is None  # let through
    assert post_with(token, "x" * CSRF_SECRET_LENGTH).status_code == 403


def test_a_returning_reader_keeps_their_cookie_and_gets_a_fresh_mask_each_time():
    cookie = "Ab3" * 10 + "Zz"
    first, second = get_token(page_request(cookie)), get_token(page_request(cookie))

    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == cookie
    request = page_request(cookie)
    get_token(request)
    response = middleware.process_response(request, HttpResponse())
    assert response.cookies["csrftoken"].value == cookie  # sent again: its expiry renewed


def test_secrets_and_masks_use_every_allowed_character_evenly():
    tokens = [get_token(page_request()) for _ in range(2000)]
    chars = Counter("".join(tokens))
    expected = len(tokens) * 2 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # ~2065 each

    assert set(chars) == set(CSRF_ALLOWED_CHARS)
    chi_square = sum((chars[c] - expected) ** 2 / expected for c in CSRF_ALLOWED_CHARS)
    assert chi_square < 130  # 61 degrees of freedom: above 130 about one time in a million
    # No position is stuck: each of the 64 takes many values.
    assert all(len({token[i] for token in tokens}) > 50 for i in range(2 * CSRF_SECRET_LENGTH))
    assert len({_unmask_cipher_token(t) for t in tokens}) == len(tokens)
