"""Writes to declarations: start (or start again blank), save a draft, submit, return, approve.

Every function takes keyword-only arguments, runs in one transaction and records who changed
what: simple_history for the declaration, its regional lines and its measure answers, a
DeclarationEvent for each state change. A draft keeps whatever the member typed as long as each
value can be stored; submission applies every rule of measures.validation (the one place where
figure rules live) and reports every broken one at once.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.emails import email_send, localized_url, recipients_by_language
from accounts.models import User
from followup import notifications
from measures.models import (
    COMMENT_MAX_LENGTH,
    HEADCOUNT_PARTS,
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationMeasure,
    DeclarationRegion,
    Measure,
)
from measures.selectors import declaration_previous
from measures.validation import (
    MEASURE_ANSWERS,
    REGIONAL_LINES,
    errors_merge,
    measure_answer_key,
    submission_errors,
    submission_warnings,
)
from members.models import Company, CompanyMembership, Region

# The fields a member fills in; everything else (status, audit fields) belongs to the workflow.
MEMBER_FIELDS = (
    "headcount",
    *HEADCOUNT_PARTS,
    "hires",
    "separations",
    "dismissals",
    "keeps_technical_on_site",
    "keeps_hr_on_site",
    "keeps_support_on_site",
    "keeps_production_on_site",
    "export_revenue",
    "activity_maintained_pct",
    "difficulties",
)
# What a new declaration copies from the previous one: the state of the company. Movements and
# export revenue belong to one period, so copying last period's would invite a false answer.
PREFILLED_FIELDS = (
    "headcount",
    *HEADCOUNT_PARTS,
    "keeps_technical_on_site",
    "keeps_hr_on_site",
    "keeps_support_on_site",
    "keeps_production_on_site",
    "activity_maintained_pct",
)
LINE_FIELDS = ("headcount", "on_site", "telework")
ANSWER_FIELDS = ("status", "employees_concerned")
# Foreign keys are set by the services themselves; validating them would cost a query each.
_TRUSTED_RELATIONS = ("campaign", "company", "submitted_by", "returned_by", "approved_by", "prefilled_from")


class DeclarationError(ValidationError):
    """A declaration write refused, with French messages keyed as in measures.validation (form
    fields, the two lists, one line or one answer; NON_FIELD_ERRORS for the rest). `warnings`
    holds what the declarant would also have to confirm, so that one answer says everything."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None, *, warnings: Sequence[str] = ()):
        super().__init__(message, code, params)
        self.warnings = list(warnings)


class DeclarationConflict(DeclarationError):
    """The declaration changed under the user's feet (stale form, double submit, closed
    campaign): their input cannot apply and the page must be reloaded."""


class DeclarationNeedsConfirmation(DeclarationError):
    """Figures that look unusual: nothing is saved until the declarant confirms them."""

    def __init__(self, warnings: list[str]):
        super().__init__(warnings, code="unconfirmed_warnings", warnings=warnings)


@dataclass(frozen=True)
class RegionalLineInput:
    region_id: int
    headcount: int
    on_site: int = 0
    telework: int = 0


@dataclass(frozen=True)
class MeasureAnswerInput:
    measure_id: int
    status: str
    employees_concerned: int | None = None


def declaration_edit_refusal(declaration: Declaration, today: datetime.date | None = None) -> str | None:
    """Why a member may not change this declaration now, or None when they may."""
    campaign = declaration.campaign
    if declaration.status == Declaration.Status.SUBMITTED:
        return _("Cette déclaration a déjà été soumise : elle attend la vérification de l'association.")
    if declaration.status == Declaration.Status.APPROVED:
        return _("Cette déclaration a été validée : elle ne peut plus être modifiée.")
    return campaign_edit_refusal(campaign, today)


def campaign_edit_refusal(campaign: Campaign, today: datetime.date | None = None) -> str | None:
    today = today or timezone.localdate()
    if campaign.accepts_edits(today):
        return None
    if campaign.status == Campaign.Status.OPEN and today < campaign.opens_on:
        return _("La collecte de cette campagne n'est pas encore ouverte.")
    return _("La campagne « %(campaign)s » est clôturée : les déclarations ne peuvent plus être modifiées.") % {
        "campaign": campaign.title
    }


@transaction.atomic
def declaration_start(*, campaign: Campaign, company: Company, user: User) -> Declaration:
    """The company's declaration for the campaign, created on first call and prefilled from the
    company's previous declaration."""
    refusal = campaign_edit_refusal(campaign)
    if refusal:
        raise DeclarationError(refusal, code="campaign_closed")
    declaration, created = Declaration.objects.get_or_create(campaign=campaign, company=company)
    if not created:
        return declaration
    previous = declaration_previous(declaration)
    if previous is None:
        return declaration

    for name in PREFILLED_FIELDS:
        setattr(declaration, name, getattr(previous, name))
    declaration.prefilled_from = previous
    try:
        declaration.full_clean(exclude=_TRUSTED_RELATIONS)
    except ValidationError:
        # Figures stored then but beyond a field's limits today: start blank rather than fail.
        return Declaration.objects.get(pk=declaration.pk)
    declaration._history_user = user
    declaration.save()
    now = timezone.now()
    lines = [
        DeclarationRegion(
            declaration=declaration,
            region_id=line.region_id,
            **{name: getattr(line, name) for name in LINE_FIELDS},
        )
        for line in previous.regional_lines.all()
    ]
    answers = [
        DeclarationMeasure(declaration=declaration, measure_id=answer.measure_id, status=answer.status)
        for answer in previous.measure_answers.all()
    ]
    if lines:
        bulk_create_with_history(lines, DeclarationRegion, default_user=user, default_date=now)
    if answers:
        bulk_create_with_history(answers, DeclarationMeasure, default_user=user, default_date=now)
    return declaration


def declaration_save_draft(
    *,
    declaration: Declaration,
    data: Mapping[str, Any],
    lines: Sequence[RegionalLineInput],
    answers: Sequence[MeasureAnswerInput],
    user: User,
    expected_version: int,
) -> Declaration:
    """Keep the member's work as typed, complete or not, consistent or not: only what cannot be
    stored (a negative number, a region twice, a measure outside the catalogue) is refused.
    The page shows the rest as points to check before submitting."""
    with transaction.atomic():
        locked = _lock_for_member_edit(declaration, expected_version)
        new_lines, new_answers, errors = _apply_member_input(locked, data, lines, answers)
        if errors:
            raise DeclarationError(errors)
        locked.version += 1
        locked._history_user = user
        locked.save()
        _store_lines_and_answers(locked, new_lines, new_answers, user)
    return locked


def declaration_submit(
    *,
    declaration: Declaration,
    data: Mapping[str, Any],
    lines: Sequence[RegionalLineInput],
    answers: Sequence[MeasureAnswerInput],
    user: User,
    expected_version: int,
    confirm_warnings: bool = False,
) -> Declaration:
    """Check everything and hand the declaration to the association; it is locked from then on.

    Submitting after the due date is allowed and recorded as late; after the lock date it is not.
    """
    with transaction.atomic():
        locked = _lock_for_member_edit(declaration, expected_version)
        new_lines, new_answers, errors = _apply_member_input(locked, data, lines, answers)
        errors_merge(errors, submission_errors(locked, new_lines, new_answers))
        warnings = submission_warnings(locked, declaration_previous(locked))
        unconfirmed = [] if confirm_warnings else warnings
        if errors:
            raise DeclarationError(errors, warnings=unconfirmed)
        if unconfirmed:
            raise DeclarationNeedsConfirmation(unconfirmed)

        now = timezone.now()
        locked.headcount_change_confirmed = bool(warnings)
        locked.status = Declaration.Status.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = user
        locked.is_late = locked.campaign.is_late(now)
        locked.version += 1
        locked._history_user = user
        locked.save()
        _store_lines_and_answers(locked, new_lines, new_answers, user)
        DeclarationEvent.objects.create(
            declaration=locked,
            action=DeclarationEvent.Action.SUBMITTED,
            actor=user,
            at=now,
            late=locked.is_late,
        )
        # The declarant's acknowledgement and staff's notices leave once the submission is committed.
        notifications.declaration_submitted(declaration_id=locked.pk, submitted_by_id=user.pk)
    return locked


def declaration_start_blank(*, declaration: Declaration, user: User, expected_version: int) -> Declaration:
    """Empty a declaration the member may still edit: every figure, line and answer, and the
    mark of the declaration it was prefilled from. The history keeps what was there."""
    with transaction.atomic():
        locked = _lock_for_member_edit(declaration, expected_version)
        for name in MEMBER_FIELDS:
            setattr(locked, name, Declaration._meta.get_field(name).get_default())
        locked.prefilled_from = None
        locked.version += 1
        locked.full_clean(exclude=_TRUSTED_RELATIONS)
        locked._history_user = user
        locked.save()
        _store_lines_and_answers(locked, [], [], user)
    return locked


def declaration_return(*, declaration: Declaration, user: User, comment: str) -> Declaration:
    """Staff send a submitted declaration back to the company with what to correct."""
    comment = (comment or "").strip()
    if not comment:
        raise DeclarationError({"comment": [_("Indiquez à l'entreprise ce qu'elle doit corriger.")]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DeclarationError(
            {"comment": [_("Ce commentaire dépasse %(limit)s caractères.") % {"limit": COMMENT_MAX_LENGTH}]}
        )
    with transaction.atomic():
        locked = _lock_submitted(declaration)
        now = timezone.now()
        locked.status = Declaration.Status.RETURNED
        locked.returned_at = now
        locked.returned_by = user
        locked.return_comment = comment
        locked.version += 1
        locked._history_user = user
        locked.save()
        DeclarationEvent.objects.create(
            declaration=locked, action=DeclarationEvent.Action.RETURNED, actor=user, at=now, comment=comment
        )
        _notify_company_on_commit([locked], "declaration_returned")
    return locked


def declaration_approve(*, declaration: Declaration, user: User) -> Declaration:
    """Staff accept a submitted declaration: from now on it counts in the bulletins."""
    with transaction.atomic():
        locked = _lock_submitted(declaration)
        now = timezone.now()
        locked.status = Declaration.Status.APPROVED
        locked.approved_at = now
        locked.approved_by = user
        locked.version += 1
        locked._history_user = user
        locked.save()
        DeclarationEvent.objects.create(declaration=locked, action=DeclarationEvent.Action.APPROVED, actor=user, at=now)
        _notify_company_on_commit([locked], "declaration_approved")
    return locked


def declarations_approve(*, queryset: QuerySet[Declaration], user: User) -> int:
    """Approve every submitted declaration of the queryset at once; others are left alone.
    Returns how many were approved."""
    with transaction.atomic():
        # Re-select by id: the admin's queryset may carry joins or DISTINCT that a row lock refuses.
        declarations = list(
            Declaration.objects.filter(pk__in=queryset.values("pk"), status=Declaration.Status.SUBMITTED)
            .select_for_update(of=("self",))
            .select_related("campaign", "company")
            .order_by("pk")
        )
        if not declarations:
            return 0
        now = timezone.now()
        for declaration in declarations:
            declaration.status = Declaration.Status.APPROVED
            declaration.approved_at = now
            declaration.approved_by = user
            declaration.version += 1
            declaration.updated_at = now
        bulk_update_with_history(
            declarations,
            Declaration,
            ["status", "approved_at", "approved_by", "version", "updated_at"],
            default_user=user,
            default_date=now,
        )
        DeclarationEvent.objects.bulk_create(
            DeclarationEvent(declaration=declaration, action=DeclarationEvent.Action.APPROVED, actor=user, at=now)
            for declaration in declarations
        )
        _notify_company_on_commit(declarations, "declaration_approved")
    return len(declarations)


def _lock_for_member_edit(declaration: Declaration, expected_version: int) -> Declaration:
    # Re-read under a row lock: the caller's copy may be as stale as the form it came with.
    locked = (
        Declaration.objects.select_for_update(of=("self",)).select_related("campaign", "company").get(pk=declaration.pk)
    )
    refusal = declaration_edit_refusal(locked)
    if refusal:
        raise DeclarationConflict(refusal, code="not_editable")
    if expected_version != locked.version:
        # Keep the first save: the second came from a stale form.
        raise DeclarationConflict(
            _(
                "Cette déclaration a été modifiée entre-temps (par un collègue ou dans un autre onglet). "
                "Vos saisies n'ont pas été enregistrées : voici la version à jour, reportez-y vos changements."
            ),
            code="stale_version",
        )
    return locked


def _lock_submitted(declaration: Declaration) -> Declaration:
    locked = (
        Declaration.objects.select_for_update(of=("self",)).select_related("campaign", "company").get(pk=declaration.pk)
    )
    if locked.status != Declaration.Status.SUBMITTED:
        raise DeclarationConflict(
            _("Seule une déclaration soumise peut être validée ou renvoyée ; celle-ci est « %(status)s ».")
            % {"status": locked.get_status_display()},
            code="not_submitted",
        )
    return locked


def _apply_member_input(
    declaration: Declaration,
    data: Mapping[str, Any],
    lines: Sequence[RegionalLineInput],
    answers: Sequence[MeasureAnswerInput],
) -> tuple[list[DeclarationRegion], list[DeclarationMeasure], dict[str, list[str]]]:
    """Set the member's figures on the (locked) declaration and build its lines and answers,
    collecting every value that cannot be stored, even in a draft, before anything is written."""
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"Not a member field of a declaration: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(declaration, name, value)

    errors: dict[str, list[str]] = {}
    try:
        declaration.full_clean(exclude=_TRUSTED_RELATIONS)
    except ValidationError as exc:
        errors.update(exc.message_dict)

    new_lines = _build_lines(declaration, lines, errors)
    new_answers = _build_answers(declaration, answers, errors)
    return new_lines, new_answers, errors


def _build_lines(
    declaration: Declaration, lines: Sequence[RegionalLineInput], errors: dict[str, list[str]]
) -> list[DeclarationRegion]:
    region_ids = {line.region_id for line in lines}
    known = set(Region.objects.filter(pk__in=region_ids).values_list("pk", flat=True)) if region_ids else set()
    if len(region_ids) != len(lines):
        errors_merge(errors, {REGIONAL_LINES: [_("Une région apparaît deux fois dans la répartition régionale.")]})
    if region_ids - known:
        errors_merge(errors, {REGIONAL_LINES: [_("La répartition régionale cite une région inconnue.")]})
    built = []
    for line in lines:
        built_line = DeclarationRegion(
            declaration=declaration,
            region_id=line.region_id,
            **{name: getattr(line, name) for name in LINE_FIELDS},
        )
        try:
            # The declaration and the region are checked above, for all lines in one query.
            built_line.clean_fields(exclude=["declaration", "region"])
        except ValidationError as exc:
            errors_merge(errors, {REGIONAL_LINES: exc.messages})
        built.append(built_line)
    return built


def _build_answers(
    declaration: Declaration, answers: Sequence[MeasureAnswerInput], errors: dict[str, list[str]]
) -> list[DeclarationMeasure]:
    measure_ids = {answer.measure_id for answer in answers}
    measures = Measure.objects.filter(is_active=True).in_bulk(measure_ids) if measure_ids else {}
    if len(measure_ids) != len(answers):
        errors_merge(errors, {MEASURE_ANSWERS: [_("Une mesure apparaît deux fois dans la liste.")]})
    if measure_ids - set(measures):
        errors_merge(errors, {MEASURE_ANSWERS: [_("Une mesure ne fait pas partie du catalogue.")]})
        return []
    built = []
    for answer in answers:
        measure = measures[answer.measure_id]
        built_answer = DeclarationMeasure(
            declaration=declaration,
            measure=measure,
            status=answer.status,
            # A count only means something for the measures that ask for one.
            employees_concerned=answer.employees_concerned if measure.counts_employees else None,
        )
        try:
            built_answer.clean_fields(exclude=["declaration", "measure"])
        except ValidationError as exc:
            errors_merge(
                errors,
                {measure_answer_key(measure.pk): [f"« {measure.name} » : {message}" for message in exc.messages]},
            )
        built.append(built_answer)
    return built


def _store_lines_and_answers(
    declaration: Declaration,
    lines: Iterable[DeclarationRegion],
    answers: Iterable[DeclarationMeasure],
    user: User,
) -> None:
    now = timezone.now()
    _sync_children(
        model=DeclarationRegion,
        existing=declaration.regional_lines.all(),
        wanted=lines,
        key="region_id",
        fields=LINE_FIELDS,
        user=user,
        now=now,
    )
    _sync_children(
        model=DeclarationMeasure,
        existing=declaration.measure_answers.all(),
        wanted=answers,
        key="measure_id",
        fields=ANSWER_FIELDS,
        user=user,
        now=now,
    )


def _sync_children(
    *,
    model: type[models.Model],
    existing: QuerySet,
    wanted: Iterable[models.Model],
    key: str,
    fields: Sequence[str],
    user: User,
    now: datetime.datetime,
) -> None:
    """Make a declaration's lines (or answers) match `wanted`, touching only what changed so that
    the history says what changed, in a fixed number of queries whatever the number of rows."""
    current = {getattr(row, key): row for row in existing}
    wanted_by_key = {getattr(row, key): row for row in wanted}
    to_create = [row for k, row in wanted_by_key.items() if k not in current]
    to_update = []
    for k, row in wanted_by_key.items():
        stored = current.get(k)
        if stored is not None and any(getattr(stored, name) != getattr(row, name) for name in fields):
            for name in fields:
                setattr(stored, name, getattr(row, name))
            to_update.append(stored)
    to_delete = [row for k, row in current.items() if k not in wanted_by_key]

    if to_create:
        bulk_create_with_history(to_create, model, default_user=user, default_date=now)
    if to_update:
        bulk_update_with_history(to_update, model, list(fields), default_user=user, default_date=now)
    if to_delete:
        # QuerySet.delete() would write one history row per deleted row (simple_history listens
        # to post_delete); write them in one statement instead, then delete without signals.
        history = model.history.model
        history.objects.bulk_create(
            history(
                history_date=now,
                history_user=user,
                history_type="-",
                **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
            )
            for row in to_delete
        )
        model.objects.filter(pk__in=[row.pk for row in to_delete])._raw_delete(model.objects.db)


def _notify_company_on_commit(declarations: Sequence[Declaration], template: str) -> None:
    """E-mail the users of each declaration's company, each in their language, once the change is
    committed: an e-mail about a change that was rolled back would be a lie."""
    company_ids = {declaration.company_id for declaration in declarations}
    recipients: dict[int, list[User]] = {}
    for membership in (
        CompanyMembership.objects.filter(company_id__in=company_ids, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ):
        recipients.setdefault(membership.company_id, []).append(membership.user)
    messages = [
        (
            emails,
            language,
            {
                "declaration": declaration,
                "campaign": declaration.campaign,
                "company": declaration.company,
                "url": localized_url("portal:declaration-detail", language=language, args=(declaration.pk,)),
            },
        )
        for declaration in declarations
        for language, emails in recipients_by_language(recipients.get(declaration.company_id, ())).items()
    ]

    def send() -> None:
        for to, language, context in messages:
            email_send(to=to, template=template, context=context, language=language)

    transaction.on_commit(send)
