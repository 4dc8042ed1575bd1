from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_delete


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from . import sync

        post_save.connect(sync.article_saved, sender="news.Article", dispatch_uid="search-save")
        pre_delete.connect(
            sync.article_deleting, sender="news.Article", dispatch_uid="search-delete"
        )
        post_migrate.connect(sync.index_after_migrate, sender=self, dispatch_uid="search-migrate")
