"""The import and export buttons of the registry's and the declarations' admin pages.

Staff only (the admin), and by permission: exporting needs the right to view the model, importing
the rights to add and to change it. An import is all or nothing: the preview lists every row's
problems and nothing is written until the file is clean; if the registry changed meanwhile and a
row no longer passes when confirming, the whole import is rolled back.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

# Excel reads a UTF-8 CSV correctly only with a byte order mark.
CSV_ENCODING = "utf-8-sig"


class _SpreadsheetExportMixin(ExportMixin):
    export_formats = [CSV, XLSX]
    to_encoding = CSV_ENCODING
    # The selectable-fields form relies on inline event handlers, which the CSP forbids.
    export_form_class = ExportForm

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


class RegistryImportExportMixin(_SpreadsheetExportMixin, ImportExportMixin):
    import_formats = [CSV, XLSX]
    from_encoding = CSV_ENCODING
    import_template_name = "admin/spreadsheets/registry_import.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_data_kwargs(self, **kwargs) -> dict:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Rien n'a été importé : le registre a changé depuis l'aperçu et des lignes ne passent plus "
                    "(%(count)s). Relancez l'import pour voir lesquelles."
                )
                % {"count": len(result.invalid_rows) + len(result.row_errors())},
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


class DeclarationExportMixin(_SpreadsheetExportMixin):
    """Declarations are exported only: they are written through the declaration workflow."""
