from django.core.management.base import BaseCommand

from news import counters


class Command(BaseCommand):
    help = "把 Redis 中累计的浏览数写回数据库（未配置 REDIS_URL 时无事可做）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="秒",
            help="持续运行，每隔这么多秒写回一次（可作为独立进程运行）。",
        )

    def handle(self, *args, every=None, **options):
        if not counters.redis_enabled():
            self.stdout.write("未配置 REDIS_URL：浏览数直接写入数据库，无需写回。")
            return
        if every:
            self.stdout.write(f"每 {every:g} 秒写回一次浏览数，按 Ctrl+C 停止。")
            counters.flush_forever(every)
        written = counters.flush()
        self.stdout.write(f"已写回 {written} 篇文章的浏览数。")
