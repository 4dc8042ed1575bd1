from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from news import invalidation

from . import services
from .models import Comment, ModerationSettings, message_digest


class CommentAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        email, message = cleaned.get("email"), cleaned.get("message")
        if email and message:
            # The database refuses it too (comment_once_per_reader): say so, not a 500.
            same = Comment.objects.filter(
                article_id=self.instance.article_id,
                email=email.strip().lower(),
                message_digest=message_digest(message),
            ).exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(_("这位读者在这篇文章下已有一条相同的留言。"))
        return cleaned


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ["excerpt", "article", "name", "status", "held_reason", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "message", "article__title"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "created_at"
    actions = ["approve", "mark_spam", "delete_selected"]
    readonly_fields = ["article", "held_reason", "ip_address", "user_agent", "created_at"]
    fields = [
        "article",
        "name",
        "email",
        "message",
        "status",
        "held_reason",
        "ip_address",
        "user_agent",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        extra_context = {
            "title": _("留言审核（待审核 %(n)d 条）") % {"n": pending},
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        invalidation.comments_changed([obj.article_id])  # the article page shows the change

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description=_("留言"))
    def excerpt(self, comment):
        return comment.message if len(comment.message) <= 40 else comment.message[:40] + "…"

    @admin.action(description=_("通过所选留言"), permissions=["moderate"])
    def approve(self, request, queryset):
        count = services.comments_moderate(comments=queryset, status=Comment.Status.APPROVED)
        self.message_user(
            request, ngettext("已通过 %d 条留言。", "已通过 %d 条留言。", count) % count
        )

    @admin.action(description=_("标记为垃圾留言"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        count = services.comments_moderate(comments=queryset, status=Comment.Status.SPAM)
        self.message_user(
            request,
            ngettext("已将 %d 条留言标记为垃圾。", "已将 %d 条留言标记为垃圾。", count) % count,
        )


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One page of rules: the list goes straight to it, and it can be neither added nor deleted."""

    fields = ["max_links", "hold_words", "block_words", "trust_known_emails"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        rules = ModerationSettings.load()
        return redirect("admin:comments_moderationsettings_change", rules.pk)

    def response_change(self, request, obj):
        self.message_user(request, _("留言审核规则已保存，对之后提交的留言生效。"))
        return redirect("admin:comments_moderationsettings_change", obj.pk)
