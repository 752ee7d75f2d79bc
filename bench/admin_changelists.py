"""Benchmark: the admin pages staff open all day, in-process, on the database DATABASE_URL names.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amrc_scale .venv/bin/python bench/admin_changelists.py \\
        [--repeat 10] [--explain]

Meant for a database filled by `manage.py seed_scale` (10,000 companies and 50 weekly campaigns:
about 400,000 declarations and 8.8 million measure answers), which it only reads. Each page is
requested through Django's test client as the demo's staff user, in production mode (DEBUG off),
once to warm up, then `--repeat` times: the median and the slowest of those (wall clock), the
median CPU time of this process (Django, templates: what remains when the machine is shared), and
the time in the database and the number of queries of one more, instrumented, request.
`--explain` prints PostgreSQL's plan (EXPLAIN ANALYZE) of each page's slowest query.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STAFF_EMAIL = "staff@amrc.ma"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL to the PostgreSQL database seed_scale filled.")

    # Production mode, as served: no query log, no template debugging.
    os.environ.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="testserver")
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from measures.models import Campaign, Declaration, DeclarationMeasure

    client = Client()
    client.force_login(User.objects.get(email=STAFF_EMAIL))
    latest = Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-period_start").first()
    reviewed = (
        Declaration.objects.filter(campaign__status=Campaign.Status.CLOSED, status=Declaration.Status.APPROVED)
        .order_by("-pk")
        .first()
    )
    print(
        f"{Declaration.objects.count():,} declarations, {DeclarationMeasure.objects.count():,} measure answers, "
        f"{Campaign.objects.count()} campaigns; load average {_load()}"
    )
    pages = [
        ("declarations", "/admin/measures/declaration/"),
        ("declarations, page 100", "/admin/measures/declaration/?p=100"),
        ("declarations of the latest campaign", f"/admin/measures/declaration/?campaign__id__exact={latest.pk}"),
        ("declarations submitted", "/admin/measures/declaration/?status__exact=submitted"),
        ("declarations late", "/admin/measures/declaration/?ponctualite=late"),
        ("declarations of informal operators", "/admin/measures/declaration/?company__formality__exact=informal"),
        ("declarations, search", "/admin/measures/declaration/?q=atlas"),
        ("campaigns", "/admin/measures/campaign/"),
        ("campaigns of 2020", "/admin/measures/campaign/?period_start__year=2020"),
        ("declaration page (22 answers)", f"/admin/measures/declaration/{reviewed.pk}/change/"),
        ("regional lines", "/admin/measures/declarationregion/"),
        ("measure answers", "/admin/measures/declarationmeasure/"),
        ("review steps", "/admin/measures/declarationevent/"),
    ]
    print("| page | median | slowest | of which Python (CPU) | in the database | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    plans = []
    for name, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings, cpu = [], []
        for _ in range(arguments.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        in_database = sum(float(query["time"]) for query in queries.captured_queries)
        print(
            f"| {name} | {statistics.median(timings) * 1000:.0f} ms | {max(timings) * 1000:.0f} ms "
            f"| {statistics.median(cpu) * 1000:.0f} ms | {in_database * 1000:.0f} ms "
            f"| {len(queries.captured_queries)} |"
        )
        slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
        plans.append((name, slowest["sql"]))
    print(f"load average {_load()}")
    if arguments.explain:
        for name, sql in plans:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n### {name}\n\n```\n{sql}\n\n{plan}\n```")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
