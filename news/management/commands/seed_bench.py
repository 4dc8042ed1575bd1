"""Fill the configured database with a large synthetic data set for ``make bench``."""

import ipaddress
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from bench.corpus import TAGS, Writer
from comments.models import Comment
from news import text
from news.models import SUMMARY_LENGTH, Article, Category

BENCH_AUTHOR = "bench"
CATEGORY_SLUGS = ["news", "finance", "industry"]


class Command(BaseCommand):
    help = (
        "为性能基准写入大批合成文章、标签和留言（作者标记为 bench）。"
        "可重复运行：已有的 bench 文章够数就跳过，不够只补齐差额。"
        "请只对基准测试专用的数据库运行（make bench 会自动设置）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000, help=_("文章总数"))
        parser.add_argument("--comments", type=int, default=5_000, help=_("留言总数"))
        parser.add_argument("--batch", type=int, default=2_000, help=_("每批写入的行数"))
        parser.add_argument("--seed", type=int, default=2026, help=_("随机数种子"))

    def handle(self, *args, articles, comments, batch, seed, **options):
        categories = list(Category.objects.filter(slug__in=CATEGORY_SLUGS).order_by("order"))
        if len(categories) != len(CATEGORY_SLUGS):
            raise CommandError(_("缺少栏目 news / finance / industry，请先运行 migrate。"))
        started = time.monotonic()
        bench_articles = Article.objects.filter(author=BENCH_AUTHOR)
        have = bench_articles.count()
        if have >= articles:
            self.stdout.write(_("已有 %(n)s 篇 bench 文章，无需写入。") % {"n": have})
        else:
            # A different seed per top-up, so a second run adds new text rather than copies.
            writer = Writer(seed=seed + have)
            self.create_articles(writer, categories, have, articles, batch)
        have_comments = Comment.objects.filter(article__author=BENCH_AUTHOR).count()
        if have_comments < comments:
            writer = Writer(seed=seed + have_comments + 1, sentence_pool_size=200, modelled=False)
            self.create_comments(writer, comments - have_comments, batch)
        if have < articles or have_comments < comments:
            self.refresh_statistics()
        if have < articles:
            # bulk_create sends no signals: the search index is built once, over them all.
            call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                _("bench 数据就绪：文章 %(a)s 篇，留言 %(c)s 条，用时 %(s).1f 秒。")
                % {
                    "a": bench_articles.count(),
                    "c": Comment.objects.filter(article__author=BENCH_AUTHOR).count(),
                    "s": time.monotonic() - started,
                }
            )
        )

    def create_articles(self, writer, categories, have, total, batch):
        tags = self.tag_pool()
        content_type = ContentType.objects.get_for_model(Article)
        now = timezone.now()
        started, done = time.monotonic(), have
        while done < total:
            size = min(batch, total - done)
            drafts = [writer.article(len(categories)) for _ in range(size)]
            rows = [self.row(draft, categories, now) for draft in drafts]
            with transaction.atomic():
                created = Article.objects.bulk_create(rows)
                TaggedItem.objects.bulk_create(
                    TaggedItem(tag_id=tags[name], content_type=content_type, object_id=row.pk)
                    for draft, row in zip(drafts, created, strict=True)
                    for name in draft.tags
                )
            done += size
            rate = (done - have) / (time.monotonic() - started)
            self.stdout.write(
                _("文章 %(done)s / %(total)s（每秒 %(rate).0f 篇）")
                % {"done": done, "total": total, "rate": rate}
            )

    @staticmethod
    def row(draft, categories, now) -> Article:
        """The row Article.save() would store; the generated HTML needs no sanitizing."""
        body_text = text.visible_text(draft.body)
        word_count = text.count_chars(body_text)
        return Article(
            title=draft.title,
            body=draft.body,
            body_text=body_text,
            summary=text.excerpt(body_text, SUMMARY_LENGTH),
            word_count=word_count,
            reading_minutes=text.reading_minutes(word_count),
            category=categories[draft.category_index],
            author=BENCH_AUTHOR,
            source_name=draft.source,
            status=Article.Status.PUBLISHED,
            publish_at=(now - timedelta(seconds=draft.publish_offset)).replace(microsecond=0),
            is_featured=draft.is_featured,
            views=min(draft.views, 2_000_000),
        )

    def refresh_statistics(self):
        """On PostgreSQL, what autovacuum would do some minutes after a bulk load.

        Without statistics the planner takes the fresh tables for empty and picks plans
        that are quadratic at this size (the deep category page took 20 s); a production
        table has statistics. SQLite is left as the portal leaves it: without ANALYZE.
        """
        if connection.vendor != "postgresql":
            return
        models = [Article, TaggedItem, Tag, Comment]
        with connection.cursor() as cursor:
            for model in models:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        self.stdout.write(_("已对新数据运行 VACUUM ANALYZE。"))

    @staticmethod
    def tag_pool() -> dict[str, int]:
        """Tag ids by name; the ~200 tags go through Tag.save() for taggit's unique slugs."""
        ids = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))
        for name in TAGS:
            if name not in ids:
                ids[name] = Tag.objects.create(name=name).pk
        return ids

    def create_comments(self, writer, count, batch):
        rng = writer.rng
        article_ids = list(Article.objects.filter(author=BENCH_AUTHOR).values_list("pk", flat=True))
        if not article_ids:
            return
        statuses = [Comment.Status.APPROVED] * 17 + [Comment.Status.PENDING] * 2
        statuses.append(Comment.Status.SPAM)
        rows = [
            Comment(
                article_id=rng.choice(article_ids),
                name=writer.reader_name(),
                email=f"reader{rng.randrange(10**6)}@example.com",
                message=writer.comment(),
                status=rng.choice(statuses),
                ip_address=str(ipaddress.IPv4Address(rng.randrange(0x0A000001, 0x0AFFFFFE))),
                user_agent="Mozilla/5.0 (bench)",
            )
            for _ in range(count)
        ]
        Comment.objects.bulk_create(rows, batch_size=batch)
        self.stdout.write(_("留言 %(n)s 条已写入。") % {"n": count})
