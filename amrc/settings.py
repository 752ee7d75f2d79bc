"""Settings for the AMRC sector platform, read from the environment.

Development needs no variable at all (SQLite under var/, console e-mail); production
(DEBUG off) refuses to start without a SECRET_KEY.
"""

import datetime
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amrc.lib.cache_url import parse_cache_url, session_engine
from amrc.lib.email_url import parse_email_url, sends_mail
from amrc.lib.env import env_bool, env_int, env_list, env_str
from amrc.lib.structured_logging import log_format_from_env

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
    # django.contrib.admin, with the platform's admin site (accounts.admin_site).
    "accounts.apps.AmrcAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Development's runserver then serves static files through WhiteNoise too, as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before accounts, whose admin replaces axes' list of login attempts.
    "axes",
    "accounts",
    "members",
    "measures",
    "public",
    "portal",
    "bulletins",
    "followup",
    "quality",
    "spreadsheets",
    "demo",
    "ops",
    "security",
]

MIDDLEWARE = [
    # First, so that every line logged while serving a request, even a static file, carries its id.
    "ops.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files answer here, before sessions, languages or the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.PermissionsPolicyMiddleware",
    "security.middleware.RejectNulBytesMiddleware",
    "security.middleware.RejectFormsetFloodMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the session: `private, no-store` on whatever read it, whoever read it.
    "security.middleware.PrivateNoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers a request beyond a rate limit with the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Reads the session only when request.user is read: public pages stay free of it.
    "accounts.session_limits.SessionLimitsMiddleware",
    # request.user.is_verified(): whether staff gave their second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database must fail a request (and /readyz) in seconds, not after the system's
    # TCP timeout; DATABASE_URL may set its own (?connect_timeout=10).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A persistent connection buys nothing on a file database and keeps it locked in tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# The shared cache (Redis) when CACHE_URL is set; otherwise each process's own memory.
CACHES = parse_cache_url(env_str("CACHE_URL"), key_prefix=env_str("CACHE_KEY_PREFIX", "amrc"))
# A logged-in page reads its session on every request: from Redis when there is one (written
# through to the database, so a restart of Redis logs nobody out), saving a database round trip.
# Never from a memory cache per process: a logout clears the session from the database and from
# the cache of the process that served it, and the other processes would go on accepting it.
SESSION_ENGINE = session_engine(env_str("CACHE_URL"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out (address, IP) pair before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# Members land on their dashboard; staff are sent on from there to the admin.
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Length is what makes a password hard to guess; the common-password list refuses the obvious
# long ones ("liverpool123"). The help texts of every password form follow these settings.
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes each file under a name carrying its content's hash, with gzip and Brotli
    # copies beside it; WhiteNoise serves those names with a cache-forever header, since a changed
    # file gets a new name. With DEBUG on, pages link the plain names and no manifest is needed.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AMRC <plateforme@amrc.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Lower case: not a setting, since the URL may hold the mail server's password.
_email = parse_email_url(env_str("EMAIL_URL", "console://"))
globals().update(_email)
# Mail written to the log (console) or kept in memory (locmem) would put password-reset links and
# invitation tokens in the server's log, or lose them: production needs a real mail server.
if not DEBUG and not sends_mail(_email) and not env_bool("ALLOW_CONSOLE_EMAIL"):
    raise ImproperlyConfigured(
        "EMAIL_URL must name a mail server (smtp://, smtp+tls:// or smtp+ssl://) when DEBUG is off: with console:// "
        "or locmem://, password-reset links and invitation tokens would be written to the log instead of being sent. "
        "Set ALLOW_CONSOLE_EMAIL=1 to accept that (a local trial only)."
    )

# Brute force: after LOGIN_FAILURE_LIMIT failed logins for one address from one IP, that pair is
# locked for LOGIN_LOCKOUT_MINUTES (on the member login and the admin login alike); staff unlock
# it sooner in the admin. Counted in the database, so the lock holds on every app server.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login forms' field; axes would otherwise look for the user model's "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "amrc.lib.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# accounts.auth_events logs every attempt as a security event already.
AXES_VERBOSE = False

# Rate limits (security.rate_limits), "count/period" with s, m, h or d, per client address (per
# user for invitations; per address too for password reset). Counted in the cache: the shared
# Redis with CACHE_URL, so that they hold across app servers; without it, each process counts alone.
RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/10m"),
    "registration": env_str("RATE_LIMIT_REGISTRATION", "5/h"),
    "password_reset": env_str("RATE_LIMIT_PASSWORD_RESET", "5/h"),
    "invitation_send": env_str("RATE_LIMIT_INVITATION_SEND", "30/h"),
    "invitation_accept": env_str("RATE_LIMIT_INVITATION_ACCEPT", "10/h"),
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "security.views.ratelimited"
RATELIMIT_IP_META_KEY = "amrc.lib.client_ip.client_ip"
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit lists only memcached and django-redis; Django's own RedisCache increments
    # atomically as well.
    "django_ratelimit.W001",
]
if not env_str("CACHE_URL"):
    # One process (development, tests, a single-worker server): its own memory counts the limits.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Two-factor authentication, required for staff on the admin (accounts.admin_site): the name
# authenticator applications show, and no secret of another staff member's device in the admin.
OTP_TOTP_ISSUER = "AMRC"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A session ends SESSION_MAX_HOURS after the login at most, and after SESSION_IDLE_MINUTES
# without a page read (accounts.session_limits); optionally when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A request's X-Forwarded-Proto (and X-Request-ID) is believed only when a reverse proxy we run
# sets it: without one, any client could claim HTTPS. The app servers must then be reachable from
# the proxy alone (docs/deploy.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default: a development server speaks plain HTTP, and HSTS cannot be taken back once a
# browser has seen it. Production behind HTTPS sets them (docs/deploy.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# Probes ask the app servers directly, in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

# One line per event, JSON in production (LOG_FORMAT), with the request's id (amrc.lib.structured_logging).
LOG_FORMAT = log_format_from_env()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": f"amrc.lib.structured_logging.{'JsonFormatter' if LOG_FORMAT == 'json' else 'KeyValueFormatter'}"
        }
    },
    "filters": {"without_traceback": {"()": "amrc.lib.structured_logging.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "loggers": {
        # Django's own handlers (console in development, mail to ADMINS) give way to the one above.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.security.DisallowedHost": {"handlers": [], "filters": ["without_traceback"], "propagate": True},
    },
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
# Content-Security-Policy (django-csp): scripts and styles come from the platform's own static
# files only, never inline. A page that needs an inline script reads request.csp_nonce; the nonce
# is then generated and added to the header, otherwise it is left out, so public pages that use
# none stay identical for every reader (and cacheable).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Permissions-Policy: browser features no page of the platform uses, turned off for all of them.
PERMISSIONS_POLICY_DISABLED = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# Input limits. No formset of the platform has more rows than this (an admin inline or a page of
# editable rows: security.admin_guard); a POST claiming more answers 400 before any form is built.
FORMSET_MAX_FORMS = 100
# Django's defaults, stated: the largest legitimate form (a declaration in the admin, with its
# inlines) sends a few hundred fields; a request body is refused beyond 2.5 MB (uploads aside).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The number of reverse proxies in front of the application that append the client's address to
# X-Forwarded-For (amrc.lib.client_ip); 0 when clients connect directly. Behind the one proxy
# of the documented setup (BEHIND_PROXY), the client is the address that proxy appended: without
# it every client would share the proxy's address for lockouts and rate limits.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)

# A plain "hello" page at /bench/hello/, the reference bench/loadtest.py measures every page
# against under the same server. Only that benchmark sets it.
LOADTEST_HELLO = env_bool("LOADTEST_HELLO", default=False)

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
# A suppressed cell must stay unknown to within this percentage of its value, on both sides,
# against everything a reader can derive from the published figures (docs/disclosure.md).
DISCLOSURE_PROTECTION_LEVEL = 10

# Publication guard (bulletins/guard.py, docs/disclosure.md "Provisional bulletins"). A bulletin
# published while its campaign is not closed, or whose approved declarations cover less than
# BULLETIN_MIN_WORKFORCE_COVERAGE % of the registered workforce of the active companies, or come
# from less than BULLETIN_MIN_COMPANY_RESPONSE % of those companies, is published only on staff's
# explicit confirmation and marked provisional. The workforce floor is the one that matters: 20
# members employ about 80 % of the sector and 500 small operators rarely answer. The company floor
# catches the week when only the large members answered, whose figures say nothing of the others.
BULLETIN_MIN_WORKFORCE_COVERAGE = 70
BULLETIN_MIN_COMPANY_RESPONSE = 25

# Data-quality flags shown to reviewers (quality/). A week-on-week change is flagged when its
# modified z-score (Iglewicz-Hoaglin) against the company's own past changes, or against its
# segment's changes the same week, exceeds QUALITY_ZSCORE_THRESHOLD and it is at least
# QUALITY_MIN_DEVIATION_POINTS (shares, in points) or QUALITY_MIN_DEVIATION_PERCENT (levels, in %)
# away from the usual change (and, for shares, QUALITY_MIN_DEVIATION_EMPLOYEES people: two people of
# a team of twelve are 17 points); the company's history is read QUALITY_HISTORY_DAYS back and needs
# QUALITY_MIN_HISTORY changes, a segment QUALITY_MIN_PEERS companies. An on-site or telework share
# moving more than QUALITY_SHARE_JUMP_POINTS in a week, or a headcount more than
# QUALITY_REGISTERED_HEADCOUNT_RATIO times above or below the registered one, is flagged too.
QUALITY_ZSCORE_THRESHOLD = 3.5
QUALITY_MIN_DEVIATION_POINTS = 10
QUALITY_MIN_DEVIATION_PERCENT = 25
QUALITY_MIN_DEVIATION_EMPLOYEES = 5
QUALITY_HISTORY_DAYS = 365
QUALITY_MIN_HISTORY = 6
QUALITY_MIN_PEERS = 5
QUALITY_SHARE_JUMP_POINTS = 30
QUALITY_REGISTERED_HEADCOUNT_RATIO = 2

# Registry import and export (spreadsheets/, django-import-export): an import is all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
