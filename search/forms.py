from django import forms
from django.utils.translation import gettext_lazy as _

from news.templating import nav_categories


class SearchFilterForm(forms.Form):
    """What narrows a search besides its words: the category (?category=<slug>)."""

    category = forms.ChoiceField(
        label=_("栏目"),
        required=False,
        error_messages={"invalid_choice": _("没有这个栏目，请从列表中选择。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.slug: c for c in nav_categories()}  # cached with the navigation
        choices = [(slug, c.name) for slug, c in self.categories.items()]
        self.fields["category"].choices = [("", _("全部栏目")), *choices]

    @property
    def chosen_category(self):
        """The chosen category, or None for all of them (or a refused choice)."""
        if not self.is_valid():
            return None
        return self.categories.get(self.cleaned_data["category"])
