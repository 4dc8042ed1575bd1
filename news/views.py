from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView, TemplateView
from taggit.models import Tag

from comments.forms import sign_target
from comments.models import approved_for_article
from placements.forms import PreviewTimeForm
from placements.slots import HEADLINES, fill_up, page_slots
from portal.middleware import bad_request_page
from portal.prepared import run_together
from search.backends import get_backend
from search.forms import SearchFilterForm

from . import caching, counters, images, related, text
from .caching import CachedPageMixin
from .forms import SearchForm
from .models import Article, article_by_pk
from .pagination import CountCachedPaginator
from .templating import nav_categories

RELATED_LIMIT = 6
# More pages than any article is split into: larger numbers are 404s without a look.
MAX_ARTICLE_PAGES = 100


class HomeView(CachedPageMixin, TemplateView):
    template_name = "news/home.html"

    def cache_key(self):
        return "news:page:home"

    def cache_tokens(self):
        return ["nav", "home"]

    def get(self, request, *args, **kwargs):
        form = PreviewTimeForm(request.GET)
        if form.is_asked() and form.may_use(request.user):
            return self.preview(request, form)
        return super().get(request, *args, **kwargs)

    def preview(self, request, form):
        """The home page as it will be at an editor's chosen time; never cached."""
        if not form.is_valid():
            return bad_request_page(form.errors["at"][0])
        self.preview_at = form.cleaned_data["at"]
        response = TemplateView.get(self, request)
        response.render()
        response = HttpResponse(caching.fill_holes(request, response.content.decode()))
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        at = getattr(self, "preview_at", None)
        published = Article.objects.published(at=at).for_listing()
        slots = page_slots(at=at)
        return super().get_context_data(
            headlines=fill_up(slots.headline, published.featured().newest()[:HEADLINES], HEADLINES),
            slots=slots,
            preview_at=at,
            category_blocks=[
                (category, list(published.in_category(category).newest()[:8]))
                for category in nav_categories()
            ],
            **kwargs,
        )


class ArticleListView(CachedPageMixin, ListView):
    """Base for the paginated reader lists; a bad or past-the-end ?page= is a 404."""

    paginate_by = 20
    paginator_class = CountCachedPaginator
    context_object_name = "articles"

    def cache_key(self):
        page = self.request.GET.get("page", "1")
        try:
            # Keyed on the number ListView reads: "02" is page 2, and a long number never
            # shares a cut-off key with another page.
            page = str(int(page))
        except ValueError:
            page = page[:12]  # "last", or a 404 that is never stored
        return f"news:page:{self.__class__.__name__}:{self.kwargs['slug']}:{page}"

    def list_token(self) -> str:
        """The token of what the list shows (its category or tag)."""
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, **kwargs):
        token = self.page_tokens[self.list_token()]
        count_key = f"news:count:{self.list_token()}:{token}"
        return super().get_paginator(queryset, per_page, count_key=count_key, **kwargs)

    def get_queryset(self):
        return Article.objects.published().for_listing().newest()


class CategoryView(ArticleListView):
    template_name = "news/category_detail.html"

    def get_queryset(self):
        categories = {c.slug: c for c in nav_categories()}  # cached with the navigation
        self.category = categories.get(self.kwargs["slug"])
        if self.category is None:
            raise Http404(_("栏目不存在。"))
        self.depend_on(self.list_token())
        return super().get_queryset().in_category(self.category)

    def list_token(self):
        return f"cat:{self.category.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            category=self.category, breadcrumbs=[(None, self.category.name)], **kwargs
        )
        if context["page_obj"].number == 1:  # the category's own slots lead its first page
            context["slots"] = page_slots(self.category)
        return context


class TagView(ArticleListView):
    template_name = "news/tag_detail.html"

    def get_queryset(self):
        if "\x00" in self.kwargs["slug"]:  # no tag has one, and PostgreSQL refuses the query
            raise Http404(_("标签不存在。"))
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        self.depend_on(self.list_token())
        return super().get_queryset().tagged(self.tag)

    def list_token(self):
        return f"tag:{self.tag.pk}"

    def get_context_data(self, **kwargs):
        crumbs = [(None, _("标签：%(name)s") % {"name": self.tag.name})]
        return super().get_context_data(tag=self.tag, breadcrumbs=crumbs, **kwargs)


class SearchResults:
    """One search as the paginator sees it: a count and slices, asked of the search backend.

    Each slice is one backend search (a page of ids), then one query for those articles.
    """

    def __init__(self, query: str, category_id=None, *, page: str = "1"):
        self.query, self.category_id = query, category_id
        self.terms = []
        self._pages = {}
        # The count comes with the page the reader asked for: one search per request.
        number = int(page) if page.isascii() and page.isdigit() and len(page) < 9 else 1
        self._first = (max(number, 1) - 1) * SearchView.paginate_by

    def _search(self, offset: int, limit: int):
        if (offset, limit) not in self._pages:
            page = get_backend().search(
                self.query, category_id=self.category_id, offset=offset, limit=limit
            )
            self._pages[offset, limit] = page
            self.terms = page.terms
        return self._pages[offset, limit]

    def count(self) -> int:
        return self._search(self._first, SearchView.paginate_by).count

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice):
        offset = window.start or 0
        # A page of the usual size even when the paginator asks for a short last page: the
        # search made for the count is then the one serving the page.
        size = max(window.stop - offset, SearchView.paginate_by)
        ids = self._search(offset, size).ids[: window.stop - offset]
        # With their search documents: the snippets find matches in the folded text.
        related = Article.objects.select_related("category", "search_document")
        found = related.defer("body", "search_document__title").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class SearchView(ListView):
    template_name = "news/search.html"
    paginate_by = 15
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        caching.check_schedule()  # the sidebar's lead stories follow scheduled publishing
        response = super().get(request, *args, **kwargs)
        if self.form.errors or self.filters.errors:  # explained on the page, and in the status
            response.status_code = 400
        return response

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.filters = SearchFilterForm(self.request.GET)
        self.query = self.form.query
        if not self.query or self.filters.errors:
            return []
        category = self.filters.chosen_category
        page = self.request.GET.get("page", "1")
        return SearchResults(self.query, category.pk if category else None, page=page)

    def get_context_data(self, **kwargs):
        crumbs = [(None, _("搜索"))]
        return super().get_context_data(
            query=self.query,
            search_form=self.form,
            filter_form=self.filters,
            breadcrumbs=crumbs,
            **kwargs,
        )


@require_safe
def article_detail(request, pk):
    number = page_number(request)
    key = f"news:page:article:{pk}" + (f":{number}" if number > 1 else "")
    own = f"art:{pk}"  # created with the first read if missing: it guards the article's data
    counting = counters.counting_in_cache(pk) if request.method == "GET" else None
    prefetch = ["nav", "leads", "home", own]
    page = caching.get_page(key, prefetch=prefetch, create=[own], then=counting)
    if page is not None:
        views = count_view(request, pk, page.views, counting)
        html = caching.fill_holes(
            request, page.html, views=views, hot_html=page.hot_html, parts=page.parts
        )
        return HttpResponse(html)

    page_tokens = caching.tokens(["nav", "leads", own])
    article, tags, comments, around = article_with_parts(pk)
    if article is None or not article.is_visible_to(request.user):
        raise Http404(_("文章不存在或尚未发布。"))
    article.category = category_of(article)
    parts = {"tags": tags, "comments": comments, "around": around, "number": number}
    if not article.is_public:  # a staff preview: never cached, never counted
        return HttpResponse(render_article(request, article, **parts))

    caching.depend(page_tokens, [f"cat:{article.category_id}", *(f"tag:{t.pk}" for t in tags)])
    html = render_article(request, article, **parts, cache_render=True)
    counted = counting is not None and counting.result is not None  # in the read, above
    if counting is not None and not counted:
        counting = counters.counting_in_cache(pk, article.views)  # counted as it is stored
    caching.store_page(key, html, page_tokens, article.views, then=None if counted else counting)
    views = count_view(request, pk, article.views, counting)
    return HttpResponse(caching.fill_holes(request, html, views=views))


def page_number(request) -> int:
    """The page of a multi-page article (?page=N); anything but a page number is a 404,
    as on the lists."""
    raw = request.GET.get("page", "1")
    # Three ASCII digits at most: int() of thousands of digits is itself an error.
    if (
        not (raw.isascii() and raw.isdigit() and len(raw) <= 3)
        or not 1 <= int(raw) <= MAX_ARTICLE_PAGES
    ):
        raise Http404(_("文章没有这一页。"))
    return int(raw)


def article_with_parts(pk):
    """The article (None if there is none), its tags, its approved comments and the links
    around it (news.related.Around).

    All are known by the article's id: one round trip to PostgreSQL
    (portal.prepared.run_together). The article's own token guards the first three; the
    links, its category's and tags' tokens too.
    """
    found, tags, comments, around = run_together(
        (article_by_pk, {"pk": pk}),
        related.tags_query(pk),
        (approved_for_article, {"article": pk}),
        related.around_query(pk, limit=RELATED_LIMIT),
    )
    return (found[0] if found else None), tags, comments, around


def category_of(article):
    """The article's category from the cached navigation, without a query when it is there."""
    found = [c for c in nav_categories() if c.pk == article.category_id]
    return found[0] if found else article.category


def count_view(request, pk, stored_views, counting=None) -> int:
    """A reader's GET counts one view; a HEAD (monitors, link checkers) counts none.

    ``counting`` (news.counters.counting_in_cache) may have counted it already, in the
    page's own read from the cache.
    """
    if counting is not None and counting.result is not None:
        return counters.counted(counting.result)
    if request.method != "GET":
        return stored_views
    return counters.hit(pk, stored_views)


def render_article(
    request,
    article,
    *,
    tags=None,
    comments=None,
    around=None,
    comment_form=None,
    cache_render=False,
    number=1,
) -> str:
    """Page ``number`` of the article; the comment view renders it again with the reader's
    form errors. A page the article does not have is a 404.

    ``article`` comes with its category (``select_related``).
    """
    pages = text.split_pages(article.body)
    if number > len(pages):
        raise Http404(_("文章没有这一页。"))
    if tags is None:
        tags = related.tags_of(article.pk)
    if comments is None:
        comments = approved_for_article(article=article.pk)
    if around is None:
        around = Article.objects.around(article, limit=RELATED_LIMIT)
    context = {
        "article": article,
        "body": pages[number - 1],
        "page_number": number,
        "page_count": len(pages),
        "tags": tags,
        "permalink": request.build_absolute_uri(article.get_absolute_url()),
        "breadcrumbs": [
            (article.category.get_absolute_url(), article.category.name),
            (None, article.title),
        ],
        "previous_article": around.previous,
        "next_article": around.next,
        "related_articles": around.related,
        "comments": comments,
        "comment_form": comment_form,  # None: the blank form, rendered once per process
        "is_preview": not article.is_public,
        "cache_render": cache_render,
    }
    if cache_render:  # the reader's own, filled in per request
        context["csrf_token_hole"] = caching.CSRF_HOLE  # the Jinja2 backend sets csrf_token
        context["comment_target"] = caching.COMMENT_TARGET_HOLE.format(pk=article.pk)
    else:
        context["comment_target"] = sign_target(article.pk)
    return render_to_string("news/article_detail.html", context, request=request)


@require_POST
def editor_image_upload(request):
    """Image upload for CKEditor 5: editors who may write articles; verified and re-encoded.

    The upload's size is limited while it streams in (news.uploads.SizeLimitUploadHandler).
    """
    user = request.user
    may_write = user.has_perm("news.add_article") or user.has_perm("news.change_article")
    if not (user.is_active and user.is_staff and may_write):
        return JsonResponse({"error": {"message": _("只有编辑人员可以上传图片。")}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("没有收到图片文件。")}}, status=400)
    try:
        image = images.verified_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": error.messages[0]}}, status=400)
    name = default_storage.save(f"uploads/{user.pk}/{image.name}", image)
    return JsonResponse({"url": default_storage.url(name)})
