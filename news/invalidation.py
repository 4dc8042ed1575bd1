"""What a change to an article, comment or category makes stale, and nothing more.

An article shows up on its own page, its category's pages (lists, neighbours' previous /
next links, related reading), its tags' pages (and related reading on articles sharing a
tag), the home page, and, while it is a category's lead story, every sidebar. A change
replaces the tokens of exactly those (see ``news.caching``).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from . import caching


@dataclass(frozen=True)
class Footprint:
    """Where one article appears for readers."""

    pk: int
    category_id: int
    tag_ids: frozenset
    visible: bool


def footprints(pks) -> dict[int, Footprint]:
    """The footprints of the given articles as the database holds them now (two queries)."""
    from .models import Article

    pks = list(pks)
    if not pks:
        return {}
    visible = set(Article.objects.published().filter(pk__in=pks).values_list("pk", flat=True))
    tags: dict[int, set] = {}
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=pks
    ).values_list("object_id", "tag_id")
    for object_id, tag_id in tagged:
        tags.setdefault(object_id, set()).add(tag_id)
    rows = Article.objects.filter(pk__in=pks).values_list("pk", "category_id")
    return {
        pk: Footprint(pk, category_id, frozenset(tags.get(pk, ())), pk in visible)
        for pk, category_id in rows
    }


def lead_ids() -> set[int]:
    """The articles currently shown as a category's lead story (one query)."""
    from .models import Category

    return {pk for pk in Category.objects.with_lead_ids().values_list("lead_id", flat=True) if pk}


def stale_names(
    before: Footprint | None, after: Footprint | None, *, leads_before: set, leads_after: set
) -> set[str]:
    """The tokens an article's change from ``before`` to ``after`` makes stale."""
    names = set()
    for state in (before, after):
        if state is None:
            continue
        names.add(f"art:{state.pk}")
        if state.visible:
            names |= {f"cat:{state.category_id}", "home"}
            names |= {f"tag:{tag_id}" for tag_id in state.tag_ids}
        if state.pk in leads_before or state.pk in leads_after:
            names.add("leads")
    return names


def article_changed(
    before: Footprint | None, after: Footprint | None, *, leads_before: set, leads_after: set
) -> None:
    caching.bump(stale_names(before, after, leads_before=leads_before, leads_after=leads_after))
    caching.reschedule()


def articles_changed(before: dict[int, Footprint], leads_before: set) -> None:
    """After a write to many articles: compare with the footprints taken before it."""
    after = footprints(before.keys())
    leads_after = lead_ids()
    names = set()
    for pk, state in before.items():
        names |= stale_names(
            state, after.get(pk), leads_before=leads_before, leads_after=leads_after
        )
    caching.bump(names)
    caching.reschedule()


def tags_changed(article_pk: int, tag_ids) -> None:
    names = {f"art:{article_pk}"}
    state = footprints([article_pk]).get(article_pk)
    if state is not None and state.visible:
        names |= {f"tag:{tag_id}" for tag_id in tag_ids}
    caching.bump(names)


def tag_renamed(tag_id: int) -> None:
    from .models import Article

    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), tag_id=tag_id
    ).values_list("object_id", flat=True)
    caching.bump({f"tag:{tag_id}", *(f"art:{pk}" for pk in tagged)})


def comments_changed(article_ids) -> None:
    caching.bump({f"art:{pk}" for pk in article_ids})


def categories_changed(category_ids) -> None:
    caching.bump({"nav", "leads", "home", *(f"cat:{pk}" for pk in category_ids)})


def publish_due_articles(*, since, until) -> None:
    """Scheduled articles whose time has come: invalidate as if each had just been published."""
    from .models import Article

    due = Article.objects.published().filter(publish_at__gte=since, publish_at__lte=until)
    pks = list(due.values_list("pk", flat=True))
    leads_after = lead_ids()
    names = set()
    for state in footprints(pks).values():
        hidden = Footprint(state.pk, state.category_id, state.tag_ids, visible=False)
        names |= stale_names(hidden, state, leads_before=set(), leads_after=leads_after)
    caching.bump(names)  # the caller looks up the next due time


def expire_due_articles(*, since, until) -> None:
    """Articles whose expiry time has come: gone from search, and every page that showed
    them is rendered again, as if each had just been unpublished."""
    from search import sync

    from .models import Article

    due = Article.objects.filter(
        status=Article.Status.PUBLISHED, expires_at__gte=since, expires_at__lte=until
    )
    pks = list(due.values_list("pk", flat=True))
    if not pks:
        return
    sync.articles_changed(pks)
    leads_after = lead_ids()
    names = set()
    for state in footprints(pks).values():
        shown = Footprint(state.pk, state.category_id, state.tag_ids, visible=True)
        # Any of them may have been a category's lead story until now.
        names |= stale_names(shown, state, leads_before=set(pks), leads_after=leads_after)
    caching.bump(names)
