"""Load the demo content: articles with covers and tags, reader comments, the home page's
placements, a staff account."""

import hashlib
import os
import secrets
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.models import Comment
from news.models import Article, Category
from placements.models import Placement

from .articles import ARTICLES
from .covers import draw_cover

DEMO_USERNAME = "demo"
DEMO_USER_AGENT = "Mozilla/5.0 (demo)"
PASSWORD_LABEL = "密码"


def login_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-login.txt"


class DemoContentError(Exception):
    pass


def load_demo(*, stdout=None) -> dict:
    """Create whatever demo content is missing; never change or delete existing content.

    Articles are keyed by title and their comments come with them, so a second run
    creates nothing, and an article an editor has since edited (or a comment a moderator
    deleted) is left as it is.
    (The one exception is the demo account, whose password is reset if its file is lost.)
    Returns the counts of what was created, plus the demo login.
    """
    now = timezone.now()
    counts = {"articles": 0, "covers": 0, "comments": 0, "users": 0}
    with transaction.atomic():
        categories = {category.slug: category for category in Category.objects.all()}
        missing = sorted({entry["category"] for entry in ARTICLES} - categories.keys())
        if missing:
            raise DemoContentError(
                _("缺少栏目%(slugs)s，请先运行 migrate。") % {"slugs": "、".join(missing)}
            )
        user, password, user_created = _demo_user()
        counts["users"] = int(user_created)
        ip_suffix = 1
        for entry in ARTICLES:
            article = Article.objects.filter(title=entry["title"]).order_by("pk").first()
            comments = entry.get("comments", [])
            if article is not None:
                # Already there: what editors and moderators did to it and its comments
                # (including deleting some) stays as it is.
                ip_suffix += len(comments)
                continue
            article = _create_article(entry, categories[entry["category"]], user, now)
            for slot in entry.get("placements", ()):
                # In each slot in the order of the list: its position is the order.
                Placement.objects.create(
                    article=article,
                    slot=slot,
                    order=ARTICLES.index(entry),
                    starts_at=article.publish_at,
                )
            counts["articles"] += 1
            counts["covers"] += bool(article.cover)
            _say(stdout, _("新建文章：%(title)s") % {"title": article.title})
            for comment in comments:
                ip_suffix += 1
                if _create_comment(article, comment, f"127.0.0.{ip_suffix}", now):
                    counts["comments"] += 1
    return {**counts, "username": DEMO_USERNAME, "password": password, "login_file": login_file()}


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _demo_user():
    """The demo superuser and its password, which is generated once and kept in a file.

    The file is only written once the transaction commits, so a rolled-back run can't
    leave a password on disk that the database never got.
    """
    user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    password = _read_password()
    if user is not None and password is not None:
        return user, password, False

    new_password = password is None
    password = password or secrets.token_urlsafe(9)
    created = user is None
    if created:
        user = get_user_model().objects.create_superuser(
            DEMO_USERNAME, email="demo@example.com", password=password
        )
    else:
        # The file is gone, so nobody knows the password any more: issue a new one, and
        # make sure the login we print really opens the admin.
        user.set_password(password)
        user.is_active = user.is_staff = user.is_superuser = True
        user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
    if new_password:
        transaction.on_commit(lambda: _write_password(password))
    return user, password, created


def _read_password() -> str | None:
    try:
        lines = login_file().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        label, _sep, value = line.partition(":")
        if label.strip() == PASSWORD_LABEL and value.strip():
            return value.strip()
    return None


def _write_password(password: str) -> None:
    path = login_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(
            "# 演示管理员账号，由 manage.py load_demo 生成，仅供本机演示使用。\n"
            f"用户名: {DEMO_USERNAME}\n"
            f"{PASSWORD_LABEL}: {password}\n"
        )
    path.chmod(0o600)  # also when the file existed before with wider permissions


def _publish_at(entry: dict, now: datetime) -> datetime:
    """Entries give (days ago, "HH:MM" local time), or days ahead for a scheduled article."""
    if "scheduled_in_days" in entry:
        return (now + timedelta(days=entry["scheduled_in_days"])).replace(second=0, microsecond=0)
    if "published" not in entry:
        return now
    days_ago, clock = entry["published"]
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localdate(now) - timedelta(days=days_ago)
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    while moment > now:  # "today at 10:30" run at 08:00 must not become a scheduled article
        moment -= timedelta(days=1)
    return moment


def _create_article(entry: dict, category: Category, user, now: datetime) -> Article:
    publish_at = _publish_at(entry, now)
    # Exactly one headline per section: don't add a second one next to an editor's choice.
    featured = entry.get("featured", False) and not (
        Article.objects.in_category(category).featured().exists()
    )
    article = Article(
        title=entry["title"],
        summary=entry.get("summary", ""),
        body=entry["body"],
        category=category,
        author=entry.get("author", ""),
        source_name=entry.get("source_name", ""),
        source_url=entry.get("source_url", ""),
        status=entry.get("status", Article.Status.PUBLISHED),
        publish_at=publish_at,
        is_featured=featured,
        views=entry.get("views", 0),
        created_by=user,
    )
    if entry.get("cover", True):
        digest = hashlib.sha1(entry["title"].encode()).hexdigest()[:10]
        cover = draw_cover(entry["title"], category.slug)
        article.cover.save(f"demo-{category.slug}-{digest}.jpg", ContentFile(cover), save=False)
    article.save()
    article.tags.set(entry["tags"])
    if publish_at < now:
        # Written a little before it went out, as in a real newsroom.
        Article.objects.filter(pk=article.pk).update(
            created_at=publish_at - timedelta(hours=2), updated_at=publish_at
        )
    return article


def _create_comment(article: Article, entry: dict, ip_address: str, now: datetime) -> bool:
    """Add one reader comment unless it is there already or readers can't see the article."""
    if not article.is_public:
        return False
    exists = Comment.objects.filter(
        article=article, name=entry["name"], message=entry["message"]
    ).exists()
    if exists:
        return False
    comment = Comment.objects.create(
        article=article,
        name=entry["name"],
        email=entry["email"],
        message=entry["message"],
        status=entry.get("status", Comment.Status.APPROVED),
        ip_address=ip_address,
        user_agent=DEMO_USER_AGENT,
    )
    written_at = min(article.publish_at + timedelta(hours=entry["hours_after"]), now)
    Comment.objects.filter(pk=comment.pk).update(created_at=written_at)
    return True
