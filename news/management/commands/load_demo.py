import os

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from news.demo.loader import DemoContentError, load_demo


class Command(BaseCommand):
    help = (
        "载入演示内容：文章、封面、标签、读者留言和演示管理员账号。"
        "可重复运行，已有内容不会被修改或删除。"
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1
        try:
            result = load_demo(stdout=self.stdout if verbose else None)
        except DemoContentError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示内容已就绪：新建文章 %(articles)s 篇、留言 %(comments)s 条"
                    "（已有内容保持不变）。"
                )
                % result
            )
        )
        self.stdout.write(
            _("管理后台: %(url)s   用户名: %(username)s   密码: %(password)s")
            % {
                "url": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
                + reverse("admin:index"),
                "username": result["username"],
                "password": result["password"],
            }
        )
        self.stdout.write(_("（密码保存在 %(path)s）") % {"path": result["login_file"]})
