"""The Jinja2 environment of the reader pages: every template in templates/ but the admin's.

A page nobody has cached yet is rendered for its first reader; Jinja2 compiles templates to
Python and renders the article page in half the time Django's engine takes. The admin and
its override in templates/admin/ stay Django templates, as do the forms' widgets.

Output is escaped as Django's templates escape it (``finalize``): the same entities, and
what Django marked safe (``mark_safe``, form fields, rendered fragments) is shown as it
is. Jinja2's own autoescaping is off for that reason, so a template never concatenates
(``~``) a safe value with another: the result would be escaped as a whole.
"""

import html

from django.template.defaultfilters import linebreaksbr, truncatechars, urlencode
from django.templatetags.static import static
from jinja2 import Environment, FileSystemLoader, TemplateNotFound, Undefined

from comments import templating as comments
from news import seo
from news import templating as news
from news.models import cached_reverse


class ReaderTemplateLoader(FileSystemLoader):
    """templates/ without admin/: the admin's templates are Django's."""

    def get_source(self, environment, template):
        if template.startswith("admin/"):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def escaped(value) -> str:
    """Django's ``conditional_escape`` (the standard library's ``html.escape``), without
    the lazy-string checks it makes first: a page shows some sixty values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def environment(**options):
    options["loader"] = ReaderTemplateLoader(options["loader"].searchpath)
    # A missing value shows as nothing, as in Django's templates, DEBUG or not (Django's
    # backend would print it as "{{ name }}" under DEBUG).
    options.update(autoescape=False, finalize=escaped, undefined=Undefined)
    env = Environment(**options)
    env.globals.update(
        static=static,
        url=cached_reverse,  # the site's fixed addresses, reversed once per process
        nav_categories=news.nav_categories,
        site_header=news.site_header,
        site_footer=news.site_footer,
        category_leads=news.category_leads,
        hot_articles=news.hot_articles,
        latest_articles=news.latest_articles,
        comment_post_url=comments.comment_post_url,
        comment_form_fields=comments.comment_form_fields,
        absolute_url=seo.absolute_url,
        article_cover_url=seo.article_cover_url,
        article_json_ld=seo.article_json_ld,
        breadcrumb_json_ld=seo.breadcrumb_json_ld,
        website_json_ld=seo.website_json_ld,
    )
    env.filters.update(
        date=news.local_date,
        highlight=news.highlight,
        iso_datetime=seo.iso,
        modified_at=seo.modified_at,
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
        search_snippet=news.search_snippet,
        tag_url=news.tag_url,
        time_element=news.time_element,
        truncatechars=truncatechars,
        urlencode=urlencode,
        with_alt=news.with_alt,
        xml_text=seo.xml_text,
    )
    return env
