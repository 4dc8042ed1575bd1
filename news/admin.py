from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import ArticleAdminForm, CoverField
from .models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "label_en", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["label_en"]}
    search_fields = ["name", "label_en"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.ImageField: {"form_class": CoverField},
    }
    list_display = [
        "title",
        "category",
        "status_label",
        "publish_at",
        "views",
        "is_featured",
        "preview_link",
    ]
    list_display_links = ["title"]
    list_filter = ["category", "status", "is_featured", "publish_at"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body_text", "source_name"]
    date_hierarchy = "publish_at"
    ordering = ["-publish_at", "-id"]
    list_per_page = 50
    actions = ["publish", "unpublish", "feature", "unfeature"]
    readonly_fields = ["views", "word_count", "reading_minutes", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "category", "tags", "author"]}),
        (_("正文"), {"fields": ["body", "summary", "cover"]}),
        (_("来源"), {"fields": ["source_name", "source_url"]}),
        (_("发布"), {"fields": ["status", "publish_at", "is_featured"]}),
        (_("统计"), {"fields": readonly_fields, "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "body_text")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("状态"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.publish_at), "Y/m/d H:i")
            return format_html('<strong title="{}">{}</strong>', when, _("定时发布"))
        return article.get_status_display()

    @admin.display(description=_("预览"))
    def preview_link(self, article):
        label = _("查看") if article.is_public else _("预览")
        return format_html('<a href="{}" target="_blank">{}</a>', article.get_absolute_url(), label)

    @admin.action(description=_("发布所选文章"))
    def publish(self, request, queryset):
        count = services.articles_publish(articles=queryset)
        self.message_user(
            request, ngettext("已发布 %d 篇文章。", "已发布 %d 篇文章。", count) % count
        )

    @admin.action(description=_("撤回所选文章（转为草稿）"))
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(articles=queryset)
        self.message_user(
            request, ngettext("已撤回 %d 篇文章。", "已撤回 %d 篇文章。", count) % count
        )

    @admin.action(description=_("设为头条"))
    def feature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=True)
        self.message_user(
            request, ngettext("%d 篇文章设为头条。", "%d 篇文章设为头条。", count) % count
        )

    @admin.action(description=_("取消头条"))
    def unfeature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=False)
        self.message_user(
            request,
            ngettext("%d 篇文章取消头条。", "%d 篇文章取消头条。", count) % count,
            messages.INFO,
        )
