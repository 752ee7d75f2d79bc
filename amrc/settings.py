"""Settings for the AMRC sector platform, read from the environment.

Development needs no variable at all (SQLite under var/, console e-mail); production
(DEBUG off) refuses to start without a SECRET_KEY.
"""

from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amrc.lib.cache_url import parse_cache_url
from amrc.lib.email_url import parse_email_url
from amrc.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for development.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "members",
    "measures",
    "public",
    "portal",
    "bulletins",
    "followup",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "amrc.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "amrc.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'amrc.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A persistent connection buys nothing on a file database and keeps it locked in tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# The shared cache (Redis) when CACHE_URL is set; otherwise each process's own memory.
CACHES = parse_cache_url(env_str("CACHE_URL"), key_prefix=env_str("CACHE_KEY_PREFIX", "amrc"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
# Members land on their dashboard; staff are sent on from there to the admin.
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("ar", _("العربية")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True
# Day-first English dates and grouped Arabic numbers, as read in Morocco (amrc/formats/).
FORMAT_MODULE_PATH = ["amrc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap 5.3 (with its RTL build) comes from PyPI, not a CDN nor a copy in the repo.
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AMRC <plateforme@amrc.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(parse_email_url(env_str("EMAIL_URL", "console://")))

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default: a development server speaks plain HTTP, and HSTS cannot be taken back once a
# browser has seen it. Production behind HTTPS sets both.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Background tasks (reminders, notifications, digests) are stored in the database and run by
# `manage.py db_worker`: no other server to run. Tests run them at once (ImmediateBackend).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Invitations are single-use and expire after this many days.
INVITATION_VALIDITY_DAYS = 7
# Absolute links in e-mails sent outside a request (admin actions, services) start with this.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Where members and the public write to the association (footer, help, contact and privacy
# pages); the phone number is shown only when set. Requests about personal data (law 09-08) go to
# PRIVACY_EMAIL; CNDP_DECLARATION is the receipt number of the processing's declaration to the
# CNDP, printed on the privacy page once the association has it.
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "contact@amrc.ma")
CONTACT_PHONE = env_str("CONTACT_PHONE", "")
PRIVACY_EMAIL = env_str("PRIVACY_EMAIL", CONTACT_EMAIL)
CNDP_DECLARATION = env_str("CNDP_DECLARATION", "")

# Declarations: a headcount moving more than this share from the company's previous
# declaration must be confirmed by the declarant.
HEADCOUNT_CHANGE_WARNING_RATIO = 0.25
# Export revenue above this for one period is refused as implausible (the whole sector
# exported 11 bn MAD in 2018, so one company cannot declare more than that in a period).
EXPORT_REVENUE_MAX_MAD = 11_000_000_000
# A second, size-aware bound: more than this per employee and per day of the period is a
# typing error (the sector's real figure is a few hundred MAD).
EXPORT_REVENUE_MAX_PER_EMPLOYEE_DAY_MAD = 10_000

# Disclosure control of published bulletins (amrc.lib.disclosure). A cell is suppressed when
# fewer than DISCLOSURE_MIN_CONTRIBUTORS companies contribute to it, or when its
# DISCLOSURE_DOMINANCE_N largest contributors hold more than DISCLOSURE_DOMINANCE_K % of it.
# Policy, not deployment: the same everywhere. Stored with each bulletin for audit, never published,
# since knowing them helps whoever tries to narrow down a suppressed cell.
DISCLOSURE_MIN_CONTRIBUTORS = 3
DISCLOSURE_DOMINANCE_N = 2
DISCLOSURE_DOMINANCE_K = 85
