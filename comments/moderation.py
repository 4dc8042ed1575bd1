"""The moderation policy: what happens to a new comment, and why, under the editors' rules.

In this order: a blocked word makes it spam; a comment that could not be rate limited (the
cache was down), has more links than allowed or contains a word to review waits for an
editor; a reader whose email already has an approved comment is published at once;
everyone else waits for an editor as well.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Comment, ModerationSettings, normalize_message

LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str = ""


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text))


def decide(*, name: str, email: str, message: str, rate_checked: bool = True) -> Decision:
    rules = ModerationSettings.load()
    text = normalize_message(f"{name}\n{message}")
    if word := _first_in(rules.block_word_list(), text):
        return Decision(Comment.Status.SPAM, _("含有屏蔽词“%(word)s”") % {"word": word})
    if not rate_checked:
        return Decision(Comment.Status.PENDING, _("缓存不可用，未能检查留言频率"))
    links = count_links(message)
    if links > rules.max_links:
        reason = _("含有 %(n)d 个链接（上限 %(limit)d 个）") % {
            "n": links,
            "limit": rules.max_links,
        }
        return Decision(Comment.Status.PENDING, reason)
    if word := _first_in(rules.hold_word_list(), text):
        return Decision(Comment.Status.PENDING, _("含有需审核的词“%(word)s”") % {"word": word})
    if rules.trust_known_emails and Comment.objects.approved().from_email(email).exists():
        return Decision(Comment.Status.APPROVED)
    return Decision(Comment.Status.PENDING, _("该邮箱还没有通过审核的留言"))


def _first_in(words: list[str], text: str) -> str | None:
    return next((word for word in words if word in text), None)
