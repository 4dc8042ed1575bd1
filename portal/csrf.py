"""CSRF tokens for pages served from the cache, drawn with one read of the system's randomness.

Django's ``get_token()`` draws each character of a new secret and of its mask with a call
of its own to ``secrets.choice()``: 64 reads of ``os.urandom`` for a reader without the
cookie, 32 with it, a sixth of what an article page served from the cache costs.
``get_token()`` here makes the same tokens (a secret of ``CSRF_SECRET_LENGTH`` characters
of ``CSRF_ALLOWED_CHARS`` in the cookie, shown in the page masked: the mask, then the
secret shifted by it), which Django's ``CsrfViewMiddleware`` checks as its own, with one
read of ``os.urandom`` per string. Pages Django renders itself (the admin, a form shown
again with its errors) keep Django's ``{% csrf_token %}``.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_BASE = len(_CHARS)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# 256 random bits reduced modulo 62**32 (about 2**190.5): each string of the 62**32 is
# drawn with a probability within 2**-65 of the uniform one.
_STRINGS = _BASE**CSRF_SECRET_LENGTH
_RANDOM_BYTES = 32


def _random_digits() -> list[int]:
    """CSRF_SECRET_LENGTH uniformly random digits in base len(CSRF_ALLOWED_CHARS)."""
    number = int.from_bytes(secrets.token_bytes(_RANDOM_BYTES)) % _STRINGS
    digits = []
    for _ in range(CSRF_SECRET_LENGTH):
        number, digit = divmod(number, _BASE)
        digits.append(digit)
    return digits


def get_token(request) -> str:
    """The masked CSRF token for a form, as ``django.middleware.csrf.get_token()`` gives.

    A reader without a (valid) CSRF cookie gets a new secret, which the middleware sends
    as the cookie; one with it keeps theirs, and the cookie's expiry is renewed.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = "".join(_CHARS[digit] for digit in _random_digits())
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_digits()
    cipher = "".join(
        _CHARS[(_INDEX[char] + shift) % _BASE] for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(_CHARS[shift] for shift in mask) + cipher
