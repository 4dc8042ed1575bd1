from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import ArticleAdminForm, CoverField
from .models import Article, ArticleForReview, Category


class AskedActionsForm(forms.Form):
    """The bulk action(s) a changelist POST asks for: the select above the list and the
    one below share the name ``action``."""

    action = forms.Field(required=False, widget=forms.MultipleHiddenInput)


class NewsroomPermissions:
    """The rights beyond Django's add/change/delete/view (news.roles), as the admin's
    ``has_<name>_permission`` hooks that actions name in ``permissions=[...]``."""

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("news.publish_article")

    def has_feature_permission(self, request) -> bool:
        return request.user.has_perm("news.feature_article")

    def changelist_view(self, request, extra_context=None):
        # Django drops an action the user may not run and re-shows the list with a mere
        # warning; a crafted POST of one is refused outright.
        if request.method == "POST":
            form = AskedActionsForm(request.POST)
            asked = form.cleaned_data["action"] if form.is_valid() else []
            allowed = self.get_actions(request)
            if any(action and action not in allowed for action in asked or []):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "label_en", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["label_en"]}
    search_fields = ["name", "label_en"]


@admin.register(Article)
class ArticleAdmin(NewsroomPermissions, admin.ModelAdmin):
    """Every article for editors; for a writer who may only add articles (a contributor),
    their own, editable while a draft or submitted for review, never published by them."""

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
        articles = super().get_queryset(request).defer("body", "body_text")
        if not Article.may_preview(request.user):  # a writer, not an editor
            articles = articles.filter(created_by=request.user)
        return articles

    def _writes_own(self, request, article) -> bool:
        """A writer's right to their own articles (and to the list of them)."""
        own = article is None or article.created_by_id == request.user.pk
        return own and request.user.has_perm("news.add_article")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._writes_own(request, obj)

    def has_change_permission(self, request, obj=None):
        published = obj is not None and obj.status == Article.Status.PUBLISHED
        if published and not self.has_publish_permission(request):
            return False  # a live (or scheduled) article changes only with the right to publish
        return super().has_change_permission(request, obj) or self._writes_own(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Left out of the form: a tampered value in the POST is ignored.
        if not self.has_publish_permission(request):
            fields.append("publish_at")  # scheduling is publishing
        if not self.has_feature_permission(request):
            fields.append("is_featured")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class of its own per request
        form.may_publish = self.has_publish_permission(request)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.status == Article.Status.REVIEW and "status" in form.changed_data:
            self.message_user(request, _("稿件已提交待审，编辑审核通过后发布。"))

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

    @admin.action(description=_("发布所选文章"), permissions=["publish"])
    def publish(self, request, queryset):
        count = services.articles_publish(articles=queryset)
        self.message_user(
            request, ngettext("已发布 %d 篇文章。", "已发布 %d 篇文章。", count) % count
        )

    @admin.action(description=_("撤回所选文章（转为草稿）"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(articles=queryset)
        self.message_user(
            request, ngettext("已撤回 %d 篇文章。", "已撤回 %d 篇文章。", count) % count
        )

    @admin.action(description=_("设为头条"), permissions=["feature"])
    def feature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=True)
        self.message_user(
            request, ngettext("%d 篇文章设为头条。", "%d 篇文章设为头条。", count) % count
        )

    @admin.action(description=_("取消头条"), permissions=["feature"])
    def unfeature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=False)
        self.message_user(
            request,
            ngettext("%d 篇文章取消头条。", "%d 篇文章取消头条。", count) % count,
            messages.INFO,
        )


@admin.register(ArticleForReview)
class ReviewQueueAdmin(NewsroomPermissions, admin.ModelAdmin):
    """待审稿件: what contributors submitted, the longest waiting first, for the editors who
    may publish it; each opens in the article's own change form."""

    list_display = ["title_link", "category", "created_by", "author", "updated_at", "preview"]
    list_display_links = None
    list_filter = ["category"]
    list_select_related = ["category", "created_by"]
    search_fields = ["title", "author"]
    ordering = ["updated_at", "id"]
    actions = ["approve", "send_back"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_review().defer("body", "body_text")

    def has_view_permission(self, request, obj=None):
        return self.has_publish_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # edited in the article's own form (title_link)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        waiting = Article.objects.in_review().count()
        extra_context = {
            "title": _("待审稿件（%(n)d 篇等待审核）") % {"n": waiting},
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("标题"), ordering="title")
    def title_link(self, article):
        url = reverse("admin:news_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description=_("预览"))
    def preview(self, article):
        return format_html(
            '<a href="{}" target="_blank">{}</a>', article.get_absolute_url(), _("预览")
        )

    @admin.action(description=_("通过并发布"), permissions=["publish"])
    def approve(self, request, queryset):
        count = services.articles_publish(articles=queryset)
        self.message_user(
            request, ngettext("已通过并发布 %d 篇稿件。", "已通过并发布 %d 篇稿件。", count) % count
        )

    @admin.action(description=_("退回修改（转为草稿）"), permissions=["publish"])
    def send_back(self, request, queryset):
        count = services.articles_send_back(articles=queryset)
        self.message_user(
            request,
            ngettext(
                "已退回 %d 篇稿件，撰稿人可修改后再提交。",
                "已退回 %d 篇稿件，撰稿人可修改后再提交。",
                count,
            )
            % count,
            messages.INFO,
        )
