import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from search.backends import get_backend


class Command(BaseCommand):
    help = _("从文章重建整个搜索索引（分批进行，显示进度）。")

    def handle(self, *args, **options):
        started = time.monotonic()
        last = [0.0]

        def progress(done, total):
            now = time.monotonic()
            if done not in (0, total) and now - last[0] < 1:
                return  # about one line a second
            last[0] = now
            elapsed = now - started
            rate = done / elapsed if elapsed else 0
            self.stdout.write(
                _("已索引 %(done)d / %(total)d 篇（%(percent).0f%%，每秒 %(rate).0f 篇）")
                % {
                    "done": done,
                    "total": total,
                    "percent": 100 * done / total if total else 100,
                    "rate": rate,
                }
            )

        self.stdout.write(_("正在重建搜索索引……"))
        get_backend().rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("搜索索引重建完成，用时 %(seconds).1f 秒。")
                % {"seconds": time.monotonic() - started}
            )
        )
