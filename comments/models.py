import hashlib
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

from news.models import Article
from portal.prepared import PreparedQuery


def normalize_message(message: str) -> str:
    """What two messages share when a reader would call them the same text."""
    folded = unicodedata.normalize("NFKC", message).casefold()
    return " ".join(folded.split())


def message_digest(message: str) -> str:
    return hashlib.sha256(normalize_message(message).encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_article(self, article):
        """Approved comments of one article as readers see them, oldest first."""
        return self.approved().filter(article=article).order_by("created_at", "id")

    def from_email(self, email):
        return self.filter(email__iexact=email)


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
    # The same reader posting the same text twice on one article (a double click, a bot
    # replaying a form) is refused by the database itself: see the constraint below.
    # NULL (never equal to another NULL in the constraint) only on rows that repeated an
    # earlier one before the rule existed: an empty string would collide.
    message_digest = models.CharField(  # noqa: DJ001
        _("留言摘要"), max_length=64, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text=_("只有“已通过”的留言显示在文章页。"),
    )
    held_reason = models.CharField(
        _("审核原因"),
        max_length=200,
        blank=True,
        help_text=_("留言为什么没有直接发表（由留言审核规则自动填写）。"),
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
        constraints = [
            models.UniqueConstraint(
                fields=["article", "email", "message_digest"], name="comment_once_per_reader"
            )
        ]
        permissions = [("moderate_comment", _("可以审核留言"))]

    def __str__(self):
        return f"{self.name}:{self.message[:20]}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.message_digest = message_digest(self.message)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"


class ModerationSettings(models.Model):
    """The rules editors set for new comments; one row, edited in the admin."""

    max_links = models.PositiveSmallIntegerField(
        _("链接数上限"),
        default=2,
        help_text=_("链接多于这个数量的留言转人工审核。"),
    )
    hold_words = models.TextField(
        _("需审核的词"),
        blank=True,
        help_text=_("每行一个。含有其中任何一个的留言转人工审核，不区分大小写。"),
    )
    block_words = models.TextField(
        _("屏蔽词"),
        blank=True,
        help_text=_("每行一个。含有其中任何一个的留言直接标记为垃圾留言，不会显示。"),
    )
    trust_known_emails = models.BooleanField(
        _("信任老读者"),
        default=True,
        help_text=_("邮箱曾有留言通过审核的读者，新留言直接发表（仍受上面的规则约束）。"),
    )

    class Meta:
        verbose_name = _("留言审核规则")
        verbose_name_plural = _("留言审核规则")

    def __str__(self):
        return str(_("留言审核规则"))

    def save(self, *args, **kwargs):
        self.pk = 1  # a single row of settings
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ModerationSettings":
        return cls.objects.get_or_create(pk=1)[0]

    def hold_word_list(self) -> list[str]:
        return _word_list(self.hold_words)

    def block_word_list(self) -> list[str]:
        return _word_list(self.block_words)


def _word_list(text: str) -> list[str]:
    return [word for line in text.splitlines() if (word := normalize_message(line))]


# The comments under an article page (see portal.prepared: it runs on every page not cached).
approved_for_article = PreparedQuery(Comment.objects.for_article, "article")
