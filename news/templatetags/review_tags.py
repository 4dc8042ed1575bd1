from django import template

from news.models import TRASH_DAYS, Article

register = template.Library()


@register.simple_tag
def articles_in_review_count():
    """For the admin's index (a Django template): drafts submitted for review."""
    return Article.objects.in_review().count()


@register.simple_tag
def trash_days():
    """How long a deleted article can be restored (news.models.TRASH_DAYS)."""
    return TRASH_DAYS
