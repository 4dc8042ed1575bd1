import functools
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from portal.prepared import PreparedQuery

from . import images, related, text

SUMMARY_LENGTH = 120
RELATED_TAGS = 10  # related reading looks at an article's first ten tags
TRASH_DAYS = 30  # a deleted article can be restored for this long, then it is purged


class CategoryQuerySet(models.QuerySet):
    def with_lead_ids(self):
        """Annotate lead_id, the category's lead story: two index lookups per category."""
        in_category = Article.objects.published().filter(category=OuterRef("pk")).newest()
        return self.annotate(
            lead_id=Coalesce(
                Subquery(in_category.featured().values("pk")[:1]),
                Subquery(in_category.values("pk")[:1]),
            )
        )


class Category(models.Model):
    name = models.CharField(_("名称"), max_length=20, unique=True)
    label_en = models.CharField(
        _("英文名"), max_length=30, blank=True, help_text=_("显示在导航中文名旁，如 news。")
    )
    slug = models.SlugField(_("网址标识"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面。")
    )
    description = models.TextField(_("简介"), blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("news:category", self.slug)


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers may see: published, the publish time has come and the expiry time
        (if any) has not (by ``at``, for an editor's look ahead; now by default)."""
        at = at or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=at).unexpired(at)

    def unexpired(self, at=None):
        """Without an expiry time, or one still to come."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at or timezone.now()))

    def expiring(self):
        """Published articles whose expiry time is still to come, soonest first."""
        return self.filter(status=Article.Status.PUBLISHED, expires_at__gt=timezone.now()).order_by(
            "expires_at"
        )

    def visible_to(self, user):
        """Editors who may see articles in the admin preview drafts and scheduled ones too;
        a writer, their own; everyone else sees published articles."""
        if Article.may_preview(user):
            return self.live()
        if Article.may_write(user):
            return self.published() | self.live().filter(created_by=user)
        return self.published()

    def live(self):
        """Every article but those in the trash (回收站)."""
        return self.exclude(status=Article.Status.DELETED)

    def in_trash(self):
        """Deleted articles, the most recently deleted first."""
        return self.filter(status=Article.Status.DELETED).order_by("-deleted_at", "-id")

    def trash_expired(self):
        """Deleted articles whose TRASH_DAYS have run out: no longer restorable."""
        cutoff = timezone.now() - timedelta(days=TRASH_DAYS)
        return self.filter(status=Article.Status.DELETED, deleted_at__lt=cutoff)

    def in_review(self):
        """Drafts their writers submitted for review, the longest waiting first."""
        return self.filter(status=Article.Status.REVIEW).order_by("updated_at", "id")

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def in_category(self, category):
        return self.filter(category=category)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def featured(self):
        return self.filter(is_featured=True)

    def count_view(self) -> int:
        """Add one view in a single UPDATE (views = views + 1): exact under concurrency."""
        return self.update(views=F("views") + 1)

    def newest(self):
        return self.order_by("-publish_at", "-id")

    def most_viewed(self):
        return self.order_by("-views", "-publish_at")

    def hot(self, limit: int = 10):
        """The most viewed published articles.

        Read along the (status, views) index, with a margin for articles that are still
        scheduled: filtering on the publish time first would sort the whole table.
        """
        candidates = self.filter(status=Article.Status.PUBLISHED).most_viewed()[: limit + 20]
        return [a for a in candidates if a.is_public][:limit]

    def for_listing(self):
        """Only what list pages show: no body, category joined in."""
        return self.select_related("category").defer("body", "body_text")

    def search(self, query: str):
        """Every term must appear, as a substring, in the title, summary, body text or source."""
        qs = self
        for term in query.split():
            qs = qs.filter(
                Q(title__icontains=term)
                | Q(summary__icontains=term)
                | Q(body_text__icontains=term)
                | Q(source_name__icontains=term)
            )
        return qs

    def around(self, article, limit: int = 6) -> related.Around:
        """The article's previous and next articles in its category and its related reading.

        One statement of short index walks, whatever the size of the table, over the
        article's first RELATED_TAGS tags (see ``news.related``); published articles only,
        whatever ``self`` filters.
        """
        return related.around(article.pk, limit=limit)

    def leads(self):
        """Each category's lead story: its newest featured article, else its newest one."""
        lead_ids = Category.objects.with_lead_ids().values_list("lead_id", flat=True)
        return self.filter(pk__in=[pk for pk in lead_ids if pk])


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审")  # submitted by its writer; an editor publishes it
        PUBLISHED = "published", _("已发布")
        # In the trash (回收站): hidden from readers like a draft, restorable for TRASH_DAYS.
        DELETED = "deleted", _("已删除")

    # Short columns first, the long texts last: SQLite reads a row's leading columns without
    # following the overflow pages of a long body (lists, neighbours and leads stay fast).
    title = models.CharField(_("标题"), max_length=120)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("栏目")
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("只有“已发布”且发布时间已到的文章对读者可见。"),
    )
    publish_at = models.DateTimeField(
        _("发布时间"),
        default=timezone.now,
        db_index=True,
        help_text=_("设为将来的时间即定时发布：到点前读者看不到，到点后自动出现。"),
    )
    # Scheduled unpublishing: from this time on readers no longer see the article (it stays
    # 已发布 in the admin, marked 已下线), with nobody saving anything.
    expires_at = models.DateTimeField(
        _("下线时间"),
        null=True,
        blank=True,
        help_text=_("到点自动下线：读者不再看到本文。留空则一直保留。"),
    )
    is_featured = models.BooleanField(_("头条"), default=False)
    views = models.PositiveIntegerField(_("浏览"), default=0, editable=False)
    word_count = models.PositiveIntegerField(_("字数"), default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(_("阅读分钟"), default=1, editable=False)
    author = models.CharField(_("作者"), max_length=50, blank=True)
    source_name = models.CharField(_("来源"), max_length=80, blank=True)
    source_url = models.URLField(_("来源网址"), blank=True)
    cover = models.ImageField(_("封面图"), upload_to="covers/%Y/%m/", blank=True)
    cover_thumb = models.ImageField(
        _("封面缩略图"), upload_to="covers/thumbs/", blank=True, editable=False
    )
    tags = TaggableManager(_("标签"), blank=True, help_text=_("多个标签用逗号分隔。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    summary = models.TextField(
        _("摘要"), max_length=300, blank=True, help_text=_("留空则自动取正文开头。")
    )
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    body = CKEditor5Field(_("正文"), config_name="article")
    # The trash: who deleted the article, when, and the status a restore gives back.
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("删除人"),
    )
    status_before_delete = models.CharField(
        _("删除前状态"), max_length=10, choices=Status.choices, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()
    # Revisions (修订历史): every save keeps the editable content and who saved it. Left out:
    # what readers change all the time (views), what is derived from the body, and the
    # trash's bookkeeping (its status change is in the revision already).
    history = HistoricalRecords(
        excluded_fields=[
            "views",
            "word_count",
            "reading_minutes",
            "body_text",
            "cover_thumb",
            "updated_at",
            "deleted_at",
            "deleted_by",
            "status_before_delete",
        ],
        cascade_delete_history=True,  # an article purged from the trash is gone for good
        verbose_name=_("文章修订"),
        verbose_name_plural=_("文章修订"),
    )

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        # What separates the newsroom's roles (news.roles): writing (add_article) is not
        # publishing, and the headline is the editors' call.
        permissions = [
            ("publish_article", _("可以发布文章（发布、定时发布、撤回）")),
            ("feature_article", _("可以设置头条")),
        ]
        indexes = [
            # Lists page over (publish_at, id); with id in the index a deep page skips ahead
            # over the index alone.
            models.Index(fields=["status", "publish_at", "id"], name="article_pub_idx"),
            models.Index(
                fields=["category", "status", "publish_at", "id"], name="article_cat_pub_idx"
            ),
            models.Index(fields=["status", "views"], name="article_views_idx"),
            # The next expiry to act upon (news.caching): the few articles that have one.
            models.Index(
                fields=["expires_at"],
                name="article_expires_idx",
                condition=Q(expires_at__isnull=False),
            ),
            models.Index(
                fields=["category", "is_featured", "status", "publish_at"],
                name="article_cat_featured_idx",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_cover = self.cover.name if "cover" in self.__dict__ else None

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A summary that was derived from the old body follows the body; one an editor wrote stays.
        summary = (self.summary or "").strip()
        derived = not summary or summary == text.excerpt(self.body_text, SUMMARY_LENGTH)
        self.body = text.sanitize_html(self.body)
        self.body_text = text.visible_text(self.body)
        self.word_count = text.count_chars(self.body_text)
        self.reading_minutes = text.reading_minutes(self.word_count)
        self.summary = text.excerpt(self.body_text, SUMMARY_LENGTH) if derived else summary
        if self.cover and (self.cover.name != self._saved_cover or not self.cover_thumb):
            self.cover_thumb = images.list_rendition(self.cover)
        elif not self.cover:
            self.cover_thumb = ""
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            # Never write back the view count loaded with the form: readers' hits that
            # arrived while the editor was editing would be lost.
            fields = self._meta.concrete_fields
            kwargs["update_fields"] = [f.name for f in fields if f.name not in ("id", "views")]
        super().save(*args, **kwargs)
        self._saved_cover = self.cover.name

    def get_absolute_url(self):
        return article_url(self.pk)

    @staticmethod
    def may_preview(user) -> bool:
        """Whether ``user`` sees everyone's drafts and scheduled articles (``visible_to``)."""
        # The admin shows any article to whoever may view or change every article (editors,
        # not contributors, who hold add_article only): the same rule here.
        return (
            user.is_active
            and user.is_staff
            and (user.has_perm("news.view_article") or user.has_perm("news.change_article"))
        )

    @staticmethod
    def may_write(user) -> bool:
        """Whether ``user`` may write articles of their own (every role, contributors too)."""
        return user.is_active and user.is_staff and user.has_perm("news.add_article")

    def is_visible_to(self, user) -> bool:
        """Readers see public articles; editors preview any; a writer previews their own.
        An article in the trash is nobody's to see outside the admin's 回收站."""
        if self.is_deleted:
            return False
        return self.is_public or Article.may_preview(user) or self.is_written_by(user)

    def is_written_by(self, user) -> bool:
        """Whether ``user`` created this article and may still write (a writer's own draft)."""
        return (
            self.created_by_id is not None
            and self.created_by_id == user.pk
            and Article.may_write(user)
        )

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_expired(self) -> bool:
        """Published, but its expiry time has passed: readers no longer see it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    def clean(self):
        super().clean()
        if self.expires_at and self.publish_at and self.expires_at <= self.publish_at:
            raise ValidationError({"expires_at": _("下线时间必须晚于发布时间。")})

    @property
    def is_deleted(self) -> bool:
        return self.status == self.Status.DELETED

    @property
    def purge_at(self):
        """When an article in the trash is purged for good (None outside the trash)."""
        return self.deleted_at + timedelta(days=TRASH_DAYS) if self.deleted_at else None

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def list_image(self):
        """The list-sized rendition, or the cover itself for covers saved before renditions."""
        return self.cover_thumb or self.cover


# An article page's article, by primary key alone (its visibility is checked on the row).
# Without the plain text kept for search: the page shows the body, and the text, as long,
# is stored compressed (TOAST) and would be unpacked for nothing.
article_by_pk = PreparedQuery(lambda pk: Article.objects.filter(pk=pk).defer("body_text"), "pk")


def article_url(pk: int) -> str:
    """``reverse("news:article", kwargs={"pk": pk})``, without resolving it on every link.

    An article page links to a dozen articles; reversing each one was a tenth of the
    page's rendering. The path is reversed once per URL configuration and script prefix.
    """
    before, after = article_path_parts()
    return f"{before}{pk}{after}"


def article_path_parts() -> tuple[str, str]:
    """What an article's address has before and after its id, for many links at once."""
    return id_path_parts("news:article")


def id_path_parts(viewname: str) -> tuple[str, str]:
    """What the address of ``viewname`` (whose one argument is ``pk``) has before and after
    the id: reversed once per URL configuration and script prefix."""
    return _id_path(viewname, get_script_prefix(), get_urlconf())


def cached_reverse(viewname: str, *args) -> str:
    """``reverse(viewname, args=args)`` for the few addresses every page links to again
    (home, categories, tags): reversed once per URL configuration and script prefix."""
    return _reversed(viewname, args, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=2048)
def _reversed(viewname, args, script_prefix, urlconf) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


@functools.lru_cache(maxsize=32)
def _id_path(viewname, script_prefix, urlconf) -> tuple[str, str]:
    marker = 9876543210123
    path = reverse(viewname, kwargs={"pk": marker}, urlconf=urlconf)
    before, after = path.split(str(marker))
    return before, after


class ArticleForReview(Article):
    """The admin's review queue (待审稿件): the same rows, listed apart for the editors."""

    class Meta:
        proxy = True
        verbose_name = _("待审稿件")
        verbose_name_plural = _("待审稿件")


class ArticleInTrash(Article):
    """The admin's trash (回收站): deleted articles, restorable for TRASH_DAYS."""

    class Meta:
        proxy = True
        verbose_name = _("回收站")
        verbose_name_plural = _("回收站")


class ViewFlush(models.Model):
    """A batch of Redis-buffered views written to the database (so it is written only once)."""

    batch = models.CharField(_("批次"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("浏览数写回批次")
        verbose_name_plural = _("浏览数写回批次")

    def __str__(self):
        return self.batch
