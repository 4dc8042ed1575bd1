from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils import translation

from comments.forms import CommentForm
from comments.models import Comment
from news.models import id_path_parts

register = template.Library()


@register.simple_tag
def pending_comment_count():
    return Comment.objects.pending().count()


@register.simple_tag
def comment_post_url(pk) -> str:
    """``{% url 'comments:post' pk %}``, without resolving the address on every page."""
    before, after = id_path_parts("comments:post")
    return f"{before}{int(pk)}{after}"


@register.simple_tag
def comment_form_fields(form=None):
    """The comment form's fields: a reader's form with its errors, or the blank form (None).

    The blank form is the same on every article page, and rendering its widgets is a good
    part of rendering an article, so each process renders it once.
    """
    if form is not None and form.is_bound:
        return _render_fields(form)
    return _blank_fields(translation.get_language())


@cache
def _blank_fields(language):
    return _render_fields(CommentForm())


def _render_fields(form):
    return render_to_string("comments/comment_form_fields.html", {"form": form})
