"""Settings for the portal.

Everything comes from environment variables with a safe embedded default:
SQLite and uploaded files under ``var/`` beside the code, nothing else to
install or start. Integrations (PostgreSQL, Redis, HTTPS) switch on only when
their variable is set. See README.md for the variables.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Where the embedded default keeps its database, uploads and generated key.
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY 环境变量。")
    # Embedded default: a random key generated once and kept beside the database,
    # so sessions survive restarts and no key is ever committed.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place: server processes starting together agree
        # on one key, and none ever reads a half-written file.
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_ckeditor_5",
    "simple_history",
    "news",
    "comments",
    "search",
    "placements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Revisions record the signed-in editor who saved them (news.Article.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.AdminLoginLockoutMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"

# The reader pages are Jinja2 templates (portal/jinja2.py: half the rendering time of a page
# not cached yet); the admin, its override in templates/admin/ and the forms' widgets are
# Django templates. Each engine finds only its own: Jinja2 skips templates/admin/.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "portal.jinja2.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite serving readers and comment writers at once: in WAL mode readers never wait for
# the writer; writers take the write lock as their transaction begins (IMMEDIATE), so one
# that reads then writes cannot fail half-way with "database is locked", and they queue
# for up to `timeout` seconds instead of failing at once.
# Reads go through a memory map of the file's first GiB (address space, not memory: the
# pages are the operating system's file cache, shared by every connection) and a 32 MiB
# page cache per connection instead of 2 MiB: an article nobody has asked for lately is
# then not a dozen read() calls through a cache too small for the indexes' inner pages
# (0.8 ms instead of 2 ms for its neighbours and related reading at 100,000 articles).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768"
    ),
}
# Each server thread keeps its SQLite connection instead of opening the file (and running
# the PRAGMAs above) for every request that touches the database.
SQLITE_CONN_MAX_AGE = int(os.environ.get("DJANGO_CONN_MAX_AGE", 600))


def postgres_statement_options() -> dict:
    """Prepared statements: PostgreSQL plans a statement once per connection, not per query.

    Planning costs more than running the short index walks the reader pages make (about
    1 ms against 0.15 ms), so statements run a few times on a connection are prepared
    (psycopg's prepare_threshold, which needs server-side parameter binding). Django keeps
    both off by default for transaction-pooling proxies such as older PgBouncer versions:
    set DJANGO_DB_PREPARED=0 behind one.
    """
    if not env_bool("DJANGO_DB_PREPARED", True):
        return {}
    return {"server_side_binding": True, "prepare_threshold": 5}


def database_from_url(url: str) -> dict:
    """DATABASES["default"] from postgres://user:password@host:port/name?… or sqlite:///path.

    Query parameters are libpq connection parameters (sslmode, connect_timeout, …). A SQLite
    path is relative to the project (sqlite:///var/db.sqlite3) or absolute (sqlite:////srv/db).
    """
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        # Taken from the raw netloc: hostname would lower-case a percent-encoded socket path.
        hostinfo = parts.netloc.rpartition("@")[2]
        if hostinfo.startswith("["):  # an IPv6 address
            host = hostinfo[1 : hostinfo.find("]")]
        else:
            host = hostinfo.partition(":")[0]
        return {
            # Django's backend with a health check that needs no round trip (its docstring).
            "ENGINE": "portal.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(host),
            "PORT": str(parts.port or ""),
            "OPTIONS": {**postgres_statement_options(), **dict(parse_qsl(parts.query))},
            "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", 60)),
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite" and not parts.netloc and parts.path.strip("/"):
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / unquote(parts.path[1:]),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
        }
    raise ImproperlyConfigured(
        "DATABASE_URL 无法识别：应为 postgres://用户:密码@主机:端口/库名 或 sqlite:///路径。"
    )


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PORTAL_SQLITE_PATH", DATA_DIR / "db.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
        }
    }

# Redis, when there is one, is shared by every server process: the cache, the rate limits
# and the view counter (which reads REDIS_URL itself). A Redis outage degrades to "no
# cache" instead of failing pages (portal/cache.py).
REDIS_URL = os.environ.get("REDIS_URL") or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("PORTAL_CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))
# The embedded default serves uploads itself; behind a real web server, turn this off.
SERVE_MEDIA = env_bool("PORTAL_SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.staticfiles.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# Where a login lands when its "next" address is missing or off the site (never followed).
LOGIN_REDIRECT_URL = "admin:index"

SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "申城资讯网")
# The line under the name in the header, the sentence about the site in the footer (and the
# home page's meta description), and the footer's note: the demo's own until a newsroom
# sets its own (an empty PORTAL_FOOTER_NOTE shows none).
SITE_TAGLINE = os.environ.get("PORTAL_SITE_TAGLINE", "申城新闻 · 财经 · 产经资讯")
SITE_DESCRIPTION = os.environ.get(
    "PORTAL_SITE_DESCRIPTION", "立足申城，报道身边的新闻、财经与产业动态。"
)
SITE_FOOTER_NOTE = os.environ.get("PORTAL_FOOTER_NOTE", "本站演示内容均为虚构，仅用于展示。")

SECURE_CONTENT_TYPE_NOSNIFF = True
# No page of the portal is ever shown in a frame (CSP frame-ancestors 'none' below says the
# same to browsers that read it).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy of every response (portal/middleware.py). Scripts only from the
# site itself or carrying the response's nonce ({nonce}, also request.csp_nonce): reader
# pages have no inline scripts at all (they are cached as whole HTML, a nonce must never
# be stored in one); the admin and CKEditor 5 load theirs from files. Styles allow inline
# style attributes, which CKEditor 5 and the admin set; article bodies may show images
# from other HTTPS sites, and the editor previews uploads as data:/blob: URLs.
PORTAL_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of the portal uses: denied to the pages and anything they embed.
PORTAL_PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

# Admin login: this many failed attempts from one address within the window lock that
# address out (for the lockout's length from the last failure); usernames play no part.
PORTAL_ADMIN_LOGIN_FAILURES = int(os.environ.get("PORTAL_ADMIN_LOGIN_FAILURES", 5))
PORTAL_ADMIN_LOGIN_WINDOW = int(os.environ.get("PORTAL_ADMIN_LOGIN_WINDOW", 15 * 60))
PORTAL_ADMIN_LOGIN_LOCKOUT = int(os.environ.get("PORTAL_ADMIN_LOGIN_LOCKOUT", 15 * 60))

# Served over HTTPS: redirect plain HTTP, keep cookies off it, and tell browsers (HSTS).
if env_bool("DJANGO_HTTPS"):
    SECURE_SSL_REDIRECT = True
    # Load balancers probe the backend over plain HTTP; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Search: empty for the gram index in the portal's own database (search/backends), or the
# dotted path of a backend class of the newsroom's own (README, "Search").
PORTAL_SEARCH_BACKEND = os.environ.get("PORTAL_SEARCH_BACKEND", "")

# Uploads: editors' images in the article body and covers.
PORTAL_IMAGE_MAX_BYTES = int(os.environ.get("PORTAL_IMAGE_MAX_BYTES", 5 * 1024 * 1024))
PORTAL_IMAGE_MAX_PIXELS = 40_000_000
# The size limit is enforced while an upload streams in: past it, its bytes are dropped
# (kept neither in memory nor in a temporary file) and the form or the editor's upload
# view says the image is too big. Must stay first; Django's own handlers follow.
FILE_UPLOAD_HANDLERS = [
    "news.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# With Redis, each server process writes buffered view counts to the database every few
# seconds from a background thread (news/counters.py); `manage.py flush_views` does it too.
PORTAL_VIEWS_FLUSH_THREAD = env_bool("PORTAL_VIEWS_FLUSH_THREAD", True)

# Reader comments: at most this many per address, and per email, per minute.
COMMENTS_RATE_LIMIT = int(os.environ.get("PORTAL_COMMENTS_PER_MINUTE", 5))
COMMENTS_EMAIL_RATE_LIMIT = int(os.environ.get("PORTAL_COMMENTS_PER_EMAIL_PER_MINUTE", 3))
# A comment form is accepted from this many seconds after it was shown (bots post at once)
# until this many seconds after (a page left open overnight gets a fresh form).
COMMENTS_FORM_MIN_SECONDS = int(os.environ.get("PORTAL_COMMENTS_FORM_MIN_SECONDS", 3))
COMMENTS_FORM_MAX_AGE = int(os.environ.get("PORTAL_COMMENTS_FORM_MAX_AGE", 2 * 3600))

# The reader's address. Without a proxy it is the connection's own (REMOTE_ADDR). Behind
# one, name the header the proxy sets (e.g. X-Real-IP -> HTTP_X_REAL_IP) and how many
# proxies append to X-Forwarded-For: the address is then taken only from what they wrote,
# so a client cannot forge its own by sending the header itself.
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "")
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", 0))

# Request size limits (Django's defaults, stated): a form post of more than 2.5 MB or
# 1,000 fields is refused with a 400 before it is parsed; file uploads are limited by
# PORTAL_IMAGE_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "news:editor-image-upload"
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "article": {
        "language": "zh-cn",
        "toolbar": [
            "heading",
            "|",
            "bold",
            "italic",
            "link",
            "bulletedList",
            "numberedList",
            "blockQuote",
            "|",
            "insertTable",
            "imageUpload",
            "pageBreak",  # 分页符: splits a long article into pages (news.text.split_pages)
            "|",
            "undo",
            "redo",
        ],
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "二级标题",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "三级标题",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "|", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
        # django-ckeditor-5 builds every plugin in; these are the ones that write or keep raw
        # HTML (source view, HTML embed, general HTML support and the Style plugin that needs
        # it, full-page documents, media embeds) or replace the HTML output (Markdown).
        "removePlugins": [
            "SourceEditing",
            "HtmlEmbed",
            "GeneralHtmlSupport",
            "Style",
            "FullPage",
            "MediaEmbed",
            "Markdown",
        ],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}
