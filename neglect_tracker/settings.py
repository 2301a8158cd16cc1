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
    "cases",
    "assessments",
    "reporting",
]

MIDDLEWARE = [
    "cases.web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": env("NT_DB_HOST", "127.0.0.1"),
        "PORT": env("NT_DB_PORT", "54329"),
        "NAME": env("NT_DB_NAME", "neglect_tracker"),
        "USER": env("NT_DB_USER", "neglect"),
        "PASSWORD": env("NT_DB_PASSWORD", "neglect-local-only"),
        "CONN_MAX_AGE": envint("NT_DB_CONN_MAX_AGE", "60"),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("NT_REDIS_URL", "redis://127.0.0.1:63799/0")

AUTH_USER_MODEL = "cases.Practitioner"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("NT_SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Lock an account (by username and address) after repeated failed sign-ins.
AXES_FAILURE_LIMIT = envint("NT_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("NT_LOGIN_COOLOFF_HOURS", "1")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = not TESTING or envbool("NT_AXES_IN_TESTS", "false")

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
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
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
CELERY_TASK_ROUTES = {"reporting.tasks.*": {"queue": "builds"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat's database scheduler copies these entries into its tables on start.
CELERY_BEAT_SCHEDULE = {
    "build-dashboards-nightly": {
        "task": "reporting.tasks.build_dashboards",
        "schedule": crontab(
            hour=envint("NT_DASHBOARD_BUILD_HOUR", "2"),
            minute=envint("NT_DASHBOARD_BUILD_MINUTE", "30"),
        ),
    },
    # The drift engine evaluates every child on a schedule.
    "drift-evaluate-all": {
        "task": "cases.tasks.drift_evaluate_all",
        "schedule": envint("NT_DRIFT_EVALUATE_EVERY_SECONDS", "3600"),
        "options": {"queue": "builds"},
    },
    # Professional challenges unanswered by their date rise a level; the lists also run it.
    "challenges-escalate": {
        "task": "cases.tasks.challenges_escalate",
        "schedule": envint("NT_CHALLENGE_ESCALATE_EVERY_SECONDS", "3600"),
    },
}
HEALTH_CHECK_TIMEOUT_SECONDS = float(env("NT_HEALTH_CHECK_TIMEOUT", "1.5"))
# How long a break-glass grant to a child's record lasts.
BREAK_GLASS_HOURS = envint("NT_BREAK_GLASS_HOURS", "24")

# GCP2: a repeat is due this many months after the last signed-off assessment, and an initial
# one this many days after a neglect concern about a child at early help or above.
NT_GCP2_REPEAT_MONTHS = envint("NT_GCP2_REPEAT_MONTHS", "6")
NT_GCP2_INITIAL_DAYS = envint("NT_GCP2_INITIAL_DAYS", "20")

# Application logs carry request ids and record ids, never names or case text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cases.web.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("NT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

if TESTING:
    # Tests create many accounts; a deliberately slow password hash would dominate their time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
