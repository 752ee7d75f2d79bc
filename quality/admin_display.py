"""The flags in the declarations' admin: a list filter, badges in the list, and the review page's
side-by-side comparison with the previous declaration (see measures.admin)."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from measures.models import Declaration
from quality.comparison import comparison_rows
from quality.flags import FlagKind
from quality.selectors import (
    declaration_quality_review,
    declarations_with_flags,
    flag_scope,
    flagged_declaration_ids,
)

FLAGGED = "flagged"
CLEAR = "clear"


class QualityFlagFilter(admin.SimpleListFilter):
    title = _("qualité des données")
    parameter_name = "qualite"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            (FLAGGED, _("Signalées")),
            (CLEAR, _("Non signalées")),
            *((kind.value, kind.label) for kind in FlagKind),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value not in (CLEAR, FLAGGED, *FlagKind.values):
            return queryset
        scope, restricted = flag_scope(queryset)
        if restricted:
            # Said where staff choose: the other campaigns come back once one is chosen.
            self.title = _("qualité des données (campagnes ouvertes et déclarations à vérifier)")
        if value == CLEAR:
            return scope.exclude(pk__in=flagged_declaration_ids(scope))
        return scope.filter(pk__in=flagged_declaration_ids(scope, kind=None if value == FLAGGED else value))


class FlaggedChangeList(ChangeList):
    """Puts the flags on the page's declarations, in three queries for the whole page."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = declarations_with_flags(self.result_list)


@admin.display(description=_("signalements"))
def quality_badges(declaration: Declaration) -> str:
    flags = getattr(declaration, "quality_flags", [])
    return format_html_join(
        " ",
        '<span class="quality-badge quality-badge--{}" title="{}">{}</span>',
        ((flag.kind, flag.explanation, flag.badge) for flag in flags),
    )


def declaration_review_context(declaration: Declaration) -> dict:
    """What templates/admin/quality/_declaration_review.html shows."""
    review = declaration_quality_review(declaration)
    if review.current is None:
        return {}
    return {
        "quality": review,
        "comparison": comparison_rows(review.current, review.previous, review.flags_by_figure),
    }
