import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from news.forms import plain_text

from .models import Comment

# The hidden target: which article the form was shown on, and when, signed by the server.
TARGET_SALT = "comments.form.target"


def sign_target(article_id: int, *, issued_at: float | None = None) -> str:
    """The comment form's hidden ``target`` for ``article_id``, issued now (or at ``issued_at``)."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.Signer(salt=TARGET_SALT).sign(f"{article_id}:{issued}")


def check_target(value: str, *, article_id: int) -> None:
    """Refuse a target that is not ours for this article, or was shown too briefly or too long ago.

    Tampering (another article, an edited time, garbage, nothing) gets one opaque message;
    a form posted too fast or too late tells the reader to press the button again.
    """
    try:
        target_article, issued = signing.Signer(salt=TARGET_SALT).unsign(value).split(":")
        if int(target_article) != article_id:
            raise ValueError
        age = time.time() - int(issued)
    except (signing.BadSignature, ValueError):
        raise forms.ValidationError(
            _("留言表单无效或已被改动，请重新提交。"), code="target_invalid"
        ) from None
    if age < settings.COMMENTS_FORM_MIN_SECONDS:
        raise forms.ValidationError(
            _("提交得太快了。请确认留言内容，再点一次“提交留言”。"), code="too_fast"
        )
    if age > settings.COMMENTS_FORM_MAX_AGE:
        raise forms.ValidationError(
            _("页面打开太久，表单已过期。请确认留言内容，再点一次“提交留言”。"), code="expired"
        )


class MessageField(forms.CharField):
    """Counts a line break as one character, as the browser's maxlength does."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class CommentForm(forms.ModelForm):
    """A reader's comment on ``article``: the visible fields, the signed target, a honeypot.

    Without ``article`` only the visible fields are checked (the blank form, which is the
    same on every page, and tests of the field rules); the view always passes it.
    """

    # Rendered by the page itself (comments/comment_form.html), fresh for every request:
    # the blank fields around it are rendered once per process.
    target = forms.CharField(widget=forms.HiddenInput, required=False)
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

    def __init__(self, *args, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        for name in ("name", "email", "message"):
            plain_text(self.fields[name])

    def clean_email(self):
        # One reader, however they capitalise it: rate limits, duplicates, moderation.
        return self.cleaned_data["email"].lower()

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
        if self.article is not None:
            check_target(self.cleaned_data.get("target", ""), article_id=self.article.pk)
        return super().clean()
