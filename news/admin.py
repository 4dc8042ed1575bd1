from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import revisions, services, text
from .forms import ArticleAdminForm, CoverField, RevisionCompareForm
from .models import TRASH_DAYS, Article, ArticleForReview, ArticleInTrash, Category

REVISIONS_PER_PAGE = 50


class AskedActionsForm(forms.Form):
    """The bulk action(s) a changelist POST asks for: the select above the list and the
    one below share the name ``action``."""

    action = forms.Field(required=False, widget=forms.MultipleHiddenInput)


@admin.display(description=_("预览"))
def preview_link(article):
    """The article on the site: 查看 once public, else the staff preview."""
    label = _("查看") if article.is_public else _("预览")
    return format_html('<a href="{}" target="_blank">{}</a>', article.get_absolute_url(), label)


class NewsroomPermissions:
    """The rights beyond Django's add/change/delete/view (news.roles), as the admin's
    ``has_<name>_permission`` hooks that actions name in ``permissions=[...]``."""

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("news.publish_article")

    def has_feature_permission(self, request) -> bool:
        return request.user.has_perm("news.feature_article")

    def has_delete_permission(self, request, obj=None):
        # Deleting moves to the trash (主编's right); editors may undo it (ArticleTrashAdmin).
        return request.user.has_perm("news.delete_article")

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


class LiveStatusFilter(admin.SimpleListFilter):
    """The article list's 状态 filter, without 已删除: deleted articles are in the trash."""

    title = _("状态")
    parameter_name = "status"

    EXPIRED = "expired"  # 已发布, past its 下线时间

    def lookups(self, request, model_admin):
        statuses = [(v, label) for v, label in Article.Status.choices]
        return [s for s in statuses if s[0] != Article.Status.DELETED] + [
            (self.EXPIRED, _("已下线"))
        ]

    def queryset(self, request, queryset):
        if self.value() == self.EXPIRED:
            return queryset.filter(status=Article.Status.PUBLISHED, expires_at__lte=timezone.now())
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


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
        preview_link,
    ]
    list_display_links = ["title"]
    list_filter = ["category", LiveStatusFilter, "is_featured", "publish_at"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body_text", "source_name"]
    delete_confirmation_template = "admin/news/article/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/news/article/delete_selected_confirmation.html"

    date_hierarchy = "publish_at"
    ordering = ["-publish_at", "-id"]
    list_per_page = 50
    actions = ["publish", "unpublish", "feature", "unfeature"]
    readonly_fields = ["views", "word_count", "reading_minutes", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "category", "tags", "author"]}),
        (_("正文"), {"fields": ["body", "summary", "cover"]}),
        (_("来源"), {"fields": ["source_name", "source_url"]}),
        (_("发布"), {"fields": ["status", "publish_at", "expires_at", "is_featured"]}),
        (_("统计"), {"fields": readonly_fields, "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        articles = super().get_queryset(request).live().defer("body", "body_text")
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
            fields += ["publish_at", "expires_at"]  # scheduling (either way) is publishing
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

    # --- the trash: deleting moves an article there (see ArticleTrashAdmin) ---------------

    def delete_model(self, request, obj):
        services.articles_trash(articles=Article.objects.filter(pk=obj.pk), user=request.user)

    def delete_queryset(self, request, queryset):
        count = services.articles_trash(articles=queryset, user=request.user)
        self.message_user(request, trash_notice(count))
        # Django's bulk delete says "成功删除了…" right after this: nothing was deleted.
        request._trash_notice_given = True

    def message_user(self, request, message, *args, **kwargs):
        if getattr(request, "_trash_notice_given", False):
            request._trash_notice_given = False  # the one message after delete_queryset
            return
        super().message_user(request, message, *args, **kwargs)

    def get_deleted_objects(self, objs, request):
        """Only the articles themselves: their comments, tags and placements stay with them
        in the trash, so no other right is needed."""
        return [str(article) for article in objs], {}, set(), []

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, trash_notice(1), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:news_article_changelist"))

    # --- revisions (修订历史) -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="news_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name="news_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_redirect(self, request, object_id):
        """The article if this user may see it in the admin; else the admin's "doesn't
        exist" (a writer never learns of another writer's articles)."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article, None

    def _revision_context(self, request, article, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": article,
            "may_restore": self.has_change_permission(request, article),
            **context,
        }

    def history_view(self, request, object_id, extra_context=None):
        """修订历史: every revision with who saved it, when and what it changed."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        page = Paginator(revisions.history_of(article), REVISIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        # One revision more than the page: the last one's changes are against it.
        start = page.start_index() - 1 if page.paginator.count else 0
        shown = revisions.label_changes(
            revisions.history_of(article)[start : start + REVISIONS_PER_PAGE + 1]
        )[: len(page.object_list)]
        title = _("修订历史：%(title)s") % {"title": article.title}
        context = self._revision_context(
            request, article, title=title, page=page, revisions=shown, **(extra_context or {})
        )
        return TemplateResponse(request, "admin/news/article/revision_history.html", context)

    def compare_view(self, request, object_id):
        """Two revisions side by side (title, summary, body)."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        form = RevisionCompareForm(request.GET, revisions=revisions.history_of(article))
        context = self._revision_context(
            request, article, title=_("版本比较：%(title)s") % {"title": article.title}, form=form
        )
        if not form.is_valid():
            return TemplateResponse(
                request, "admin/news/article/revision_compare.html", context, status=400
            )
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        context.update(old=old, new=new, fields=revisions.compare(old, new))
        return TemplateResponse(request, "admin/news/article/revision_compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        """恢复此版本: a confirmation page, then the restore (itself a new revision)."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        revision = get_object_or_404(revisions.history_of(article), pk=revision_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied  # restoring is editing (a writer's live article: no)
        if request.method == "POST":
            services.article_restore_revision(article=article, revision=revision, user=request.user)
            when = date_format(timezone.localtime(revision.history_date), "Y-m-d H:i")
            self.message_user(
                request,
                _("已恢复为 %(when)s 的版本，恢复本身也记为一个新版本。") % {"when": when},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:news_article_history", args=[article.pk]))
        context = self._revision_context(
            request,
            article,
            title=_("恢复此版本：%(title)s") % {"title": article.title},
            revision=revision,
            body_text=text.visible_text(revision.body),
        )
        return TemplateResponse(request, "admin/news/article/revision_restore.html", context)

    @admin.display(description=_("状态"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.publish_at), "Y/m/d H:i")
            return format_html('<strong title="{}">{}</strong>', when, _("定时发布"))
        if article.is_expired:
            when = date_format(timezone.localtime(article.expires_at), "Y/m/d H:i")
            return format_html('<span title="{}">{}</span>', when, _("已下线"))
        return article.get_status_display()

    @admin.action(description=_("发布所选文章"), permissions=["publish"])
    def publish(self, request, queryset):
        count = services.articles_publish(articles=queryset, user=request.user)
        self.message_user(
            request, ngettext("已发布 %d 篇文章。", "已发布 %d 篇文章。", count) % count
        )

    @admin.action(description=_("撤回所选文章（转为草稿）"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(articles=queryset, user=request.user)
        self.message_user(
            request, ngettext("已撤回 %d 篇文章。", "已撤回 %d 篇文章。", count) % count
        )

    @admin.action(description=_("设为头条"), permissions=["feature"])
    def feature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=True, user=request.user)
        self.message_user(
            request, ngettext("%d 篇文章设为头条。", "%d 篇文章设为头条。", count) % count
        )

    @admin.action(description=_("取消头条"), permissions=["feature"])
    def unfeature(self, request, queryset):
        count = services.articles_set_featured(articles=queryset, featured=False, user=request.user)
        self.message_user(
            request,
            ngettext("%d 篇文章取消头条。", "%d 篇文章取消头条。", count) % count,
            messages.INFO,
        )


@admin.register(ArticleForReview)
class ReviewQueueAdmin(NewsroomPermissions, admin.ModelAdmin):
    """待审稿件: what contributors submitted, the longest waiting first, for the editors who
    may publish it; each opens in the article's own change form."""

    list_display = ["title_link", "category", "created_by", "author", "updated_at", preview_link]
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

    @admin.action(description=_("通过并发布"), permissions=["publish"])
    def approve(self, request, queryset):
        count = services.articles_publish(articles=queryset, user=request.user)
        self.message_user(
            request, ngettext("已通过并发布 %d 篇稿件。", "已通过并发布 %d 篇稿件。", count) % count
        )

    @admin.action(description=_("退回修改（转为草稿）"), permissions=["publish"])
    def send_back(self, request, queryset):
        count = services.articles_send_back(articles=queryset, user=request.user)
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


def trash_notice(count: int) -> str:
    return ngettext(
        "%(count)d 篇文章已移入回收站，%(days)d 天内可在“回收站”恢复。",
        "%(count)d 篇文章已移入回收站，%(days)d 天内可在“回收站”恢复。",
        count,
    ) % {"count": count, "days": TRASH_DAYS}


@admin.register(ArticleInTrash)
class ArticleTrashAdmin(NewsroomPermissions, admin.ModelAdmin):
    """回收站: deleted articles, who deleted them and when; restorable for TRASH_DAYS days,
    purged for good after that (whenever this list is shown or an article is deleted)."""

    list_display = [
        "title",
        "category",
        "status_before",
        "deleted_by",
        "deleted_at",
        "purge_date",
    ]
    list_display_links = None
    list_filter = ["category"]
    list_select_related = ["category", "deleted_by"]
    search_fields = ["title", "author"]
    ordering = ["-deleted_at", "-id"]
    actions = ["restore"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_trash().defer("body", "body_text")

    def has_restore_permission(self, request) -> bool:
        """Undoing a delete: editors (a restored article may be public again, as when they
        publish it) and whoever may delete."""
        return self.has_publish_permission(request) or self.has_delete_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_restore_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # what leaves the trash goes by itself
        return actions

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            services.trash_purge()  # no scheduler: the expired go when someone looks
        extra_context = {
            "title": _("回收站"),
            "subtitle": _(
                "删除的文章在这里保留 %(days)d 天，其间可以恢复（恢复后保持删除前的状态，"
                "已发布的文章立即重新公开）；满 %(days)d 天后永久删除，无法恢复。"
                "过期文章在打开本页或删除其他文章时清除。"
            )
            % {"days": TRASH_DAYS},
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("删除前状态"), ordering="status_before_delete")
    def status_before(self, article):
        return article.get_status_before_delete_display()

    @admin.display(description=_("永久删除时间"))
    def purge_date(self, article):
        return date_format(timezone.localtime(article.purge_at), "Y/m/d H:i")

    @admin.action(description=_("恢复所选文章"), permissions=["restore"])
    def restore(self, request, queryset):
        count = services.articles_restore_from_trash(articles=queryset, user=request.user)
        self.message_user(
            request, ngettext("已恢复 %d 篇文章。", "已恢复 %d 篇文章。", count) % count
        )
