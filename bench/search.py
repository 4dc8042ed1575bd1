"""``make bench-search``: is search right and fast at 100,000 articles? Figures, not a test.

Uses the bench's own database (``var/bench.sqlite3``, or ``portal_bench`` beside the server
of ``DATABASE_URL``; seeded first if missing, as ``make bench`` does) and makes sure the
search index is built. Then, over a fixed-seed sample of queries stratified by length (1, 2,
3, 4+ Chinese characters, Latin words and numbers, mixes, several terms), drawn from the
corpus text with some that occur nowhere, it measures:

- the search request served in-process (Django's test client, ``DEBUG`` off), several
  interleaved repetitions per query, and the backend call alone (first page);
- the plain ``LIKE`` scan a portal without the index runs (count + first page, newest
  first) on the same data, for the speed-up;
- correctness: every id the backend returns, paged through to the end, against substring
  truth computed in Python from the articles' own fields (``search.text.fold``), and the
  order (title matches first, then newest);
- the size of the search tables as a multiple of the raw text.

Figures go to ``bench/results-search-<vendor>.json``.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from array import array
from datetime import UTC, datetime
from pathlib import Path

from .run import (
    BASE_DIR,
    DEFAULT_ARTICLES,
    RESULTS_DIR,
    configure_environment,
    database_description,
    env_int,
    git_revision,
    log,
)

PAGE_SIZE = 15  # news.views.SearchView.paginate_by: what one request shows
DEEP_PAGE = 1000  # a deep page of results, timed too
FULL_PAGE = 25_000  # the page size used to read every id a backend returns

TIMINGS = ("request_ms", "backend_ms", "deep_ms", "like_ms")
TARGETS = {"p50_ms": 20, "p95_ms": 100, "speedup": 50, "mismatches": 0}

# Queries readers type (issue 5), always in the sample, by stratum.
READER_QUERIES = {
    "2 chars": ["文明", "松江", "基金"],
    "Latin": ["G60", "Ｇ６０", "st"],
    "mixed": ["2020年", "ST锐电", "3.5%", "G60科创"],
    "several terms": ["松江 文明", "G60 2026年"],
}
# Characters the corpus's vocabulary never uses: queries built with them find nothing.
ABSENT_CHARS = "龘鱻犇骉猋麤靐齉爩厵灪朤淼焱垚燚掱譶"
# Metacharacters of LIKE, regular expressions and SQL, to be matched literally.
LITERAL_QUERIES = ["%", "_", "50%", "a_b", "\\", "'", "100%'"]

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
CJK_RUN = re.compile(f"[{CJK}]+")
LATIN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?%?")
MIXED = re.compile(rf"[a-z0-9.%]+[{CJK}]{{1,3}}|[{CJK}]{{1,3}}[a-z0-9.%]+")


def full_width(text: str) -> str:
    """ASCII letters, digits and signs as their full-width forms (Ｇ６０), which fold back."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Sampling ---------------------------------------------------------------------------------


def corpus_texts(rng: random.Random, size: int) -> list[str]:
    """The folded text of ``size`` published articles picked with ``rng``."""
    from news.models import Article
    from search.text import document_text

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    picked = rng.sample(ids, min(size, len(ids)))
    rows = Article.objects.filter(pk__in=picked).values_list(
        "title", "summary", "body_text", "source_name"
    )
    return [document_text(*row) for row in rows]


def sample_queries(seed: int, per_stratum: int) -> list[tuple[str, str]]:
    """(stratum, query) pairs: words that occur, drawn from the corpus, and some that do not."""
    rng = random.Random(seed)
    texts = corpus_texts(rng, 400)
    runs = [run for text in texts for run in CJK_RUN.findall(text)]
    latin = sorted({m for text in texts for m in LATIN.findall(text)})
    words = [m for m in latin if re.search("[a-z]", m)]  # G60, 5G, AI: rarer than numbers
    numbers = [m for m in latin if m not in words]
    mixed = sorted({m for text in texts for m in MIXED.findall(text)})

    def chinese(length: int) -> str:
        if rng.random() < 0.15:  # occurs nowhere
            chars = [rng.choice(rng.choice(runs)) for _ in range(length)]
            chars[rng.randrange(length)] = rng.choice(ABSENT_CHARS)
            return "".join(chars)
        run = rng.choice([r for r in rng.sample(runs, 50) if len(r) >= length] or runs)
        start = rng.randrange(len(run) - length + 1)
        return run[start : start + length]

    def variant(text: str) -> str:
        roll = rng.random()
        if roll < 0.25:
            return text.upper()
        if roll < 0.40:
            return full_width(text)
        return text

    def latin_word() -> str:
        if rng.random() < 0.12:
            return rng.choice(["zqx", "xyzzy", "9q9", "html5", "qwerty"])
        return variant(rng.choice(words if words and rng.random() < 0.5 else numbers))

    def mixed_word() -> str:
        if rng.random() < 0.12:
            return rng.choice(["ST锐电", "H7N9病毒", "上海2099年", "iPhone99发布"])
        return variant(rng.choice(mixed))

    def several() -> str:
        text = rng.choice(texts)
        words = []
        for _ in range(rng.choice([2, 2, 3])):
            run = rng.choice(CJK_RUN.findall(text))
            length = min(len(run), rng.choice([2, 2, 3, 4]))
            start = rng.randrange(len(run) - length + 1)
            words.append(run[start : start + length])
        return " ".join(words)

    makers = {
        "1 char": lambda: chinese(1),
        "2 chars": lambda: chinese(2),
        "3 chars": lambda: chinese(3),
        "4+ chars": lambda: chinese(rng.choice([4, 4, 5, 6, 8])),
        "Latin": latin_word,
        "mixed": mixed_word,
        "several terms": several,
    }
    from search.text import query_terms

    seen, queries = set(), []
    for stratum, make in makers.items():
        wanted = per_stratum if stratum != "several terms" else max(10, per_stratum // 2)
        fixed = READER_QUERIES.get(stratum, [])
        if stratum == "mixed":
            fixed = fixed + LITERAL_QUERIES
        candidates = iter(fixed)
        count, attempts = 0, 0
        while count < wanted and attempts < wanted * 50:
            attempts += 1
            query = next(candidates, None) or make()
            key = " ".join(query.split())
            if not query_terms(query) or key in seen:
                continue
            seen.add(key)
            queries.append((stratum, query))
            count += 1
    return queries


# Ground truth -----------------------------------------------------------------------------


def substring_truth(queries: list[str]):
    """Per query, the ids of the published articles holding every term, best first.

    Computed in Python from the articles' own fields, folded with ``search.text.fold``:
    independent of the search tables and of any SQL collation. Best first is title matches,
    then newest (``rank_key``), as every backend must order.
    """
    from news.models import Article
    from search.backends.base import rank_key
    from search.text import document_text, fold, query_terms

    terms_of = [query_terms(q) for q in queries]
    all_terms = sorted({t for terms in terms_of for t in terms})
    position = {t: i for i, t in enumerate(all_terms)}
    wanted = [[position[t] for t in terms] for terms in terms_of]
    found = [array("q") for _ in queries]
    in_title = [set() for _ in queries]
    rank = {}
    rows = Article.objects.published().values_list(
        "pk", "title", "summary", "body_text", "source_name", "publish_at"
    )
    for pk, title, summary, body, source, publish_at in rows.iterator(chunk_size=2000):
        text = document_text(title, summary, body, source)
        present = [t in text for t in all_terms]
        folded_title = None
        for index, positions in enumerate(wanted):
            if positions and all(present[p] for p in positions):
                found[index].append(pk)
                folded_title = folded_title if folded_title is not None else fold(title)
                if all(all_terms[p] in folded_title for p in positions):
                    in_title[index].add(pk)
        rank[pk] = rank_key(publish_at, pk)
    return [
        sorted(ids, key=lambda pk, titled=titled: (pk not in titled, -rank[pk]))
        for ids, titled in zip(found, in_title, strict=True)
    ]


# Measurements -----------------------------------------------------------------------------


def like_scan(query: str) -> tuple[int, list[int]]:
    """What a portal without the index runs: every term icontains some field, count + page 1."""
    from django.db.models import Q

    from news.models import Article
    from search.text import query_terms

    qs = Article.objects.published()
    for term in query_terms(query):
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body_text__icontains=term)
            | Q(source_name__icontains=term)
        )
    count = qs.count()
    page = list(qs.order_by("-publish_at", "-id").values_list("pk", flat=True)[:PAGE_SIZE])
    return count, page


def all_ids(backend, query: str) -> tuple[list[int], int]:
    """Every id the backend returns for ``query``, paging to the end, and its count."""
    ids, offset = [], 0
    while True:
        page = backend.search(query, offset=offset, limit=FULL_PAGE)
        ids.extend(page.ids)
        offset += FULL_PAGE
        if len(page.ids) < FULL_PAGE or offset > page.count + FULL_PAGE:
            return ids, page.count


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    value = call()
    return (time.perf_counter() - started) * 1000, value


def measure(queries, truth, repeat: int, like_repeat: int) -> list[dict]:
    from django.test import Client

    from search.backends import get_backend

    backend = get_backend()
    client = Client(HTTP_HOST="127.0.0.1")
    rows = [
        {
            "stratum": stratum,
            "query": query,
            "request_ms": [],
            "backend_ms": [],
            "deep_ms": [],
            "status": set(),
        }
        for stratum, query in queries
    ]
    log(f"correctness: every id of {len(rows)} queries against substring truth")
    checked_at = time.monotonic()
    for number, (row, expected) in enumerate(zip(rows, truth, strict=True), 1):
        if time.monotonic() - checked_at > 30:
            log(f"  {number}/{len(rows)}")
            checked_at = time.monotonic()
        ids, count = all_ids(backend, row["query"])
        row["expected"] = len(expected)
        row["count"] = count
        missing = set(expected) - set(ids)
        extra = set(ids) - set(expected)
        row["missing"] = sorted(missing)[:10]
        row["extra"] = sorted(extra)[:10]
        row["mismatch"] = bool(missing or extra or count != len(expected) or len(ids) != count)
        row["misordered"] = not row["mismatch"] and ids != expected
        if row["mismatch"]:
            log(
                f"  MISMATCH {row['query']!r}: truth {len(expected)}, backend count {count}, "
                f"ids {len(ids)}, missing {len(missing)} {row['missing']}, "
                f"extra {len(extra)} {row['extra']}"
            )
        elif row["misordered"]:
            first = next(i for i, (a, b) in enumerate(zip(ids, expected, strict=True)) if a != b)
            log(f"  ORDER {row['query']!r}: differs from position {first}")

    log(f"timing: {repeat} interleaved rounds of request + backend call per query")
    for _ in range(repeat):
        for row in rows:
            path = "/search/?" + urllib.parse.urlencode({"q": row["query"]})
            elapsed, response = timed(lambda path=path: client.get(path))
            row["request_ms"].append(elapsed)
            row["status"].add(response.status_code)
            elapsed, _page = timed(lambda q=row["query"]: backend.search(q, limit=PAGE_SIZE))
            row["backend_ms"].append(elapsed)
            # A deep page: the 1,000th, or the last one when there are fewer.
            deep = max(0, min(row["expected"], DEEP_PAGE * PAGE_SIZE) - 1) // PAGE_SIZE * PAGE_SIZE
            elapsed, _page = timed(
                lambda q=row["query"], deep=deep: backend.search(q, offset=deep, limit=PAGE_SIZE)
            )
            row["deep_ms"].append(elapsed)

    log(f"LIKE scan: {like_repeat} round(s) of count + first page per query")
    for _ in range(like_repeat):
        for row in rows:
            elapsed, (count, _page) = timed(lambda q=row["query"]: like_scan(q))
            row.setdefault("like_ms", []).append(elapsed)
            row["like_count"] = count
    for row in rows:
        row["status"] = sorted(row["status"])
        row["request_first_ms"] = row["request_ms"][0]
        row["request_p50_ms"] = statistics.median(row["request_ms"])
        row["backend_p50_ms"] = statistics.median(row["backend_ms"])
        row["like_p50_ms"] = statistics.median(row["like_ms"])
        row["speedup"] = row["like_p50_ms"] / max(row["backend_p50_ms"], 0.001)
        row["speedup_request"] = row["like_p50_ms"] / max(row["request_p50_ms"], 0.001)
    return rows


def percentile(values, fraction: float) -> float:
    """Nearest-rank percentile: a value that was measured, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def summarize(rows) -> list[dict]:
    strata = list(dict.fromkeys(row["stratum"] for row in rows))
    summary = []
    for name in [*strata, "all"]:
        group = [row for row in rows if name in ("all", row["stratum"])]
        requests = [ms for row in group for ms in row["request_ms"]]
        backend = [ms for row in group for ms in row["backend_ms"]]
        deep = [ms for row in group for ms in row["deep_ms"]]
        first = [row["request_first_ms"] for row in group]
        summary.append(
            {
                "stratum": name,
                "queries": len(group),
                "found_nothing": sum(1 for row in group if row["expected"] == 0),
                "median_results": statistics.median(row["expected"] for row in group),
                "request_p50_ms": round(percentile(requests, 0.50), 2),
                "request_p95_ms": round(percentile(requests, 0.95), 2),
                "request_first_p95_ms": round(percentile(first, 0.95), 2),
                "request_max_ms": round(max(requests), 2),
                "backend_p50_ms": round(percentile(backend, 0.50), 2),
                "backend_p95_ms": round(percentile(backend, 0.95), 2),
                "deep_page_p95_ms": round(percentile(deep, 0.95), 2),
                "like_p50_ms": round(statistics.median(row["like_p50_ms"] for row in group), 1),
                "speedup_median": round(statistics.median(row["speedup"] for row in group), 1),
                "speedup_request_median": round(
                    statistics.median(row["speedup_request"] for row in group), 1
                ),
                "mismatches": sum(1 for row in group if row["mismatch"]),
                "misordered": sum(1 for row in group if row["misordered"]),
                "not_200": sum(1 for row in group if row["status"] != [200]),
            }
        )
    return summary


# Index size -------------------------------------------------------------------------------


def index_size() -> dict:
    """Bytes of the search tables and of every index on them, beside the raw text's bytes.

    ``documents`` is the SearchDocument table's own data (a folded copy of the text);
    ``index`` is everything else: the gram index (FTS5 tables, GIN index) and the
    documents' b-tree indexes.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT s.name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m "
                "ON m.name = s.name WHERE m.tbl_name LIKE 'search\\_%' ESCAPE '\\' "
                "GROUP BY s.name"
            )
            length = "length(CAST({} AS BLOB))"
        else:
            cursor.execute(
                "SELECT t.relname, pg_table_size(t.oid) FROM pg_class t "
                "WHERE t.relkind IN ('r', 'm', 'p') AND t.relname LIKE 'search\\_%' "
                "AND pg_table_is_visible(t.oid) "
                "UNION ALL SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x "
                "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE t.relname LIKE 'search\\_%' AND pg_table_is_visible(t.oid)"
            )
            length = "octet_length({})"
        relations = {name: int(size) for name, size in cursor.fetchall()}
        fields = " + ".join(
            length.format(f"COALESCE({f}, '')")
            for f in ("title", "summary", "body_text", "source_name")
        )
        cursor.execute(f"SELECT SUM({fields}) FROM news_article WHERE status = 'published'")
        raw = int(cursor.fetchone()[0] or 0)
    documents = relations.get("search_searchdocument", 0)
    total = sum(relations.values())

    def times(size):
        return round(size / raw, 2) if raw else None

    return {
        "raw_text_bytes": raw,
        "relations_bytes": dict(sorted(relations.items())),
        "documents_bytes": documents,
        "index_bytes": total - documents,
        "total_bytes": total,
        "documents_x_raw": times(documents),
        "index_x_raw": times(total - documents),
        "total_x_raw": times(total),
    }


# Setup ------------------------------------------------------------------------------------


def ensure_index(rebuild: bool) -> dict:
    """Build the search index unless every published article already has its document."""
    from django.core.management import call_command, get_commands

    from news.models import Article
    from search.backends import get_backend
    from search.models import SearchDocument

    published = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    documents = SearchDocument.objects.count()
    if documents == published and not rebuild:
        log(f"search index: {documents} documents, up to date (--rebuild to rebuild)")
        return {"rebuilt": False, "documents": documents}
    log(f"search index: {documents} documents for {published} published articles: rebuilding")
    started = time.monotonic()
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index")
    else:

        def progress(done, total, shown=[-1]):  # noqa: B006 - a tenth at a time
            if done * 10 // max(total, 1) != shown[0]:
                shown[0] = done * 10 // max(total, 1)
                log(f"  {done}/{total}")

        get_backend().rebuild(progress=progress)
    seconds = round(time.monotonic() - started, 1)
    documents = SearchDocument.objects.count()
    log(f"search index: {documents} documents, rebuilt in {seconds} s")
    return {"rebuilt": True, "documents": documents, "seconds": seconds}


# Output -----------------------------------------------------------------------------------


def verdict(value, target, higher_is_better=False) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "" if ok else " !"


def print_table(summary, backend_name):
    header = (
        f"{'stratum':<14} {'n':>4} {'none':>4} {'hits':>6}  {'req p50':>8} {'req p95':>8}"
        f" {'1st p95':>8}  {'be p50':>7} {'be p95':>7} {'deep95':>7}  {'LIKE p50':>8} {'×LIKE':>7}"
        f"  {'wrong':>5}"
    )
    log(header)
    log("-" * len(header))
    for row in summary:
        if row["stratum"] == "all":
            log("-" * len(header))
        log(
            f"{row['stratum']:<14} {row['queries']:>4} {row['found_nothing']:>4}"
            f" {row['median_results']:>6.0f}  {row['request_p50_ms']:>6.1f}ms"
            f" {row['request_p95_ms']:>6.1f}ms {row['request_first_p95_ms']:>6.1f}ms"
            f"  {row['backend_p50_ms']:>5.1f}ms {row['backend_p95_ms']:>5.1f}ms"
            f" {row['deep_page_p95_ms']:>5.1f}ms"
            f"  {row['like_p50_ms']:>6.0f}ms {row['speedup_median']:>6.0f}×"
            f"  {row['mismatches']:>5}"
            + (f"  ({row['misordered']} misordered)" if row["misordered"] else "")
            + (f"  ({row['not_200']} not 200)" if row["not_200"] else "")
        )
    overall = summary[-1]
    log(
        f"n: queries; none: of them found nothing; hits: median results per query; req: the "
        f"search request in-process; 1st: each query's first request; be: {backend_name}.search "
        "(first page + count) alone; deep95: its page 1,000 (or the last), p95; ×LIKE: LIKE "
        "scan ÷ backend call, median over queries; wrong: result sets unlike substring truth"
    )
    log(
        f"targets: request p50 ≤ {TARGETS['p50_ms']} ms"
        f"{verdict(overall['request_p50_ms'], TARGETS['p50_ms'])}, p95 ≤ {TARGETS['p95_ms']} ms"
        f"{verdict(overall['request_p95_ms'], TARGETS['p95_ms'])}, ≥ {TARGETS['speedup']}× LIKE"
        f"{verdict(overall['speedup_median'], TARGETS['speedup'], True)}, 0 wrong"
        f"{verdict(-overall['mismatches'], 0, True)}  (! = missed)"
    )


def print_size(size):
    mib = 1024 * 1024
    log(
        f"index size: raw text {size['raw_text_bytes'] / mib:.0f} MiB; documents (folded copy) "
        f"{size['documents_bytes'] / mib:.0f} MiB = {size['documents_x_raw']}×; indexes "
        f"{size['index_bytes'] / mib:.0f} MiB = {size['index_x_raw']}×; all search tables "
        f"{size['total_bytes'] / mib:.0f} MiB = {size['total_x_raw']}× the raw text"
    )


# Main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, default=env_int("BENCH_ARTICLES", DEFAULT_ARTICLES))
    parser.add_argument("--comments", type=int, default=env_int("BENCH_COMMENTS", 5_000))
    parser.add_argument(
        "--per-stratum", type=int, default=env_int("BENCH_SEARCH_QUERIES", 36),
        help="queries per stratum (several terms: half as many)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=env_int("BENCH_SEARCH_REPEAT", 5))
    parser.add_argument("--like-repeat", type=int, default=env_int("BENCH_LIKE_REPEAT", 1))
    parser.add_argument("--seed", type=int, default=env_int("BENCH_SEARCH_SEED", 5))
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index first")
    args = parser.parse_args(argv)

    started = time.monotonic()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    configure_environment(args.articles)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    if path := os.environ.get("BENCH_SEARCH_BACKEND"):  # another engine behind the interface
        settings.PORTAL_SEARCH_BACKEND = path
    vendor = connection.vendor
    log(f"bench database: {database_description()}; DEBUG {settings.DEBUG}")
    log("migrate (which indexes the articles of a database that has no search documents)")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_bench", articles=args.articles, comments=args.comments)
    # The results page is rendered with DEBUG off: its stylesheet's address comes from the
    # static files manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    index = ensure_index(args.rebuild)
    cache.clear()

    from search.backends import get_backend

    backend = get_backend()
    backend_name = type(backend).__name__

    queries = sample_queries(args.seed, args.per_stratum)
    log(f"{len(queries)} queries (seed {args.seed}); substring truth from the articles' fields")
    truth_seconds, truth = timed(lambda: substring_truth([q for _, q in queries]))
    log(f"  truth computed in {truth_seconds / 1000:.1f} s")
    rows = measure(queries, truth, args.repeat, args.like_repeat)
    summary = summarize(rows)
    size = index_size()

    log()
    log(
        f"== make bench-search: {vendor} ({backend_name}), {index['documents']} documents, "
        f"{len(rows)} queries × {args.repeat} =="
    )
    print_table(summary, backend_name)
    print_size(size)
    slowest = sorted(rows, key=lambda r: -max(r["request_ms"]))[:5]
    log(
        "slowest requests: "
        + ", ".join(f"{r['query']!r} {max(r['request_ms']):.0f}ms" for r in slowest)
    )

    results = {
        "vendor": vendor,
        "backend": f"{type(backend).__module__}.{backend_name}",
        "database": database_description(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "cores": os.cpu_count(),
        "settings": vars(args),
        "targets": TARGETS,
        "index": index,
        "size": size,
        "summary": summary,
        "queries": [
            {
                key: (round(value, 2) if isinstance(value, float) else value)
                for key, value in row.items()
                if key not in TIMINGS
            }
            | {k: [round(v, 2) for v in row[k]] for k in TIMINGS}
            for row in rows
        ],
        "total_seconds": round(time.monotonic() - started, 1),
    }
    size_suffix = "" if args.articles == DEFAULT_ARTICLES else f"-{args.articles}"
    path = RESULTS_DIR / f"results-search-{vendor}{size_suffix}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    log(f"figures: {Path(path).relative_to(BASE_DIR)}  (whole run {results['total_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
