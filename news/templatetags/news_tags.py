import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from news import caching
from news.models import Article, Category

register = template.Library()


HOT_LIMIT = 10


@register.simple_tag
def nav_categories():
    """The categories for the navigation, kept in the cache until one is edited."""
    return caching.shared("nav", ["nav"], lambda: list(Category.objects.all()))


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header: site name, search box and navigation, marking the section being read.

    The same for every page of a section, so it is rendered once per section and kept
    until the categories change; a search page shows its query in the box and is not kept.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match and match.url_name == "home":
        active = "home"
    elif context.get("category"):
        active = context["category"].pk
    elif context.get("article"):
        active = context["article"].category_id
    else:
        active = None

    def render(query=""):
        header = {"active": active, "categories": nav_categories(), "query": query}
        return render_to_string("includes/header.html", {**header, "SITE_NAME": settings.SITE_NAME})

    if query := context.get("query"):
        return render(query)
    return mark_safe(caching.shared(f"header:{active}", ["nav"], render))


def hot_articles_context():
    articles = Article.objects.for_listing().hot(HOT_LIMIT)
    return {"articles": articles, "title": "热门文章", "show_views": True}


@register.simple_tag(takes_context=True)
def hot_articles(context):
    """热门: a hole in cached pages (filled per request), the shared fragment elsewhere."""
    if context.get("cache_render"):
        return mark_safe(caching.HOT_HOLE)
    return mark_safe(caching.hot_fragment())


@register.inclusion_tag("includes/article_titles.html")
def latest_articles(limit=10, title="最新文章"):
    articles = Article.objects.published().for_listing().newest()[:limit]
    return {"articles": articles, "title": title}


def _render_leads() -> str:
    leads = {a.category_id: a for a in Article.objects.published().for_listing().leads()}
    context = {"leads": [(c, leads.get(c.pk)) for c in nav_categories()]}
    return render_to_string("includes/category_leads.html", context)


@register.simple_tag
def category_leads():
    """Each category's lead story (its newest featured article, else its newest one)."""
    return mark_safe(caching.shared("leads", ["nav", "leads"], _render_leads))


def _highlight(text: str, terms: list[str]) -> str:
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


@register.filter
def highlight(text, query):
    """Escape ``text`` and wrap every occurrence of the query's terms in <mark>."""
    return mark_safe(_highlight(str(text), (query or "").split()))


@register.filter
def search_snippet(article, query, width=60):
    """The stretch of the article's text around the first match, highlighted."""
    terms = (query or "").split()
    text = article.body_text or article.summary
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms]
    positions = [p for p in positions if p >= 0]
    if not positions:
        return mark_safe(_highlight(article.summary, terms))
    start = max(0, min(positions) - width // 3)
    snippet = text[start : start + width * 2]
    prefix = "…" if start else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return mark_safe(prefix + _highlight(snippet, terms) + suffix)
