import datetime

import pytest

from measures.models import Campaign, Declaration
from measures.selectors import declaration_previous, member_companies
from members.models import Company
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, MembershipFactory


def _campaign_starting(day: int, month: int = 3) -> Campaign:
    return CampaignFactory(period_start=datetime.date(2020, month, day), status=Campaign.Status.CLOSED)


def test_the_previous_declaration_is_the_latest_earlier_submitted_or_approved_one(company_a):
    current = DeclarationFactory(company=company_a, campaign=_campaign_starting(16))
    DeclarationFactory(company=company_a, campaign=_campaign_starting(2), status=Declaration.Status.APPROVED)
    latest = DeclarationFactory(company=company_a, campaign=_campaign_starting(9), status=Declaration.Status.SUBMITTED)

    assert declaration_previous(current) == latest


def test_a_later_campaigns_declaration_is_not_previous(company_a):
    current = DeclarationFactory(company=company_a, campaign=_campaign_starting(16))
    DeclarationFactory(company=company_a, campaign=_campaign_starting(23), status=Declaration.Status.APPROVED)

    assert declaration_previous(current) is None


@pytest.mark.parametrize("status", [Declaration.Status.DRAFT, Declaration.Status.RETURNED])
def test_an_unsubmitted_declaration_is_not_previous(company_a, status):
    current = DeclarationFactory(company=company_a, campaign=_campaign_starting(16))
    DeclarationFactory(company=company_a, campaign=_campaign_starting(9), status=status)

    assert declaration_previous(current) is None


def test_members_act_only_for_approved_active_companies(declarant_a, company_a):
    MembershipFactory(user=declarant_a, company=CompanyFactory(registration_status=Company.RegistrationStatus.PENDING))
    MembershipFactory(user=declarant_a, company=CompanyFactory(is_active=False))

    assert list(member_companies(declarant_a)) == [company_a]
