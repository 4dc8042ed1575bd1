from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "新闻"

    def ready(self):
        from . import signals  # noqa: F401  (connects the cache invalidation receivers)
