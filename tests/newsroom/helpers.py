"""Admin addresses and form bodies, as an editor's browser sends them."""

from django.urls import reverse

CHANGELIST = "/admin/news/article/"
ADD = "/admin/news/article/add/"
REVIEW_QUEUE = "/admin/news/articleforreview/"
UPLOAD = reverse("news:editor-image-upload")


def change_url(article) -> str:
    return f"/admin/news/article/{article.pk}/change/"


def history_url(article) -> str:
    return f"/admin/news/article/{article.pk}/history/"


def delete_url(article) -> str:
    return f"/admin/news/article/{article.pk}/delete/"


def new_article_form(category, **overrides) -> dict[str, str]:
    """The add form as a writer fills it in: a draft in ``category``."""
    data = {
        "title": "区里新开通三条社区巴士线路",
        "category": str(category.pk),
        "tags": "公交",
        "author": "王记者",
        "body": "<p>三条线路串起十二个小区和两个地铁站。</p>",
        "summary": "",
        "source_name": "",
        "source_url": "",
        "status": "draft",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def bulk_action(client, url, action, *objects):
    """A changelist's action form submitted for ``objects``, whether it offers it or not."""
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objects], "index": "0"}
    )


def form_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]
