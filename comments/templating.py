"""What the comment templates call (globals of portal.jinja2)."""

from functools import cache

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from comments.forms import CommentForm
from news.models import id_path_parts


def comment_post_url(pk) -> str:
    """``url('comments:post', pk)``, without resolving the address on every page."""
    before, after = id_path_parts("comments:post")
    return f"{before}{int(pk)}{after}"


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
    return mark_safe(render_to_string("comments/comment_form_fields.html", {"form": form}))
