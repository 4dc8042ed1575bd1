from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from . import images, text
from .models import Article

SEARCH_MAX_LENGTH = 100
# Text shown to readers as it was typed (not sanitized like the body): no control, bidi
# override or undecodable characters. NUL is among them, with a clearer message than
# Django's own validator, which is dropped so an editor reads one error, not two.
PLAIN_TEXT_VALIDATORS = [text.validate_decodable_text, text.validate_plain_text]


def _allow_nul(field: forms.Field) -> forms.Field:
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    return field


def plain_text(field: forms.Field) -> forms.Field:
    """``field`` refusing what no one types on purpose, with one clear message (see above)."""
    _allow_nul(field).validators += PLAIN_TEXT_VALIDATORS
    return field


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class CoverField(forms.ImageField):
    """An image upload judged by its content, as the editor's images are.

    Pillow decides whether it is a JPEG/PNG/GIF/WebP within the limits (``images.
    verified_image``, with the portal's messages: too big, too many pixels, not an image);
    the file is re-encoded and stored under a generated name with the extension of its real
    format, so the uploaded name (``x.html``, ``../../x``, 300 characters) plays no part.
    """

    default_validators = []  # no check of the uploaded name's extension: it is not kept

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = None  # nor of its length

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return images.verified_image(upload)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "category",
            "tags",
            "author",
            "body",
            "summary",
            "cover",
            "source_name",
            "source_url",
            "status",
            "publish_at",
            "is_featured",
        ]
        formfield_callback = _formfield

    plain_text_fields = ["title", "tags", "author", "summary", "source_name"]
    # Whether the editor filling the form may publish (news.publish_article): set by
    # ArticleAdmin.get_form on the class it builds for each request.
    may_publish = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            # Deleting is the delete button's (the trash keeps what a restore gives back).
            status = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] != Article.Status.DELETED]
        if not self.may_publish and "status" in self.fields:
            # A writer saves a draft or submits it; a crafted "published" gets this error.
            status = self.fields["status"]
            status.choices = [
                (value, label)
                for value, label in status.choices
                if value != Article.Status.PUBLISHED
            ]
            status.error_messages["invalid_choice"] = _(
                "你没有发布权限：稿件只能存为草稿或提交待审，由编辑审核后发布。"
            )
            status.help_text = _("写完后选“待审”提交，编辑审核通过后发布。")
        # An editor who may only view articles gets a read-only page: a form without fields.
        for name in [n for n in self.plain_text_fields if n in self.fields]:
            plain_text(self.fields[name])
        # Rich text is cleaned, not refused: the sanitizer drops NUL with the other
        # invisible characters when the article is saved.
        if "body" in self.fields:
            _allow_nul(self.fields["body"])

    def clean_tags(self):
        """Every tag needs a web address, so it must contain a letter, digit or character."""
        tags = self.cleaned_data.get("tags") or []
        unusable = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if unusable:
            raise forms.ValidationError(
                _("标签“%(tags)s”不含文字或数字，无法生成标签页，请修改。"),
                params={"tags": "、".join(unusable)},
            )
        limit = Tag._meta.get_field("name").max_length
        too_long = [tag for tag in tags if len(tag) > limit]
        if too_long:  # PostgreSQL would refuse the row; SQLite would store it whole
            raise forms.ValidationError(
                _("标签不能超过 %(limit)d 个字，请缩短：%(tags)s"),
                params={"limit": limit, "tags": "、".join(t[:20] + "…" for t in too_long)},
            )
        return tags


class RevisionCompareForm(forms.Form):
    """Two revisions of one article to compare (?old=…&new=…, revision numbers)."""

    old = forms.IntegerField(
        error_messages={"required": _("请选择要比较的旧版本。"), "invalid": _("版本编号无效。")}
    )
    new = forms.IntegerField(
        error_messages={"required": _("请选择要比较的新版本。"), "invalid": _("版本编号无效。")}
    )

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.revisions = revisions  # the article's own: no other article's can be compared

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        found = self.revisions.in_bulk([data["old"], data["new"]])
        if len(found) < len({data["old"], data["new"]}):
            raise forms.ValidationError(_("所选版本不属于这篇文章。"))
        if data["old"] == data["new"]:
            raise forms.ValidationError(_("请选择两个不同的版本进行比较。"))
        old, new = found[data["old"]], found[data["new"]]
        if (old.history_date, old.pk) > (new.history_date, new.pk):
            old, new = new, old  # the older one on the left, whichever way they were picked
        data["old"], data["new"] = old, new
        return data


class SearchForm(forms.Form):
    """The reader's search box: spaces collapsed, a long query cut, odd characters refused."""

    q = plain_text(forms.CharField(required=False))

    notice = ""  # said on the page when the query was cut

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].split())
        if len(query) > SEARCH_MAX_LENGTH:
            notice = _("搜索词太长，只按前 %(limit)d 个字搜索。")
            self.notice = notice % {"limit": SEARCH_MAX_LENGTH}
            query = query[:SEARCH_MAX_LENGTH].rstrip()
        return query

    @property
    def query(self) -> str:
        """What to search for: empty when nothing usable was asked."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
