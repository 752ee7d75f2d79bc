"""Who may reach each address. Every URL pattern of the urlconf is discovered and tried as six
people: an anonymous visitor, a declarant of another company (the outsider), a declarant and an
administrator of the company the address is about (company A), staff with their second factor,
and staff who gave their password only.

Each pattern has an explicit expectation in EXPECTED (a status, or a redirect by where it
leads); the standard pages the admin builds for each registered model follow ADMIN_MODEL_PAGES,
staff-only. A pattern with neither fails `test_every_address_has_an_expectation`: whoever adds an
address states here who may reach it.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from accounts import two_factor
from accounts.models import Invitation
from accounts.tokens import invitation_token_new
from followup.models import CampaignSchedule, Reminder, ReminderBatch, StaffDigest
from measures.models import Campaign
from members.models import CompanyMembership
from tests.admin.builders import make_event, make_message
from tests.factories import (
    BulletinFactory,
    BulletinRevisionFactory,
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    MembershipFactory,
    SectorFigureFactory,
    SiteFactory,
    StaffUserFactory,
    UserFactory,
    region,
)
from tests.login import log_in

ANONYMOUS = "anonymous"
OUTSIDER = "outsider"
DECLARANT = "declarant"
COMPANY_ADMIN = "company admin"
STAFF = "staff"
STAFF_PASSWORD_ONLY = "staff, password only"
PERSONAS = (ANONYMOUS, OUTSIDER, DECLARANT, COMPANY_ADMIN, STAFF, STAFF_PASSWORD_ONLY)


@dataclass(frozen=True)
class Redirect:
    """A redirect whose Location starts with `to`."""

    to: str


LOGIN = Redirect("/connexion/?next=")
ADMIN_LOGIN = Redirect("/admin/login/?next=")
TO_ADMIN = Redirect("/admin/")
SECOND_FACTOR = Redirect("/admin/deux-facteurs/")


def row(anonymous, outsider, declarant, company_admin, staff, staff_password_only=None) -> dict[str, Any]:
    """One expectation per persona, in PERSONAS order; staff with a password only are treated like
    staff unless said otherwise."""
    values = (
        anonymous,
        outsider,
        declarant,
        company_admin,
        staff,
        staff if staff_password_only is None else staff_password_only,
    )
    return dict(zip(PERSONAS, values, strict=True))


def everyone(expected) -> dict[str, Any]:
    return row(*[expected] * 6)


# Members' pages: staff are sent to the admin, whatever their second factor.
MEMBER_PAGE = row(LOGIN, 200, 200, 200, TO_ADMIN)
# A page about company A: the outsider gets a 404, as if it did not exist.
COMPANY_A_PAGE = row(LOGIN, 404, 200, 200, TO_ADMIN)
# Staff pages of the admin: nothing opens without the second factor.
ADMIN_PAGE = row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN)


def admin_page(staff) -> dict[str, Any]:
    return row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, staff, ADMIN_LOGIN)


# GET of every address, by URL name (or by pattern, for the admin's unnamed ones).
EXPECTED: dict[str, dict[str, Any]] = {
    # Public pages and files.
    "public:home": everyone(200),
    "bulletins:list": everyone(200),
    "bulletins:feed": everyone(200),
    "bulletins:series-csv": everyone(200),
    "bulletins:formats": everyone(200),
    "bulletins:detail": everyone(200),
    "bulletins:revision": everyone(200),
    "bulletins:revision-csv": everyone(200),
    "bulletins:revision-json": everyone(200),
    # A draft's preview: staff with their second factor only; a 404 for everybody else.
    "bulletins:preview": row(404, 404, 404, 404, 200, 404),
    # Logging in and out, registering, resetting a password: open to all.
    "login": everyone(200),
    "logout": everyone(405),
    "accounts:register": everyone(200),
    "accounts:register-done": everyone(200),
    "accounts:password-reset": everyone(200),
    "accounts:password-reset-done": everyone(200),
    # A valid link swaps its token for a session marker, then shows the form.
    "accounts:password-reset-confirm": everyone(Redirect("/compte/mot-de-passe/nouveau/")),
    "accounts:password-reset-complete": everyone(200),
    # Whoever holds the link sees the invitation (the form differs for the invited address).
    "accounts:invitation-accept": everyone(200),
    # The platform's probes, answered to anyone and reading no session.
    "ops:healthz": everyone(200),
    "ops:readyz": everyone(200),
    # The icon browsers ask for at the root points at the static file.
    "favicon": everyone(Redirect("/static/")),
    "public:help": everyone(200),
    "public:contact": everyone(200),
    "public:privacy": everyone(200),
    "public:manifest": everyone(200),
    "bulletins:series-csv-spreadsheet": everyone(200),
    "bulletins:revision-csv-spreadsheet": everyone(200),
    # A member's own account.
    "accounts:password-change": row(LOGIN, 200, 200, 200, 200),
    "accounts:preferences": row(LOGIN, 200, 200, 200, 200),
    "accounts:password-change-done": row(LOGIN, 200, 200, 200, 200),
    # The member area.
    "portal:dashboard": MEMBER_PAGE,
    "portal:declaration-history": MEMBER_PAGE,
    "portal:declaration-detail": COMPANY_A_PAGE,
    "portal:declaration-start": row(LOGIN, 405, 405, 405, TO_ADMIN),
    "portal:declaration-autosave": row(LOGIN, 405, 405, 405, TO_ADMIN),
    "portal:declaration-start-blank": row(LOGIN, 405, 405, 405, TO_ADMIN),
    # Company A's team: its members see it; only its administrators change it; staff are no member.
    "accounts:team": row(LOGIN, 404, 200, 200, 404),
    "accounts:team-invite": row(LOGIN, 404, 403, 200, 404),
    "accounts:membership-remove": row(LOGIN, 404, 403, 200, 404),
    "accounts:invitation-revoke": row(LOGIN, 405, 405, 405, 405),
    # The admin's own pages.
    "admin:index": ADMIN_PAGE,
    "admin:login": row(200, 200, 200, 200, TO_ADMIN, SECOND_FACTOR),
    "admin:logout": row(TO_ADMIN, TO_ADMIN, TO_ADMIN, TO_ADMIN, 405, TO_ADMIN),
    "admin:password_change": ADMIN_PAGE,
    "admin:password_change_done": ADMIN_PAGE,
    "admin:autocomplete": ADMIN_PAGE,
    "admin:jsi18n": ADMIN_PAGE,
    "admin:app_list": ADMIN_PAGE,
    # Company has no public page of its own.
    "admin:view_on_site": admin_page(404),
    "admin/(?P<url>.*)$": admin_page(404),
    # The second factor: staff after their password; members and visitors go to the admin login.
    "admin:two-factor": row(
        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, Redirect("/admin/deux-facteurs/activer/")
    ),
    "admin:two-factor-setup": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    "admin:two-factor-backup-codes": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, SECOND_FACTOR),
    # Staff tools added to the admin.
    "admin:members_company_invite": ADMIN_PAGE,
    "admin:measures_declaration_approve": admin_page(405),
    "admin:measures_declaration_return": ADMIN_PAGE,
    "admin:bulletins_bulletin_publish": ADMIN_PAGE,
    # The registry's spreadsheets and the declarations dataset.
    "admin:members_company_import": ADMIN_PAGE,
    "admin:members_company_process_import": admin_page(405),
    "admin:members_company_export": ADMIN_PAGE,
    "admin:measures_declaration_export": ADMIN_PAGE,
    # A campaign's follow-up: its exports, its reminders, a sending's progress.
    "admin:followup_campaignfollowup_csv": ADMIN_PAGE,
    "admin:followup_campaignfollowup_xlsx": ADMIN_PAGE,
    "admin:followup_campaignfollowup_remind": ADMIN_PAGE,
    "admin:followup_reminderbatch_progress": ADMIN_PAGE,
    # No staff member reads another one's authenticator secret (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": admin_page(403),
    "admin:otp_totp_totpdevice_qrcode": admin_page(403),
    # A user's password, set by staff.
    "admin:auth_user_password_change": ADMIN_PAGE,
}

# POST to the addresses that change something, with the data each needs.
EXPECTED_POST: dict[str, dict[str, Any]] = {
    "logout": row(Redirect("/"), Redirect("/"), Redirect("/"), Redirect("/"), Redirect("/")),
    "portal:declaration-start": row(
        LOGIN, 404, Redirect("/espace/declarations/"), Redirect("/espace/declarations/"), TO_ADMIN
    ),
    # A stale or empty autosave is refused and changes nothing; another company's is not found.
    "portal:declaration-autosave": row(LOGIN, 404, 409, 409, TO_ADMIN),
    "portal:declaration-start-blank": row(
        LOGIN, 404, Redirect("/espace/declarations/"), Redirect("/espace/declarations/"), TO_ADMIN
    ),
    "accounts:team-invite": row(LOGIN, 404, 403, Redirect("/compte/entreprises/"), 404),
    "accounts:membership-remove": row(LOGIN, 404, 403, Redirect("/compte/entreprises/"), 404),
    "accounts:invitation-revoke": row(LOGIN, 404, 403, Redirect("/compte/entreprises/"), 404),
    "admin:measures_declaration_approve": admin_page(Redirect("/admin/measures/declaration/")),
}

ADMIN_STANDARD = re.compile(
    r"^admin:(?P<label>\w+?)_(?P<model>[a-z0-9]+)_(?P<page>changelist|add|change|delete|history|simple_history)$"
)
ADMIN_OBJECT_REDIRECT = re.compile(r"^admin/(?P<label>\w+)/(?P<model>[a-z0-9]+)/<path:object_id>/$")


# --- Discovery ---


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield (":".join((*namespaces, pattern.name)) if pattern.name else route), route


def discovered() -> dict[str, str]:
    """Every address of the urlconf: its key (URL name, or pattern when unnamed) and its pattern."""
    return dict(_walk(get_resolver()))


def _registered(label: str, model: str) -> admin.ModelAdmin | None:
    return next(
        (
            model_admin
            for registered, model_admin in admin.site._registry.items()
            if (registered._meta.app_label, registered._meta.model_name) == (label, model)
        ),
        None,
    )


def _admin_model_page(key: str) -> tuple[admin.ModelAdmin, str] | None:
    """The ModelAdmin and page ("changelist", "add", "change", "delete", "history", "object") of a
    page the admin builds for a registered model, or None."""
    for pattern, page in ((ADMIN_STANDARD, None), (ADMIN_OBJECT_REDIRECT, "object")):
        match = pattern.match(key)
        if match:
            model_admin = _registered(match["label"], match["model"])
            if model_admin is not None:
                return model_admin, page or match["page"]
    return None


# --- The world the addresses are about ---


@dataclass
class World:
    sessions: dict[str, Client]
    samples: dict[str, Any]
    objects: dict[type, Any]
    staff_user: Any

    def client(self, persona: str) -> Client:
        """A new client on the persona's session: what one test does to its cookies (a logout)
        stays in that test."""
        client = Client()
        for name, morsel in self.sessions[persona].cookies.items():
            client.cookies[name] = morsel.value
        return client


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end; each test runs in a
    savepoint of it (as tests/demo/conftest.py does)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    today = timezone.localdate()
    company_a, company_b = CompanyFactory(trade_name="Atlas Contact"), CompanyFactory(trade_name="Bahia")
    declarant = UserFactory(email="declarant@atlas.ma")
    declarant_membership = MembershipFactory(user=declarant, company=company_a, role=CompanyMembership.Role.DECLARANT)
    company_admin = UserFactory(email="admin@atlas.ma")
    MembershipFactory(user=company_admin, company=company_a, role=CompanyMembership.Role.ADMIN)
    outsider = UserFactory(email="declarant@bahia.ma")
    MembershipFactory(user=outsider, company=company_b, role=CompanyMembership.Role.DECLARANT)
    staff = StaffUserFactory(email="staff@amrc.ma")
    staff_password_only = StaffUserFactory(email="nouvelle@amrc.ma")

    campaign = CampaignFactory(
        period_start=today - datetime.timedelta(days=8),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=3),
        locks_on=today + datetime.timedelta(days=10),
        status=Campaign.Status.OPEN,
    )
    declaration = DeclarationFactory(company=company_a, campaign=campaign, status="submitted")
    DeclarationRegionFactory(declaration=declaration, region=region("MA-06"), headcount=100, on_site=40, telework=60)
    DeclarationMeasureFactory(declaration=declaration)
    token, token_hash = invitation_token_new()
    invitation = Invitation.objects.create(
        email="nouveau@atlas.ma",
        company=company_a,
        token_hash=token_hash,
        invited_by=staff,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    revision = BulletinRevisionFactory()
    draft = BulletinFactory()
    SiteFactory(company=company_a)
    SectorFigureFactory()

    clients = {ANONYMOUS: Client()}
    for persona, user in ((OUTSIDER, outsider), (DECLARANT, declarant), (COMPANY_ADMIN, company_admin), (STAFF, staff)):
        clients[persona] = log_in(Client(), user)
    clients[STAFF_PASSWORD_ONLY] = Client()
    clients[STAFF_PASSWORD_ONLY].force_login(staff_password_only)

    samples = {
        "company_id": company_a.pk,
        "campaign_id": campaign.pk,
        "declaration_id": declaration.pk,
        "membership_id": declarant_membership.pk,
        "invitation_id": invitation.pk,
        "invitation_token": token,
        "uidb64": urlsafe_base64_encode(force_bytes(declarant.pk)),
        "reset_token": default_token_generator.make_token(declarant),
        "published_slug": revision.bulletin.slug,
        "draft_slug": draft.slug,
        "number": revision.number,
        "bulletin_id": draft.pk,
        "content_type_id": ContentType.objects.get_for_model(company_a).pk,
        "totp_device_id": TOTPDevice.objects.get(user=staff).pk,
    }
    # A row of every model the admin lists, for its change, delete and history pages.
    Group.objects.create(name="Équipe de publication")
    make_message(company=company_a)
    make_event(declaration, actor=declarant)
    two_factor.backup_codes_renew(user=staff)
    attempt = {"username": "x@y.ma", "ip_address": "203.0.113.7", "user_agent": "navigateur", "http_accept": "*/*"}
    AccessAttempt.objects.create(**attempt, path_info="/connexion/", get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, path_info="/connexion/", locked_out=False)
    batch = ReminderBatch.objects.create(campaign=campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    Reminder.objects.create(batch=batch, company=company_b)
    CampaignSchedule.objects.create(name="Hebdomadaire")
    StaffDigest.objects.create(user=staff, day=today)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="followup.tasks.reminder_batch_send",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    objects = {model: model.objects.order_by("pk").first() for model in admin.site._registry}
    assert None not in objects.values(), [model for model, obj in objects.items() if obj is None]
    return World(sessions=clients, samples=samples, objects=objects, staff_user=staff)


# --- Building each address ---


def _kwargs(key: str, route: str, world: World) -> dict[str, Any]:
    samples = world.samples
    kwargs: dict[str, Any] = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "token":
            kwargs[name] = samples["reset_token" if "password" in key else "invitation_token"]
        elif name == "slug":
            kwargs[name] = samples["draft_slug" if key == "bulletins:preview" else "published_slug"]
        elif name == "object_id":
            kwargs[name] = _admin_object_id(key, route, world)
        elif name == "pk":
            kwargs[name] = samples["totp_device_id"]
        elif name == "id":
            kwargs[name] = world.staff_user.pk
        else:
            kwargs[name] = samples[name]
    return kwargs


def _admin_object_id(key: str, route: str, world: World) -> int:
    if key == "admin:view_on_site":
        return world.samples["company_id"]
    if key == "admin:bulletins_bulletin_publish":
        return world.samples["bulletin_id"]
    if key in ("admin:measures_declaration_approve", "admin:measures_declaration_return"):
        return world.samples["declaration_id"]
    if key == "admin:members_company_invite":
        return world.samples["company_id"]
    if key.startswith("admin:followup_campaignfollowup_"):
        return world.samples["campaign_id"]
    if key == "admin:followup_reminderbatch_progress":
        return world.objects[ReminderBatch].pk
    page = _admin_model_page(key) or _admin_model_page(route)
    assert page is not None, f"No sample object for {key}"
    model_admin, _page = page
    if model_admin.model._meta.label == "bulletins.Bulletin":
        return world.samples["bulletin_id"]
    return world.objects[model_admin.model].pk


def _url(key: str, route: str, world: World) -> str:
    if key == "admin/(?P<url>.*)$":
        return "/admin/inexistant/"
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "members"})
    if key == "admin:autocomplete":
        return reverse(key) + "?app_label=members&model_name=companymessage&field_name=company"
    if key.endswith("_simple_history"):
        model = _admin_model_page(key)[0].model
        obj = world.objects[model]
        record = model.history.filter(id=obj.pk).latest("history_date")
        return reverse(key, args=[obj.pk, record.history_id])
    kwargs = _kwargs(key, route, world)
    if key.startswith("admin/"):
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match[1]]), route)
    return reverse(key, kwargs=kwargs)


def _admin_model_expectation(model_admin: admin.ModelAdmin, page: str, world: World, url: str) -> dict[str, Any]:
    """Standard admin pages: staff only; for staff, what their permissions allow."""
    request = RequestFactory().get(url)
    request.user = world.staff_user
    obj = world.objects.get(model_admin.model)
    if model_admin.model._meta.label == "bulletins.Bulletin":
        obj = type(obj).objects.get(pk=world.samples["bulletin_id"])
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_view_or_change_permission(request, obj),
        "delete": model_admin.has_delete_permission(request, obj),
        "history": model_admin.has_view_or_change_permission(request, obj),
        "simple_history": model_admin.has_view_or_change_permission(request, obj),
    }
    if page == "object":
        return admin_page(Redirect(url + "change/"))
    return admin_page(200 if allowed[page] else 403)


def _expectation(key: str, world: World, url: str, table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if key in table:
        return table[key]
    page = _admin_model_page(key)
    assert page is not None, f"No expectation for {key}"
    return _admin_model_expectation(*page, world, url)


def _outcome(response) -> Any:
    if response.status_code in (301, 302):
        return Redirect(response["Location"])
    return response.status_code


def _matches(outcome: Any, expected: Any) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(outcome, Redirect) and outcome.to.startswith(expected.to)
    return outcome == expected


# --- The tests ---

ADDRESSES = discovered()


def test_every_address_has_an_expectation():
    missing = [key for key in ADDRESSES if key not in EXPECTED and _admin_model_page(key) is None]

    assert missing == [], "Say in EXPECTED who may reach these addresses"


def test_every_expectation_names_an_existing_address():
    assert sorted(set(EXPECTED) - set(ADDRESSES)) == []
    assert sorted(set(EXPECTED_POST) - set(ADDRESSES)) == []


def test_every_registered_model_has_its_admin_pages_covered():
    for model in admin.site._registry:
        key = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        assert key in ADDRESSES, key


@pytest.mark.parametrize("key", sorted(ADDRESSES))
def test_who_may_get_the_address(world, db, key):
    url = _url(key, ADDRESSES[key], world)
    expected = _expectation(key, world, url, EXPECTED)

    wrong = {}
    for persona in PERSONAS:
        outcome = _outcome(world.client(persona).get(url))
        if not _matches(outcome, expected[persona]):
            wrong[persona] = (outcome, expected[persona])

    assert wrong == {}, f"GET {url}: (got, expected) by persona"


POST_DATA = {
    "portal:declaration-start": lambda world: {"company": world.samples["company_id"]},
    "accounts:team-invite": lambda world: {"email": "collegue@atlas.ma", "role": "declarant"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(EXPECTED_POST))
def test_who_may_post_to_the_address(world, db, key, persona):
    url = _url(key, ADDRESSES[key], world)
    data = POST_DATA.get(key, lambda world: {})(world)

    outcome = _outcome(world.client(persona).post(url, data))

    assert _matches(outcome, EXPECTED_POST[key][persona]), f"POST {url} as {persona}: {outcome}"
