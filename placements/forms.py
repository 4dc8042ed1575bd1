from django import forms
from django.utils.translation import gettext_lazy as _


class PreviewTimeForm(forms.Form):
    """The moment an editor wants to see the home page at (?at=2026-12-06T08:00)."""

    at = forms.DateTimeField(
        label=_("预览时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
        error_messages={
            "required": _("请填写预览时间，例如 2026-12-06 08:00。"),
            "invalid": _("预览时间的格式不对，请写成 2026-12-06 08:00。"),
        },
    )

    def is_asked(self) -> bool:
        """Whether the address asks for a time at all (?at=, even empty)."""
        return "at" in self.data

    @staticmethod
    def may_use(user) -> bool:
        """Editors who arrange placements may look ahead; readers get today's page."""
        return user.is_active and user.is_staff and user.has_perm("placements.view_placement")
