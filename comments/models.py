from django.db import models
from django.utils.translation import gettext_lazy as _

from news.models import Article


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_article(self, article):
        """Approved comments of one article as readers see them, oldest first."""
        return self.approved().filter(article=article).order_by("created_at", "id")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        SPAM = "spam", _("垃圾留言")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("文章")
    )
    name = models.CharField(_("姓名"), max_length=50)
    email = models.EmailField(_("邮箱"))
    message = models.TextField(_("留言"), max_length=2000)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text=_("只有“已通过”的留言显示在文章页。"),
    )
    # Kept for moderation only; never shown to readers.
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx")
        ]
        permissions = [("moderate_comment", _("可以审核留言"))]

    def __str__(self):
        return f"{self.name}:{self.message[:20]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"
