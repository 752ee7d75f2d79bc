"""The registry and the declarations as spreadsheets (django-import-export resources).

Companies are imported and exported; declarations are exported only (they are written by their
companies, through the declaration workflow). Every export neutralises the cells a spreadsheet
would run as formulas (amrc.lib.spreadsheet_cells).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader
from tablib import Dataset

from amrc.lib.spreadsheet_cells import neutralised
from measures.models import Declaration, DeclarationMeasure, DeclarationRegion, Measure
from members.models import Company, CompanyMembership, Region, Site
from spreadsheets.widgets import ChoiceWidget, IceWidget, RegionWidget, TextWidget, joined


class NeutralisedExportMixin:
    def after_export(self, queryset: QuerySet, dataset: Dataset, **kwargs) -> None:
        super().after_export(queryset, dataset, **kwargs)
        for index, row in enumerate(dataset):
            dataset[index] = tuple(neutralised(cell) for cell in row)


def _text(attribute: str, column_name: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=TextWidget())


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class CompanyResource(NeutralisedExportMixin, resources.ModelResource):
    """One row per company. A row with an `id` updates that company; a row without one creates a
    company. Sites and contacts are exported for reading; they are managed on the company's page
    (contacts join through an invitation)."""

    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    trade_name = _text("trade_name", "nom_commercial")
    legal_name = _text("legal_name", "raison_sociale")
    ice = fields.Field(attribute="ice", column_name="ice", widget=IceWidget())
    rc_number = _text("rc_number", "numero_rc")
    cnss_number = _text("cnss_number", "numero_cnss")
    city = _text("city", "ville")
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    segment = fields.Field(attribute="segment", column_name="segment", widget=ChoiceWidget(Company.Segment))
    formality = fields.Field(attribute="formality", column_name="formalite", widget=ChoiceWidget(Company.Formality))
    registered_headcount = fields.Field(
        attribute="registered_headcount", column_name="effectif_enregistre", widget=widgets.IntegerWidget()
    )
    is_active = fields.Field(attribute="is_active", column_name="active", widget=widgets.BooleanWidget())
    site_regions = fields.Field(column_name="regions_des_sites", readonly=True)
    sites = fields.Field(column_name="sites", readonly=True)
    contacts = fields.Field(column_name="contacts", readonly=True)

    class Meta:
        model = Company
        name = gettext_lazy("Registre des entreprises")
        fields = (
            "id",
            "trade_name",
            "legal_name",
            "ice",
            "rc_number",
            "cnss_number",
            "city",
            "region",
            "segment",
            "formality",
            "registered_headcount",
            "is_active",
            "site_regions",
            "sites",
            "contacts",
        )
        import_id_fields = ("id",)
        # The companies a file updates, read in one query rather than one per row.
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines_by_ice: dict[str, list[int]] = {}
        self._lines_by_name: dict[str, list[int]] = {}
        self._names_in_registry: dict[str, int] = {}

    # Import

    def get_import_fields(self) -> list[fields.Field]:
        # Sites and contacts are exported for reading only.
        return [field for field in super().get_import_fields() if not field.readonly]

    def before_import(self, dataset: Dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        # Duplicates within the file, by row number (as the preview numbers them), and the names
        # already in the registry: read once, so each row is checked without a query.
        by_ice, by_name = defaultdict(list), defaultdict(list)
        ice_widget, text_widget = IceWidget(), TextWidget()
        for line, row in enumerate(dataset.dict, start=1):
            try:
                ice = ice_widget.clean(row.get("ice"))
                name = text_widget.clean(row.get("nom_commercial"))
            except ValueError:
                continue  # Reported by the row's own import.
            if ice:
                by_ice[ice].append(line)
            if name:
                by_name[_name_key(name)].append(line)
        self._lines_by_ice, self._lines_by_name = dict(by_ice), dict(by_name)
        self._names_in_registry = {
            _name_key(name): pk for pk, name in Company.objects.order_by().values_list("pk", "trade_name")
        }

    def get_or_init_instance(self, instance_loader, row: dict):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if new and row.get("id") not in (None, ""):
            # Never create a company under an identifier typed by hand.
            raise ValidationError(
                {"id": _("Aucune entreprise n'a l'identifiant %(id)s : laissez-le vide pour en créer une.") % row}
            )
        return instance, new

    def import_instance(self, instance: Company, row: dict, **kwargs) -> None:
        # A new company starts unverified: only a formality set otherwise is a verification.
        formality_before = instance.formality if instance.pk else Company.Formality.UNVERIFIED
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        errors.update(self._duplicate_errors(instance, row_number=kwargs.get("row_number")))
        if errors:
            raise ValidationError(errors)
        instance._formality_changed = instance.formality != formality_before

    def _duplicate_errors(self, instance: Company, *, row_number: int | None) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if instance.ice:
            others = [other for other in self._lines_by_ice.get(instance.ice, []) if other != row_number]
            if others:
                errors["ice"] = [
                    _("Cet ICE figure aussi à la ligne %(lines)s du fichier.") % {"lines": ", ".join(map(str, others))}
                ]
        if instance.trade_name:
            key = _name_key(instance.trade_name)
            others = [other for other in self._lines_by_name.get(key, []) if other != row_number]
            if others:
                errors["trade_name"] = [
                    _("Ce nom figure aussi à la ligne %(lines)s du fichier.") % {"lines": ", ".join(map(str, others))}
                ]
            elif self._names_in_registry.get(key, instance.pk) != instance.pk:
                errors["trade_name"] = [_("Une autre entreprise du registre porte déjà ce nom.")]
        return errors

    def before_save_instance(self, instance: Company, row: dict, **kwargs) -> None:
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        # The history records the staff member who imported, even outside a request.
        instance._history_user = user
        if getattr(instance, "_formality_changed", False) and user is not None:
            # A formality set by staff is a verification, as in the company's page.
            instance.formality_verified_by = user
            instance.formality_verified_at = timezone.now()

    # Export

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return queryset.select_related("region").prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("region").order_by("name")),
            Prefetch("memberships", queryset=CompanyMembership.objects.select_related("user").order_by("user__email")),
        )

    def dehydrate_site_regions(self, company: Company) -> str:
        return joined(sorted({site.region.code for site in company.sites.all()}))

    def dehydrate_sites(self, company: Company) -> str:
        return joined(
            [f"{site.name} ({site.city}, {site.region.code}, {site.workstations})" for site in company.sites.all()]
        )

    def dehydrate_contacts(self, company: Company) -> str:
        return joined(
            [f"{membership.user.email} ({membership.get_role_display()})" for membership in company.memberships.all()]
        )


class DeclarationResource(NeutralisedExportMixin, resources.ModelResource):
    """The full declarations dataset, one row per declaration: its campaign and company, its
    figures, then three columns per region (headcount, on site, telework) and one or two per
    measure of the catalogue (situation, employees concerned), so that a pivot table or a
    statistics package reads it as it is."""

    campaign = fields.Field(attribute="campaign__title", column_name="campagne")
    period_start = fields.Field(attribute="campaign__period_start", column_name="debut_periode")
    period_end = fields.Field(attribute="campaign__period_end", column_name="fin_periode")
    company_id = fields.Field(attribute="company_id", column_name="entreprise_id")
    trade_name = fields.Field(attribute="company__trade_name", column_name="nom_commercial")
    ice = fields.Field(attribute="company__ice", column_name="ice")
    segment = fields.Field(attribute="company__segment", column_name="segment")
    formality = fields.Field(attribute="company__formality", column_name="formalite")
    head_office_region = fields.Field(attribute="company__region__code", column_name="region_du_siege")
    late = fields.Field(column_name="en_retard", widget=widgets.BooleanWidget())

    class Meta:
        model = Declaration
        name = gettext_lazy("Déclarations (une ligne par déclaration)")
        fields = (
            "id",
            "campaign",
            "period_start",
            "period_end",
            "company_id",
            "trade_name",
            "ice",
            "segment",
            "formality",
            "head_office_region",
            "status",
            "submitted_at",
            "late",
            "approved_at",
            "headcount",
            "on_site",
            "telework",
            "technical_unemployment",
            "other_absence",
            "hires",
            "separations",
            "dismissals",
            "keeps_technical_on_site",
            "keeps_hr_on_site",
            "keeps_support_on_site",
            "keeps_production_on_site",
            "export_revenue",
            "activity_maintained_pct",
            "headcount_change_confirmed",
            "difficulties",
        )
        chunk_size = 500

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for region in Region.objects.order_by("code"):
            for part in ("headcount", "on_site", "telework"):
                self.fields[f"region_{region.code}_{part}"] = fields.Field(
                    column_name=f"{region.code}_{_REGION_PARTS[part]}",
                    dehydrate_method=_regional_value(region.pk, part),
                    readonly=True,
                )
        for measure in Measure.objects.filter(is_active=True).order_by("category", "order", "code"):
            self.fields[f"measure_{measure.code}"] = fields.Field(
                column_name=f"mesure_{measure.code}",
                dehydrate_method=_measure_value(measure.pk, "status"),
                readonly=True,
            )
            if measure.counts_employees:
                self.fields[f"measure_{measure.code}_employees"] = fields.Field(
                    column_name=f"mesure_{measure.code}_salaries",
                    dehydrate_method=_measure_value(measure.pk, "employees_concerned"),
                    readonly=True,
                )

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return (
            queryset.select_related("campaign", "company__region")
            .prefetch_related(
                Prefetch("regional_lines", queryset=DeclarationRegion.objects.order_by()),
                Prefetch("measure_answers", queryset=DeclarationMeasure.objects.order_by()),
            )
            .order_by("campaign__period_start", "company__trade_name", "pk")
        )

    def dehydrate_late(self, declaration: Declaration) -> bool:
        return declaration.is_late


_REGION_PARTS = {"headcount": "effectif", "on_site": "sur_site", "telework": "teletravail"}


def _regional_value(region_id: int, part: str):
    def value(declaration: Declaration) -> int | None:
        line = next((line for line in declaration.regional_lines.all() if line.region_id == region_id), None)
        return getattr(line, part) if line else None

    return value


def _measure_value(measure_id: int, attribute: str):
    def value(declaration: Declaration) -> str | int | None:
        answer = next((a for a in declaration.measure_answers.all() if a.measure_id == measure_id), None)
        return getattr(answer, attribute) if answer else None

    return value
