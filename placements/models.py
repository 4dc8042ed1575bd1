from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlacementQuerySet(models.QuerySet):
    def active(self, at=None):
        """In effect at ``at`` (now by default): started, and not yet ended."""
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)

    def in_slot(self, slot):
        return self.filter(slot=slot)

    def for_category(self, category):
        """The placements of a category's page, or of the home page (``None``)."""
        return self.filter(category=category)

    def showing(self, at=None):
        """In effect at ``at`` with an article readers may see then, in the editors' order."""
        from news.models import Article

        at = at or timezone.now()
        return (
            self.active(at)
            .filter(article__status=Article.Status.PUBLISHED, article__publish_at__lte=at)
            .filter(Q(article__expires_at__isnull=True) | Q(article__expires_at__gt=at))
            .select_related("article__category")
            .defer("article__body", "article__body_text")
            .order_by("order", "-starts_at", "-id")
        )

    def next_change(self, after):
        """The first start or end time later than ``after``, or None."""
        found = self.aggregate(
            start=models.Min("starts_at", filter=Q(starts_at__gt=after)),
            end=models.Min("ends_at", filter=Q(ends_at__gt=after)),
        )
        return min((t for t in found.values() if t is not None), default=None)

    def changing_between(self, since, until):
        """Placements that started or ended in [since, until]."""
        return self.filter(
            Q(starts_at__gte=since, starts_at__lte=until)
            | Q(ends_at__gte=since, ends_at__lte=until)
        )


class Placement(models.Model):
    """An article shown in one of the page's slots, from a start time until an end time."""

    class Slot(models.TextChoices):
        HEADLINE = "headline", _("头条")
        RECOMMENDED = "recommended", _("推荐")
        SLIDESHOW = "slideshow", _("幻灯")
        TICKER = "ticker", _("滚动")

    slot = models.CharField(_("版位"), max_length=12, choices=Slot.choices)
    article = models.ForeignKey(
        "news.Article",
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("文章"),
    )
    category = models.ForeignKey(
        "news.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("栏目"),
        help_text=_("留空则放在首页；选了栏目则放在该栏目页。"),
    )
    order = models.PositiveSmallIntegerField(
        _("顺序"), default=0, help_text=_("数字小的排在前面。")
    )
    starts_at = models.DateTimeField(
        _("开始时间"),
        default=timezone.now,
        help_text=_("到点自动上版位，无需任何人操作。"),
    )
    ends_at = models.DateTimeField(
        _("结束时间"),
        null=True,
        blank=True,
        help_text=_("到点自动下版位；留空则一直保留。"),
    )
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

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["slot", "category", "order", "-starts_at", "-id"]
        verbose_name = _("版位安排")
        verbose_name_plural = _("版位安排")
        indexes = [
            models.Index(fields=["slot", "category", "starts_at"], name="placement_slot_idx"),
            models.Index(fields=["ends_at"], name="placement_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="placement_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            )
        ]

    def __str__(self):
        return f"{self.get_slot_display()}：{self.article}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)
