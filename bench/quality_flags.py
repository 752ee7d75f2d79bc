"""Benchmark: the quality flags of declarations on a large generated history.

    DEBUG=1 .venv/bin/python bench/quality_flags.py [--companies 10000] [--weeks 12] [--repeat 5]
        [--database amrc_bench_quality]

Runs in a throwaway database (var/bench-quality.sqlite3, or --database on DATABASE_URL's
PostgreSQL server, dropped and created again). Every company declares every week (approved), the
last week's declarations wait for review (submitted). Times, as medians of --repeat runs after a
warm-up, each against a reference measured in the same run (reading the same declarations' rows),
with the number of queries:

- a page of the changelist: the flags of 50 declarations of the last week, the campaign's segment
  references cached (as between two writes to the campaign), then after a write to the campaign
  (a declaration approved before each run);
- the review page: the flags of one declaration, with its comparison;
- the "flagged" filter with the last week chosen (every company), then with nothing cached (the
  first read, or new rules);
- the "flagged" filter with no campaign chosen (what it then looks at: the open campaigns and the
  declarations waiting for review, here the last week);
- the staff home's work queue: the flags of every declaration waiting for review (here the whole
  last week, the worst case), which it counts; then after an approval, as in the review routine.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from bulletin_aggregation import BASE_DIR, _use_throwaway_database

SQLITE_FILE = BASE_DIR / "var" / "bench-quality.sqlite3"
MEMBERS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="amrc_bench_quality", help="PostgreSQL database to (re)create")
    arguments = parser.parse_args()

    engine = _use_throwaway_database(arguments.database, SQLITE_FILE)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    last_week = _generate(companies=arguments.companies, weeks=arguments.weeks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Database: {engine}")
    print(
        f"Generated {arguments.companies} companies x {arguments.weeks} weeks of declarations "
        f"in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )

    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    from followup.selectors import work_queue
    from measures.models import Declaration
    from quality.selectors import (
        declaration_quality_review,
        declarations_with_flags,
        flag_scope,
        flagged_declaration_ids,
    )

    page = Declaration.objects.filter(campaign=last_week).order_by("pk")[:50]
    one = Declaration.objects.filter(campaign=last_week).order_by("pk")[:1]
    this_week = Declaration.objects.filter(campaign=last_week)
    everything = Declaration.objects.all()
    waiting = Declaration.objects.filter(status=Declaration.Status.SUBMITTED)
    today = datetime.date.today()
    to_approve = iter(list(waiting.order_by("-pk").values_list("pk", flat=True)[: 2 * (arguments.repeat + 2)]))

    def approve_one() -> None:
        # As the review does: the declaration is saved with its new status, its campaign's state moves.
        declaration = Declaration.objects.get(pk=next(to_approve))
        declaration.status = Declaration.Status.APPROVED
        declaration.save()

    # Emptying the cache stands for the first read (or new rules); an approval for the routine.
    cases = [
        ("page (50), cached", lambda: declarations_with_flags(list(page)), lambda: list(page.values()), None),
        (
            "page (50), after a write",
            lambda: declarations_with_flags(list(page)),
            lambda: list(page.values()),
            approve_one,
        ),
        ("review page", lambda: declaration_quality_review(one.get()), lambda: list(one.values()), None),
        ("filter, campaign chosen", lambda: flagged_declaration_ids(this_week), lambda: list(this_week.values()), None),
        (
            "filter, nothing cached",
            lambda: flagged_declaration_ids(this_week),
            lambda: list(this_week.values()),
            cache.clear,
        ),
        (
            "filter, none chosen",
            lambda: flagged_declaration_ids(flag_scope(everything)[0]),
            lambda: list(flag_scope(everything)[0].values()),
            None,
        ),
        ("work queue", lambda: work_queue(today=today), lambda: list(waiting.values()), None),
        ("work queue, after approval", lambda: work_queue(today=today), lambda: list(waiting.values()), approve_one),
    ]
    print(f"{'case':<26} {'flags, median':>14} {'reference':>10} {'ratio':>7} {'queries':>8}")
    for name, flags, reference, setup in cases:
        flags_time, reference_time = _median(flags, arguments.repeat, setup), _median(reference, arguments.repeat)
        if setup:
            setup()
        with CaptureQueriesContext(connection) as queries:
            flags()
        print(
            f"{name:<26} {flags_time:>12.3f} s {reference_time:>8.3f} s {flags_time / reference_time:>7.1f} "
            f"{len(queries):>8}"
        )
    print(f"load average {os.getloadavg()[0]:.2f}")


def _median(run, repeat: int, setup=None) -> float:
    """The median time of `repeat` runs after a warm-up; `setup` runs before each, untimed."""
    if setup:
        setup()
    run()
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _generate(*, companies: int, weeks: int):
    from measures.models import Campaign, Declaration
    from members.models import Company, Region

    rng = random.Random(2020)
    region = Region.objects.get(code="MA-06")
    Company.objects.bulk_create(
        [
            Company(
                trade_name=f"Centre {i:05d}",
                city="Casablanca",
                region=region,
                segment=Company.Segment.MEMBER if i < MEMBERS else Company.Segment.SMALL,
                registered_headcount=3000 if i < MEMBERS else rng.randint(10, 300),
            )
            for i in range(companies)
        ],
        batch_size=2000,
    )
    first = datetime.date(2020, 3, 16)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            title=f"Semaine {week + 1}",
            period_start=first + datetime.timedelta(weeks=week),
            period_end=first + datetime.timedelta(weeks=week, days=6),
            opens_on=first + datetime.timedelta(weeks=week, days=7),
            due_on=first + datetime.timedelta(weeks=week, days=10),
            locks_on=first + datetime.timedelta(weeks=week, days=17),
            status=Campaign.Status.CLOSED,
        )
        for week in range(weeks)
    )
    rows = []
    for company in Company.objects.order_by("pk"):
        telework = rng.uniform(0.2, 0.6)
        for week, campaign in enumerate(campaigns):
            headcount = max(1, round(company.registered_headcount * rng.uniform(0.97, 1.03)))
            telework = min(0.9, max(0.0, telework + rng.gauss(0, 0.03)))
            teleworking = round(headcount * telework)
            last = week == weeks - 1
            rows.append(
                Declaration(
                    campaign=campaign,
                    company=company,
                    status=Declaration.Status.SUBMITTED if last else Declaration.Status.APPROVED,
                    headcount=headcount,
                    on_site=headcount - teleworking,
                    telework=teleworking,
                    technical_unemployment=0,
                    other_absence=0,
                    hires=rng.randint(0, 3),
                    separations=rng.randint(0, 3),
                    dismissals=0,
                    export_revenue=Decimal(headcount * rng.randint(2000, 3000)),
                    activity_maintained_pct=rng.randint(70, 90),
                )
            )
    Declaration.objects.bulk_create(rows, batch_size=5000)
    return campaigns[-1]


if __name__ == "__main__":
    main()
