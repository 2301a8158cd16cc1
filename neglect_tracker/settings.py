"""Settings: every value comes from an environment variable with a safe local default.

The README's configuration table lists each variable. Nothing here reads files outside the
repository, so any number of identical web and worker processes can run behind a load balancer.
"""

import os
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    return env(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(env(name, default))


DEBUG = envbool("NT_DEBUG", "false")
TESTING = envbool("NT_TESTING", "false")
SECRET_KEY = env("NT_SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = env("NT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env("NT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    "cases",
    "assessments",
    "learning",
    "reporting",
]

MIDDLEWARE = [
    "cases.web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cases.accounts.middleware.IdleTimeoutMiddleware",
    "cases.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After whitenoise (static files keep their long cache) and authentication.
    "cases.web.request_guards.NoStoreMiddleware",
    "cases.web.request_guards.InvalidInputMiddleware",
    "cases.web.request_guards.UndeclaredQueryParametersMiddleware",
]

ROOT_URLCONF = "neglect_tracker.urls"
WSGI_APPLICATION = "neglect_tracker.wsgi.application"
ASGI_APPLICATION = "neglect_tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.web.context_processors.navigation",
            ],
        },
    },
]

# The web server and workers connect as the application role (NT_DB_APP_USER: no superuser,
# and it can only INSERT into the access and change logs); migrations, seeding and tests run
# without it, as the owner (NT_DB_USER). scripts/services.sh creates both.
DB_OWNER_USER = env("NT_DB_USER", "neglect")
DB_APP_USER = env("NT_DB_APP_USER", "")
DB_APP_ROLE = env("NT_DB_APP_ROLE", "neglect_app")
# PostgreSQL's JIT compiles any query its planner thinks costly, and spends 30-40 ms doing
# it: measured on the 100,000-child partnership it doubled the full drift evaluation (11 s to
# 21 s), slowed the dashboard build by a sixth and a manager's count of concerns awaiting an
# outcome from 40 to 105 ms. No query here runs long enough to win it back (NT_DB_JIT=on to try).
DB_SESSION_SETTINGS = [f"-c jit={env('NT_DB_JIT', 'off')}"]
if env("NT_DB_SYNCHRONOUS_COMMIT", ""):
    # Tests and the bench only (scripts/test.sh, bench.sh): a crash may lose the last commits.
    DB_SESSION_SETTINGS.append(f"-c synchronous_commit={env('NT_DB_SYNCHRONOUS_COMMIT', '')}")
DB_OPTIONS: dict[str, object] = {"connect_timeout": 5, "options": " ".join(DB_SESSION_SETTINGS)}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": env("NT_DB_HOST", "127.0.0.1"),
        "PORT": env("NT_DB_PORT", "54329"),
        "NAME": env("NT_DB_NAME", "neglect_tracker"),
        "USER": DB_APP_USER or DB_OWNER_USER,
        "PASSWORD": env("NT_DB_APP_PASSWORD", "neglect-app-local-only")
        if DB_APP_USER
        else env("NT_DB_PASSWORD", "neglect-local-only"),
        "CONN_MAX_AGE": envint("NT_DB_CONN_MAX_AGE", "60"),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": DB_OPTIONS,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("NT_REDIS_URL", "redis://127.0.0.1:63799/0")

AUTH_USER_MODEL = "cases.Practitioner"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cases.accounts.backends.PractitionerBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Sessions are rows in PostgreSQL, so any web process can serve any request and a Redis outage
# does not sign everybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("NT_SESSION_SECONDS", str(8 * 60 * 60))
# Signed out after this many minutes without a request, whatever the session length above.
IDLE_MINUTES = envint("NT_IDLE_MINUTES", "30")
# Break glass needs password and second factor given at most this many minutes before.
REAUTHENTICATE_MINUTES = envint("NT_REAUTHENTICATE_MINUTES", "15")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("NT_SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if SESSION_COOKIE_SECURE:
    # Behind TLS: browsers use HTTPS only, for a year, on every subdomain too; plain HTTP
    # requests are redirected (except /healthz, which load balancers probe over HTTP).
    SECURE_HSTS_SECONDS = envint("NT_HSTS_SECONDS", str(365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if envbool("NT_TRUST_X_FORWARDED_PROTO", "false"):
    # Only behind a proxy that sets this header itself (and drops a client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content-Security-Policy: scripts, styles, images and fonts from our own static
# files only; no inline script or style (templates carry none), no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Lock an account (by username and address) after repeated failed sign-ins.
AXES_FAILURE_LIMIT = envint("NT_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("NT_LOGIN_COOLOFF_HOURS", "1")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = not TESTING or envbool("NT_AXES_IN_TESTS", "false")

# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Neglect Tracker"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "run" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an anonymous request is still answered 403 (no WWW-Authenticate).
        "rest_framework.authentication.SessionAuthentication",
        # Agencies' systems: OAuth 2.0 bearer tokens from the client-credentials grant.
        "cases.clients.authentication.MachineClientAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's HTML pages fail axe. The Swagger docs page stays.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["cases.clients.throttling.MachineClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Machine clients (cases/clients): tokens, secrets and each client's request rate.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "concerns:write": "Log concerns",
        "concerns:read": "Read its own concerns and their outcomes",
        "chronology:write": "Add chronology entries",
        "children:read": "Find and read children its agency may see",
        "notifications:write": "Send bulk notifications",
    },
    "SCOPES_BACKEND_CLASS": "cases.clients.scopes.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "cases.clients.validators.MachineClientValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": envint("NT_CLIENT_TOKEN_SECONDS", "3600"),
    # The OAuth 2.0 security best current practice (RFC 9700): tokens stored hashed, tokens
    # only in the Authorization header, no implicit or password grant, https redirects only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# django-oauth-toolkit's own models (named so our foreign keys to them can be migrated).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
CLIENT_RATE_PER_MINUTE = envint("NT_CLIENT_RATE_PER_MINUTE", "600")
# The throttle's counters, shared by every web process; short timeouts (the throttle lets a
# request through if Redis does not answer).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "throttle",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
}
# Bulk notifications: the largest file accepted.
NOTIFICATION_MAX_BYTES = envint("NT_NOTIFICATION_MAX_BYTES", str(20 * 1024 * 1024))

SPECTACULAR_SETTINGS = {
    "TITLE": "Neglect Tracker API",
    "DESCRIPTION": "Multi-agency child neglect case tracker. Every endpoint applies the access policy.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The docs page's JavaScript and CSS are served from our own static files (works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CELERY_BROKER_URL = env("NT_CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("NT_CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {
    "reporting.tasks.*": {"queue": "builds"},
    "cases.census.tasks.*": {"queue": "builds"},
    "cases.notifications.tasks.*": {"queue": "builds"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens in the request path (drift re-evaluation on commit): with the broker
# down it must fail at once, not retry. Redis results are never read, and storing them made a
# publish wait ~19 s on the result backend's reconnect loop when Redis was down.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A dashboard build computes its metrics on this many database connections at once (each
# metric is one statement). Tests run inside one transaction that other connections cannot
# see, so they build on the test's own connection unless a test asks for more.
DASHBOARD_BUILD_CONNECTIONS = envint("NT_DASHBOARD_BUILD_CONNECTIONS", "1" if TESTING else "2")
# Beat's database scheduler copies these entries into its tables on start.
CELERY_BEAT_SCHEDULE = {
    "build-dashboards-nightly": {
        "task": "reporting.tasks.build_dashboards",
        "schedule": crontab(
            hour=envint("NT_DASHBOARD_BUILD_HOUR", "2"),
            minute=envint("NT_DASHBOARD_BUILD_MINUTE", "30"),
        ),
    },
    # The drift engine evaluates every child nightly (deadlines are days) ...
    "drift-evaluate-all": {
        "task": "cases.tasks.drift_evaluate_all",
        "schedule": crontab(hour=envint("NT_DRIFT_EVALUATE_HOUR", "0"), minute=5),
        "options": {"queue": "builds"},
    },
    # ... and, through the day, the children whose records changed (everyone if the night's
    # run was missed or the rule settings changed).
    "drift-evaluate-due": {
        "task": "cases.tasks.drift_evaluate_due",
        "schedule": envint("NT_DRIFT_EVALUATE_EVERY_SECONDS", "3600"),
        "options": {"queue": "builds"},
    },
    # Children whose queued evaluation never ran (broker or workers were down).
    "drift-evaluate-pending": {
        "task": "cases.tasks.drift_evaluate_pending",
        "schedule": envint("NT_DRIFT_PENDING_EVERY_SECONDS", "60"),
    },
    # Professional challenges unanswered by their date rise a level; the lists also run it.
    "challenges-escalate": {
        "task": "cases.tasks.challenges_escalate",
        "schedule": envint("NT_CHALLENGE_ESCALATE_EVERY_SECONDS", "3600"),
    },
    # Notification imports saved while the broker was down, or whose worker died.
    "notification-imports-pending": {
        "task": "cases.notifications.tasks.notification_imports_pending",
        "schedule": 60,
    },
}
HEALTH_CHECK_TIMEOUT_SECONDS = float(env("NT_HEALTH_CHECK_TIMEOUT", "1.5"))
# How long a break-glass grant to a child's record lasts.
BREAK_GLASS_HOURS = envint("NT_BREAK_GLASS_HOURS", "24")
# Searches confirm that a child with an exact identifier is known: each person is limited, and
# the information governance officer is alerted to unusual volumes of searches and reads.
SEARCH_LIMIT_PER_HOUR = envint("NT_SEARCH_LIMIT_PER_HOUR", "120")
UNUSUAL_SEARCHES_PER_HOUR = envint("NT_UNUSUAL_SEARCHES_PER_HOUR", "60")
UNUSUAL_READS_PER_HOUR = envint("NT_UNUSUAL_READS_PER_HOUR", "50")

# GCP2: a repeat is due this many months after the last signed-off assessment, and an initial
# one this many days after a neglect concern about a child at early help or above.
NT_GCP2_REPEAT_MONTHS = envint("NT_GCP2_REPEAT_MONTHS", "6")
NT_GCP2_INITIAL_DAYS = envint("NT_GCP2_INITIAL_DAYS", "20")

# Application logs carry request ids and record ids, never names or case text. With
# NT_LOG_DIR set (scripts/run.sh: run/logs) they also go to app.log there, rotated by size.
LOG_DIR = env("NT_LOG_DIR", "")
LOG_HANDLERS: dict[str, dict[str, object]] = {
    "console": {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "filters": ["request_id"],
    }
}
if LOG_DIR:
    LOG_HANDLERS["file"] = {
        "class": "cases.web.log_handlers.SharedRotatingFileHandler",
        "filename": str(Path(LOG_DIR) / "app.log"),
        "maxBytes": envint("NT_LOG_MAX_BYTES", str(10 * 1024 * 1024)),
        "backupCount": envint("NT_LOG_BACKUPS", "5"),
        "formatter": "plain",
        "filters": ["request_id"],
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cases.web.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s "
            "[%(request_id)s%(client_request_id)s] %(message)s"
        }
    },
    "handlers": LOG_HANDLERS,
    "root": {"handlers": list(LOG_HANDLERS), "level": env("NT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

if TESTING:
    # Tests create many accounts; a deliberately slow password hash would dominate their time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The children in need census (cases/census/): where export and upload files live, the
# authority's code for the file's header and synthetic UPNs, and the Python of the separate
# virtual environment that holds the Department's rules (csc-validator-be-cin pins pandas<2).
NT_CENSUS_DIR = Path(
    env("NT_CENSUS_DIR", str(Path(env("NT_RUN_DIR", str(BASE_DIR / "run"))) / "census"))
)
NT_CENSUS_LA_CODE = env("NT_CENSUS_LA_CODE", "001")
NT_CIN_PYTHON = env(
    "NT_CIN_PYTHON", str(Path(env("NT_CIN_VENV", str(BASE_DIR / ".cin-venv"))) / "bin" / "python")
)
