"""Reads on bulletins. Public pages read stored snapshots only, in a fixed number of queries;
the internal record (rules, declarations used) is never loaded for them."""

from django.db.models import F, OuterRef, QuerySet, Subquery

from bulletins.comparison import company_comparison
from bulletins.models import Bulletin, BulletinRevision
from bulletins.presentation import SeriesPoint
from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from members.models import Company, Region


def published_bulletins() -> QuerySet[Bulletin]:
    return Bulletin.objects.published().with_publication_dates().select_related("campaign").in_period_order()


def public_revisions() -> QuerySet[BulletinRevision]:
    return BulletinRevision.objects.defer("internal")


def current_revision(*, slug: str) -> BulletinRevision | None:
    """The latest revision of the published bulletin at this address, with its bulletin and
    campaign; None for a draft or an unknown address."""
    return (
        public_revisions()
        .published()
        .filter(bulletin__slug=slug)
        .select_related("bulletin__campaign")
        .order_by("-number")
        .first()
    )


def revision_by_number(*, bulletin: Bulletin, number: int) -> BulletinRevision | None:
    return public_revisions().filter(bulletin=bulletin, number=number).first()


def revision_history(*, bulletin: Bulletin) -> list[BulletinRevision]:
    """The revisions' dates and notes, without their (large) figures."""
    return list(
        BulletinRevision.objects.filter(bulletin=bulletin)
        .only("bulletin_id", "number", "published_at", "correction_note")
        .order_by("number")
    )


def latest_published_revision() -> BulletinRevision | None:
    """The current revision of the most recent published bulletin (by campaign period)."""
    return (
        public_revisions()
        .published()
        .latest_per_bulletin()
        .select_related("bulletin__campaign")
        .order_by("-bulletin__campaign__period_start", "-bulletin_id")
        .first()
    )


def previous_published_revision(*, campaign: Campaign) -> BulletinRevision | None:
    """The current revision of the published bulletin of the campaign just before this one: the
    base of the "change" figures."""
    return (
        BulletinRevision.objects.published()
        .latest_per_bulletin()
        .filter(bulletin__campaign__period_start__lt=campaign.period_start)
        .select_related("bulletin")
        .order_by("-bulletin__campaign__period_start")
        .defer("internal")
        .first()
    )


def published_series(*, until: Campaign | None = None) -> list[SeriesPoint]:
    """Key figures of every published bulletin (current revision), oldest first, in one query
    that reads only the key figures out of each snapshot."""
    revisions = BulletinRevision.objects.published().latest_per_bulletin()
    if until is not None:
        revisions = revisions.filter(bulletin__campaign__period_start__lte=until.period_start)
    rows = revisions.order_by("bulletin__campaign__period_start", "bulletin_id").values(
        "number",
        "published_at",
        "bulletin__slug",
        "bulletin__title",
        "bulletin__title_ar",
        "bulletin__title_en",
        "bulletin__campaign__period_start",
        "bulletin__campaign__period_end",
        "snapshot__key_figures",
    )
    return [
        SeriesPoint(
            slug=row["bulletin__slug"],
            title=row["bulletin__title"],
            revision=row["number"],
            period_start=row["bulletin__campaign__period_start"].isoformat(),
            period_end=row["bulletin__campaign__period_end"].isoformat(),
            published_at=row["published_at"].isoformat(),
            key_figures=row["snapshot__key_figures"] or {},
            title_translations={"ar": row["bulletin__title_ar"], "en": row["bulletin__title_en"]},
        )
        for row in rows
    ]


def feed_revisions(*, limit: int = 30) -> QuerySet[BulletinRevision]:
    """The current revision of each published bulletin, most recently published first, with its
    key figures read out of the snapshot by the database (the rest of each snapshot is not
    loaded)."""
    return (
        public_revisions()
        .defer("snapshot")
        .published()
        .latest_per_bulletin()
        .select_related("bulletin__campaign")
        .annotate(
            first_published_at=Subquery(
                BulletinRevision.objects.filter(bulletin=OuterRef("bulletin"), number=1).values("published_at")[:1]
            ),
            key_figures=F("snapshot__key_figures"),
            provisional_reasons=F("snapshot__provisional__reasons"),
        )
        .order_by("-published_at")[:limit]
    )


def dimension_names() -> dict[str, dict[str, str]]:
    """Names of the regions and measures a snapshot refers to by code, in the current language."""
    return {
        "region": {region.code: region.name for region in Region.objects.only("code", "name_fr", "name_ar")},
        "measure": measure_names(),
    }


def measure_names() -> dict[str, str]:
    return {
        measure.code: measure.name
        for measure in Measure.objects.only("code", "name_fr", "name_ar", "name_en", "category")
    }


def member_sector_comparison(*, companies: list[Company]) -> dict | None:
    """Each of the member's own companies against the sector and its segment, in the latest
    published bulletin: its telework and on-site shares and its measures in place, from its
    approved declaration for that bulletin's campaign. Published figures come from the stored
    snapshot only, so disclosure control holds; the company's own figures are its own."""
    if not companies:
        return None
    revision = latest_published_revision()
    if revision is None:
        return None
    campaign = revision.bulletin.campaign
    declarations = {
        row["company_id"]: row
        for row in Declaration.objects.approved()
        .filter(campaign=campaign, company__in=companies)
        .values("pk", "company_id", "headcount", "on_site", "telework")
    }
    answers: dict[int, dict[str, str]] = {}
    for row in DeclarationMeasure.objects.filter(declaration_id__in=[d["pk"] for d in declarations.values()]).values(
        "declaration__company_id", "measure__code", "status"
    ):
        answers.setdefault(row["declaration__company_id"], {})[row["measure__code"]] = row["status"]
    names = measure_names()
    return {
        "revision": revision,
        "companies": [
            company_comparison(
                snapshot=revision.snapshot,
                company=company,
                declaration=declarations.get(company.pk),
                answers=answers.get(company.pk, {}),
                names=names,
            )
            for company in companies
        ],
    }
