from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag
def pending_comment_count():
    """For the admin's index (a Django template): reader comments awaiting moderation."""
    return Comment.objects.pending().count()
