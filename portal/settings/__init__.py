"""Jejaring settings, read from the environment in one place.

Every optional integration is switched on by an environment variable; the defaults are safe for a
laptop running `make run` (the project-owned PostgreSQL on 127.0.0.1:54330, e-mail to the
console, a secret key and database password generated into .env).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 (refused with DEBUG off)
# `make run` generates a real key into .env (scripts/env.sh); the development key is for
# DEBUG on only (refused below otherwise).
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not env.bool("JEJARING_TEST_SETTINGS", False):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is the development key. Set a secret key "
        "(`make run` generates one into .env; in production, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )

# The platform lives at the base domain; each region at <slug>.<base domain>.
JEJARING_BASE_DOMAIN = env("JEJARING_BASE_DOMAIN", default="localhost")
# Scheme and port used to build absolute links between the platform and regions' subdomains.
JEJARING_SCHEME = env("JEJARING_SCHEME", default="http")
JEJARING_PORT = env("JEJARING_PORT", default="8000")
ALLOWED_HOSTS = [
    JEJARING_BASE_DOMAIN,
    f".{JEJARING_BASE_DOMAIN}",
    *env.list("DJANGO_EXTRA_HOSTS", default=[]),
]

# --- Applications: where each one lives is an architecture decision (docs/architecture.md). ---
SHARED_APPS = [
    "django_tenants",
    # Platform services: the periodic-job scheduler's bookkeeping (core/schedule.py).
    "core",
    # The demo data loader (`manage.py load_demo`), above every feature in the layers.
    "demo",
    # Public schema: registry, tenants, accounts, marketplace, CMS, search bookkeeping.
    "tenants",
    "accounts",
    "marketplace",
    "search",
    "cms",
    # The parties' shared record of each agreement (the region's own chain: `agreements`).
    "cooperation",
    # Trade missions (misi dagang): a province's mission across its regions' listings.
    "missions",
    # The public registry of signed agreements: published snapshots and their versions.
    "public_registry",
    # Electronic signatures in uploaded PDFs: validation results keyed by the file's SHA-256
    # and the trust roots, and the offices' decisions about flagged ones (issue 17).
    "signatures",
    # Reporting upward (issue 16): the frozen semester reports, the province's compilation.
    "reporting",
    # The open-data catalogue (issue 17 §2): the built files, DCAT-AP, the CKAN-compatible API.
    "opendata",
    # A person's rights over their data (UU 27/2022): requests, copies, the record of processing.
    "privacy",
    # The open API (/api/v1/): API tokens; Django REST framework with its OpenAPI schema
    # (drf-spectacular) and Swagger UI's files served by the site itself (the sidecar).
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Leaflet's own files (the regions' profile maps, cms/static/cms/map.js); nothing else of
    # django-leaflet is used.
    "leaflet",
]
# Each region's schema: only its private workspace. Every table here is multiplied by up to
# 552 tenants, and every migration runs 552 times, so keep this list short.
TENANT_APPS = [
    "workspace",
    # The register and each agreement's private working record (3 tables).
    "agreements",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New regions are cloned from this migrated template schema (see tenants/provisioning.py).
JEJARING_TEMPLATE_SCHEMA = "tenant_template"
PUBLIC_SCHEMA_URLCONF = "portal.urls_public"
ROOT_URLCONF = "portal.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "portal.views.unknown_region"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    # Gives no answer of its own: the request id (the proxy's X-Request-ID or a new one) on the
    # response and every log line, and the request's metrics (core/observability.py).
    "core.observability.RequestIdMiddleware",
    # Outermost: every answer under /api/v1/, whoever gave it, in the API's error shape.
    "api.middleware.ApiErrorShapeMiddleware",
    "portal.middleware.RejectNullBytesMiddleware",
    # /healthz, /readyz, /metrics for the load balancer and Prometheus, answered before the
    # tenant middleware looks the host up in the database (portal/health.py).
    "portal.health.HealthMiddleware",
    # Anonymous visitors' pages (home, profiles, the registry) from the cache, with ETag and
    # 304s, before the tenant lookup; `private` on signed-in answers (core/http_cache.py).
    "core.http_cache.PublicPageCacheMiddleware",
    "django_tenants.middleware.main.TenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, relaxed for Wagtail's admin only (portal/settings/csp.py says why).
    "portal.settings.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.request_cache.RequestCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tenants.middleware.RequireSecondFactorMiddleware",
    "tenants.middleware.ReadOnlyRegionMiddleware",
    "core.middleware.DomainErrorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.regions",
                "tenants.demo.demo_marker",
            ],
        },
    },
]
WSGI_APPLICATION = "portal.wsgi.application"

# Default: the project-owned app cluster that scripts/db.sh starts (same variables), logging in
# with the password generated into .env; DATABASE_URL overrides it all.
_PG_PORT = env("JEJARING_PG_PORT", default="54330")
_PG_DB = env("JEJARING_PG_DB", default="jejaring")
_PG_PASSWORD = env("JEJARING_PG_PASSWORD", default="")
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"postgres://jejaring:{_PG_PASSWORD}@127.0.0.1:{_PG_PORT}/{_PG_DB}",
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Persistent connections (each request otherwise opens one: half the home page's throughput),
# checked before reuse. django-tenants sets search_path on every request's first query
# (TENANT_LIMIT_SET_CALLS only skips repeats within one request), so a kept connection never
# carries the previous request's schema (tested in portal/tests/test_security_headers.py, and
# under load by bench/http.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind a transaction-mode pooler (PgBouncer `pool_mode = transaction`: `make cluster`, docker
# compose), JEJARING_DB_POOLER=transaction: django-tenants' backend would leave each region's
# search_path on a server connection the pooler then gives to another client's transactions.
# core.pooled_postgresql sends the search path with the statements themselves, and turns off what
# a transaction pooler cannot carry: server-side cursors (WITH HOLD) and prepared statements.
# Migrations and `bootstrap_platform` connect directly (scripts/cluster.sh). Unset: direct.
JEJARING_DB_POOLER = env("JEJARING_DB_POOLER", default="")
if JEJARING_DB_POOLER == "transaction":
    DATABASES["default"]["ENGINE"] = "core.pooled_postgresql"
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif JEJARING_DB_POOLER:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("JEJARING_DB_POOLER is `transaction` or unset.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A real, shared cache: PostgreSQL's own table by default, so a laptop needs no extra service;
# CACHE_URL switches to Redis or memcached. It holds what can be computed again (the registry's
# pages' data, Wagtail's), written by anonymous visits too, so it culls when full: 10,000 entries
# (Django's default of 300 turned over within seconds of a crawl).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://jejaring_cache")}
_DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
if CACHES["default"]["BACKEND"] == _DATABASE_CACHE:
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
# Tenant-aware keys, except for the namespaces that are platform-wide (core/cache.py).
CACHES["default"]["KEY_FUNCTION"] = "core.cache.make_key"
CACHES["default"]["REVERSE_KEY_FUNCTION"] = "core.cache.reverse_key"
# Security counters: allauth's rate limits (failed logins and second-factor codes, password
# resets), the TOTP codes already used, and the API's throttles (api/throttling.py, the "api"
# alias). A store of their own, which nothing else writes to, so no page view can evict a
# lockout (core/cache.py). By default its own PostgreSQL table with core.cache.CounterCache,
# which never culls a live entry: MAX_ENTRIES is only the size from which expired ones are swept.
# Each counter lives for its rate's period (a minute for the API and most limits, five for failed
# logins), so the table holds one period's distinct clients and accounts: a few hundred rows on a
# normal day, 20,000 before a sweep. COUNTERS_CACHE_URL may name a Redis instead (with
# `maxmemory-policy noeviction`, or it evicts counters as the shared cache did). Keys carry no
# schema: a limit counts the same on the platform and every subdomain.
CACHES["counters"] = env.cache("COUNTERS_CACHE_URL", default="dbcache://jejaring_counters")
if CACHES["counters"]["BACKEND"] == _DATABASE_CACHE:
    CACHES["counters"]["BACKEND"] = "core.cache.CounterCache"
    CACHES["counters"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
CACHES["api"] = {**CACHES["counters"], "KEY_PREFIX": "api"}

# One identity across the platform and every region's subdomain: sessions live in the public
# schema. A registrable base domain gets a parent-domain session cookie; `localhost` is a
# top-level domain to browsers (they keep such a cookie host-only), so there the regions'
# subdomains adopt the platform's session through tenants/handoff.py.
SESSION_COOKIE_DOMAIN = env(
    "SESSION_COOKIE_DOMAIN", default=JEJARING_BASE_DOMAIN if "." in JEJARING_BASE_DOMAIN else None
)
CSRF_COOKIE_DOMAIN = None
# Secure cookies whenever the platform is served over HTTPS; `make run` serves plain http on
# loopback with DEBUG off, where Secure cookies would never come back.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=JEJARING_SCHEME == "https")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[
        f"{JEJARING_SCHEME}://{JEJARING_BASE_DOMAIN}:{JEJARING_PORT}",
        f"{JEJARING_SCHEME}://*.{JEJARING_BASE_DOMAIN}:{JEJARING_PORT}",
        f"{JEJARING_SCHEME}://{JEJARING_BASE_DOMAIN}",
        f"{JEJARING_SCHEME}://*.{JEJARING_BASE_DOMAIN}",
    ],
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth ---
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Random, stored confirmation keys rather than signed primary keys (stack notes).
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and reviewed.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Jejaring] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Jejaring"
# The activation page keeps one secret until it succeeds (accounts/forms.py).
MFA_FORMS = {"activate_totp": "accounts.forms.ActivateTOTPForm"}

# --- E-mail ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Jejaring <noreply@jejaring.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (e-mail and other side effects run after commit) ---
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Internationalisation: Bahasa Indonesia first, English available. ---
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN

# --- Files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
# Files browsers ask for at the site's root (favicon.ico, robots.txt), served by WhiteNoise
# before any other middleware runs.
WHITENOISE_ROOT = BASE_DIR / "portal" / "root_files"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files are never served directly: views check permission and stream them.
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "tenants/%s"
STORAGES = {
    # django-tenants' per-region storage; a full disk is a clear refusal (core/storage.py).
    "default": {"BACKEND": "core.storage.TenantStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
EXPORT_ROOT = env.path("EXPORT_ROOT", default=BASE_DIR / "exports")
# Electronic signatures (signatures/): the folder of trust roots (PEM or DER certificate files)
# that signatures are validated against, offline. The operator installs the national roots
# (Root CA Indonesia DS G1 and BSrE CA DS G1); none is built in, and without any a signature is
# shown as "intact, signer not verified". The demo database (`make run`) uses the demo's own
# test root, made by `load_demo` under the ignored media folder (never a real CA).
JEJARING_SIGNATURE_TRUST_ROOTS_DIR = env(
    "JEJARING_SIGNATURE_TRUST_ROOTS_DIR",
    default=str(Path(MEDIA_ROOT) / "demo-pki" / "trust-roots") if _PG_DB == "jejaring_demo" else "",
)
# One validation's limits in the worker's child process: wall-clock seconds and memory.
JEJARING_SIGNATURE_TIME_LIMIT = env.float("JEJARING_SIGNATURE_TIME_LIMIT", default=60.0)
JEJARING_SIGNATURE_MEMORY_MB = env.int("JEJARING_SIGNATURE_MEMORY_MB", default=1024)
# The assignment letter (surat tugas) of an application: PDF only, at most this many bytes.
JEJARING_LETTER_MAX_BYTES = env.int("JEJARING_LETTER_MAX_BYTES", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Wagtail (public schema: one page tree, see docs/architecture.md) ---
WAGTAIL_SITE_NAME = "Jejaring"
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL", default=f"{JEJARING_SCHEME}://{JEJARING_BASE_DOMAIN}:{JEJARING_PORT}"
)
WAGTAILADMIN_LOGIN_URL = "account_login"
# Every login, password reset and password change goes through allauth (rate limits, e-mail
# verification, the second factor); Wagtail's own forms are switched off and its URLs redirect
# (portal/urls_public.py).
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_I18N_ENABLED = False
# The admin makes no calls to other sites (the Content-Security-Policy allows none): no
# Gravatar (it would also tell Gravatar every staff member's e-mail hash), no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "indonesian"}
}
# The public portal's maps (cms/): OpenStreetMap's tiles for the people who look at them; empty
# draws the maps without tiles (the partners' markers and their list still show). The CSP allows
# this origin's images on the map pages only (cms/models.py).
JEJARING_MAP_TILE_URL = env(
    "JEJARING_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# --- Elasticsearch (optional; docker-compose runs it, no server on a laptop by default) ---
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")

# --- Security headers (portal/tests/test_security_headers.py). Django's defaults stay: nosniff,
# Referrer-Policy same-origin, Cross-Origin-Opener-Policy same-origin, X-Frame-Options DENY. ---
# Content-Security-Policy (django-csp): everything from the page's own origin, no inline script
# or style (the templates have none). Forms may post and redirect across the platform's own
# hosts (sign-in on the platform continues on a region's subdomain through the handoff).
_OWN_HOSTS = [
    f"{JEJARING_SCHEME}://{JEJARING_BASE_DOMAIN}:*",
    f"{JEJARING_SCHEME}://*.{JEJARING_BASE_DOMAIN}:*",
    f"{JEJARING_SCHEME}://{JEJARING_BASE_DOMAIN}",
    f"{JEJARING_SCHEME}://*.{JEJARING_BASE_DOMAIN}",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *_OWN_HOSTS],
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Logs: one JSON object per line (LOG_FORMAT=json, the default with DEBUG off) or text, each
# with the request id and the region (the schema in use) (core/observability.py). The access
# log, one line per request with its view, status and duration, is on with JEJARING_ACCESS_LOG
# (`make cluster` and docker compose turn it on; gunicorn's own access log then stays off).
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.observability.ContextFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"()": "core.observability.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "jejaring.access": {
            "handlers": ["console"],
            "level": "INFO" if env.bool("JEJARING_ACCESS_LOG", default=False) else "WARNING",
            "propagate": False,
        }
    },
}
# /metrics answers a request from this machine that no proxy forwarded, or one with
# `Authorization: Bearer <this token>` (Prometheus on another machine); nobody else.
JEJARING_METRICS_TOKEN = env("JEJARING_METRICS_TOKEN", default="")
# /readyz says `degraded` (200; 503 with ?strict=1) past these ages, in seconds: the oldest
# background task due and not started, the oldest search index change not applied.
JEJARING_READY_MAX_TASK_LAG = env.int("JEJARING_READY_MAX_TASK_LAG", default=300)
JEJARING_READY_MAX_OUTBOX_AGE = env.int("JEJARING_READY_MAX_OUTBOX_AGE", default=600)
# Files in a region's document archive: PDF only, at most this many bytes.
JEJARING_DOCUMENT_MAX_BYTES = env.int("JEJARING_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# --- Tenant lifecycle and onboarding limits (tenants/region_lifecycle.py, onboarding.py) ---
# Days a tenant export stays downloadable (`manage.py expire_exports`, daily, deletes the rest).
JEJARING_EXPORT_TTL_DAYS = env.int("JEJARING_EXPORT_TTL_DAYS", default=7)
# Days a deleted region can still be restored (`manage.py purge_deleted_regions` drops it after).
JEJARING_DELETION_GRACE_DAYS = env.int("JEJARING_DELETION_GRACE_DAYS", default=30)
# Applications one account may have awaiting review at once.
JEJARING_MAX_PENDING_APPLICATIONS = env.int("JEJARING_MAX_PENDING_APPLICATIONS", default=3)
# Hours the link confirming an application's official e-mail address stays valid.
JEJARING_EMAIL_CONFIRMATION_HOURS = env.int("JEJARING_EMAIL_CONFIRMATION_HOURS", default=72)
# --- Personal data (privacy/, UU 27/2022) ---
# Hours a person's copy of their data stays downloadable (then its file is deleted, daily).
JEJARING_PRIVACY_EXPORT_TTL_HOURS = env.int("JEJARING_PRIVACY_EXPORT_TTL_HOURS", default=72)
# Staff are reminded once when an open request has this many hours left of its 72.
JEJARING_PRIVACY_REMINDER_HOURS = env.int("JEJARING_PRIVACY_REMINDER_HOURS", default=24)
# Days after the decision a rejected application's assignment letter is deleted.
JEJARING_REJECTED_LETTER_RETENTION_DAYS = env.int(
    "JEJARING_REJECTED_LETTER_RETENTION_DAYS", default=90
)
# Whom people are told to contact about the platform (a region being deleted, for example).
JEJARING_CONTACT_EMAIL = env("JEJARING_CONTACT_EMAIL", default=f"dukungan@{JEJARING_BASE_DOMAIN}")
# --- The shared marketplace (marketplace/) and its search (search/) ---
# A listing photo: at most this many bytes as uploaded (it is re-encoded, smaller, afterwards).
JEJARING_LISTING_PHOTO_MAX_BYTES = env.int(
    "JEJARING_LISTING_PHOTO_MAX_BYTES", default=5 * 1024 * 1024
)
# Owners of a published listing are e-mailed this many days before it expires.
JEJARING_LISTING_REMINDER_DAYS = env.list(
    "JEJARING_LISTING_REMINDER_DAYS", cast=int, default=[14, 3]
)
# The longest validity a listing may have, in days from today.
JEJARING_LISTING_MAX_VALIDITY_DAYS = env.int("JEJARING_LISTING_MAX_VALIDITY_DAYS", default=730)
# Elasticsearch index names start with this (an alias `<prefix>-listings` over a dated index).
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="jejaring")
# A search counts (total and facets) over at most this many matches (search/backends/postgres.py).
JEJARING_SEARCH_MAX_COUNTED = env.int("JEJARING_SEARCH_MAX_COUNTED", default=2000)
# --- The open API (api/, docs/architecture.md): tokens only (no sessions, so no CSRF), one
# error shape (api/exceptions.py), rate limits per client address and per token. ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonOnly",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handle",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.TokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("JEJARING_API_ANON_RATE", default="60/min"),
        "token": env("JEJARING_API_TOKEN_RATE", default="600/min"),
    },
    # Proxies in front of gunicorn that append to X-Forwarded-For (the client address the
    # anonymous limit counts, api/throttling.py); unset: REMOTE_ADDR, and the header is ignored.
    "NUM_PROXIES": env.int("JEJARING_API_NUM_PROXIES", default=None),
}
# allauth's per-address limits (failed logins, sign-ups) read the client's address the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"] or 0
SPECTACULAR_SETTINGS = {
    "TITLE": "Jejaring API",
    "DESCRIPTION": (
        "Regions, published listings, partner suggestions and published agreements for anyone; "
        "with a region member's token, that member's writes (listings, proposals, monitoring "
        "reports) under the same rules as the web pages. Errors: "
        '{"error": {"code", "message", "fields"}} with stable codes. '
        "Everything at once, without paging: /kerja-sama/unduh/csv/ (or json) for the published "
        "agreements and /pasar/unduh/csv/ (or json) for the published listings, on the "
        "platform, with the filters of their pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The enum hook is drf-spectacular's default; the second writes down the NUL guard.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.forbid_nul_in_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ListingKindEnum": "marketplace.models.ListingKind",
        "RegionKindEnum": "tenants.models.RegionKind",
        "ProposerKindEnum": "cooperation.models.ProposerKind",
    },
}
