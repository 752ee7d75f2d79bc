"""Writes on bulletins: creating a draft, previewing it, and publishing (freezing) its figures."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bulletins.aggregation import campaign_snapshot, differing_declarations, disclosure_rules_from_settings
from bulletins.guard import public_reasons, publication_guard
from bulletins.models import Bulletin, BulletinRevision
from bulletins.presentation import provisional_confirmation_message
from bulletins.selectors import previous_published_revision
from measures.models import Campaign
from public.page_cache import public_pages_changed


def bulletin_create(
    *,
    campaign: Campaign,
    user,
    title: str,
    editorial: str = "",
    title_ar: str = "",
    title_en: str = "",
    editorial_ar: str = "",
    editorial_en: str = "",
) -> Bulletin:
    """Start a draft bulletin for a campaign; its address is derived from the (French) title once
    and for all. The Arabic and English texts are optional: their readers get French meanwhile."""
    bulletin = Bulletin(
        campaign=campaign,
        slug=_unique_slug(title or campaign.title),
        title=title,
        editorial=editorial,
        title_ar=title_ar,
        title_en=title_en,
        editorial_ar=editorial_ar,
        editorial_en=editorial_en,
        created_by=user,
    )
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@dataclass(frozen=True)
class PreparedRevision:
    """What publishing now would freeze: the public snapshot, the internal record behind it, and,
    for a correction, the declarations that differ from the latest revision."""

    number: int
    snapshot: dict
    internal: dict
    previous: BulletinRevision | None
    differing: list[int]
    held: bool

    @property
    def suppressions(self) -> list[dict]:
        return suppression_rows(self.internal)

    @property
    def corrected_differences(self) -> list[dict]:
        """What a reader differencing this revision with an earlier one would reach, audited."""
        return [
            {"cell": name, **interval}
            for name, interval in (self.internal.get("protection") or {}).items()
            if ": " in name
        ]


def suppression_rows(internal: dict) -> list[dict]:
    """Each suppressed cell of an internal record with its reason and audited interval, for
    staff (a share suppressed with its figure is left out: its figure's row says why)."""
    protection = internal.get("protection") or {}
    return [
        {"cell": name, "reason": reason, **(protection.get(name) or {})}
        for name, reason in (internal.get("suppressions") or {}).items()
        if reason != "derived"
    ]


def bulletin_prepare(*, bulletin: Bulletin) -> PreparedRevision:
    """The revision the bulletin would publish now, computed and not stored.

    A correction whose declarations differ from the latest revision's by fewer companies than
    the threshold rule asks would give those companies' figures away to anyone subtracting the
    two revisions: it keeps the latest revision's figures, and the declarations wait until more
    differences join them (docs/disclosure.md). Otherwise the figures are computed afresh and
    audited together with every earlier revision; when no suppression in the new revision can
    protect what the earlier ones already published (a total they printed bounds a figure that
    changed), the correction keeps the latest figures too, so that publishing is never refused."""
    previous = previous_published_revision(campaign=bulletin.campaign)
    latest = bulletin.revisions.order_by("-number").first()
    number = latest.number + 1 if latest else 1
    differing = differing_declarations(campaign=bulletin.campaign, record=latest.internal) if latest else []
    if latest is not None and 0 < len(differing) < disclosure_rules_from_settings().min_contributors:
        return _held(latest, number, previous, differing, reason=HELD_TOO_FEW)
    earlier = bulletin.revisions.order_by("number").values_list("number", "internal")
    snapshot, internal = campaign_snapshot(
        campaign=bulletin.campaign,
        previous_snapshot=previous.snapshot if previous else None,
        previous_declarations=counted_declarations(previous),
        # A revision that kept its predecessor's figures adds nothing a reader did not hold.
        earlier_revisions=[{**record, "revision": n} for n, record in earlier if "held" not in record],
    )
    if latest is not None and internal.get("unprotected"):
        return _held(latest, number, previous, differing, reason=HELD_UNPROTECTED, cells=internal["unprotected"])
    return PreparedRevision(number, snapshot, internal, previous, differing, held=False)


# Why a correction kept the latest revision's figures (the internal record says which).
HELD_TOO_FEW = "too_few"
HELD_UNPROTECTED = "unprotected"


def _held(
    latest: BulletinRevision,
    number: int,
    previous: BulletinRevision | None,
    differing: list[int],
    *,
    reason: str,
    cells: list[str] = (),
) -> PreparedRevision:
    snapshot = {key: value for key, value in latest.snapshot.items() if key != "bulletin"}
    internal = {
        **latest.internal,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "held": {
            "revision": latest.number,
            "declarations": differing,
            "reason": reason,
            **({"cells": list(cells)} if cells else {}),
        },
    }
    return PreparedRevision(number, snapshot, internal, previous, differing, held=True)


def counted_declarations(revision: BulletinRevision | None) -> list[int] | None:
    """The declarations a published revision counted, from its internal record."""
    if revision is None:
        return None
    return [entry["id"] for entry in revision.internal.get("declarations") or []]


def bulletin_preview(*, bulletin: Bulletin) -> dict:
    """The public snapshot the bulletin would publish now, computed and not stored."""
    prepared = bulletin_prepare(bulletin=bulletin)
    return _with_identity(
        prepared.snapshot, bulletin=bulletin, number=prepared.number, published_at=None, previous=prepared.previous
    )


@transaction.atomic
def bulletin_publish(
    *,
    bulletin: Bulletin,
    user,
    note: str = "",
    published_at: datetime.datetime | None = None,
    confirm_provisional: bool = False,
) -> BulletinRevision:
    """Freeze the campaign's figures as the bulletin's next revision: revision 1 on first
    publication, then a correction (n + 1) that must say what changed. `published_at` is for
    back-filling a history (the demo); staff publish now.

    While the campaign is open or its response below the floors (bulletins.guard), the revision
    is provisional: published only with `confirm_provisional`, and marked so, with its reasons."""
    # Lock the bulletin so that two staff clicking "publish" at once cannot both write revision n.
    bulletin = Bulletin.objects.select_for_update().select_related("campaign").get(pk=bulletin.pk)
    number = (bulletin.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    note = note.strip()
    if number > 1 and not note:
        raise ValidationError(
            {"note": _("Une correction doit expliquer ce qui a changé depuis la révision précédente.")}
        )

    guard = publication_guard(campaign=bulletin.campaign)
    if guard.provisional and not confirm_provisional:
        raise ValidationError({"confirm_provisional": provisional_confirmation_message(guard)})

    prepared = bulletin_prepare(bulletin=bulletin)
    snapshot, internal, previous = prepared.snapshot, prepared.internal, prepared.previous
    if internal.get("unprotected"):
        # The gate: the audit found a sensitive figure a reader could narrow down, and no
        # complementary suppression could widen it. Nothing is stored.
        raise ValidationError(
            _(
                "La publication est refusée : le contrôle du secret statistique n'a pas pu protéger "
                "%(cells)s. Signalez-le à l'équipe technique."
            )
            % {"cells": ", ".join(internal["unprotected"])}
        )
    published_at = published_at or timezone.now()
    revision = BulletinRevision(
        bulletin=bulletin,
        number=number,
        title=bulletin.title,
        editorial=bulletin.editorial,
        **{field: getattr(bulletin, field) for field in Bulletin.TRANSLATION_FIELDS},
        snapshot={
            **_with_identity(snapshot, bulletin=bulletin, number=number, published_at=published_at, previous=previous),
            "provisional": {"reasons": public_reasons(guard, snapshot)} if guard.provisional else None,
        },
        internal={**internal, "provisional": guard.record()},
        provisional=guard.provisional,
        correction_note=note,
        published_at=published_at,
        published_by=user,
    )
    revision.full_clean()
    revision.save()
    transaction.on_commit(public_pages_changed)

    if not bulletin.is_published:
        bulletin.status = Bulletin.Status.PUBLISHED
        bulletin.full_clean()
        bulletin.save(update_fields=["status", "updated_at"])
    return revision


def _with_identity(
    snapshot: dict,
    *,
    bulletin: Bulletin,
    number: int,
    published_at: datetime.datetime | None,
    previous: BulletinRevision | None,
) -> dict:
    """Name the document after its bulletin and revision, so that a downloaded JSON file says what
    it is, and point the changes at the revision they were computed against."""
    snapshot = {
        **snapshot,
        "bulletin": {
            "slug": bulletin.slug,
            "title": bulletin.title,
            "revision": number,
            "published_at": published_at.isoformat() if published_at else None,
        },
        "texts": bulletin.texts(),
    }
    changes = snapshot.get("changes")
    if previous is not None and isinstance(changes, dict) and isinstance(changes.get("previous"), dict):
        snapshot["changes"] = {
            **changes,
            "previous": {**changes["previous"], "bulletin": previous.bulletin.slug, "revision": previous.number},
        }
    return snapshot


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "bulletin"
    taken = set(Bulletin.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
