"""What the reader templates call (portal.jinja2 makes these their globals and filters):
the shared fragments (header, footer, sidebar lists) and the filters of the news pages."""

import functools
import html
import re
import unicodedata

from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from jinja2 import pass_context

from news import caching
from news.context_processors import site_context
from news.models import Article, Category, cached_reverse
from search.text import FIELD_SEPARATOR, fold, query_terms

HOT_LIMIT = 10


def nav_categories():
    """The categories for the navigation, kept in the cache until one is edited."""
    return caching.shared("nav", ["nav"], lambda: list(Category.objects.all()))


@pass_context
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
        return render_to_string("includes/header.html", {**header, **site_context()})

    if query := context.get("query"):
        return mark_safe(render(query))
    return mark_safe(caching.shared(f"header:{active}", ["nav"], render))


def site_footer():
    """The footer: the same on every page, so rendered once a year and navigation change."""
    year = timezone.localdate().year

    def render():
        footer = {"categories": nav_categories(), "year": year}
        return render_to_string("includes/footer.html", {**footer, **site_context()})

    return mark_safe(caching.shared(f"footer:{year}", ["nav"], render))


def hot_articles_context():
    articles = Article.objects.for_listing().hot(HOT_LIMIT)
    return {"articles": articles, "title": "热门文章", "show_views": True}


@pass_context
def hot_articles(context):
    """热门: a hole in cached pages (filled per request), the shared fragment elsewhere."""
    if context.get("cache_render"):
        return mark_safe(caching.HOT_HOLE)
    return mark_safe(caching.hot_fragment())


_IMG = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def with_alt(html, title):
    """The sanitized body with every image given alt text: the title when the editor gave none.

    A screen reader otherwise reads the file name; the sanitizer quotes every attribute.
    """
    alt = escape(title)

    def fill(match):
        tag = match.group(0)
        found = _ALT.search(tag)
        if found is None:
            return f'{tag[:4]} alt="{alt}"{tag[4:]}'
        if not found.group(1).strip():
            return f'{tag[: found.start()]} alt="{alt}"{tag[found.end() :]}'
        return tag

    return mark_safe(_IMG.sub(fill, str(html or "")))


def tag_url(tag) -> str:
    return cached_reverse("news:tag", tag.slug)


def time_element(value, format="%Y/%m/%d"):
    """``<time datetime="…">`` with the moment in the site's time zone, shown as ``format``.

    A strftime format: lists show many dates, and Django's ``date`` filter costs ten times
    as much per date (it looks the format up for the active language each time).
    """
    if not value:
        return ""
    value = template_localtime(value)
    # The ISO form is digits and punctuation; only the shown text can carry markup.
    return mark_safe(
        f'<time datetime="{value.isoformat()}">{html.escape(value.strftime(format))}</time>'
    )


def latest_articles(limit=10, title="最新文章"):
    articles = Article.objects.published().for_listing().newest()[:limit]
    context = {"articles": articles, "title": title}
    return mark_safe(render_to_string("includes/article_titles.html", context))


def local_date(value, format):
    """Django's ``date`` filter, in the site's time zone as Django's templates show it."""
    return date_filter(template_localtime(value), format)


def _render_leads() -> str:
    leads = {a.category_id: a for a in Article.objects.published().for_listing().leads()}
    context = {"leads": [(c, leads.get(c.pk)) for c in nav_categories()]}
    return render_to_string("includes/category_leads.html", context)


def category_leads():
    """Each category's lead story (its newest featured article, else its newest one)."""
    return mark_safe(caching.shared("leads", ["nav", "leads"], _render_leads))


@functools.cache
def _folding_table() -> tuple[re.Pattern, dict[str, frozenset]]:
    """What folding does beyond the identity, built once per process (about 50 ms) from the
    few thousand characters that have a decomposition or change under case folding:

    - the characters that do not fold to exactly one character on their own (…, ℃, ①, ß);
    - for each character, the other characters whose folding can yield it (Ｇ and G for g,
      … for ., e for é, which NFKC composes from e and a combining accent).
    """
    irregular, sources = [], {}
    for code in range(0x20000):  # the planes with any such character
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if not decomposition and char.casefold() == char:
            continue
        if 0xD800 <= code < 0xE000:
            irregular.append(re.escape(char))
            continue
        folded = fold(char)
        if len(folded) != 1:
            irregular.append(re.escape(char))
        for target in set(folded) - {char}:
            sources.setdefault(target, set()).add(char)
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1:  # composed by NFKC from its first character and marks
            for target in set(folded) - {decomposed[0]}:
                sources.setdefault(target, set()).add(decomposed[0])
    pattern = re.compile("[" + "".join(irregular) + "]")
    return pattern, {target: frozenset(chars) for target, chars in sources.items()}


def _may_fold_into(text: str, terms: list[str]) -> bool:
    """Whether folding could make a term appear in ``text`` where it is not written as such.

    A match that is not in the text as written holds a character that folding changes into
    part of the term (Ｇ or G for g, ２ for 2, e before a combining accent for é). Without
    any, the text need not be folded at all: a set of its characters is enough.
    """
    sources = _folding_table()[1]
    changing = set().union(*(sources.get(char, ()) for term in terms for char in term))
    return not changing.isdisjoint(text)


def _fold_part(text: str, start: int, end: int, pieces: list, offsets: list) -> None:
    """Fold ``text[start:end]``, whose characters each fold to one, one to one."""
    part = text[start:end]
    folded = fold(part)
    if len(folded) != len(part):  # characters composed with a neighbour: one at a time
        folded = "".join(fold(char) for char in part)
    pieces.append(folded)
    offsets.extend(range(start, end))


def _folded_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded as search folds it, and for each folded character the index of the
    original character it comes from (plus one past the end); ``None`` when they are the
    same (every character folds to one).

    News copy often has a character that folds to several (…, ℃, ①): the text is then
    folded in parts between such characters, not character by character.
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    pieces, offsets, last = [], [], 0
    for match in _folding_table()[0].finditer(text):
        start = match.start()
        _fold_part(text, last, start, pieces, offsets)
        piece = fold(match.group())
        pieces.append(piece)
        offsets.extend([start] * len(piece))
        last = start + 1
    _fold_part(text, last, len(text), pieces, offsets)
    offsets.append(len(text))
    return "".join(pieces), offsets


def _match_spans(text: str, terms: list[str], *, first_only=False) -> list[tuple[int, int]]:
    """Where the folded ``terms`` occur in ``text`` (folded), as merged original spans."""
    folded, offsets = _folded_with_offsets(text)
    at = offsets.__getitem__ if offsets else int
    spans = []
    for term in terms:
        start = folded.find(term)
        while term and start >= 0:
            end = start + len(term)
            # The span ends after the original character holding the match's last one.
            spans.append((at(start), at(end - 1) + 1))
            start = -1 if first_only else folded.find(term, start + 1)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _highlight(text: str, terms: list[str]) -> str:
    """``text`` escaped, every occurrence of the folded ``terms`` in <mark> (Ｇ６０ marks G60)."""
    parts, last = [], 0
    for start, end in _match_spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


def highlight(text, query):
    """Escape ``text`` and wrap every occurrence of the query's terms in <mark>."""
    return mark_safe(_highlight(str(text), query_terms(str(query or ""))))


def _first_match(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """The earliest match of the terms in ``text``, folding no more of it than needed.

    Folding (NFKC) a 3,000-character body costs some 50 µs, several times a page of fifteen
    with two or three texts each: the text is folded only where a match can be. A match found
    in a prefix well before its end (by more than the longest term) is the text's earliest:
    no other can start before it.
    """
    margin = max(map(len, terms), default=0) + 4
    # A term written as it folds (most Chinese is) is found without folding: the earliest
    # match starts no later, and lies in the prefix up to that one.
    written = _match_up_to(text, text, terms)
    if written is not None:
        return written
    if not _may_fold_into(text, terms):  # the usual case when only the title matches
        return []
    for size in (400, 1600):
        if size >= len(text):
            break
        spans = _match_spans(text[:size], terms, first_only=True)
        if spans and spans[0][1] <= size - margin:
            return spans[:1]
    return _match_spans(text, terms, first_only=True)[:1]


def _folded_fields(article) -> list[str] | None:
    """The article's summary, body and source as search folded them, when its search
    document came with it (the results page loads it): no need to fold them again."""
    if not Article.search_document.is_cached(article):
        return None
    try:
        document = article.search_document
    except ObjectDoesNotExist:  # unpublished since the search: the long way
        return None
    fields = document.text.split(FIELD_SEPARATOR)
    return fields[1:4] if len(fields) == 4 else None


def _match_up_to(text: str, where: str, terms: list[str]) -> list[tuple[int, int]] | None:
    """The first match in ``text``, if a term occurs in ``where`` (``text`` as written, or
    folded); None if none does.

    Folding turns a character into one or more, so a match found at ``at`` in either starts
    at or before ``at`` in the text and ends within the longest term after it: only that
    prefix is folded.
    """
    found = [at for at in (where.find(term) for term in terms if term) if at >= 0]
    if not found:
        return None
    margin = max(map(len, terms)) + 4
    return _match_spans(text[: min(found) + margin], terms, first_only=True)[:1]


def _match_in(text: str, folded: str | None, terms: list[str]) -> list[tuple[int, int]]:
    """The first match in ``text``; ``folded`` is the same text folded, if known."""
    if folded is None:
        return _first_match(text, terms)
    spans = _match_up_to(text, folded, terms)
    if spans is None:
        return []
    return spans or _first_match(text, terms)  # (NFKC composed characters: the long way)


def search_snippet(article, query, width=60):
    """The stretch of the article's text around the first match, highlighted.

    Looked for in the body, then the summary and the source; the summary when only the
    title matches.
    """
    terms = query_terms(str(query or ""))
    summary, body, source = _folded_fields(article) or (None, None, None)
    for text, folded in (
        (article.body_text, body),
        (article.summary, summary),
        (article.source_name, source),
    ):
        spans = _match_in(text or "", folded, terms)  # where the snippet starts
        if spans:
            break
    else:
        return mark_safe(_highlight(article.summary, terms))
    start = max(0, spans[0][0] - width // 3)
    snippet = text[start : start + width * 2]
    prefix = "…" if start else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return mark_safe(prefix + _highlight(snippet, terms) + suffix)
