from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "新闻"

    def ready(self):
        from django.core import signals as core_signals

        from . import caching, signals  # noqa: F401  (connects the cache invalidation receivers)

        core_signals.request_started.connect(caching.request_started, dispatch_uid="news-tokens")
        core_signals.request_finished.connect(caching.request_finished, dispatch_uid="news-tokens")
