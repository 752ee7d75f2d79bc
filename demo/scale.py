"""The demo's world at any size, for benchmarks: `manage.py seed_scale --companies N --campaigns M`.

The same registry, declarations and bulletins as the demo (demo.builder, demo.simulation,
demo.publication), scaled: the demo's twenty members and first small operators, then as many more
small operators as asked, drawn like the others; M - 1 closed weekly campaigns from 16 March 2020
(the weeks after the demo's ten keep the sector's last figures) and the open demo campaign; each
company's declarations, answers and review steps as the demo draws them; a published bulletin for
every closed week. At 520 companies and 11 campaigns it is the demo itself.

The declarations are written company batch by company batch, each batch in a transaction of its
own, and only those missing are inserted: a second run adds nothing, and a run that was
interrupted goes on where it stopped. The demo's logins work on the result.
"""

import csv
import io
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from demo import builder, publication
from demo.builder import DemoContext
from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationMeasure, DeclarationRegion
from members.models import Company

# The extra small operators take ICEs from this index on, clear of the demo's companies, so that
# the demo and a larger registry can share a database.
EXTRA_FIRST_INDEX = 100_000
# Companies planned and written together (about fifty declarations each at M = 50).
BATCH_COMPANIES = 100
# The demo's members and its logins' small operator.
MINIMUM_COMPANIES = len(builder.sector.MEMBERS) + 1
MINIMUM_CAMPAIGNS = 2
# How COPY tells a missing value from an empty text.
NULL = r"\N"


@dataclass
class Written:
    declarations: int = 0
    lines: int = 0
    answers: int = 0
    events: int = 0

    def add(self, other: "Written") -> None:
        self.declarations += other.declarations
        self.lines += other.lines
        self.answers += other.answers
        self.events += other.events


def company_plans(rng: random.Random, companies: int) -> list[builder._CompanyPlan]:
    """The demo's companies (members first), then more small operators, up to `companies`."""
    plans = builder.demo_company_plans(rng)[:companies]
    names = builder.small_operator_names()
    for extra in range(companies - len(plans)):
        trade_name = f"{names[extra % len(names)]} {extra // len(names) + 2}"
        plans.append(builder.small_operator_plan(rng, index=EXTRA_FIRST_INDEX + extra, trade_name=trade_name))
    return plans


def seed_scale(*, demo: DemoContext, companies: int, campaigns: int, report: Callable[[str], None]) -> None:
    with transaction.atomic():
        builder.build_staff(demo)
        rng = demo.random("registry")
        report(builder.write_registry(demo, company_plans(rng, companies), rng))
        report(builder.build_accounts(demo))
        report(builder.write_campaigns(demo, weeks=campaigns - 1))
    report(write_declarations(demo))
    with transaction.atomic():
        report(builder.build_messages(demo))
    report(publication.build_bulletins(demo))
    _gather_statistics()


def write_declarations(demo: DemoContext) -> str:
    campaigns = [*demo.closed_campaigns, demo.demo_campaign]
    written = Written()
    for batch in _batches(builder.plan_declarations(demo, builder.declaration_measures()), BATCH_COMPANIES):
        with transaction.atomic():
            written.add(_insert_missing([plan for plans in batch for plan in plans], campaigns))
    return _(
        "Déclarations ajoutées : %(declarations)s, %(lines)s lignes régionales, %(answers)s mesures, "
        "%(events)s étapes ; en tout %(total)s déclarations"
    ) % {
        "declarations": written.declarations,
        "lines": written.lines,
        "answers": written.answers,
        "events": written.events,
        "total": Declaration.objects.filter(campaign__in=campaigns).count(),
    }


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_missing(plans: list[builder._DeclarationPlan], campaigns: list[Campaign]) -> Written:
    company_ids = {plan.declaration.company_id for plan in plans}
    existing = set(
        Declaration.objects.filter(campaign__in=campaigns, company_id__in=company_ids).values_list(
            "campaign_id", "company_id"
        )
    )
    new = [plan for plan in plans if (plan.declaration.campaign_id, plan.declaration.company_id) not in existing]
    if not new:
        return Written()
    Declaration.objects.bulk_create([plan.declaration for plan in new], batch_size=1000)
    lines, answers, events = builder.declaration_child_rows([plan.declaration.pk for plan in new], new)
    _insert_rows(DeclarationRegion, builder.LINE_COLUMNS, lines)
    _insert_rows(DeclarationMeasure, builder.ANSWER_COLUMNS, answers)
    _insert_rows(DeclarationEvent, builder.EVENT_COLUMNS, events)
    return Written(declarations=len(new), lines=len(lines), answers=len(answers), events=len(events))


def _insert_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows: PostgreSQL's COPY when available (the measure answers run into the
    millions, and building a model instance for each costs more than writing it), bulk_create
    otherwise."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=5000)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(tuple(NULL if value is None else value for value in row) for row in rows)
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(column).column) for column in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')", buffer)


def _gather_statistics() -> None:
    """What autovacuum does on a live PostgreSQL database: without statistics the planner guesses
    a handful of rows per table, and without the visibility map no index-only scan pays off."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Company, Declaration, DeclarationRegion, DeclarationMeasure)]
    tables.append(DeclarationEvent._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            # VACUUM cannot run inside a transaction (a test's): statistics alone then.
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {table}")
