from django import template

from news.models import Article

register = template.Library()


@register.simple_tag
def articles_in_review_count():
    """For the admin's index (a Django template): drafts submitted for review."""
    return Article.objects.in_review().count()
