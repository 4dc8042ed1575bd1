"""Filling in the comment form as a reader's browser would."""

import time

from comments.forms import sign_target


def shown_seconds_ago(article, seconds=10):
    """The hidden target of ``article``'s comment form as shown ``seconds`` ago."""
    return sign_target(article.pk, issued_at=time.time() - seconds)
