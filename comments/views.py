from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from news.models import Article
from news.views import render_article
from portal.client_ip import client_ip

from . import services
from .forms import CommentForm
from .models import Comment


@require_POST
def comment_post(request, pk):
    published = Article.objects.published().select_related("category")
    article = get_object_or_404(published, pk=pk)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        # Shown again with what the reader typed and a fresh target, so pressing the
        # button once more is enough when only the timing was wrong.
        return HttpResponse(render_article(request, article, comment_form=form), status=400)
    try:
        comment = services.comment_create(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except services.CommentRejected as rejected:
        form.add_error(None, rejected)
        html = render_article(request, article, comment_form=form)
        return HttpResponse(html, status=rejected.status)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("留言已发表。"))
        return redirect(comment.get_absolute_url())
    # Spam is told the same as a held comment: nothing for a spammer to learn from.
    messages.success(request, _("留言已提交，审核后显示。"))
    return redirect(f"{article.get_absolute_url()}#comments")
