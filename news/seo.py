"""What search engines, feed readers and social sites read about the reader pages: absolute
addresses, the dates they expect, and the JSON-LD (schema.org) blocks of a page's head.

Addresses are absolute and built from the request (``request.build_absolute_uri``), as the
article page's permalink is: a cached page keeps its first reader's host, which
ALLOWED_HOSTS limits to the site's own names.
"""

import json
import re

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from jinja2 import pass_context

from .models import cached_reverse

# schema.org's inLanguage is a BCP 47 tag; feeds and the news sitemap say zh-cn themselves.
LANGUAGE = "zh-CN"
SCHEMA = "https://schema.org"

# What XML 1.0 cannot hold at all (not even escaped): an editor's stray control character
# would otherwise fail a whole feed or sitemap.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# What would end a <script> element or open an HTML comment in it, written as JSON escapes:
# the text means the same to a JSON parser and nothing to the HTML parser. (Three replaces:
# str.translate looks up every character of the text, ten times slower on Chinese.)
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def _script_safe(text: str) -> str:
    for unsafe, escape in _SCRIPT_UNSAFE:
        text = text.replace(unsafe, escape)
    return text


def absolute(request, path: str) -> str:
    """``path`` as an absolute address on the host the request came to."""
    if request is None or not path:
        return path
    return request.build_absolute_uri(path)


def iso(moment) -> str:
    """ISO 8601 in the site's time zone, with its offset: 2026-12-05T18:30:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def modified_at(article):
    """When the article last changed for readers: never before it went public. (An
    article, or a row of its publish_at and updated_at.)"""
    return max(article.updated_at, article.publish_at)


def xml_text(value) -> str:
    """``value`` without the characters XML 1.0 refuses."""
    return _NOT_XML.sub("", str(value or ""))


def cover_url(request, article) -> str:
    return absolute(request, article.cover.url) if article.cover else ""


def json_ld(*objects) -> SafeString:
    """One ``<script type="application/ld+json">`` element per object, safe to put in a page.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so a title holding ``</script>`` or
    ``<!--`` can neither end the element nor change how the HTML parser reads it.
    """
    elements = []
    for data in objects:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        elements.append(f'<script type="application/ld+json">{_script_safe(text)}</script>')
    return mark_safe("\n".join(elements))


def publisher(request) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(request, cached_reverse("news:home")),
        "logo": {"@type": "ImageObject", "url": absolute(request, static("img/logo.svg"))},
    }


def website(request) -> dict:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "description": settings.SITE_DESCRIPTION,
        "url": absolute(request, cached_reverse("news:home")),
        "inLanguage": LANGUAGE,
        "publisher": publisher(request),
    }


def breadcrumb_list(request, crumbs, *, url: str) -> dict:
    """The page's visible breadcrumb trail: 首页, then ``crumbs`` ((address or None, name)).

    The crumb without an address is the page itself, at ``url``.
    """
    trail = [(cached_reverse("news:home"), _("首页")), *crumbs]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(name),
                "item": absolute(request, href) if href else url,
            }
            for position, (href, name) in enumerate(trail, start=1)
        ],
    }


def news_article(request, article, *, url: str, tags=()) -> dict:
    """The article as a schema.org NewsArticle; ``article`` comes with its category."""
    if article.author:
        author = {"@type": "Person", "name": article.author}
    else:  # the newsroom's own piece
        author = {"@type": "Organization", "name": settings.SITE_NAME}
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.summary,
        "datePublished": iso(article.publish_at),
        "dateModified": iso(modified_at(article)),
        "author": author,
        "publisher": publisher(request),
        "articleSection": article.category.name,
        "wordCount": article.word_count,
        "inLanguage": LANGUAGE,
    }
    if article.cover:
        data["image"] = [cover_url(request, article)]
    names = [tag.name for tag in tags]
    if names:
        data["keywords"] = names
    return data


# What the reader templates call (portal.jinja2 registers them); the request is the page's.


@pass_context
def absolute_url(context, path: str) -> str:
    return absolute(context.get("request"), path)


@pass_context
def article_cover_url(context, article) -> str:
    return cover_url(context.get("request"), article)


@pass_context
def article_json_ld(context, article, *, url: str, crumbs, tags=()) -> SafeString:
    request = context.get("request")
    return json_ld(
        news_article(request, article, url=url, tags=tags),
        breadcrumb_list(request, crumbs, url=url),
    )


@pass_context
def breadcrumb_json_ld(context, crumbs, *, url: str) -> SafeString:
    return json_ld(breadcrumb_list(context.get("request"), crumbs, url=url))


@pass_context
def website_json_ld(context) -> SafeString:
    return json_ld(website(context.get("request")))
