import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from news.models import Article, Category

register = template.Library()


@register.simple_tag
def nav_categories():
    return Category.objects.all()


@register.inclusion_tag("includes/article_titles.html")
def hot_articles(limit=8, title="热门文章"):
    articles = Article.objects.published().for_listing().most_viewed()[:limit]
    return {"articles": articles, "title": title, "show_views": True}


@register.inclusion_tag("includes/article_titles.html")
def latest_articles(limit=8, title="最新文章"):
    articles = Article.objects.published().for_listing().newest()[:limit]
    return {"articles": articles, "title": title}


@register.inclusion_tag("includes/category_leads.html")
def category_leads():
    """Each category's lead story: its newest featured article, else its newest one."""
    leads = []
    published = Article.objects.published().for_listing()
    for category in Category.objects.all():
        in_category = published.in_category(category)
        lead = in_category.featured().newest().first() or in_category.newest().first()
        leads.append((category, lead))
    return {"leads": leads}


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
