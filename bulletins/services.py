"""Writes on bulletins: creating a draft, previewing it, and publishing (freezing) its figures."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bulletins.aggregation import campaign_snapshot
from bulletins.models import Bulletin, BulletinRevision
from bulletins.selectors import previous_published_revision
from measures.models import Campaign


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


def bulletin_preview(*, bulletin: Bulletin) -> dict:
    """The public snapshot the bulletin would publish now, computed and not stored."""
    previous = previous_published_revision(campaign=bulletin.campaign)
    snapshot, _internal = _campaign_snapshot(bulletin=bulletin, previous=previous)
    next_number = (bulletin.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    return _with_identity(snapshot, bulletin=bulletin, number=next_number, published_at=None, previous=previous)


@transaction.atomic
def bulletin_publish(
    *, bulletin: Bulletin, user, note: str = "", published_at: datetime.datetime | None = None
) -> BulletinRevision:
    """Freeze the campaign's figures as the bulletin's next revision: revision 1 on first
    publication, then a correction (n + 1) that must say what changed. `published_at` is for
    back-filling a history (the demo); staff publish now."""
    # Lock the bulletin so that two staff clicking "publish" at once cannot both write revision n.
    bulletin = Bulletin.objects.select_for_update().select_related("campaign").get(pk=bulletin.pk)
    number = (bulletin.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    note = note.strip()
    if number > 1 and not note:
        raise ValidationError(
            {"note": _("Une correction doit expliquer ce qui a changé depuis la révision précédente.")}
        )

    previous = previous_published_revision(campaign=bulletin.campaign)
    snapshot, internal = _campaign_snapshot(bulletin=bulletin, previous=previous)
    published_at = published_at or timezone.now()
    revision = BulletinRevision(
        bulletin=bulletin,
        number=number,
        title=bulletin.title,
        editorial=bulletin.editorial,
        **{field: getattr(bulletin, field) for field in Bulletin.TRANSLATION_FIELDS},
        snapshot=_with_identity(
            snapshot, bulletin=bulletin, number=number, published_at=published_at, previous=previous
        ),
        internal=internal,
        correction_note=note,
        published_at=published_at,
        published_by=user,
    )
    revision.full_clean()
    revision.save()

    if not bulletin.is_published:
        bulletin.status = Bulletin.Status.PUBLISHED
        bulletin.full_clean()
        bulletin.save(update_fields=["status", "updated_at"])
    return revision


def _campaign_snapshot(*, bulletin: Bulletin, previous: BulletinRevision | None) -> tuple[dict, dict]:
    return campaign_snapshot(campaign=bulletin.campaign, previous_snapshot=previous.snapshot if previous else None)


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
