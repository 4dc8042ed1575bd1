"""Filling in the comment form as a reader's browser would."""

import time

from comments.forms import sign_target


def shown_seconds_ago(article, seconds=10):
    """The hidden target of ``article``'s comment form as shown ``seconds`` ago."""
    return sign_target(article.pk, issued_at=time.time() - seconds)


def comment_form(article, **fields):
    """What a reader posts on ``article``'s comment form, shown ten seconds ago."""
    return {
        "name": "王小明",
        "email": "xiaoming.wang@example.com",
        "message": "希望文明创建多关注老小区的停车问题。",
        "website": "",
        "target": shown_seconds_ago(article),
        **fields,
    }
