"""Settings come from the environment, with safe defaults for development.

| variable        | default (development)                  |
|-----------------|----------------------------------------|
| DATABASE_URL    | sqlite:///<repo>/var/clusterhub.sqlite3 |
| SECRET_KEY      | a key generated once into var/secret_key |
| DEBUG           | true (false in the production profile)  |
| ALLOWED_HOSTS   | 127.0.0.1,localhost                    |
| TIME_ZONE       | Europe/Oslo                            |
| REDIS_URL       | unset: the database cache is used       |
| DJANGO_PROFILE  | development (or production)            |
"""

import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("CLUSTERHUB_VAR_DIR", default=str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PROFILE = env.str("DJANGO_PROFILE", default="development")
PRODUCTION = PROFILE == "production"
DEBUG = env.bool("DEBUG", default=not PRODUCTION)


def _development_secret_key() -> str:
    # Generated once per checkout and kept out of git (var/ is ignored), never committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable in production.")
    SECRET_KEY = _development_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "clusterhub.common",
    "clusterhub.directory",
    "clusterhub.events",
    "clusterhub.registration",
    "clusterhub.matchmaking",
    "clusterhub.followup",
    "clusterhub.reports",
    "clusterhub.api",
    "clusterhub.privacy",
    "clusterhub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "clusterhub.urls"
WSGI_APPLICATION = "clusterhub.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            # {{ value|when:"day_time" }}: dates in the reader's language (common/templatetags)
            "builtins": ["clusterhub.common.templatetags.local_dates"],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clusterhub.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a
    # transaction starts, so two writers queue (busy timeout) instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not memory, so concurrency tests can open separate connections; one per test
    # process so parallel runs on one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clusterhub_cache",
        }
    }

# --- background tasks (django.tasks API; the import becomes django.tasks on Django 6) -------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Crash recovery (`python -m clusterhub worker`, see clusterhub.common.worker): each worker
# beats every HEARTBEAT seconds; a running task whose worker missed the LEASE goes back to the
# queue, at most MAX_ATTEMPTS claims in all (then it fails: a task that kills its worker).
TASK_WORKER_HEARTBEAT = env.float("CLUSTERHUB_WORKER_HEARTBEAT", default=10.0)
TASK_WORKER_LEASE = env.float("CLUSTERHUB_WORKER_LEASE", default=60.0)
TASK_MAX_ATTEMPTS = env.int("CLUSTERHUB_TASK_MAX_ATTEMPTS", default=3)
# Test-only: seconds a long job pauses after each progress step, so a test can kill its worker
# mid-run (tests/concurrency/test_worker_kill.py). Always 0 in use.
TASK_STEP_DELAY = env.float("CLUSTERHUB_TASK_STEP_DELAY", default=0.0)

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new passwords; the others only verify older hashes, which Django rewrites with
# Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Behind a reverse proxy every visitor arrives from the proxy's address: allauth's per-address
# login limits would then count the whole site as one visitor. TRUSTED_PROXY_COUNT = the
# proxies in front (1 behind one TLS proxy) makes it take the client from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "orga:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "public:home"

# --- mail (console by default; set EMAIL_URL in production) ---------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int(
    "EMAIL_TIMEOUT", default=20
)  # seconds; a dead mail server must not hang a worker
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="clusterhub <noreply@localhost>")
# The public address of this site, for links in emails (sent by a worker, outside a request).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Oslo")
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # project-wide assets: vendored CSS/JS, site.css
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- hardening (every profile, so development sees what production enforces) ---------------
# Most are Django's defaults, written out so that a test can hold them (docs/security.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (base.html), not the cookie
# Form fields outside files; larger uploads are spooled to a temporary file, not memory. The
# import form itself refuses files over 5 MB (events/views/orga/upload_import.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# No inline script anywhere (templates load static files; htmx reads its config from a meta
# tag). Styles allow 'unsafe-inline' because the report's matplotlib charts are inline SVG with
# style attributes and a <style> element; CSS cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- security (production profile) ----------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Off only to try the production profile over plain http on 127.0.0.1 (`make prod`).
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
