# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test install install-test install-bench migrate demo lint clean check-deploy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PIP) -e '.[bench]'
	@touch $@

install-bench: $(VENV)/.installed-bench

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

## make run: set up, load the demo content and serve the portal at http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	PORTAL_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py load_demo
	@echo "门户: http://$(HOST):$(PORT)/   （按 Ctrl+C 停止）"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: install what the tests need and run the whole suite: on SQLite + LocMem cache,
## then again on the database / Redis of DATABASE_URL / REDIS_URL when they are set
test: install-test
	@if [ -x "$${PORTAL_CHROMIUM:-/usr/bin/chromium}" ]; then \
	    echo "== browser tests: Chromium at $${PORTAL_CHROMIUM:-/usr/bin/chromium}: they run =="; \
	else \
	    echo "== browser tests: SKIPPED, no Chromium at $${PORTAL_CHROMIUM:-/usr/bin/chromium} (apt-get install chromium fonts-noto-cjk) =="; \
	fi
	@echo "== make test 1/2: SQLite + LocMem cache (the embedded default) =="
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest
	@db=$$(case "$$DATABASE_URL" in (postgres*) echo PostgreSQL;; ("") echo SQLite;; (*) echo "$${DATABASE_URL%%:*}";; esac); \
	cache=$$([ -n "$$REDIS_URL" ] && echo Redis || echo "LocMem cache"); \
	if [ -n "$$DATABASE_URL$$REDIS_URL" ]; then \
	    echo "== make test 2/2: $$db + $$cache (from DATABASE_URL / REDIS_URL) =="; \
	    $(BIN)/python -m pytest || exit 1; \
	    echo "== make test: SQLite + LocMem cache: passed; $$db + $$cache: passed =="; \
	else \
	    echo "== make test 2/2: PostgreSQL + Redis: skipped (DATABASE_URL/REDIS_URL not set) =="; \
	    echo "== make test: SQLite + LocMem cache: passed; PostgreSQL + Redis: skipped =="; \
	fi

## make check-deploy: Django's deployment checklist on production settings (HTTPS on, a fresh
## random secret key): any warning fails, and no check is silenced
check-deploy: install
	DJANGO_PRODUCTION=1 DJANGO_DEBUG=0 DJANGO_HTTPS=1 \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=news.example.com DJANGO_CSRF_TRUSTED_ORIGINS=https://news.example.com \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## make serve: production-like: migrate, collect static files, gunicorn on http://$(HOST):$(PORT)
.PHONY: serve
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "门户 (gunicorn): http://$(HOST):$(PORT)/   （按 Ctrl+C 停止）"
	DJANGO_DEBUG=0 $(BIN)/python -m gunicorn --config portal/gunicorn.conf.py --bind $(HOST):$(PORT)

## make bench: seed a separate bench database once (var/bench.sqlite3, or portal_bench when
## DATABASE_URL is set), serve it with gunicorn, load it with wrk and print figures and ratios
BENCH_ARTICLES ?= 100000
.PHONY: bench bench-seed
bench: install-bench
	BENCH_ARTICLES=$(BENCH_ARTICLES) $(BIN)/python -m bench

bench-seed: install-bench
	BENCH_ARTICLES=$(BENCH_ARTICLES) $(BIN)/python -m bench --seed-only

## make bench-search: on the same bench database, build the search index if needed, then
## time ≥ 200 sampled queries (request, backend, LIKE scan), check every result set against
## substring truth and print p50 / p95, the speed-up over LIKE and the index size
.PHONY: bench-search
bench-search: install-bench
	BENCH_ARTICLES=$(BENCH_ARTICLES) $(BIN)/python -m bench.search

lint: install
	$(PIP) -e '.[dev]'
	$(BIN)/python -m ruff check . && $(BIN)/python -m ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
