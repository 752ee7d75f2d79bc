import pytest

from measures.models import Declaration, DeclarationEvent
from measures.services import (
    DeclarationConflict,
    DeclarationError,
    declaration_approve,
    declaration_return,
    declarations_approve,
)
from tests.factories import DeclarationFactory, MembershipFactory, UserFactory
from tests.portal.declaration_data import COLLECTION_DAY

pytestmark = pytest.mark.usefixtures("on_collection_day")


def test_returning_requires_a_comment(submitted_declaration, staff_user):
    with pytest.raises(DeclarationError, match="corriger"):
        declaration_return(declaration=submitted_declaration, user=staff_user, comment="   ")

    submitted_declaration.refresh_from_db()
    assert submitted_declaration.status == Declaration.Status.SUBMITTED


def test_returning_reopens_the_declaration_with_the_comment(submitted_declaration, staff_user):
    returned = declaration_return(declaration=submitted_declaration, user=staff_user, comment="Effectif à revoir.")

    assert returned.status == Declaration.Status.RETURNED
    assert (returned.returned_by, returned.returned_at, returned.return_comment) == (
        staff_user,
        COLLECTION_DAY,
        "Effectif à revoir.",
    )
    assert returned.is_editable_by_member


def test_returning_records_an_event_with_the_comment(submitted_declaration, staff_user):
    declaration_return(declaration=submitted_declaration, user=staff_user, comment="Effectif à revoir.")

    event = DeclarationEvent.objects.get()
    assert (event.action, event.actor, event.comment) == ("returned", staff_user, "Effectif à revoir.")


def test_returning_emails_the_companys_users(
    submitted_declaration, staff_user, company_admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declaration_return(declaration=submitted_declaration, user=staff_user, comment="Effectif à revoir.")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["admin@atlas.ma", "declarant@atlas.ma"]
    assert "à corriger" in message.subject
    assert "Effectif à revoir." in message.body
    assert f"/espace/declarations/{submitted_declaration.pk}/" in message.body


def test_no_email_leaves_before_the_transaction_commits(submitted_declaration, staff_user, mailoutbox):
    declaration_return(declaration=submitted_declaration, user=staff_user, comment="Effectif à revoir.")

    assert mailoutbox == []


def test_an_inactive_user_gets_no_email(
    submitted_declaration, staff_user, company_a, mailoutbox, django_capture_on_commit_callbacks
):
    gone = UserFactory(email="parti@atlas.ma", is_active=False)
    MembershipFactory(user=gone, company=company_a)

    with django_capture_on_commit_callbacks(execute=True):
        declaration_approve(declaration=submitted_declaration, user=staff_user)

    assert "parti@atlas.ma" not in mailoutbox[0].to


def test_approving_validates_the_declaration_with_who_and_when(submitted_declaration, staff_user):
    approved = declaration_approve(declaration=submitted_declaration, user=staff_user)

    assert approved.status == Declaration.Status.APPROVED
    assert (approved.approved_by, approved.approved_at) == (staff_user, COLLECTION_DAY)
    assert DeclarationEvent.objects.get().action == "approved"


def test_approving_emails_the_company(
    submitted_declaration, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declaration_approve(declaration=submitted_declaration, user=staff_user)

    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]
    assert "validée" in mailoutbox[0].subject


@pytest.mark.parametrize("status", [Declaration.Status.DRAFT, Declaration.Status.RETURNED, Declaration.Status.APPROVED])
def test_only_a_submitted_declaration_can_be_approved(campaign, company_a, staff_user, status):
    declaration = DeclarationFactory(campaign=campaign, company=company_a, status=status)

    with pytest.raises(DeclarationConflict):
        declaration_approve(declaration=declaration, user=staff_user)
    assert not DeclarationEvent.objects.exists()


def test_only_a_submitted_declaration_can_be_returned(campaign, company_a, staff_user):
    draft = DeclarationFactory(campaign=campaign, company=company_a)

    with pytest.raises(DeclarationConflict):
        declaration_return(declaration=draft, user=staff_user, comment="Non")


def test_review_changes_are_in_the_history_with_the_reviewer(submitted_declaration, staff_user):
    declaration_approve(declaration=submitted_declaration, user=staff_user)

    latest = submitted_declaration.history.order_by("history_id").last()
    assert (latest.history_user, latest.status) == (staff_user, Declaration.Status.APPROVED)


def test_bulk_approval_approves_the_submitted_ones_and_skips_the_others(campaign, staff_user):
    submitted = DeclarationFactory.create_batch(3, campaign=campaign, status=Declaration.Status.SUBMITTED)
    draft = DeclarationFactory(campaign=campaign)

    count = declarations_approve(queryset=Declaration.objects.all(), user=staff_user)

    assert count == 3
    assert set(Declaration.objects.approved().values_list("pk", flat=True)) == {d.pk for d in submitted}
    draft.refresh_from_db()
    assert draft.status == Declaration.Status.DRAFT


def test_bulk_approval_records_events_history_and_new_versions(campaign, staff_user):
    declarations = DeclarationFactory.create_batch(2, campaign=campaign, status=Declaration.Status.SUBMITTED)

    declarations_approve(queryset=Declaration.objects.all(), user=staff_user)

    assert DeclarationEvent.objects.filter(action="approved", actor=staff_user).count() == 2
    for declaration in declarations:
        declaration.refresh_from_db()
        assert (declaration.approved_by, declaration.version) == (staff_user, 2)
        assert declaration.history.order_by("history_id").last().history_user == staff_user


def test_bulk_approval_emails_each_company(campaign, staff_user, mailoutbox, django_capture_on_commit_callbacks):
    for declaration in DeclarationFactory.create_batch(2, campaign=campaign, status=Declaration.Status.SUBMITTED):
        MembershipFactory(company=declaration.company)

    with django_capture_on_commit_callbacks(execute=True):
        declarations_approve(queryset=Declaration.objects.all(), user=staff_user)

    assert len(mailoutbox) == 2


def test_bulk_approval_runs_in_the_same_number_of_queries_for_two_or_twenty(
    campaign, staff_user, django_assert_max_num_queries
):
    DeclarationFactory.create_batch(2, campaign=campaign, status=Declaration.Status.SUBMITTED)
    with django_assert_max_num_queries(8):
        declarations_approve(queryset=Declaration.objects.all(), user=staff_user)

    DeclarationFactory.create_batch(20, campaign=campaign, status=Declaration.Status.SUBMITTED)
    with django_assert_max_num_queries(8):
        declarations_approve(queryset=Declaration.objects.all(), user=staff_user)


def test_bulk_approval_of_nothing_submitted_returns_zero(campaign, staff_user):
    DeclarationFactory(campaign=campaign)

    assert declarations_approve(queryset=Declaration.objects.all(), user=staff_user) == 0
