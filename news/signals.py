"""Cache invalidation on every write through the ORM; bulk updates call news.invalidation."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from comments.models import Comment

from . import invalidation
from .models import Article, Category


@receiver(pre_save, sender=Article)
@receiver(pre_delete, sender=Article)
def remember_article_footprint(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: no reader page is involved
        return
    instance._footprint_before = (
        invalidation.footprints([instance.pk]).get(instance.pk) if instance.pk else None
    )
    instance._leads_before = invalidation.lead_ids()


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    invalidation.article_changed(
        getattr(instance, "_footprint_before", None),
        invalidation.footprints([instance.pk]).get(instance.pk),
        leads_before=getattr(instance, "_leads_before", set()),
        leads_after=invalidation.lead_ids(),
    )


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    invalidation.article_changed(
        getattr(instance, "_footprint_before", None),
        None,
        leads_before=getattr(instance, "_leads_before", set()),
        leads_after=invalidation.lead_ids(),
    )


@receiver(m2m_changed, sender=Article.tags.through)
def article_tags_changed(sender, instance, action, pk_set, **kwargs):
    if not isinstance(instance, Article):
        return
    if action == "pre_clear":
        instance._tags_before = set(instance.tags.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        invalidation.tags_changed(instance.pk, pk_set or ())
    elif action == "post_clear":
        invalidation.tags_changed(instance.pk, getattr(instance, "_tags_before", ()))


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, raw=False, created=False, **kwargs):
    # A new comment waits for moderation: no reader page changes until it is approved.
    if raw or (created and instance.status != Comment.Status.APPROVED):
        return
    invalidation.comments_changed([instance.article_id])


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def category_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        invalidation.categories_changed([instance.pk])


@receiver(post_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def tag_changed(sender, instance, raw=False, **kwargs):
    """A renamed or deleted tag: its page and the pages of the articles that carry it."""
    if not raw:
        invalidation.tag_renamed(instance.pk)


@receiver(pre_save, sender=TaggedItem)
def remember_tagged_item(sender, instance, **kwargs):
    instance._tag_before = (
        TaggedItem.objects.filter(pk=instance.pk).values_list("tag_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=TaggedItem)
@receiver(post_delete, sender=TaggedItem)
def tagged_item_changed(sender, instance, raw=False, **kwargs):
    """Tag links changed one by one (the 标签 admin's merge does that): no m2m_changed."""
    if raw or instance.content_type.model_class() is not Article:
        return
    before = getattr(instance, "_tag_before", None)
    invalidation.tags_changed(instance.object_id, {instance.tag_id, *([before] if before else [])})
