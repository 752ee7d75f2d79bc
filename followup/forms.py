from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Company, Region


class NonRespondentFilterForm(forms.Form):
    """Narrows the non-respondents of a follow-up page; the exports and the reminders it links to
    carry the same filters, so staff send what they see."""

    segment = forms.ChoiceField(label=_("Segment"), choices=[("", _("Tous")), *Company.Segment.choices], required=False)
    formality = forms.ChoiceField(
        label=_("Formalité"), choices=[("", _("Toutes")), *Company.Formality.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Région du siège"), queryset=Region.objects.all(), required=False, empty_label=_("Toutes")
    )

    def filter(self, queryset: QuerySet[Company]) -> QuerySet[Company]:
        """`queryset` narrowed by the valid filters; an invalid one (a region that does not exist)
        narrows nothing and is reported next to its field."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["segment"]:
            queryset = queryset.filter(segment=data["segment"])
        if data["formality"]:
            queryset = queryset.filter(formality=data["formality"])
        if data["region"]:
            queryset = queryset.filter(region=data["region"])
        return queryset

    def query_string(self) -> str:
        """The filters as a query string, for the links to the exports and the reminders."""
        if not self.is_bound or not self.is_valid():
            return ""
        params = {
            "segment": self.cleaned_data["segment"],
            "formality": self.cleaned_data["formality"],
            "region": self.cleaned_data["region"].pk if self.cleaned_data["region"] else "",
        }
        return urlencode({key: value for key, value in params.items() if value})
