"""The demo's last step: a published bulletin for each closed demo week, one of them corrected.

Publication goes through bulletins.services like staff's, so the demo shows exactly what the
product does; only the publication dates are set to when the association would have published
(the day after each week locks), so that the bulletins read as the history of spring 2020.
"""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bulletins.models import Bulletin
from bulletins.services import bulletin_create, bulletin_prepare, bulletin_preview, bulletin_publish
from demo.builder import FRENCH_MONTHS, DemoContext
from measures.models import Campaign, Declaration

# The week whose bulletin gets a correction: a declaration approved after the first publication.
CORRECTED_WEEK = 2
CORRECTION_DELAY_DAYS = 3


def _percent(value: float | None) -> str:
    return "c" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _points(delta: float) -> str:
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta) * 100:.1f}".replace(".", ",")


def _day(date: datetime.date) -> str:
    return f"{date.day} {FRENCH_MONTHS[date.month - 1]} {date.year}"


def _value(snapshot: dict, name: str) -> float | None:
    cell = (snapshot.get("key_figures") or {}).get(name) or {}
    return None if cell.get("flag") else cell.get("value")


def _day_in(language: str, date: datetime.date) -> str:
    """A date as the pages of that language write it (its month names, amrc/formats)."""
    with translation.override(language):
        return date_format(date, "DATE_FORMAT")


def translated_titles(campaign: Campaign) -> dict[str, str]:
    """The bulletin's title in Arabic and English; the French one is the campaign's."""
    monday = campaign.period_start
    return {"title_ar": f"أسبوع {_day_in('ar', monday)}", "title_en": f"Week of {_day_in('en', monday)}"}


def _english_percent(value: float | None) -> str:
    return "c" if value is None else f"{value * 100:.1f}%"


def translated_editorials(snapshot: dict, campaign: Campaign) -> dict[str, str]:
    """Short Arabic and English editorials from the week's published figures: the respondents,
    the split of their staff and the week's change in telework."""
    telework, on_site = _value(snapshot, "telework_share"), _value(snapshot, "on_site_share")
    unemployment = _value(snapshot, "technical_unemployment_share")
    respondents = int(_value(snapshot, "respondents") or 0)
    delta = (((snapshot.get("changes") or {}).get("key_figures") or {}).get("telework_share") or {}).get("delta")
    start, end = campaign.period_start, campaign.period_end
    english = [
        f"From {_day_in('en', start)} to {_day_in('en', end)}, {respondents} companies of the sector sent "
        "declarations approved by the association.",
        "",
        f"**{_english_percent(telework)} of the respondents' staff work remotely**"
        + (f" ({_points(delta).replace(',', '.')} points in a week)" if delta is not None else "")
        + f", {_english_percent(on_site)} remain on site and {_english_percent(unemployment)} are on technical "
        "unemployment, declared to the CNSS for the flat-rate allowance.",
        "",
        "Detailed figures by segment, formality and region follow; cells marked “c” are withheld under "
        "statistical confidentiality.",
    ]
    arabic = [
        f"من {_day_in('ar', start)} إلى {_day_in('ar', end)}، قدمت {respondents} شركة من القطاع تصريحات صادقت "
        "عليها الجمعية.",
        "",
        f"**{_percent(telework)} من أجراء الشركات المجيبة يعملون عن بعد**"
        + (f" ({_points(delta)} نقطة في أسبوع واحد)" if delta is not None else "")
        + f"، و{_percent(on_site)} ما زالوا في الموقع، و{_percent(unemployment)} في التوقف التقني عن العمل، "
        "مصرح بهم لدى الصندوق الوطني للضمان الاجتماعي من أجل التعويض الجزافي.",
        "",
        "ترد الأرقام المفصلة حسب الشريحة والطابع المهيكل والجهة أدناه؛ الخلايا المعلَّمة بـ «c» محجوبة بموجب "
        "السر الإحصائي.",
    ]
    return {"editorial_en": "\n".join(english), "editorial_ar": "\n".join(arabic)}


def editorial(snapshot: dict, campaign: Campaign, *, first: bool) -> str:
    """A French editorial written from the week's own published figures."""
    telework, on_site = _value(snapshot, "telework_share"), _value(snapshot, "on_site_share")
    unemployment = _value(snapshot, "technical_unemployment_share")
    respondents = _value(snapshot, "respondents")
    total = next((row for row in (snapshot.get("response") or {}).get("rows", []) if row.get("key") == "total"), {})
    change = ((snapshot.get("changes") or {}).get("key_figures") or {}).get("telework_share") or {}
    delta = change.get("delta")

    lines = [
        f"Du {_day(campaign.period_start)} au {_day(campaign.period_end)}, {int(respondents or 0)} entreprises "
        "du secteur ont transmis des déclarations validées par l'association"
        + (
            f", soit {_percent(total['sector_reference_coverage'])} des emplois du secteur."
            if total.get("sector_reference_coverage") is not None
            else "."
        ),
        "",
        f"**{_percent(telework)} des salariés des répondants travaillent à distance**"
        + (f" ({_points(delta)} points en une semaine)" if delta is not None else "")
        + f", {_percent(on_site)} restent sur site et {_percent(unemployment)} sont en arrêt technique, "
        "déclarés à la CNSS pour l'indemnité forfaitaire.",
        "",
    ]
    if first:
        lines.append(
            "Premier bulletin de la série : dès l'état d'urgence sanitaire, les centres de relation client "
            "organisent le basculement de leurs plateaux vers le télétravail, avec l'accord de leurs clients "
            "donneurs d'ordre."
        )
    elif delta is not None and delta > 0.05:
        lines.append(
            "Le basculement vers le télétravail se poursuit à un rythme soutenu : postes, casques et accès "
            "sécurisés sont livrés aux salariés, et les plateaux se vident."
        )
    elif delta is not None and delta > 0:
        lines.append(
            "La progression du télétravail ralentit : la plupart des activités qui pouvaient être exercées "
            "à distance le sont désormais, et les équipes restées sur site travaillent en rotation."
        )
    else:
        lines.append("La part du télétravail se stabilise ; les mesures sanitaires restent appliquées sur site.")
    lines += [
        "",
        "Les chiffres détaillés par segment, par formalité et par région figurent ci-dessous ; les cellules "
        "marquées « c » sont masquées au titre du secret statistique.",
    ]
    return "\n".join(lines)


def _published_on(campaign: Campaign, *, days_after: int = 0) -> datetime.datetime:
    day = campaign.locks_on + datetime.timedelta(days=1 + days_after)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _late_approved_declaration(campaign: Campaign) -> Declaration | None:
    """The declaration the correction will add: the last one approved that week."""
    return (
        Declaration.objects.approved()
        .for_campaign(campaign)
        .exclude(approved_at=None)
        .order_by("-approved_at", "-pk")
        .first()
    )


def _write_editorial(bulletin: Bulletin, *, first: bool) -> dict:
    """Compute the figures the bulletin would publish now and write its editorial from them."""
    snapshot = bulletin_preview(bulletin=bulletin)
    bulletin.editorial = editorial(snapshot, bulletin.campaign, first=first)
    translations = translated_editorials(snapshot, bulletin.campaign)
    for field, text in translations.items():
        setattr(bulletin, field, text)
    bulletin.full_clean()
    bulletin.save(update_fields=["editorial", *translations, "updated_at"])
    return snapshot


def _correction_note(corrected_on: datetime.date, *, held: bool) -> str:
    """What changed, in words: figures before and after would give the added company's away."""
    note = f"Correction du {_day(corrected_on)} : une déclaration validée après la première publication"
    if held:
        return (
            note + " a été reçue. Elle n'est pas encore intégrée aux chiffres, qui restent ceux de la révision "
            "précédente : publiée seule, la différence entre les deux révisions ferait connaître les chiffres "
            "de cette entreprise. Elle le sera avec les prochaines déclarations validées pour cette semaine."
        )
    return note + " a été intégrée aux chiffres ; les cellules qu'elle aurait permis de deviner sont masquées."


def _publish_with_correction(demo: DemoContext, bulletin: Bulletin, *, first: bool) -> None:
    """Revision 1 without the week's last approved declaration, as if it had been approved after
    publication; then revision 2, with a dated note saying what became of it. The declaration ends
    as seeded."""
    late = _late_approved_declaration(bulletin.campaign)
    if late is not None:
        Declaration.objects.filter(pk=late.pk).update(status=Declaration.Status.SUBMITTED)
    _write_editorial(bulletin, first=first)
    bulletin_publish(bulletin=bulletin, user=demo.staff, published_at=_published_on(bulletin.campaign))
    if late is None:
        return
    Declaration.objects.filter(pk=late.pk).update(status=Declaration.Status.APPROVED)
    prepared = bulletin_prepare(bulletin=bulletin)
    corrected_on = _published_on(bulletin.campaign, days_after=CORRECTION_DELAY_DAYS)
    bulletin_publish(
        bulletin=bulletin,
        user=demo.staff,
        note=_correction_note(corrected_on.date(), held=prepared.held),
        published_at=corrected_on,
    )


def build_bulletins(demo: DemoContext) -> str:
    """A bulletin for each closed demo week, oldest first (each one's changes are measured against
    the previous), with editorials in French, Arabic and English; the third week carries a correction. A week that
    already has a published bulletin is left as it is, so a second run changes nothing."""
    existing = {
        bulletin.campaign_id: bulletin
        for bulletin in Bulletin.objects.filter(campaign__in=demo.closed_campaigns).select_related("campaign")
    }
    published = 0
    for index, campaign in enumerate(demo.closed_campaigns):
        bulletin = existing.get(campaign.pk)
        if bulletin is not None and bulletin.is_published:
            continue
        if bulletin is None:
            bulletin = bulletin_create(
                campaign=campaign, user=demo.staff, title=campaign.title, **translated_titles(campaign)
            )
        if index == CORRECTED_WEEK:
            _publish_with_correction(demo, bulletin, first=index == 0)
        else:
            _write_editorial(bulletin, first=index == 0)
            bulletin_publish(bulletin=bulletin, user=demo.staff, published_at=_published_on(campaign))
        published += 1
    weeks = Bulletin.objects.published().filter(campaign__in=demo.closed_campaigns)
    return _("Bulletins : %(total)s publiés dont %(corrected)s corrigé (révision 2) ; %(new)s nouveaux") % {
        "total": weeks.count(),
        "corrected": weeks.filter(revisions__number__gt=1).distinct().count(),
        "new": published,
    }
