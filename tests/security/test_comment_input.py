"""Hostile input in the reader's comment form: refused with a message, nothing stored.

Oversized posts are refused before they are parsed (400, the portal's own page); odd
characters in any field are a form error beside that field; the comments already stored,
and the article's page, stay as they were.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import comment_form
from tests.comments.pages import field_errors
from tests.news.helpers import text_of

from .helpers import post_raw

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
FORBIDDEN = "不允许的控制字符"  # in news.text.validate_plain_text's message
UNDECODABLE = "无法识别的字符"


@pytest.fixture
def reader():
    return Client(raise_request_exception=False, REMOTE_ADDR=ADDRESS)


@pytest.fixture
def stored(article, comment_factory):
    """A comment already approved on the article: it must survive every attack unchanged."""
    comment = comment_factory(article=article, message="停车位的问题确实需要解决。")
    return comment


def url_of(article):
    return reverse("comments:post", args=[article.pk])


def assert_nothing_changed(article, stored):
    assert list(Comment.objects.values_list("pk", "message", "status")) == [
        (stored.pk, stored.message, stored.status)
    ]


def test_a_message_of_200000_characters_is_a_form_error(reader, article, stored):
    response = reader.post(url_of(article), comment_form(article, message="长" * 200_000))

    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "message") == ["留言不能超过 2000 个字（现在是 200000 个）。"]
    assert_nothing_changed(article, stored)


def test_a_post_of_3_mb_is_refused_before_it_is_read(reader, article, stored):
    response = reader.post(url_of(article), comment_form(article, message="长" * 1_000_000))

    assert response.status_code == 400
    assert "400 · 请求无效" in text_of(response)
    assert_nothing_changed(article, stored)


def test_a_post_of_1200_fields_is_refused(reader, article, stored):
    data = comment_form(article) | {f"extra{n}": "x" for n in range(1200)}

    response = reader.post(url_of(article), data)

    assert response.status_code == 400
    assert "400 · 请求无效" in text_of(response)
    assert_nothing_changed(article, stored)


INVISIBLE = [
    pytest.param("\x00", FORBIDDEN, id="nul"),
    pytest.param("\x07", FORBIDDEN, id="bell"),
    pytest.param("\u202e", FORBIDDEN, id="bidi-override"),
    pytest.param("\u2067", FORBIDDEN, id="bidi-isolate"),
    # A lone surrogate cannot be sent as UTF-8: a browser or a bot sends its CESU bytes,
    # which arrive as replacement characters.
    pytest.param(b"\xed\xa0\x80", UNDECODABLE, id="lone-surrogate"),
]


@pytest.mark.parametrize(("character", "message"), INVISIBLE)
@pytest.mark.parametrize("field", ["name", "message"])
def test_invisible_characters_in_a_text_field_are_an_error_beside_it(
    reader, article, stored, field, character, message
):
    data = comment_form(article)
    value = data[field].encode() + (character if isinstance(character, bytes) else b"")
    if isinstance(character, str):
        value = data[field][:2] + character + data[field][2:]
    data[field] = value

    response = post_raw(reader, url_of(article), data)

    assert response.status_code == 400
    errors = field_errors(response.content.decode(), field)
    assert len(errors) == 1 and message in errors[0], errors
    assert_nothing_changed(article, stored)


@pytest.mark.parametrize(("character", "message"), INVISIBLE)
def test_invisible_characters_in_the_email_are_refused(reader, article, stored, character, message):
    email = "reader@exam" + ("\u202e" if isinstance(character, bytes) else character) + "ple.com"
    data = comment_form(article, email=email)
    if isinstance(character, bytes):
        data["email"] = b"reader@exam" + character + b"ple.com"

    response = post_raw(reader, url_of(article), data)

    assert response.status_code == 400
    assert field_errors(response.content.decode(), "email"), "the email field shows no error"
    assert_nothing_changed(article, stored)


def test_the_same_form_without_the_characters_is_accepted(reader, article, stored):
    response = post_raw(reader, url_of(article), comment_form(article))

    assert response.status_code == 302
    assert Comment.objects.count() == 2
