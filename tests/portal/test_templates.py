"""The reader pages' Jinja2 templates escape as Django's templates do; the admin's stay Django's."""

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe


def test_reader_templates_escape_what_readers_wrote_as_django_does_and_keep_safe_html():
    written = """<script>alert('x')</script> & "引号\""""
    template = engines["jinja2"].from_string("<p>{{ written }}</p>{{ fragment }}{{ nothing }}")

    html = template.render({"written": written, "fragment": mark_safe("<b>头条</b>")})

    # The same entities as Django's escape (&quot; and &#x27;, not Jinja2's &#34; and &#39;).
    assert html == f"<p>{escape(written)}</p><b>头条</b>"
    assert "<script>" not in html and "&#x27;x&#x27;" in html


@pytest.mark.parametrize(
    "name, engine",
    [
        ("news/article_detail.html", "Jinja2"),
        ("404.html", "Jinja2"),
        ("admin/index.html", "DjangoTemplates"),
    ],
)
def test_each_template_is_found_by_its_own_engine(name, engine):
    """templates/admin/ holds the admin's override, a Django template the Jinja2 engine skips."""
    assert type(get_template(name).backend).__name__ == engine
