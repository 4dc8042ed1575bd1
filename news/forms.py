from django import forms
from django.core.files.uploadedfile import UploadedFile

from . import images
from .models import Article


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"

    def clean_cover(self):
        """A newly uploaded cover is verified and re-encoded like the editor's images."""
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return images.verified_image(cover)
        return cover
