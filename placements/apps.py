from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "placements"
    verbose_name = "版位"

    def ready(self):
        from . import signals  # noqa: F401  (connects the cache invalidation receivers)
