from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "article", "name", "status", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "message", "article__title"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "created_at"
    actions = ["approve", "mark_spam", "delete_selected"]
    readonly_fields = ["article", "ip_address", "user_agent", "created_at"]
    fields = [
        "article",
        "name",
        "email",
        "message",
        "status",
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
