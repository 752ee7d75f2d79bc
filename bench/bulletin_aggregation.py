"""Benchmark: a bulletin's snapshot (and its publication) on a large generated registry.

    DEBUG=1 .venv/bin/python bench/bulletin_aggregation.py [--companies 10000] [--repeat 5]
        [--campaigns 0] [--first-week] [--explain]

Runs in a throwaway database, never the development or test one: var/bench.sqlite3 by default or,
when DATABASE_URL points at PostgreSQL, a database named amrc_bench on that server (dropped and
created again at each run). The registry looks like the sector: about twenty large members with 80%
of the workforce, thousands of small operators, one campaign in which every company has an approved
declaration with its regional lines and an answer for every measure, all written in bulk. The
week before holds the same declarations but for one company in a hundred, and its bulletin is
published: the campaign's snapshot and publication read the week-on-week changes, as a weekly
publication does (--first-week leaves that week out).
--campaigns N adds N past weekly campaigns of history (copies of that campaign's declarations,
lines and answers, by INSERT … SELECT), to show that a bulletin's cost does not depend on them.
--explain prints the database's plan of the regional and measure queries.
"""

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "amrc_bench"
SQLITE_FILE = BASE_DIR / "var" / "bench.sqlite3"
MEMBERS = 20
MEMBER_WORKFORCE = 64_000
SMALL_WORKFORCE = 16_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up run")
    parser.add_argument("--campaigns", type=int, default=0, help="past campaigns of history")
    parser.add_argument(
        "--first-week",
        action="store_true",
        help="no previous week's bulletin: leave out the week-on-week changes (the panel)",
    )
    parser.add_argument("--explain", action="store_true", help="print the plans of the heaviest queries")
    parser.add_argument(
        "--database", default=BENCH_DATABASE, help="PostgreSQL only: the throwaway database (dropped and created again)"
    )
    arguments = parser.parse_args()
    if arguments.companies <= MEMBERS:
        parser.error(f"--companies must be more than the {MEMBERS} members.")

    engine = _use_throwaway_database(arguments.database)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
    import django

    django.setup()
    # As in every server process (amrc/wsgi.py): what is loaded once is set apart from the
    # garbage collector's full passes.
    gc.freeze()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Database: {engine}; migrated in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    campaign = _generate(companies=arguments.companies)
    print(f"Generated {arguments.companies} companies and their declarations in {time.perf_counter() - started:.1f} s")
    if not arguments.first_week:
        _add_previous_week(campaign)
    if arguments.campaigns:
        # The same campaign timed before and after the history is added, in the same process.
        print("Before the history:")
        _time_snapshot(campaign, arguments.repeat, _time_reference(arguments.repeat))
        started = time.perf_counter()
        _add_history(campaign, arguments.campaigns, after=0 if arguments.first_week else 1)
        print(f"Added {arguments.campaigns} past campaigns of history in {time.perf_counter() - started:.1f} s")
    print(f"Load average before timing: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if arguments.explain:
        _explain(campaign)
    reference = _time_reference(arguments.repeat)
    _time_snapshot(campaign, arguments.repeat, reference)
    _time_publication(campaign, arguments.repeat, reference)
    print(f"Load average after timing: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _reference_work() -> None:
    """A fixed piece of work of the same kinds as a publication's (Python arithmetic on fractions,
    one HiGHS program): timed beside the bulletin so that figures taken on a shared, loaded
    machine compare as ratios to it."""
    from fractions import Fraction

    import numpy as np
    from scipy.optimize import linprog

    total = Fraction(0)
    for i in range(1, 60_000):
        total += Fraction(i % 97, i % 89 + 1)
    rng = np.random.default_rng(7)
    n = 400
    a_eq = rng.integers(0, 2, size=(120, n)).astype(float)
    b_eq = a_eq @ rng.integers(0, 100, size=n).astype(float)
    linprog(rng.standard_normal(n), A_eq=a_eq, b_eq=b_eq, bounds=(0, 1_000), method="highs")


def _time_reference(repeat: int) -> float:
    _reference_work()  # warm-up: imports
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        _reference_work()
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"reference work: median {median:.3f} s, min {min(timings):.3f} s, max {max(timings):.3f} s")
    return median


def _ratio(seconds: float, reference: float) -> str:
    return f"{seconds / reference:.2f}× the reference"


def _use_throwaway_database(database: str = BENCH_DATABASE, sqlite_file: Path = SQLITE_FILE) -> str:
    """Point DATABASE_URL at the benchmark database before Django reads its settings."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sqlite_file.parent.mkdir(exist_ok=True)
        sqlite_file.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
        return f"SQLite ({sqlite_file.relative_to(BASE_DIR)})"

    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    return f"PostgreSQL {version} (database {database})"


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Whole numbers adding up to total, roughly in proportion to weights."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    rng.shuffle(parts)
    return parts


def _generate(*, companies: int):
    from django.utils import timezone

    from measures.models import Campaign, Declaration, DeclarationMeasure, DeclarationRegion, Measure
    from members.models import Company, Region

    rng = random.Random(2020)
    regions = list(Region.objects.order_by("code"))
    # Where the sector's sites are: Casablanca-Settat first, then Rabat, Fès, Tanger, Marrakech, ...
    region_weights = {"MA-06": 40, "MA-04": 20, "MA-03": 10, "MA-01": 10, "MA-07": 8, "MA-02": 6, "MA-09": 6}
    weights = [region_weights.get(region.code, 1) for region in regions]
    small = companies - MEMBERS
    headcounts = _split(MEMBER_WORKFORCE, [rng.uniform(0.5, 2) for _ in range(MEMBERS)], rng)
    headcounts += [max(1, h) for h in _split(SMALL_WORKFORCE, [rng.paretovariate(2) for _ in range(small)], rng)]
    Company.objects.bulk_create(
        [
            Company(
                trade_name=f"Centre {i:05d}",
                city="Casablanca",
                region=rng.choices(regions, weights)[0],
                segment=Company.Segment.MEMBER if i < MEMBERS else Company.Segment.SMALL,
                formality=(Company.Formality.FORMAL if i < MEMBERS else rng.choice(Company.Formality.values)),
                registered_headcount=headcounts[i],
            )
            for i in range(companies)
        ],
        batch_size=2000,
    )
    campaign = Campaign.objects.create(
        title="Semaine du 30 mars 2020",
        period_start=datetime.date(2020, 3, 30),
        period_end=datetime.date(2020, 4, 5),
        opens_on=datetime.date(2020, 4, 6),
        due_on=datetime.date(2020, 4, 8),
        locks_on=datetime.date(2020, 4, 15),
        status=Campaign.Status.CLOSED,
    )
    due = timezone.make_aware(datetime.datetime(2020, 4, 8, 12))
    declarations = []
    for company in Company.objects.order_by("pk"):
        headcount = max(1, round(company.registered_headcount * rng.uniform(0.85, 1.05)))
        on_site = round(headcount * rng.uniform(0.05, 0.4))
        telework = round((headcount - on_site) * rng.uniform(0.4, 0.9))
        technical_unemployment = round((headcount - on_site - telework) * rng.uniform(0.5, 0.9))
        separations = rng.randint(0, max(1, headcount // 50))
        declarations.append(
            Declaration(
                campaign=campaign,
                company=company,
                status=Declaration.Status.APPROVED,
                headcount=headcount,
                on_site=on_site,
                telework=telework,
                technical_unemployment=technical_unemployment,
                other_absence=headcount - on_site - telework - technical_unemployment,
                hires=rng.randint(0, max(1, headcount // 100)),
                separations=separations,
                dismissals=rng.randint(0, separations),
                export_revenue=Decimal(headcount * rng.randint(1500, 3500)),
                activity_maintained_pct=rng.randint(30, 100),
                submitted_at=due + datetime.timedelta(days=rng.choice([-2, -1, 0, 0, 1, 3])),
                approved_at=due + datetime.timedelta(days=4),
            )
        )
    Declaration.objects.bulk_create(declarations, batch_size=2000)

    lines = []
    for declaration in Declaration.objects.filter(campaign=campaign).select_related("company").order_by("pk"):
        spread = 3 if declaration.company.segment == Company.Segment.MEMBER else 1
        chosen = [declaration.company.region]
        while len(chosen) < spread:
            region = rng.choices(regions, weights)[0]
            if region not in chosen:
                chosen.append(region)
        shares = [rng.uniform(1, 3) for _ in chosen]
        for region, headcount, on_site, telework in zip(
            chosen,
            _split(declaration.headcount, shares, random.Random(declaration.pk)),
            _split(declaration.on_site, shares, random.Random(declaration.pk)),
            _split(declaration.telework, shares, random.Random(declaration.pk)),
            strict=True,
        ):
            lines.append(
                DeclarationRegion(
                    declaration=declaration, region=region, headcount=headcount, on_site=on_site, telework=telework
                )
            )
    DeclarationRegion.objects.bulk_create(lines, batch_size=5000)

    measures = list(Measure.objects.filter(is_active=True))
    statuses = DeclarationMeasure.Status.values
    answers = [
        DeclarationMeasure(declaration_id=pk, measure=measure, status=rng.choices(statuses, [6, 2, 2])[0])
        for pk in Declaration.objects.filter(campaign=campaign).values_list("pk", flat=True)
        for measure in measures
    ]
    DeclarationMeasure.objects.bulk_create(answers, batch_size=5000)
    print(f"  {len(declarations)} approved declarations, {len(lines)} regional lines, {len(answers)} measure answers")
    # Give the planner the statistics a live database has (autovacuum gathers them there):
    # without them PostgreSQL guesses one row per table and sorts on disk.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return campaign


def _columns(model, *excluded: str) -> list[str]:
    return [
        field.column for field in model._meta.concrete_fields if not field.primary_key and field.column not in excluded
    ]


def _copy_campaign(campaign, *, weeks_before: int, title: str, leave_out_every: int = 0):
    """A campaign `weeks_before` weeks earlier holding a copy of the campaign's declarations,
    regional lines and measure answers, written by the database itself (INSERT … SELECT):
    millions of rows in seconds. With `leave_out_every` n, the companies whose id is a multiple of
    n are left out: they join in the copied campaign's week."""
    from django.db import connection

    from measures.models import Campaign, Declaration, DeclarationMeasure, DeclarationRegion

    shift = datetime.timedelta(weeks=weeks_before)
    copy = Campaign.objects.create(
        title=title,
        period_start=campaign.period_start - shift,
        period_end=campaign.period_end - shift,
        opens_on=campaign.opens_on - shift,
        due_on=campaign.due_on - shift,
        locks_on=campaign.locks_on - shift,
        status=Campaign.Status.CLOSED,
    )
    listed = ", ".join(_columns(Declaration, "campaign_id"))
    left_out = f" AND company_id %% {int(leave_out_every)} <> 0" if leave_out_every else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Declaration._meta.db_table} (campaign_id, {listed}) "
            f"SELECT %s, {listed} FROM {Declaration._meta.db_table} WHERE campaign_id = %s{left_out}",
            [copy.pk, campaign.pk],
        )
        for model in (DeclarationRegion, DeclarationMeasure):
            child = _columns(model, "declaration_id")
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} (declaration_id, {', '.join(child)}) "
                f"SELECT new.id, {', '.join(f'line.{column}' for column in child)} "
                f"FROM {model._meta.db_table} line "
                f"JOIN {Declaration._meta.db_table} old ON old.id = line.declaration_id "
                f"JOIN {Declaration._meta.db_table} new ON new.company_id = old.company_id "
                f"AND new.campaign_id = %s WHERE old.campaign_id = %s",
                [copy.pk, campaign.pk],
            )
    return copy


def _add_previous_week(campaign) -> None:
    """The week before, its bulletin published: the same declarations but for one company in a
    hundred, which joins this week, so that the campaign's publication reads the week-on-week
    changes (the panel) as every weekly publication does."""
    from django.db import connection, transaction

    from accounts.models import User
    from bulletins.services import bulletin_create, bulletin_publish

    with transaction.atomic():
        previous = _copy_campaign(campaign, weeks_before=1, title="Semaine du 23 mars 2020", leave_out_every=100)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        staff = User.objects.create_superuser("bench-previous@amrc.ma", None)
        bulletin_publish(bulletin=bulletin_create(campaign=previous, user=staff, title=previous.title), user=staff)
    print(f"  previous week: {previous.declarations.count()} declarations, its bulletin published")


def _add_history(campaign, weeks: int, *, after: int) -> None:
    """Past weekly campaigns before the `after` weeks already there, each a copy of the campaign's
    rows."""
    from django.db import connection, transaction

    from measures.models import Declaration, DeclarationMeasure, DeclarationRegion

    with transaction.atomic():
        for week in range(after + 1, after + weeks + 1):
            _copy_campaign(campaign, weeks_before=week, title=f"Semaine passée {week}")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  history: {Declaration.objects.count()} declarations, {DeclarationRegion.objects.count()} regional "
        f"lines, {DeclarationMeasure.objects.count()} measure answers in all"
    )


def _explain(campaign) -> None:
    """The plans of the regional and measure queries: filtered through the join on the campaign."""
    from django.db import connection
    from django.db.models import Count

    from bulletins.aggregation.reading import approved_in
    from measures.models import DeclarationMeasure, DeclarationRegion

    through = {f"declaration__{lookup}": value for lookup, value in approved_in(campaign).items()}
    for label, queryset in (
        ("regional lines", DeclarationRegion.objects.filter(**through).values("region_id").annotate(n=Count("pk"))),
        ("measure answers", DeclarationMeasure.objects.filter(**through).values("measure_id").annotate(n=Count("pk"))),
    ):
        analyze = {"analyze": True} if connection.vendor == "postgresql" else {}
        print(f"EXPLAIN ({label}):")
        for line in queryset.order_by().explain(**analyze).splitlines():
            print(f"    {line}")


def _time_snapshot(campaign, repeat: int, reference: float) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    import bulletins.aggregation.snapshot as snapshot_module
    from bulletins.aggregation import campaign_snapshot
    from bulletins.selectors import previous_published_revision
    from bulletins.services import counted_declarations

    # The shares of the audit (amrc.lib.disclosure_audit.protect) and of the week-on-week panel
    # (read_panel) in each run, timed around them.
    shares: dict[str, list[float]] = {"protect": [], "read_panel": []}
    originals = {name: getattr(snapshot_module, name) for name in shares}

    def timed(name):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                shares[name].append(time.perf_counter() - started)

        return run

    for name in shares:
        setattr(snapshot_module, name, timed(name))
    previous = previous_published_revision(campaign=campaign)
    week_before = {}
    if previous is not None:
        week_before = {"previous_snapshot": previous.snapshot, "previous_declarations": counted_declarations(previous)}

    def snapshot():
        return campaign_snapshot(campaign=campaign, **week_before)

    snapshot()  # warm-up: caches, statistics, compiled statements
    timings = []
    for timed_share in shares.values():
        timed_share.clear()
    for _ in range(repeat):
        started = time.perf_counter()
        result, internal = snapshot()
        timings.append(time.perf_counter() - started)
    audit_timings, panel_timings = shares["protect"][:repeat], shares["read_panel"][:repeat]
    without_audit = [total - audit for total, audit in zip(timings, audit_timings, strict=True)]

    # DEBUG keeps a log of queries; start an empty one so that this run's queries all fit in it.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        snapshot()
        total = time.perf_counter() - started
    in_database = sum(float(query["time"]) for query in queries.captured_queries)
    print(
        f"campaign_snapshot: median {statistics.median(timings):.3f} s, min {min(timings):.3f} s, "
        f"max {max(timings):.3f} s over {repeat} runs; without the audit median "
        f"{statistics.median(without_audit):.3f} s, the audit median {statistics.median(audit_timings[:repeat]):.3f} s"
    )
    print(
        f"  as ratios: {_ratio(statistics.median(timings), reference)}, without the audit "
        f"{_ratio(statistics.median(without_audit), reference)}, the audit "
        f"{_ratio(statistics.median(audit_timings[:repeat]), reference)}"
    )
    if panel_timings:
        print(
            f"  the week-on-week panel median {statistics.median(panel_timings):.3f} s = "
            f"{_ratio(statistics.median(panel_timings), reference)}"
        )
    else:
        print("  no previous bulletin: no week-on-week panel (--first-week)")
    print(
        f"  {len(queries.captured_queries)} queries, {in_database:.3f} s in the database and "
        f"{total - in_database:.3f} s in Python (one instrumented run of {total:.3f} s)"
    )
    slowest = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)[:3]
    for query in slowest:
        print(f"    {float(query['time']):.3f} s  {' '.join(query['sql'].split())[:100]}...")
    reasons = Counter(internal["suppressions"].values())
    print(
        f"  {result['methodology']['respondents']} respondents, "
        f"{result['methodology']['suppressed_cells']} published cells suppressed; "
        f"all suppressions by reason: {dict(sorted(reasons.items()))}; "
        f"{len(internal['protection'])} cells audited, {len(internal['unprotected'])} unprotected"
    )
    for name, original in originals.items():
        setattr(snapshot_module, name, original)


def _time_publication(campaign, repeat: int, reference: float) -> None:
    from accounts.models import User
    from bulletins.services import bulletin_create, bulletin_publish

    staff = User.objects.create_superuser("bench@amrc.ma", None)
    bulletin = bulletin_create(campaign=campaign, user=staff, title=campaign.title)
    timings = []
    for run in range(repeat):
        started = time.perf_counter()
        bulletin_publish(bulletin=bulletin, user=staff, note="" if run == 0 else f"Correction {run}")
        timings.append(time.perf_counter() - started)
    print(
        f"bulletin_publish (snapshot, audit, freeze as a new revision): median {statistics.median(timings):.3f} s, "
        f"min {min(timings):.3f} s, max {max(timings):.3f} s over {repeat} runs (revision 1 {timings[0]:.3f} s, "
        f"then corrections audited with every earlier revision); {_ratio(statistics.median(timings), reference)}"
    )


if __name__ == "__main__":
    main()
