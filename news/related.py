"""What an article page links to around the article: its neighbours and related reading.

This runs on every article page that is not cached yet, so it is one SQL statement of
short index walks, whatever the size of the table, and it builds no model instances.
It is written in SQL because the ORM cannot say it on SQLite (no LIMIT on the parts of a
UNION, so each part needs a subquery of its own) and because building the querysets cost
more than running them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from taggit.models import Tag, TaggedItem

from portal.prepared import PreparedQuery, run_together

# The parts of the statement; each yields ids, tagged with what it found them as. The
# statement knows the article by its id alone, so that it can go to the database with the
# article's own row (portal.prepared.run_together): its category, publish time and tags are
# read in it. The published article just before / just after it, in the same category, by
# (publish_at, id). Each side has a single upper bound on publish_at: given two (the
# article's time and now), SQLite may start from now and walk every newer article.
_CATEGORY = "(SELECT category_id FROM {article} WHERE id = %(pk)s)"
_AT = "(SELECT publish_at FROM {article} WHERE id = %(pk)s)"
_BOUND = f"CASE WHEN {_AT} < %(now)s THEN {_AT} ELSE %(now)s END"
_PREVIOUS = (
    "SELECT 'previous' AS kind, id FROM (SELECT id FROM {article}"
    f" WHERE category_id = {_CATEGORY} AND status = %(published)s AND publish_at <= {_BOUND}"
    f" AND (publish_at < {_AT} OR id < %(pk)s){{unexpired}}"
    " ORDER BY publish_at DESC, id DESC LIMIT 1)"
    " AS older"
)
_NEXT = (
    "SELECT 'next', id FROM (SELECT id FROM {article}"
    f" WHERE category_id = {_CATEGORY} AND status = %(published)s AND publish_at >= {_AT}"
    f" AND publish_at <= %(now)s AND (publish_at > {_AT} OR id > %(pk)s){{unexpired}}"
    " ORDER BY publish_at, id LIMIT 1) AS newer"
)
# The category's newest published articles: related reading when few share a tag.
_NEWEST = (
    "SELECT 'newest', id FROM (SELECT id FROM {article}"
    f" WHERE category_id = {_CATEGORY} AND status = %(published)s AND publish_at <= %(now)s"
    "{unexpired} ORDER BY publish_at DESC, id DESC LIMIT {limit} + 1) AS newest"
)
# Each of the article's first tags' articles nearest to it on one side (by id: the order they
# were written in), along the (tag, content type, object id) index of migration 0003: a
# follow-up or an earlier report of the same story. A tag on 50,000 articles costs what a
# tag on 50 does; counting every article of every tag instead grows with the table.
# PostgreSQL walks each of the article's tags in turn (LATERAL); SQLite, which has no
# LATERAL, gets one part per position among the article's tags (a missing one finds none).
_MY_TAGS = (
    "SELECT tag_id FROM {items} WHERE content_type_id = %(content_type)s"
    " AND object_id = %(pk)s ORDER BY id"
)
_NEAREST = (
    " AND content_type_id = %(content_type)s AND object_id {op} %(pk)s"
    " ORDER BY object_id {order} LIMIT {limit}"
)
_NEAREST_LATERAL = (
    "SELECT 'tag', nearest.object_id FROM (" + _MY_TAGS + " LIMIT {tags}) AS mine"
    " CROSS JOIN LATERAL (SELECT object_id FROM {items} WHERE tag_id = mine.tag_id"
    + _NEAREST
    + ") AS nearest"
)
_NEAREST_AT = (
    "SELECT 'tag', object_id FROM (SELECT object_id FROM {items}"
    " WHERE tag_id = (" + _MY_TAGS + " LIMIT 1 OFFSET {position})" + _NEAREST + ") AS t{n}"
)
# The rows found, fetched by primary key alone; publication is checked in Python: given
# the publication filter too, SQLite walks the whole (status, publish_at) index instead.
# The publish time comes as UTC text that sorts as the time does (SQLite stores it so):
# a page reads some forty rows and shows eight, and parsing a datetime costs more than
# the rest of a row.
# An article past its expiry time (scheduled unpublishing) counts as unpublished.
_UNEXPIRED = " AND (expires_at IS NULL OR expires_at > %(now)s)"
_LINKS = (
    "SELECT found.kind, a.id, a.title,"
    " CASE WHEN a.expires_at IS NULL OR a.expires_at > %(now)s THEN a.status ELSE '' END,"
    " {moment} FROM ({parts}) AS found JOIN {article} AS a ON a.id = found.id"
)
_MOMENT = {
    "postgresql": "to_char(a.publish_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
    "sqlite": "CAST(a.publish_at AS TEXT)",  # as stored, before Python's datetime converter
}
_MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # the same text for a datetime from elsewhere


@dataclass(slots=True)
class ArticleLink:
    """A link to a published article: what the lists around an article page show."""

    pk: int
    title: str
    publish_at: datetime
    url: str
    shared_tags: int = 0

    @property
    def id(self):
        return self.pk

    def get_absolute_url(self):
        return self.url


@dataclass(slots=True)
class Around:
    previous: ArticleLink | None
    next: ArticleLink | None
    related: list[ArticleLink]


class AroundStatement:
    """The neighbours of an article in its category and its related reading, as one
    statement for ``portal.prepared.run_together`` (values: the article's ``pk``).

    Related means sharing the most tags with the article among each of its first tags'
    articles nearest to it, then the category's newest, newest first; published articles
    only. The statement runs with the values' ``now`` (the moment of publication checked).
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._sql = {}

    def statement(self, values: dict):
        from .models import Article

        using = router.db_for_read(Article)
        connection = connections[using]
        pk = int(values["pk"])
        if not -(2**31) <= pk < 2**31:
            return using, None, None  # no article has it, and the database would refuse it
        now = values.setdefault("now", timezone.now())
        params = {
            "pk": pk,
            "now": connection.ops.adapt_datetimefield_value(now),
            "published": Article.Status.PUBLISHED,
            "content_type": ContentType.objects.get_for_model(Article).pk,
        }
        return using, self._statement_for(connection), params

    def _statement_for(self, connection) -> str:
        """The SQL for ``connection``'s database, written once per process."""
        sql = self._sql.get(connection.vendor)
        if sql is None:
            sql = self._sql[connection.vendor] = self._write(connection)
        return sql

    def _write(self, connection) -> str:
        from .models import RELATED_TAGS, Article

        quote = connection.ops.quote_name
        # The limits are written into the statement: PostgreSQL plans a prepared statement
        # once for all values only when it sees them (it costs a LIMIT $1 as a tenth of the
        # table, and planned the statement again on every page: 1 ms of its 2).
        names = {
            "article": quote(Article._meta.db_table),
            "items": quote(TaggedItem._meta.db_table),
            "limit": int(self.limit),
            "tags": RELATED_TAGS,
            "unexpired": _UNEXPIRED,
        }
        parts = [part.format(**names) for part in (_PREVIOUS, _NEXT, _NEWEST)]
        for op, order in (("<", "DESC"), (">", "ASC")):
            if connection.vendor == "postgresql":
                parts.append(_NEAREST_LATERAL.format(op=op, order=order, **names))
                continue
            for position in range(RELATED_TAGS):
                part = _NEAREST_AT.format(
                    op=op, order=order, position=position, n=len(parts), **names
                )
                parts.append(part)
        moment = _MOMENT.get(connection.vendor, "a.publish_at")
        return _LINKS.format(parts=" UNION ALL ".join(parts), moment=moment, **names)

    def results(self, connection, rows, values) -> Around:
        """The links from the rows: [title, publish time as text, tags shared] by id, then
        only the chosen become links."""
        from .models import Article, article_path_parts

        pk, limit, published = int(values["pk"]), self.limit, Article.Status.PUBLISHED
        seen, found = {}, {"previous": None, "next": None, "newest": [], "tag": {}}
        now_text = values["now"].astimezone(UTC).strftime(_MOMENT_FORMAT) if rows else ""
        for kind, link_pk, title, status, moment in rows:
            if not isinstance(moment, str):  # another database: a datetime, naive in UTC
                moment = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
                moment = moment.strftime(_MOMENT_FORMAT)
            if status != published or moment > now_text or link_pk == pk:
                continue  # a draft or a scheduled article sharing a tag; the article itself
            row = seen.setdefault(link_pk, [title, moment, 0])
            if kind == "tag":
                row[2] += 1
                found["tag"][link_pk] = row
            elif kind == "newest":
                found["newest"].append(link_pk)
            else:
                found[kind] = link_pk
        # The most shared first, then the newest; the category's newest (already newest
        # first) fill the rest.
        by_shared = sorted(found["tag"].items(), key=_by_shared_then_newest, reverse=True)
        reading = [link_pk for link_pk, _row in by_shared[:limit]]
        reading += [p for p in found["newest"] if p not in reading][: limit - len(reading)]

        before, after = article_path_parts()

        def link(link_pk):
            if link_pk is None:
                return None
            title, moment, shared = seen[link_pk]
            url = f"{before}{link_pk}{after}"
            return ArticleLink(link_pk, title, _aware(moment), url, shared)

        return Around(link(found["previous"]), link(found["next"]), [link(p) for p in reading])


_statements: dict[int, AroundStatement] = {}


def around_query(pk: int, *, limit: int):
    """``around(pk)`` as a statement and its values, for ``portal.prepared.run_together``."""
    statement = _statements.get(limit)
    if statement is None:
        statement = _statements[limit] = AroundStatement(limit)
    return statement, {"pk": pk}


def around(pk: int, *, limit: int) -> Around:
    """The neighbours of the article ``pk`` and its related reading (see AroundStatement)."""
    statement, values = around_query(pk, limit=limit)
    return run_together((statement, values))[0]


def _by_shared_then_newest(item):
    link_pk, (_title, moment, shared) = item
    return (shared, moment, link_pk)


def _aware(value: str) -> datetime:
    """The publish time of a link from its UTC text (with or without microseconds)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = parse_datetime(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def tags_of(pk: int) -> list:
    """The article's tags in the order they were given (what ``article.tags.all()`` holds).

    A prepared statement (see ``portal.prepared``): taggit's manager builds a DISTINCT
    over three tables through the ORM, five times the cost of running this.
    """
    query, values = tags_query(pk)
    return query(**values)


def tags_query(pk: int):
    """``tags_of(pk)`` as a prepared query and its values, for ``portal.prepared.run_together``."""
    from .models import Article

    content_type = ContentType.objects.get_for_model(Article).pk
    return _tags_of, {"content_type": content_type, "pk": pk}


_tags_of = PreparedQuery(
    lambda content_type, pk: Tag.objects.filter(
        taggit_taggeditem_items__content_type=content_type,
        taggit_taggeditem_items__object_id=pk,
    ).order_by("taggit_taggeditem_items__id"),
    "content_type",
    "pk",
)
