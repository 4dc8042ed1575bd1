from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """An article as search sees it: its folded text and what results are ordered by.

    One row per published article (scheduled ones included: they are filtered out by
    ``publish_at`` until their time comes, so they appear in results without anyone saving
    anything); drafts and deleted articles have none. Kept in step with every save,
    publish, unpublish, schedule change and delete (search.sync); ``manage.py
    rebuild_search_index`` rebuilds it from scratch. The gram index itself lives beside it,
    in what the database offers (search.backends).
    """

    article = models.OneToOneField(
        "news.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("文章"),
    )
    title = models.TextField(_("标题（折叠后）"))
    # title, summary, body text and source, folded, separated by search.text.FIELD_SEPARATOR
    text = models.TextField(_("全文（折叠后）"))
    category_id = models.IntegerField(_("栏目"), db_index=True)
    publish_at = models.DateTimeField(_("发布时间"), db_index=True)
    # Orders results newest first: the publish time in seconds, then the id (see
    # search.backends.base.rank_key). Unique, so deep pages never shuffle.
    rank = models.BigIntegerField(_("排序键"), unique=True)

    class Meta:
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")

    def __str__(self):
        return self.title[:40]
