from django.db import migrations

CATEGORIES = [
    ("新闻", "news", "news", 10, "本地要闻、社会民生与城市动态。"),
    ("财经", "finance", "finance", 20, "宏观经济、金融市场与理财资讯。"),
    ("产经", "industry", "industry", 30, "产业动态、企业经营与科技制造。"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("news", "Category")
    for name, label_en, slug, order, description in CATEGORIES:
        Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "label_en": label_en, "order": order, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
