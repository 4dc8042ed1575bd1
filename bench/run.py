"""``make bench``: seed a separate database, serve it with gunicorn, load it, print figures.

The bench never touches the demo database: on the embedded default it uses
``var/bench.sqlite3``; with ``DATABASE_URL`` it uses a database of its own beside the
configured one (``portal_bench``), and with ``REDIS_URL`` a Redis database of its own (14).
A size other than the default gets databases of its own (``var/bench-20000.sqlite3``,
``portal_bench_20000``), so a smaller run never measures a larger set seeded before.
Figures are ratios to a floor measured in the same round (``/healthz/``: the full
middleware stack and no work), so they say how much the portal's own work costs on this
machine rather than how fast the machine is.
"""

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import load
from .corpus import SEARCH_WORD

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent
DEFAULT_ARTICLES = 100_000


def env_int(name, default):
    return int(os.environ.get(name) or default)


def log(message=""):
    print(message, flush=True)


# Environment ------------------------------------------------------------------------------


def with_path(url: str, path: str) -> str:
    """``url`` with another path (database name or number); keeps an empty host (sockets)."""
    parts = urllib.parse.urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}"


def ensure_postgres_database(url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``url``, created if missing."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating PostgreSQL database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_path(url, "/" + name)


def configure_environment(articles: int) -> None:
    """Point Django at the bench's own database and cache, as readers would see the site."""
    suffix = "" if articles == DEFAULT_ARTICLES else f"_{articles}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = os.environ.get("BENCH_DATABASE", "portal_bench" + suffix)
        os.environ["DATABASE_URL"] = ensure_postgres_database(url, name)
    else:
        os.environ.pop("DATABASE_URL", None)  # a SQLite URL: the bench keeps its own file
        data_dir = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var"))
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["PORTAL_SQLITE_PATH"] = os.environ.get(
            "BENCH_SQLITE_PATH", str(data_dir / f"bench{suffix.replace('_', '-')}.sqlite3")
        )
    if url := os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = with_path(url, "/" + os.environ.get("BENCH_REDIS_DB", "14"))


def backend_label() -> str:
    from django.conf import settings
    from django.db import connection

    cache_backend = settings.CACHES["default"]["BACKEND"].lower()
    redis = "redis" in cache_backend or bool(getattr(settings, "REDIS_URL", None))
    return connection.vendor + ("+redis" if redis else "")


def database_description() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings_dict["NAME"])
    host = settings_dict.get("HOST") or "the local socket"
    return f"{connection.vendor} database {settings_dict['NAME']} on {host}"


# Scenarios --------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    target: load.Target
    goal: float | None = None  # minimum requests/s as a fraction of the floor's
    slow: bool = False  # searched with LIKE today: short, one connection per worker

    @property
    def label(self):
        if self.target.first is not None:
            return f"/article/<each once, {self.target.first}..{self.target.last}>/"
        return urllib.parse.unquote(self.target.path)


def plan(backend: str) -> dict:
    """The URLs to load, from what the bench database holds."""
    from django.db.models import Max, Min

    from news.management.commands.seed_bench import BENCH_AUTHOR
    from news.models import Article
    from news.views import CategoryView

    bench = Article.objects.published().filter(author=BENCH_AUTHOR)
    span = bench.aggregate(first=Min("pk"), last=Max("pk"))
    ids = bench.order_by("pk").values_list("pk", flat=True)
    total = bench.count()
    warm_pk, counter_pk = ids[total // 2], ids[total // 3]
    in_news = Article.objects.published().filter(category__slug="news").count()
    pages = max(1, math.ceil(in_news / CategoryView.paginate_by))
    deep = min(1000, pages)
    search = urllib.parse.quote(SEARCH_WORD)
    warm_goal = 0.50 if backend == "postgresql+redis" else 0.30
    scenarios = [
        Scenario("floor", load.Target("/healthz/")),
        Scenario("home", load.Target("/"), 0.50),
        Scenario("category p1", load.Target("/category/news/"), 0.50),
        Scenario(f"category p{deep}", load.Target(f"/category/news/?page={deep}"), 0.40),
        Scenario("article warm", load.Target(f"/article/{warm_pk}/"), warm_goal),
        Scenario("article cold", load.Target(first=span["first"], last=span["last"]), 0.15),
        Scenario("search", load.Target(f"/search/?q={search}"), slow=True),
    ]
    if only := os.environ.get("BENCH_ONLY"):  # e.g. BENCH_ONLY="article cold,home"
        wanted = {"floor", *(name.strip() for name in only.split(","))}
        scenarios = [s for s in scenarios if s.name in wanted]
    return {
        "scenarios": scenarios,
        "articles": total,
        "pages_in_news": pages,
        "deep_page": deep,
        "warm_pk": warm_pk,
        "counter_pk": counter_pk,
    }


# Server -----------------------------------------------------------------------------------


# The tables an article page reads; the search index is search's own bench (bench/search.py).
WARM_TABLES = (
    "news_article", "news_category", "taggit_tag", "taggit_taggeditem", "comments_comment",
)  # fmt: skip


def warm_file_cache() -> str:
    """Read the bench data into the operating system's file cache before measuring.

    "Cold" in this bench means the portal's cache: a random article that no reader asked
    for lately. Its rows should come from memory, as on a server whose memory holds its
    database; on a machine that reclaims idle file pages (this one does), the first
    requests would otherwise measure the disk.
    """
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        read = 0
        for part in (path, path.with_name(path.name + "-wal")):
            if part.exists():
                with open(part, "rb") as data:
                    while chunk := data.read(4 << 20):
                        read += len(chunk)
        return f"read {read / 2**20:,.0f} MiB of {path.name}"
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except Exception as error:  # not allowed, or not installed: measure as it is
            return f"not warmed (pg_prewarm: {error})"
        cursor.execute(
            """SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0)
                * current_setting('block_size')::int
            FROM pg_class c WHERE c.relkind IN ('r', 'i', 't') AND (
                c.relname = ANY(%s)
                OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (
                    SELECT oid FROM pg_class WHERE relname = ANY(%s)))
                OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = ANY(%s)))""",
            [list(WARM_TABLES)] * 3,
        )
        read = cursor.fetchone()[0]
    return f"read {read / 2**20:,.0f} MiB of {', '.join(WARM_TABLES)} (pg_prewarm)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serving_mode(concurrency: int) -> str:
    """What portal/gunicorn.conf.py makes of the concurrency (see its comments)."""
    if os.environ.get("REDIS_URL"):
        return f"{concurrency} processes"
    return f"1 process × {concurrency} threads"


def start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    """The production configuration (`make serve`), never recycling workers mid-run."""
    command = [
        sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py",
        "-b", f"127.0.0.1:{port}", "--max-requests", "0",
        "--timeout", "120", "--log-level", "warning", "--access-logfile", "/dev/null",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"}
    env["WEB_CONCURRENCY"] = str(workers)
    with open(log_path, "w") as log_file:
        server = subprocess.Popen(
            command, cwd=BASE_DIR, stdout=log_file, stderr=subprocess.STDOUT, env=env
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
        if probe(port, "/healthz/") == 200:
            return server
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer /healthz/ within 60 s; see {log_path}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def probe(port: int, path: str, timeout: float = 5) -> int | None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


def drain(port: int, workers: int, limit: float = 180) -> float:
    """Wait until no worker is still busy with requests a slow scenario left queued."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        timings = []

        def one(timings=timings):
            t = time.monotonic()
            probe(port, "/healthz/", timeout=limit)
            timings.append(time.monotonic() - t)

        probes = [threading.Thread(target=one) for _ in range(workers)]
        for thread in probes:
            thread.start()
        for thread in probes:
            thread.join()
        if max(timings) < 0.1:
            break
    return time.monotonic() - started


# Measurements -----------------------------------------------------------------------------


class Loader:
    def __init__(self, port, *, duration, search_duration, connections, threads, workers):
        self.port = port
        self.duration = duration
        self.search_duration = search_duration
        self.connections = connections
        self.threads = threads
        self.workers = workers
        self.wrk = load.ensure_wrk(log)

    @property
    def tool(self) -> str:
        if self.wrk:
            return f"wrk -t{self.threads} -c{self.connections} -d{self.duration}s --latency"
        return f"Python http.client, {self.connections} threads (wrk not available)"

    def run(self, scenario: Scenario, duration=None) -> load.Result:
        duration = duration or (self.search_duration if scenario.slow else self.duration)
        # The slow scenario gets one connection per worker: more would only queue.
        connections = self.workers if scenario.slow else self.connections
        timeout = 60 if scenario.slow else 10
        if self.wrk:
            return load.run_wrk(
                self.wrk,
                f"http://127.0.0.1:{self.port}",
                scenario.target,
                duration=duration,
                connections=connections,
                threads=min(self.threads, connections),
                timeout=timeout,
            )
        return load.run_python(
            "127.0.0.1",
            self.port,
            scenario.target,
            duration=duration,
            connections=connections,
            timeout=timeout,
        )


def measure(loader: Loader, scenarios, rounds: int) -> list[list[dict]]:
    log("warming up (1 s per scenario, not counted)")
    for scenario in scenarios:
        try:
            loader.run(scenario, duration=1)
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            log(f"  warm-up {scenario.name}: {error}")
        drain(loader.port, loader.workers)
    results = []
    floor, others = scenarios[0], scenarios[1:]
    for number in range(1, rounds + 1):
        log(f"round {number}/{rounds}")
        floors = [_run_logged(loader, floor)]
        this_round = []
        for scenario in others:
            result = _run_logged(loader, scenario)
            # The machine's speed drifts within a round (other work on a shared machine):
            # each scenario is compared with the floor measured just before and just after.
            floors.append(_run_logged(loader, floor, duration=max(2, loader.duration // 2)))
            around = [f["requests_per_s"] for f in floors[-2:] if "error" not in f]
            if len(around) == 2:
                result["floor_requests_per_s"] = sum(around) / 2
            this_round.append(result)
        measured = [f for f in floors if "error" not in f]
        if measured:
            first = {**measured[0], "scenario": floor.name, "floor_runs": len(measured)}
            first["requests_per_s"] = sum(f["requests_per_s"] for f in measured) / len(measured)
        else:
            first = floors[0]
        results.append([first, *this_round])
    return results


def _run_logged(loader: Loader, scenario: Scenario, duration=None) -> dict:
    try:
        result = loader.run(scenario, duration=duration).as_dict()
    except Exception as error:  # noqa: BLE001 - a failing scenario must not stop the run
        result = {"error": str(error)[:500]}
    # Requests still queued when wrk stops would be served during the next scenario.
    result["drain_s"] = round(drain(loader.port, loader.workers), 1)
    log(f"  {scenario.name:<18} {_brief(result)}")
    return {"scenario": scenario.name, **result}


def _brief(result: dict) -> str:
    if "error" in result:
        return "error: " + result["error"].splitlines()[0]
    return (
        f"{result['requests_per_s']:8.1f} req/s  p50 {_fmt_ms(result['p50_ms'])}"
        f"  p99 {_fmt_ms(result['p99_ms'])}  errors {result['errors']}"
    )


def summarize(scenarios, rounds) -> list[dict]:
    """Per scenario the median round by ratio to the floor around it (of two, the better).

    The floor moves with whatever else the machine is doing; a ratio to the floor measured
    just before and after a scenario cancels most of that (the round's mean floor where
    those are missing), and the median drops a round that caught a disturbance.
    """
    rows = []
    for index, scenario in enumerate(scenarios):
        candidates = []
        for this_round in rounds:
            floor, result = this_round[0], this_round[index]
            if "error" in result or "error" in floor or not floor["requests_per_s"]:
                continue
            reference = result.get("floor_requests_per_s") or floor["requests_per_s"]
            ratio = result["requests_per_s"] / reference
            candidates.append((ratio, result))
        row = {"scenario": scenario.name, "url": scenario.label, "goal": scenario.goal}
        if candidates:
            # The floor's own ratios are all 1: its median round is the one by requests/s.
            by = (lambda c: c[1]["requests_per_s"]) if index == 0 else (lambda c: c[0])
            ratio, median = sorted(candidates, key=by)[len(candidates) // 2]
            row.update(median)
            row["ratio"] = round(ratio, 4)
            row["ratios_by_round"] = [round(c[0], 4) for c in candidates]
            if scenario.goal is not None:
                row["pass"] = ratio >= scenario.goal
        else:
            row["error"] = "no successful round"
        rows.append(row)
    return rows


def run_flush_views() -> str:
    """Run the lead's flush_views command if this checkout has it; say what happened."""
    from django.core.management import get_commands

    if "flush_views" not in get_commands():
        return "no flush_views command"
    done = subprocess.run(
        [sys.executable, "manage.py", "flush_views"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return f"flush_views failed: {done.stderr.strip()[-300:]}"
    return "flush_views ran"


def counter_check(port: int, pk: int, count: int, connections: int) -> dict:
    """Exactly ``count`` concurrent views of one article; does the stored 浏览 follow?"""
    from django.db import connection

    from news.models import Article

    def stored():
        value = Article.objects.filter(pk=pk).values_list("views", flat=True).get()
        connection.close()
        return value

    flush_before = run_flush_views()
    before = stored()
    tally = load.send_exactly("127.0.0.1", port, f"/article/{pk}/", count, connections=connections)
    flush_after = run_flush_views()
    after = stored()
    return {
        "article": pk,
        "sent": tally["sent"],
        "ok": tally["ok"],
        "failed": tally["failed"],
        "seconds": tally["seconds"],
        "stored_before": before,
        "stored_after": after,
        "stored": after - before,
        "exact": after - before == tally["ok"],
        "flush": [flush_before, flush_after],
    }


def query_counts(paths: dict[str, str]) -> dict:
    """SQL queries per page in-process: cold (after cache.clear()) and warm (the next request)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        cache.clear()
        row = {"path": path}
        for state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            timings = [(float(q["time"]), q["sql"]) for q in queries.captured_queries]
            slowest = max(timings, default=(0.0, ""))
            row[state] = {
                "status": response.status_code,
                "queries": len(timings),
                "sql_ms": round(sum(t for t, _ in timings) * 1000, 1),
                "response_ms": round(elapsed * 1000, 1),
                "slowest_ms": round(slowest[0] * 1000, 1),
                "slowest_sql": slowest[1],
            }
        counts[name] = row
    cache.clear()
    connection.close()
    return counts


# Output -----------------------------------------------------------------------------------


def _fmt_ms(value) -> str:
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value / 1000:.2f}s"
    return f"{value:.1f}ms" if value < 100 else f"{value:.0f}ms"


def print_table(rows):
    header = f"{'scenario':<16} {'req/s':>9} {'p50':>8} {'p99':>8} {'ratio':>7} {'target':>7}"
    header += "  result   (ratio by round)"
    log(header)
    log("-" * len(header))
    for row in rows:
        if "error" in row:
            log(f"{row['scenario']:<16} {row['error']}")
            continue
        goal = f"≥{row['goal']:.0%}" if row["goal"] is not None else "-"
        verdict = ("pass" if row["pass"] else "FAIL") if "pass" in row else ""
        verdict = f"{verdict:<6}  ({' / '.join(f'{r:.0%}' for r in row['ratios_by_round'])})"
        if row.get("errors"):
            verdict += f"  {row['errors']} errors"
        log(
            f"{row['scenario']:<16} {row['requests_per_s']:>9.1f} {_fmt_ms(row['p50_ms']):>8}"
            f" {_fmt_ms(row['p99_ms']):>8} {row['ratio']:>7.1%} {goal:>7}  {verdict}"
        )
    log("ratio = requests/s ÷ the mean floor just before and after it; the median round is shown")


def print_counter(counter):
    if counter["exact"]:
        log(f"counter: sent {counter['ok']}, stored {counter['stored']}, exact")
    else:
        difference = counter["stored"] - counter["ok"]
        log(f"counter: sent {counter['ok']}, stored {counter['stored']}, off by {difference:+d}")
    if counter["failed"]:
        log(f"  ({counter['failed']} of {counter['sent']} requests did not return 200)")
    log(f"  ({'; '.join(dict.fromkeys(counter['flush']))})")


def print_queries(counts):
    log(f"{'page':<16} {'cold':>5} {'warm':>5}   cold SQL time / slowest query")
    for name, row in counts.items():
        cold, warm = row["cold"], row["warm"]
        log(
            f"{name:<16} {cold['queries']:>5} {warm['queries']:>5}   "
            f"{cold['sql_ms']} ms / {cold['slowest_ms']} ms"
            + ("" if cold["status"] == 200 else f"  (status {cold['status']})")
        )


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + ("+changes" if dirty else "")


# Main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=env_int("BENCH_ARTICLES", DEFAULT_ARTICLES))
    parser.add_argument("--comments", type=int, default=env_int("BENCH_COMMENTS", 5_000))
    parser.add_argument("--seed-only", action="store_true", help="seed the bench database, stop")
    args = parser.parse_args(argv)

    cores = os.cpu_count() or 1
    settings = {
        "duration_s": env_int("BENCH_DURATION", 6),
        "search_duration_s": env_int("BENCH_SEARCH_DURATION", 4),
        "connections": env_int("BENCH_CONNECTIONS", 16),
        "threads": env_int("BENCH_THREADS", 2),
        # make serve's concurrency: with Redis that many processes, without it one process
        # with that many threads (its cache is in-process). One per core plus one to cover
        # I/O waits; wrk shares these cores.
        "workers": env_int("BENCH_WORKERS", cores + 1),
        "rounds": env_int("BENCH_ROUNDS", 3),
        "counter_requests": env_int("BENCH_COUNTER_REQUESTS", 2000),
    }
    started = time.monotonic()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    configure_environment(args.articles)

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    backend = backend_label()
    log(f"bench database: {database_description()} ({backend})")
    if os.environ.get("DATABASE_URL") and connection.vendor == "sqlite":
        log("warning: DATABASE_URL is set but the settings do not read it: SQLite it is")

    call_command("migrate", interactive=False, verbosity=0)
    seed_started = time.monotonic()
    call_command("seed_bench", articles=args.articles, comments=args.comments)
    seed_seconds = round(time.monotonic() - seed_started, 1)
    if args.seed_only:
        return 0
    call_command("collectstatic", interactive=False, verbosity=0)

    setup = plan(backend)
    scenarios = setup["scenarios"]
    # Bulk-created rows bypass the invalidation signals: start from an empty cache (the
    # bench's own: a locmem per process, or the bench's Redis database).
    cache.clear()
    log(f"file cache: {warm_file_cache()}")
    connection.close()

    port = env_int("BENCH_PORT", 0) or free_port()
    server_log = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")) / "bench-gunicorn.log"
    log(
        f"gunicorn (portal/gunicorn.conf.py): concurrency {settings['workers']} "
        f"({'processes' if os.environ.get('REDIS_URL') else 'threads of one process'}) "
        f"on 127.0.0.1:{port}, {cores} CPU cores; log {server_log}"
    )
    server = start_gunicorn(port, settings["workers"], server_log)
    try:
        loader = Loader(
            port,
            duration=settings["duration_s"],
            search_duration=settings["search_duration_s"],
            connections=settings["connections"],
            threads=settings["threads"],
            workers=settings["workers"],
        )
        log(
            f"load: {loader.tool}; search: {loader.workers} connections, "
            f"{settings['search_duration_s']} s"
        )
        rounds = measure(loader, scenarios, settings["rounds"])
        log(f"counter: {settings['counter_requests']} concurrent GETs of one article")
        counter = counter_check(
            port, setup["counter_pk"], settings["counter_requests"], settings["connections"]
        )
    finally:
        stop_gunicorn(server)

    pages = {
        "home": "/",
        "category p1": "/category/news/",
        f"category p{setup['deep_page']}": f"/category/news/?page={setup['deep_page']}",
        "article": f"/article/{setup['warm_pk']}/",
    }
    counts = query_counts(pages)
    rows = summarize(scenarios, rounds)

    log()
    log(
        f"== make bench: {backend}, {setup['articles']} articles, {cores} cores, "
        f"gunicorn {serving_mode(settings['workers'])}, {loader.tool} =="
    )
    print_table(rows)
    log()
    print_counter(counter)
    log()
    print_queries(counts)

    results = {
        "backend": backend,
        "database": database_description(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "cores": cores,
        "load_tool": loader.tool,
        "settings": settings,
        "articles": setup["articles"],
        "pages_in_news": setup["pages_in_news"],
        "seed_seconds": seed_seconds,
        "summary": rows,
        "rounds": rounds,
        "counter": counter,
        "queries": counts,
        "total_seconds": round(time.monotonic() - started, 1),
    }
    path = RESULTS_DIR / f"results-{backend}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    log()
    log(
        f"figures: {path.relative_to(BASE_DIR)}  (whole run {results['total_seconds']} s, "
        f"seeding {seed_seconds} s)"
    )
    return 0
