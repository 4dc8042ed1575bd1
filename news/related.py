"""The two lookups around an article page: its neighbours and the articles sharing its tags.

Both run on every article page that is not cached yet, so each is one SQL statement of
short index walks, whatever the size of the table. They are written in SQL because the
ORM cannot say them on SQLite (no LIMIT on the parts of a UNION, so each part needs a
subquery of its own) and because building the querysets cost more than running them.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from taggit.models import TaggedItem

# The published article just before / just after one, in the same category, by
# (publish_at, id). Each side has a single upper bound on publish_at: given two (the
# article's time and now), SQLite may start from now and walk every newer article.
_NEIGHBOURS = """
SELECT 'previous', id FROM (
    SELECT id FROM {article} WHERE category_id = %s AND status = %s AND publish_at <= %s
        AND (publish_at < %s OR id < %s)
    ORDER BY publish_at DESC, id DESC LIMIT 1) AS older
UNION ALL
SELECT 'next', id FROM (
    SELECT id FROM {article} WHERE category_id = %s AND status = %s
        AND publish_at >= %s AND publish_at <= %s AND (publish_at > %s OR id > %s)
    ORDER BY publish_at, id LIMIT 1) AS newer
"""

# One tag's articles nearest to one article on one side (by id: the order they were
# written in), along the (tag, content type, object id) index of migration 0003.
_NEAREST = (
    "SELECT object_id FROM (SELECT object_id FROM {items}"
    " WHERE tag_id = %s AND content_type_id = %s AND object_id {op} %s"
    " ORDER BY object_id {order} LIMIT %s) AS t{n}"
)


def neighbour_ids(article) -> tuple[int | None, int | None]:
    """The ids of the published articles before and after ``article`` in its category."""
    from .models import Article

    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    at, now = adapt(article.publish_at), adapt(timezone.now())
    bound = min(article.publish_at, timezone.now())
    published = Article.Status.PUBLISHED
    params = [article.category_id, published, adapt(bound), at, article.pk]
    params += [article.category_id, published, at, now, at, article.pk]
    with connection.cursor() as cursor:
        cursor.execute(_NEIGHBOURS.format(article=quote(Article._meta.db_table)), params)
        found = dict(cursor.fetchall())
    return found.get("previous"), found.get("next")


def sharing_tags(pk: int, tag_ids, per_side: int) -> dict[int, int]:
    """Articles near ``pk`` that share its tags, with how many of them each shares.

    For each tag, the ``per_side`` articles just before and just after this one: a
    follow-up or an earlier report of the same story. A tag on 50,000 articles costs what
    a tag on 50 does; counting every article of every tag instead grows with the table.
    Drafts among them are for the caller to drop.
    """
    if not tag_ids:
        return {}
    from .models import Article

    items = connection.ops.quote_name(TaggedItem._meta.db_table)
    content_type = ContentType.objects.get_for_model(Article).pk
    parts, params = [], []
    for tag_id in tag_ids:
        for op, order in (("<", "DESC"), (">", "ASC")):
            parts.append(_NEAREST.format(items=items, op=op, order=order, n=len(parts)))
            params += [tag_id, content_type, pk, per_side]
    counts: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for (object_id,) in cursor.fetchall():
            counts[object_id] = counts.get(object_id, 0) + 1
    return counts


def tags_of(pk: int) -> list:
    """The article's tags in the order they were given (what ``article.tags.all()`` holds).

    Written out for the same reason as the lookups above: taggit's manager builds a
    DISTINCT over three tables through the ORM, five times the cost of running this.
    """
    from taggit.models import Tag

    from .models import Article

    quote = connection.ops.quote_name
    sql = (
        f"SELECT tag.id, tag.name, tag.slug FROM {quote(Tag._meta.db_table)} AS tag"
        f" JOIN {quote(TaggedItem._meta.db_table)} AS item ON item.tag_id = tag.id"
        " WHERE item.content_type_id = %s AND item.object_id = %s ORDER BY item.id"
    )
    content_type = ContentType.objects.get_for_model(Article).pk
    return list(Tag.objects.raw(sql, [content_type, pk]))
