from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Comment


class MessageField(forms.CharField):
    """Counts a line break as one character, as the browser's maxlength does."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class CommentForm(forms.ModelForm):
    # Hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(label=_("网站（请留空）"), required=False)

    class Meta:
        model = Comment
        fields = ["name", "email", "message"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "maxlength": 50}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }
        field_classes = {"message": MessageField}
        error_messages = {
            "name": {
                "required": _("请填写姓名。"),
                "max_length": _("姓名不能超过 %(limit_value)d 个字（现在是 %(show_value)d 个）。"),
            },
            "email": {"required": _("请填写邮箱。"), "invalid": _("请输入有效的邮箱地址。")},
            "message": {
                "required": _("请填写留言内容。"),
                "max_length": _("留言不能超过 %(limit_value)d 个字（现在是 %(show_value)d 个）。"),
            },
        }

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"))
        return name

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 2:
            raise forms.ValidationError(_("留言至少需要 2 个字。"))
        return message

    def clean(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("留言未能提交，请刷新页面后重试。"), code="honeypot")
        return super().clean()
