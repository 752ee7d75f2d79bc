"""Benchmark: a forged form count (`TOTAL_FORMS=10000` in a 3 KB POST) on the member's declaration
form and on the admin's declaration page, against an honest save of the same page.

    DEBUG=1 .venv/bin/python bench/formset_flood.py [--forms 10000] [--repeat 5]

Runs in a throwaway SQLite database (var/bench-flood.sqlite3, recreated at each run), through
Django's test client: no server, no network. Prints the median, minimum and maximum of each
request, its ratio to the honest save measured in the same run, and the load average, since the
machine may be shared.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_FILE = BASE_DIR / "var" / "bench-flood.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=10_000, help="the forged TOTAL_FORMS")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up run")
    arguments = parser.parse_args()

    SQLITE_FILE.parent.mkdir(exist_ok=True)
    SQLITE_FILE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The cheapest hasher, and limits high enough for the repeats: the requests are what is timed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]

    member, staff, declaration = _data()
    url = f"/espace/declarations/{declaration.pk}/"
    admin_url = f"/admin/measures/declaration/{declaration.pk}/change/"
    honest = _member_post(declaration)
    flood = {**honest, "lines-TOTAL_FORMS": arguments.forms, "measures-TOTAL_FORMS": arguments.forms}
    admin_honest = _admin_post(declaration)
    admin_flood = {**admin_honest, "regional_lines-TOTAL_FORMS": arguments.forms}

    print(f"Load average before: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    reference = _time("member form, honest save (reference)", member, url, honest, arguments.repeat)
    for label, client, target, data in (
        (f"member form, TOTAL_FORMS={arguments.forms}", member, url, flood),
        ("admin page, honest save", staff, admin_url, admin_honest),
        (f"admin page, inline TOTAL_FORMS={arguments.forms}", staff, admin_url, admin_flood),
    ):
        _time(label, client, target, data, arguments.repeat, reference=reference)
    print(f"Load average after: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")


def _data():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from measures.models import Campaign, Declaration
    from members.models import Company, CompanyMembership, Region

    today = datetime.date.today()
    region = Region.objects.get(code="MA-06")
    company = Company.objects.create(trade_name="Atlas Contact", city="Casablanca", region=region)
    campaign = Campaign.objects.create(
        title="Semaine de mesure",
        period_start=today - datetime.timedelta(days=8),
        period_end=today - datetime.timedelta(days=2),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=3),
        locks_on=today + datetime.timedelta(days=10),
        status=Campaign.Status.OPEN,
    )
    declaration = Declaration.objects.create(company=company, campaign=campaign)
    declarant = User.objects.create_user("declarant@atlas.ma", "Mot-de-passe-solide-2020")
    CompanyMembership.objects.create(user=declarant, company=company, role=CompanyMembership.Role.DECLARANT)
    staff = User.objects.create_superuser("staff@amrc.ma", "Mot-de-passe-solide-2020")
    member_client, staff_client = Client(), Client()
    member_client.force_login(declarant)
    staff_client.force_login(staff)
    device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
    session = staff_client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return member_client, staff_client, declaration


def _member_post(declaration) -> dict:
    from members.models import Region

    return {
        "action": "save",
        "version": declaration.version,
        "headcount": 100,
        "on_site": 40,
        "telework": 50,
        "technical_unemployment": 5,
        "other_absence": 5,
        "lines-TOTAL_FORMS": 1,
        "lines-INITIAL_FORMS": 0,
        "lines-0-region": Region.objects.get(code="MA-06").pk,
        "lines-0-headcount": 100,
        "lines-0-on_site": 40,
        "lines-0-telework": 50,
        "measures-TOTAL_FORMS": 0,
        "measures-INITIAL_FORMS": 0,
    }


def _admin_post(declaration) -> dict:
    data = {
        "loaded_version": declaration.version,
        "headcount": 100,
        "on_site": 40,
        "telework": 50,
        "technical_unemployment": 5,
        "other_absence": 5,
    }
    for prefix in ("regional_lines", "measure_answers", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def _time(label: str, client, url: str, data: dict, repeat: int, *, reference: float | None = None) -> float:
    from measures.models import Declaration

    durations, status = [], None
    for run in range(repeat + 1):
        # Each save moves the version on: post the current one, so that every run does the same work.
        current = Declaration.objects.get().version
        data = {**data, **({"version": current} if "version" in data else {"loaded_version": current})}
        started = time.perf_counter()
        status = client.post(url, data).status_code
        if run:
            durations.append(time.perf_counter() - started)
    median = statistics.median(durations)
    ratio = f"  ×{median / reference:.1f} the reference" if reference else ""
    print(
        f"{label:<45} HTTP {status}  median {median * 1000:8.1f} ms"
        f"  (min {min(durations) * 1000:.1f}, max {max(durations) * 1000:.1f}){ratio}"
    )
    return median


if __name__ == "__main__":
    main()
