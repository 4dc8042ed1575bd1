from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Article


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


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

    def clean_tags(self):
        """Every tag needs a web address, so it must contain a letter, digit or character."""
        tags = self.cleaned_data.get("tags") or []
        unusable = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if unusable:
            raise forms.ValidationError(
                _("标签“%(tags)s”不含文字或数字，无法生成标签页，请修改。"),
                params={"tags": "、".join(unusable)},
            )
        return tags

    def clean_cover(self):
        """A newly uploaded cover is verified and re-encoded like the editor's images."""
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return images.verified_image(cover)
        return cover
