from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Placement


class StateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("生效中")), ("upcoming", _("未开始")), ("ended", _("已结束"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.active(now)
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "ended":
            return queryset.filter(ends_at__lte=now)
        return queryset


class PageFilter(admin.SimpleListFilter):
    title = _("页面")
    parameter_name = "page_of"

    def lookups(self, request, model_admin):
        from news.templating import nav_categories

        return [("home", _("首页"))] + [(str(c.pk), c.name) for c in nav_categories()]

    def queryset(self, request, queryset):
        if self.value() == "home":
            return queryset.filter(category__isnull=True)
        value = self.value() or ""
        if value.isascii() and value.isdigit() and len(value) <= 9:
            return queryset.filter(category_id=int(value))
        return queryset


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["article", "slot", "page", "order", "starts_at", "ends", "state"]
    list_editable = ["order"]
    list_filter = ["slot", StateFilter, PageFilter]
    list_select_related = ["article", "category"]
    autocomplete_fields = ["article"]
    search_fields = ["article__title"]
    ordering = ["slot", "category", "order", "-starts_at"]
    fields = ["slot", "category", "article", "order", "starts_at", "ends_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("页面"), ordering="category")
    def page(self, placement):
        return placement.category.name if placement.category else _("首页")

    @admin.display(description=_("结束时间"), ordering="ends_at")
    def ends(self, placement):
        if placement.ends_at is None:
            return _("一直保留")
        return date_format(timezone.localtime(placement.ends_at), "Y/m/d H:i")

    @admin.display(description=_("状态"))
    def state(self, placement):
        now = timezone.now()
        if placement.starts_at > now:
            when = date_format(timezone.localtime(placement.starts_at), "Y/m/d H:i")
            return format_html('<span title="{}">{}</span>', when, _("未开始"))
        if placement.ends_at is not None and placement.ends_at <= now:
            return _("已结束")
        return format_html("<strong>{}</strong>", _("生效中"))
