"""A placement changed: the page it is on (home or its category's page) is rendered again."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from news import caching

from .models import Placement


def pages_of(placements) -> set[str]:
    """The cache tokens of the pages that show ``placements`` (news.caching)."""
    return {"home" if p.category_id is None else f"cat:{p.category_id}" for p in placements}


@receiver(pre_save, sender=Placement)
def remember_page(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._page_before = Placement.objects.filter(pk=instance.pk).first()


@receiver(post_save, sender=Placement)
@receiver(post_delete, sender=Placement)
def placement_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_page_before", None)
    caching.bump(pages_of([instance] + ([before] if before else [])))
    caching.reschedule()  # its start or end may now be the next change due
