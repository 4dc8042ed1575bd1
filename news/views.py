from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView
from taggit.models import Tag

from comments.forms import CommentForm
from comments.models import Comment

from . import images
from .models import Article, Category

SEARCH_MAX_LENGTH = 100


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        return super().get_context_data(
            headlines=list(published.featured().newest()[:5]),
            category_blocks=[
                (category, list(published.in_category(category).newest()[:8]))
                for category in Category.objects.all()
            ],
            **kwargs,
        )


class ArticleListView(ListView):
    """Base for the paginated reader lists; a bad or past-the-end ?page= is a 404."""

    paginate_by = 20
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing().newest()


class CategoryView(ArticleListView):
    template_name = "news/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, breadcrumbs=[(None, self.category.name)], **kwargs
        )


class TagView(ArticleListView):
    template_name = "news/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        crumbs = [(None, _("标签：%(name)s") % {"name": self.tag.name})]
        return super().get_context_data(tag=self.tag, breadcrumbs=crumbs, **kwargs)


class SearchView(ArticleListView):
    template_name = "news/search.html"
    paginate_by = 15

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        if not self.query:
            return Article.objects.none()
        # The snippet around the match needs the body text, so it is not deferred here.
        return Article.objects.published().select_related("category").newest().search(self.query)

    def get_context_data(self, **kwargs):
        crumbs = [(None, _("搜索"))]
        return super().get_context_data(query=self.query, breadcrumbs=crumbs, **kwargs)


def article_detail(request, pk):
    if request.method == "GET":
        # Count first, in one UPDATE, so the page shows the count including this view.
        Article.objects.published().filter(pk=pk).count_view()
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("category"), pk=pk
    )
    return render_article(request, article)


def render_article(request, article, *, comment_form=None, status=200):
    """The article page; the comment view renders it again with the reader's form errors."""
    published = Article.objects.published().for_listing()
    siblings = published.in_category(article.category)
    context = {
        "article": article,
        "permalink": request.build_absolute_uri(article.get_absolute_url()),
        "breadcrumbs": [
            (article.category.get_absolute_url(), article.category.name),
            (None, article.title),
        ],
        "tags": list(article.tags.all()),
        "previous_article": siblings.before(article).first(),
        "next_article": siblings.after(article).first(),
        "related_articles": related_articles(article, published),
        "comments": list(Comment.objects.for_article(article)),
        "comment_form": comment_form or CommentForm(),
        "is_preview": not article.is_public,
    }
    return render(request, "news/article_detail.html", context, status=status)


def related_articles(article, published, limit=6):
    """Articles sharing tags first, topped up with the newest of the same category."""
    related = list(published.related_to(article, limit))
    if len(related) < limit:
        seen = [a.pk for a in related] + [article.pk]
        related += list(
            published.in_category(article.category)
            .exclude(pk__in=seen)
            .newest()[: limit - len(related)]
        )
    return related


@require_POST
def editor_image_upload(request):
    """Image upload for CKEditor 5: staff only, verified and re-encoded by Pillow."""
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": {"message": _("只有编辑人员可以上传图片。")}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("没有收到图片文件。")}}, status=400)
    try:
        image = images.verified_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": error.messages[0]}}, status=400)
    name = default_storage.save(f"uploads/{request.user.pk}/{image.name}", image)
    return JsonResponse({"url": default_storage.url(name)})
