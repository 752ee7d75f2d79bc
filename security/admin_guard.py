"""Admin pages that never answer 500 to a hand-written address, and formsets that never build
more forms than a page can hold.

AdminInputGuardMixin is given to every ModelAdmin registered on the admin site, the platform's
and the libraries' alike (accounts.admin_site.AmrcAdminSite.register), so that a new list is
protected without anyone thinking of it. What it mends, each a gap of Django or a library:
- a date drill-down to year 99999999999 overflows Python's dates (Django catches ValueError only);
- an object id that is not one (`abc`) reaches django-simple-history's query as is;
- a forged selection of objects for an action reaches the query as is;
- an inline, or a list with editable rows, would build up to 2,000 forms from a forged form count:
  a 3 KB POST claiming 10,000 rows kept a worker busy for half a minute.
NUL bytes in addresses are refused earlier, for the whole site (security.middleware).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _


class _GuardedChangeList:
    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            # Django shows the list again with its "invalid filter" notice, as for a bad month.
            raise IncorrectLookupParameters(exc) from exc


class AdminInputGuardMixin:
    def get_formsets_with_inlines(self, request: HttpRequest, obj=None):
        for inline in self.get_inline_instances(request, obj):
            # More rows than an inline of this platform ever holds (a company's sites, a declaration's
            # events), existing ones included: the admin sets max_num to 0 where staff may not add.
            max_num = inline.get_max_num(request, obj)
            bound = max(settings.FORMSET_MAX_FORMS, max_num or 0)
            yield (
                inline.get_formset(request, obj, max_num=bound if max_num is None else max_num, absolute_max=bound),
                inline,
            )

    def get_changelist(self, request: HttpRequest, **kwargs) -> type:
        changelist = super().get_changelist(request, **kwargs)
        return type(f"Guarded{changelist.__name__}", (_GuardedChangeList, changelist), {})

    def get_changelist_formset(self, request: HttpRequest, **kwargs):
        # Editable rows are the rows of one page: never more forms than that.
        bound = min(self.list_per_page, settings.FORMSET_MAX_FORMS)
        kwargs.setdefault("max_num", bound)
        kwargs.setdefault("absolute_max", bound)
        return super().get_changelist_formset(request, **kwargs)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        if not self._is_primary_key(admin.utils.unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def response_action(self, request: HttpRequest, queryset) -> HttpResponse | None:
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(self._is_primary_key(value) for value in selected):
            self.message_user(request, _("Sélection invalide : aucune action n'a été effectuée."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def _is_primary_key(self, value: str) -> bool:
        field = self.model._meta.pk
        try:
            prepared = field.get_prep_value(field.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(prepared, int):
            # Beyond the column's range the database itself fails rather than finding nothing.
            low, high = connections[router.db_for_read(self.model)].ops.integer_field_range(field.get_internal_type())
            return (low is None or prepared >= low) and (high is None or prepared <= high)
        return True
