"""Reader pages served from the cache, invalidated precisely when their content changes.

Every cached page records the *dependency tokens* it was rendered with: ``nav`` (the
category list), ``leads`` (each category's lead story in the sidebar), ``home`` (anything
on the home page), ``art:<id>``, ``cat:<id>``, ``tag:<id>``. A change replaces the tokens of
exactly what it touches (see ``news.invalidation``); a page whose recorded tokens no longer
match is rendered again. Tokens are read before the data, so a page rendered while an
editor saves is stored under tokens that are already stale and is never served.

Per-reader parts are left as holes in the cached HTML and filled on every request: the
view count, the CSRF token, the comment form's signed target, flash messages, and the 热门
list (which follows view counts).
"""

import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from portal.csrf import get_token

PAGE_TIMEOUT = 24 * 3600
# A token lives longer than any page stored under it, but not forever: a page whose token
# has expired is only a miss (the new token differs), and addresses of articles that do
# not exist (read before the 404, so a render never races an edit) leave nothing for good.
TOKEN_TIMEOUT = 2 * PAGE_TIMEOUT
HOT_TIMEOUT = 60

# Holes: markers rendered into cached HTML and replaced per request.
CSRF_HOLE = "__portal_csrf_token__"
# The comment form's signed target says when the form was shown: issued per request.
COMMENT_TARGET_HOLE = "__portal_comment_target_{pk}__"
COMMENT_TARGET_RE = re.compile(r"__portal_comment_target_(\d+)__")
VIEWS_HOLE = "<!--portal:views-->"
MESSAGES_HOLE = "<!--portal:messages-->"
HOT_HOLE = "<!--portal:hot-->"

HOT_KEY = "news:fragment:hot"
SCHEDULE_KEY = "news:schedule:next"
SCHEDULE_LOCK = "news:schedule:lock"
NEVER = float("inf")


@dataclass
class CachedPage:
    html: str
    tokens: dict[str, int]
    views: int = 0  # the stored view count when rendered, to seed the Redis counter
    hot_html: str | None = None  # the current 热门 fragment, when it came with the page
    # The html cut at its holes (split_at_holes), for a page kept in memory; never stored.
    parts: list[str] | None = None

    def __getstate__(self):
        return {**self.__dict__, "parts": None}


_TOKEN_PREFIX = "news:token:"
# Replaced with every other token (bump): a page that read it before its data can leave the
# tokens it learns of only from that data to be read as it is stored, in the same script,
# if the sequence is still the same then (see depend).
SEQUENCE = "sequence"


def _token_key(name: str) -> str:
    return _TOKEN_PREFIX + name


def new_token() -> int:
    """A random 63-bit number: Django's Redis serializer stores integers as they are, so
    reading one back skips unpickling (a page reads six or more on every request)."""
    return secrets.randbits(63)


# The tokens read during the current request. A page reads some of them several times
# (its own, then the shared fragments it shows); each is read from the cache once, before
# the data it guards, and reused for the rest of the request.
_request = threading.local()


def _remembered() -> dict | None:
    return getattr(_request, "tokens", None)


def request_started(**kwargs) -> None:
    _request.tokens = {}
    _request.hot = None


def request_finished(**kwargs) -> None:
    _request.tokens = None
    _request.hot = None


def tokens(names) -> dict[str, int]:
    """Current tokens for ``names``, creating any that are missing (first use, eviction)."""
    names = list(dict.fromkeys(names))
    remembered = _remembered()
    known = remembered or {}
    wanted = [n for n in names if n not in known]
    found = cache.get_many([_token_key(n) for n in wanted]) if wanted else {}
    result = {}
    for name in names:
        token = known.get(name) or found.get(_token_key(name))
        if token is None:
            token = new_token()
            if not cache.add(_token_key(name), token, TOKEN_TIMEOUT):
                token = cache.get(_token_key(name)) or token
        result[name] = token
    if remembered is not None:
        remembered.update(result)
    return result


def _forget(names) -> None:
    remembered = _remembered()
    for name in names if remembered else ():
        remembered.pop(name, None)


def bump(names) -> None:
    """Replace the tokens of ``names`` now and again once the transaction commits.

    The second bump closes the window in which a page rendered from the not yet
    committed (old) data would be stored under the new token.
    """
    names = set(names)
    if not names:
        return
    names.add(SEQUENCE)

    def replace():
        _forget(names)
        cache.set_many({_token_key(n): new_token() for n in names}, TOKEN_TIMEOUT)

    replace()
    transaction.on_commit(replace)


def get_page(key: str, prefetch=(), create=(), then=None) -> CachedPage | None:
    """The cached page under ``key`` if every token it was rendered with is still current.

    One round trip to the cache reads the page, the schedule, the 热门 fragment and the
    tokens named in ``prefetch`` (a page that is not cached reads those next), and, with
    Redis, compares the page's tokens there. The tokens named in ``create`` (among
    ``prefetch``) are created in it where missing: a page not cached yet needs its own
    token before it reads its data. The publication clock is checked on the way (see
    check_schedule). With Redis, ``then`` (a portal.cache.FollowUp) runs in that round trip
    if the page is current; where it ran, its result is set even if the page is then
    refused for the schedule.

    With Redis, a page this process has read from Redis lately is kept in its memory
    too (see _kept_pages), and then only its tokens are compared in Redis. A page is kept
    once it is read again, not when it is rendered: most pages rendered for a first reader
    (an old article) are not asked for again soon.
    """
    remembered = _remembered()
    prefetch, create = [*prefetch, SEQUENCE], [*create, SEQUENCE]
    prefetch = [n for n in prefetch if remembered is not None and n not in remembered]
    reads = [SCHEDULE_KEY, HOT_KEY, *(_token_key(n) for n in prefetch)]
    additions = {_token_key(n): new_token() for n in create if n in prefetch}
    page, found, current = _kept_page(key, [r for r in reads if r in _KEPT_READS], then)
    if page is None:
        page, found, current = _get_with_tokens(key, reads, additions, then)
        if page is not None and _keeping_pages():
            page = _keep_page(key, page)  # cut at its holes once, for this request too
    if remembered is not None:
        for token_key, token in (found | current).items():
            if token_key.startswith(_TOKEN_PREFIX):
                remembered[token_key.removeprefix(_TOKEN_PREFIX)] = token
    if check_schedule(found.get(SCHEDULE_KEY)):
        page = None  # articles went live just now: what was read before may not show them
    hot = found.get(HOT_KEY)
    if remembered is not None:
        _request.hot = hot  # a page rendered now fills its 热门 hole with it
    if page is None:
        return None
    if remembered is not None:
        remembered.update(page.tokens)  # current: compared just now
    home = found.get(_token_key("home"), page.tokens.get("home"))
    # A copy: the page may be kept, and each request has its own 热门.
    return replace(page, hot_html=hot[1] if hot and hot[0] == home else None)


# Pages this process read from Redis, most recently used last, with the tokens they were
# rendered under (a page is only valid while all are current). About 35 KB each with its
# parts: some 10 MB per process. The lock is for threaded servers.
_kept_pages: OrderedDict[str, CachedPage] = OrderedDict()
_kept_lock = threading.Lock()
KEPT_PAGES = 300


def _keeping_pages() -> bool:
    return hasattr(cache, "check_tokens")  # Redis; a cache in this process needs no copy


def _keep_page(key: str, page: CachedPage) -> CachedPage:
    """Keep ``page`` under ``key``; the copy kept, cut at its holes."""
    page = replace(page, parts=split_at_holes(page.html))
    with _kept_lock:
        _kept_pages[key] = page
        _kept_pages.move_to_end(key)
        while len(_kept_pages) > KEPT_PAGES:
            _kept_pages.popitem(last=False)
    return page


# What a kept page's check reads besides its tokens: the schedule, the 热门 fragment and the
# token it goes with. Tokens to create belong to pages not rendered yet.
_KEPT_READS = {SCHEDULE_KEY, HOT_KEY, _token_key("home")}


def _kept_page(key, reads, then):
    """The kept page under ``key`` if its tokens are current in Redis, as _get_with_tokens."""
    page = _kept_pages.get(key) if _keeping_pages() else None
    if page is None:
        return None, {}, {}
    tokens = {_token_key(name): token for name, token in page.tokens.items()}
    current, found = cache.check_tokens(tokens, reads, {}, TOKEN_TIMEOUT, then=then)
    with _kept_lock:
        if not current:
            _kept_pages.pop(key, None)  # a newer one may be in Redis: read there
            return None, {}, {}
        if key in _kept_pages:  # another thread may have let it go meanwhile
            _kept_pages.move_to_end(key)
    return page, found, {}


def _get_with_tokens(key, reads, additions: dict, then):
    """The page if its tokens are current, what ``reads`` found, the page's current tokens.

    Redis answers in one round trip (portal.cache); any other cache in three steps.
    """
    if hasattr(cache, "get_with_tokens"):
        page, found, current = cache.get_with_tokens(
            key, reads, additions, TOKEN_TIMEOUT, then=then
        )
        if page is not None:  # the tokens it was stored under, some read only then
            page.tokens = {k.removeprefix(_TOKEN_PREFIX): t for k, t in current.items()}
        return page, found, current
    for token_key, token in additions.items():
        cache.add(token_key, token, TOKEN_TIMEOUT)
    found = cache.get_many([key, *reads])
    page = found.pop(key, None)
    if page is None:
        return None, found, {}
    current = cache.get_many([_token_key(n) for n in page.tokens])
    if any(current.get(_token_key(n)) != t for n, t in page.tokens.items()):
        page = None
    return page, found, current


def depend(page_tokens: dict, names) -> None:
    """Add the tokens of ``names`` to ``page_tokens``, those of a page being rendered.

    A page's tokens are read before the data they guard. With Redis, once the request has
    read the sequence token (get_page), those not read yet are left to be read as the page
    is stored (None here): it is stored only if the sequence is still the one read first,
    that is if no token changed in between, which makes them the tokens read then. That
    spares a round trip for the tokens only the article's own row names (its category's,
    its tags').
    """
    remembered = _remembered() or {}
    if SEQUENCE in remembered and hasattr(cache, "set_with_tokens"):
        page_tokens.update({n: remembered.get(n) for n in names})
    else:
        page_tokens.update(tokens(names))


def store_page(
    key: str, html: str, page_tokens: dict[str, int | None], views: int = 0, then=None
) -> CachedPage:
    """Store a rendered page; with Redis, ``then`` (a portal.cache.FollowUp) runs with it.

    Tokens that are None are read as it is stored (see depend).
    """
    known = {n: t for n, t in page_tokens.items() if t is not None}
    page = CachedPage(html=html, tokens=known, views=views)
    if hasattr(cache, "set_with_tokens"):
        stored_under = {_token_key(n): t for n, t in known.items()}
        later = {_token_key(n): new_token() for n, t in page_tokens.items() if t is None}
        guard = (_token_key(SEQUENCE), (_remembered() or {}).get(SEQUENCE)) if later else None
        read = cache.set_with_tokens(
            key, page, stored_under, PAGE_TIMEOUT, then=then,
            unless_changed=guard, read_tokens=later, token_timeout=TOKEN_TIMEOUT,
        )  # fmt: skip
        for token_key, token in (read or {}).items():
            page.tokens[token_key.removeprefix(_TOKEN_PREFIX)] = token
    else:
        cache.set(key, page, PAGE_TIMEOUT)
    return page


# Every hole has "portal" right after its first characters: searching for that literal
# is fast, where a pattern of alternatives is tried at every character of the page.
_HOLE = re.compile(r"portal(?:_csrf_token__|_comment_target_\d+__|:(?:views|messages|hot)-->)")


def split_at_holes(html: str) -> list[str]:
    """``html`` as [text, hole, text, hole, …, text]."""
    parts, start = [], 0
    for found in _HOLE.finditer(html):
        lead = 2 if found.group(0)[6] == "_" else 4  # "__portal_…" or "<!--portal:…"
        begin = found.start() - lead
        if html[begin : found.start()] not in ("__", "<!--"):
            continue  # the word elsewhere in the page
        parts += [html[start:begin], html[begin : found.end()]]
        start = found.end()
    parts.append(html[start:])
    return parts


def fill_holes(request, html: str, *, views: int | None = None, hot_html=None, parts=None) -> str:
    """Put the per-request parts into a cached page (``parts``: it cut at its holes)."""
    parts = split_at_holes(html) if parts is None else parts
    if len(parts) == 1:
        return html
    filled = list(parts)
    values = {}
    for index in range(1, len(parts), 2):
        hole = parts[index]
        value = values.get(hole)
        if value is None:
            value = values[hole] = _fill(request, hole, views, hot_html)
        filled[index] = value
    return "".join(filled)


def _fill(request, hole: str, views, hot_html) -> str:
    if hole == CSRF_HOLE:  # only pages with a form set the CSRF cookie
        return get_token(request)
    if hole == VIEWS_HOLE:
        return hole if views is None else str(views)
    if hole == MESSAGES_HOLE:
        messages = list(get_messages(request))
        if not messages:
            return ""
        return render_to_string("includes/messages.html", {"messages": messages})
    if hole == HOT_HOLE:
        return hot_html or hot_fragment()
    from comments.forms import sign_target  # the comment form's target, signed now

    return sign_target(int(COMMENT_TARGET_RE.fullmatch(hole).group(1)))


def shared(name: str, depends_on: list[str], compute, timeout=PAGE_TIMEOUT):
    """Something many pages show (a fragment, a list), cached under the tokens it depends on.

    The key holds the tokens, so what is stored under it never changes: each process
    also keeps the last few in memory, and showing them costs no round trip to Redis.
    """
    current = tokens(depends_on)
    key = f"news:shared:{name}:" + ":".join(str(current[n]) for n in depends_on)
    value = _kept.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        _keep(key, value)
    return value


_kept: dict = {}
_KEEP = 64  # a header per section, the navigation, the sidebar: a handful are current


def _keep(key: str, value) -> None:
    if len(_kept) >= _KEEP:
        _kept.clear()  # old tokens' values: cheaper to forget all than to track age
    _kept[key] = value


def hot_fragment() -> str:
    """The 热门 list: it follows view counts, so it lives a minute (and changes with home)."""
    from .templating import hot_articles_context

    home = tokens(["home"])["home"]
    hot = getattr(_request, "hot", None) if _remembered() is not None else None
    if not (hot and hot[0] == home):
        hot = cache.get(HOT_KEY)
    if hot and hot[0] == home:
        return hot[1]
    html = render_to_string("includes/article_titles.html", hot_articles_context())
    cache.set(HOT_KEY, (home, html), HOT_TIMEOUT)
    return html


def check_schedule(due=None) -> bool:
    """Make scheduled articles appear at their publish time, and expiring ones go at their
    expiry time (placements start and end likewise), with nobody saving anything.

    The earliest such time not yet acted upon is kept in the cache; the first request
    after it passes invalidates what the articles that came or went touch and looks up the next
    one (and gets True: what it read from the cache before may be stale). The entry never
    expires and is read on every request, so an LRU cache never evicts it while the site
    has readers; a cache that lost it lost the pages along with it.
    """
    now = time.time()
    if due is None:
        due = cache.get(SCHEDULE_KEY)
    if due is None:
        due = _remember_next_schedule()
    if due > now or not cache.add(SCHEDULE_LOCK, 1, 30):
        return False
    try:
        from .invalidation import expire_due_articles, publish_due_articles

        since, until = datetime.fromtimestamp(due, tz=UTC), timezone.now()
        # The due time went through a float timestamp: a millisecond's margin before it.
        since -= timedelta(milliseconds=1)
        publish_due_articles(since=since, until=until)
        expire_due_articles(since=since, until=until)
        _change_due_placements(since=since, until=until)
        _remember_next_schedule()
    finally:
        cache.delete(SCHEDULE_LOCK)
    return True


def _next_scheduled() -> float:
    """The next time a page changes by itself: an article's publish or expiry time, or a
    placement's start or end (placements)."""
    from placements.models import Placement

    from .models import Article

    upcoming = Article.objects.scheduled().order_by("publish_at")
    first = upcoming.values_list("publish_at", flat=True).first()
    expiry = Article.objects.expiring().values_list("expires_at", flat=True).first()
    placement = Placement.objects.next_change(after=timezone.now())
    times = [t.timestamp() for t in (first, expiry, placement) if t is not None]
    return min(times, default=NEVER)


def _change_due_placements(*, since, until) -> None:
    """Placements that started or ended meanwhile: their pages are rendered again."""
    from placements.models import Placement
    from placements.signals import pages_of

    bump(pages_of(Placement.objects.changing_between(since, until)))


def _remember_next_schedule() -> float:
    due = _next_scheduled()
    cache.set(SCHEDULE_KEY, due, None)
    return due


def reschedule() -> None:
    """After a change to publish times or status: the next due time may have moved.

    A due time that has passed but not been acted upon yet is kept, so the articles that
    went live then are still announced by the next request.
    """
    pending = cache.get(SCHEDULE_KEY)
    due = _next_scheduled()
    if pending is not None and pending < due:
        due = pending
    cache.set(SCHEDULE_KEY, due, None)


class CachedPageMixin:
    """Serve a reader page from the cache; render and store it on a miss (see news.caching)."""

    def cache_key(self) -> str:
        raise NotImplementedError

    def cache_tokens(self) -> list[str]:
        """Tokens known before any data is read; views add theirs with depend_on()."""
        return ["nav", "leads"]

    def get(self, request, *args, **kwargs):
        key = self.cache_key()
        page = get_page(key, prefetch=[*self.cache_tokens(), "home"])
        if page is None:
            self.page_tokens = tokens(self.cache_tokens())
            response = super().get(request, *args, **kwargs)
            response.render()
            page = store_page(key, response.content.decode(), self.page_tokens)
        html = fill_holes(request, page.html, hot_html=page.hot_html, parts=page.parts)
        return HttpResponse(html)

    def depend_on(self, *names):
        """Record more tokens, read now, before the data they guard."""
        self.page_tokens.update(tokens(names))

    def get_context_data(self, **kwargs):
        return super().get_context_data(cache_render=True, **kwargs)
