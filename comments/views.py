from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from news.models import Article
from news.views import render_article

from . import services
from .forms import CommentForm


@require_POST
def comment_post(request, pk):
    published = Article.objects.published().select_related("category")
    article = get_object_or_404(published, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return HttpResponse(render_article(request, article, comment_form=form), status=400)
    try:
        services.comment_create(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except services.CommentRejected as rejected:
        form.add_error(None, rejected)
        html = render_article(request, article, comment_form=form)
        return HttpResponse(html, status=rejected.status)
    messages.success(request, _("留言已提交，审核后显示。"))
    return redirect(f"{article.get_absolute_url()}#comments")
