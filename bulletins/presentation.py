"""Turns a stored snapshot (keys, cells) into what a page shows (labels, kinds of number, charts),
in the reader's language. No query here: names of regions and measures are passed in."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from amrc.lib.labelled import listed
from amrc.lib.translated_text import TranslatedText, in_reader_language
from bulletins import charts
from bulletins.aggregation import KEY_FIGURES
from bulletins.templatetags.bulletin_tags import format_number
from members.models import Company


@dataclass(frozen=True)
class SeriesPoint:
    """One published bulletin in the time series, taken from its current revision."""

    slug: str
    title: str
    revision: int
    period_start: str
    period_end: str
    published_at: str
    key_figures: dict
    # The Arabic and English titles, blank when not written (the French title is then shown).
    title_translations: dict[str, str] = field(default_factory=dict)

    @property
    def reader_title(self) -> TranslatedText:
        return in_reader_language({"fr": self.title, **self.title_translations})

    def share(self, name: str) -> float | None:
        cell = self.key_figures.get(name) or {}
        return None if cell.get("flag") else cell.get("value")


COLUMN_LABELS = {
    "respondents": _("Entreprises répondantes"),
    "headcount": _("Effectif"),
    "on_site": _("Sur site"),
    "telework": _("En télétravail"),
    "technical_unemployment": _("En arrêt technique"),
    "other_absence": _("Autres absences"),
    "on_site_share": _("Part sur site"),
    "telework_share": _("Part en télétravail"),
    "technical_unemployment_share": _("Part en arrêt technique"),
    "other_absence_share": _("Part en autres absences"),
    "hires": _("Recrutements"),
    "separations": _("Départs"),
    "dismissals": _("Licenciements"),
    "export_revenue": _("Chiffre d'affaires à l'export (MAD)"),
    "activity_maintained_avg": _("Activité clients maintenue (moyenne pondérée)"),
    "in_place_share": _("Entreprises l'ayant en place"),
    "planned_share": _("Entreprises la prévoyant"),
    "workforce_share": _("Part de l'effectif concerné"),
    "requested_share": _("Entreprises la demandant"),
    "total": _("Total"),
}

TABLE_TITLES = {
    "by_segment": _("Par segment"),
    "by_formality": _("Par formalité"),
    "by_region": _("Par région"),
    "region_by_segment": _("Effectif par région et par segment"),
    "measures": _("Adoption des mesures"),
    "measures_by_segment": _("Mesures en place, par segment"),
    "support_by_segment": _("Soutien demandé, par segment"),
}

DIMENSION_LABELS = {
    "segment": _("Segment"),
    "formality": _("Formalité"),
    "region": _("Région"),
    "measure": _("Mesure"),
}

RESPONSE_COLUMNS = [
    ("expected", _("Déclarations attendues"), "count"),
    ("received", _("Reçues"), "count"),
    ("on_time", _("À l'heure"), "count"),
    ("late", _("En retard"), "count"),
    ("approved", _("Validées"), "count"),
    ("response_rate", _("Taux de réponse"), "share"),
    ("on_time_rate", _("Taux de réponse à l'heure"), "share"),
    ("registered_workforce", _("Effectif enregistré"), "count"),
    ("covered_workforce", _("Effectif couvert"), "count"),
    ("workforce_coverage", _("Couverture de l'effectif"), "share"),
]

ESTIMATE_COLUMNS = ["headcount", "on_site", "telework", "technical_unemployment"]

SERIES_SHARES = [
    ("on_site_share", _("Sur site")),
    ("telework_share", _("Télétravail")),
    ("technical_unemployment_share", _("Arrêt technique")),
]


def column_kind(column: str) -> str:
    """How a column's numbers read: shares as percentages, money in MAD, the rest as counts."""
    if column.endswith("_share") or column.endswith("_avg") or column.endswith("_rate") or column == "coverage":
        return "share"
    if column == "export_revenue":
        return "money"
    return "count"


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


def key_label(dimension: str, key: str, names: dict[str, dict[str, str]]) -> str:
    if key == "total":
        return str(_("Total"))
    if dimension == "segment":
        return _choice_label(Company.Segment, key)
    if dimension == "formality":
        return _choice_label(Company.Formality, key)
    return names.get(dimension, {}).get(key, key)


def _choice_label(choices, key: str) -> str:
    try:
        return str(choices(key).label)
    except ValueError:
        return key


def key_figures(snapshot: dict) -> list[dict]:
    figures = snapshot.get("key_figures") or {}
    changes = (snapshot.get("changes") or {}).get("key_figures") or {}
    ordered = [name for name in KEY_FIGURES if name in figures] + [name for name in figures if name not in KEY_FIGURES]
    return [
        {
            "name": name,
            "label": column_label(name),
            "cell": figures[name],
            "kind": column_kind(name),
            "change": changes.get(name),
        }
        for name in ordered
    ]


def tables(snapshot: dict, names: dict[str, dict[str, str]]) -> list[dict]:
    return [_table(table, names) for table in snapshot.get("tables") or []]


def _table(table: dict, names: dict[str, dict[str, str]]) -> dict:
    dimension = table.get("dimension", "")
    column_dimension = table.get("column_dimension")
    columns = list(table.get("columns") or [])
    rows = list(table.get("rows") or [])
    total = table.get("total")
    # Cross tables carry a "total" column in each row beside the declared columns.
    if column_dimension and "total" not in columns and any("total" in row.get("cells", {}) for row in rows):
        columns.append("total")
    measure = table.get("measure", "")

    def kind_of(column: str) -> str:
        return column_kind(measure) if column_dimension else column_kind(column)

    def label_of(column: str) -> str:
        if column_dimension:
            return key_label(column_dimension, column, names)
        return column_label(column)

    def row_of(row: dict, is_total: bool = False) -> dict:
        cells = row.get("cells") or {}
        return {
            "key": row.get("key", ""),
            "label": key_label(dimension, row.get("key", ""), names),
            "category": row.get("category", ""),
            "is_total": is_total,
            "cells": [{"cell": cells.get(column), "kind": kind_of(column)} for column in columns],
        }

    body = [row_of(row) for row in rows]
    if total:
        body.append(row_of(total, is_total=True))
    return {
        "id": table.get("id", ""),
        "title": TABLE_TITLES.get(table.get("id", ""), table.get("id", "")),
        "dimension_label": DIMENSION_LABELS.get(dimension, dimension),
        "measure_label": column_label(measure) if measure else "",
        "columns": [{"key": column, "label": label_of(column)} for column in columns],
        "rows": body,
        "has_suppressed": any((item["cell"] or {}).get("flag") == "c" for row in body for item in row["cells"]),
    }


def response_rows(snapshot: dict) -> list[dict]:
    rows = (snapshot.get("response") or {}).get("rows") or []
    return [
        {
            "key": row.get("key", ""),
            "label": key_label("segment", row.get("key", ""), {}),
            "values": [{"cell": _flagged(row, column), "kind": kind} for column, _label, kind in RESPONSE_COLUMNS],
        }
        for row in rows
    ]


def _flagged(row: dict, column: str, block: str | None = None) -> dict:
    """A plain number of the response table or of an estimate's basis as a cell, flagged "c" when
    the row's `flags` say it is suppressed."""
    values = row.get(block) or {} if block else row
    return {"value": values.get(column), "flag": (row.get("flags") or {}).get(column)}


def response_total(snapshot: dict) -> dict:
    rows = (snapshot.get("response") or {}).get("rows") or []
    return next((row for row in rows if row.get("key") == "total"), {})


def estimate_rows(snapshot: dict) -> list[dict]:
    rows = (snapshot.get("estimates") or {}).get("rows") or []
    return [
        {
            "key": row.get("key", ""),
            "label": key_label("segment", row.get("key", ""), {}),
            "basis": {column: _flagged(row, column, "basis") for column in (row.get("basis") or {})},
            "cells": [
                {"cell": (row.get("cells") or {}).get(column), "kind": column_kind(column)}
                for column in ESTIMATE_COLUMNS
            ],
        }
        for row in rows
    ]


def find_table(snapshot: dict, table_id: str) -> dict | None:
    return next((table for table in snapshot.get("tables") or [] if table.get("id") == table_id), None)


def suppressed_cells(snapshot: dict) -> int:
    """The methodology's count when the snapshot gives it, else the cells flagged on the page."""
    methodology = snapshot.get("methodology") or {}
    if isinstance(methodology.get("suppressed_cells"), int):
        return methodology["suppressed_cells"]
    return sum(
        1
        for table in snapshot.get("tables") or []
        for row in [*(table.get("rows") or []), table.get("total") or {}]
        for cell in (row.get("cells") or {}).values()
        if isinstance(cell, dict) and cell.get("flag") == "c"
    )


def series_context(points: list[SeriesPoint], *, chart_id: str) -> dict:
    """The share curves across bulletins: the SVG and the rows of its data table."""
    x_labels = [date_format(datetime.date.fromisoformat(p.period_end), "SHORT_DATE_FORMAT") for p in points]
    lines = [
        charts.Line(label=str(label), values=[point.share(name) for point in points]) for name, label in SERIES_SHARES
    ]
    title = _("Répartition de l'effectif des répondants, bulletin après bulletin")
    description = _(
        "Parts de l'effectif sur site, en télétravail et en arrêt technique pour chaque bulletin publié ; "
        "les valeurs figurent dans le tableau qui suit."
    )
    svg, svg_compact = (
        charts.share_lines_svg(
            chart_id=chart_id + suffix,
            title=title,
            description=description,
            x_labels=x_labels,
            lines=lines,
            layout=layout,
        )
        for suffix, layout in (("", charts.WIDE), ("-compact", charts.COMPACT))
    )
    return {
        "id": chart_id,
        "title": title,
        "svg": svg,
        "svg_compact": svg_compact,
        "labels": [str(label) for _name, label in SERIES_SHARES],
        "rows": [
            {
                "point": point,
                "period_end": label,
                "cells": [point.key_figures.get(name) for name, _label in SERIES_SHARES],
            }
            for point, label in zip(points, x_labels, strict=True)
        ],
    }


def regions_context(snapshot: dict, names: dict[str, dict[str, str]]) -> dict | None:
    """Regional bars (on-site and telework shares) with their data table."""
    table = find_table(snapshot, "by_region")
    if not table or not table.get("rows"):
        return None
    columns = ["on_site_share", "telework_share"]
    rows = []
    bars = []
    for row in table["rows"]:
        cells = row.get("cells") or {}
        label = key_label("region", row.get("key", ""), names)
        values = [cells.get(column) or {} for column in columns]
        note = ""
        if any(value.get("flag") == "c" for value in values):
            note = _("c (confidentiel)")
        elif any(value.get("value") is None for value in values):
            note = _("– (aucun répondant)") if (cells.get("respondents") or {}).get("value") == 0 else "–"
        parts = [None if note else float(value["value"]) for value in values]
        bars.append(charts.Bar(label=label, parts=parts, note=str(note)))
        rows.append({"label": label, "cells": values})
    part_labels = [str(column_label(column)) for column in columns]
    title = _("Effectif sur site et en télétravail, par région")
    description = _(
        "Pour chaque région, part de l'effectif des répondants sur site puis en télétravail ; "
        "les régions confidentielles sont marquées c. Les valeurs figurent dans le tableau qui suit."
    )
    svg, svg_compact = (
        charts.stacked_bars_svg(
            chart_id="regions-chart" + suffix,
            title=title,
            description=description,
            part_labels=part_labels,
            bars=bars,
            layout=layout,
        )
        for suffix, layout in (("", charts.WIDE), ("-compact", charts.COMPACT))
    )
    return {
        "id": "regions-chart",
        "title": title,
        "svg": svg,
        "svg_compact": svg_compact,
        "labels": part_labels,
        "rows": rows,
    }


def provisional_reasons(reasons: list[dict] | None) -> list[str]:
    """Why a bulletin is provisional, in words, from the reasons its snapshot (or the guard)
    states: the campaign still open, a response below its floor."""
    texts = []
    for reason in reasons or []:
        code = reason.get("code")
        floor = format_number(reason.get("floor"), "share")
        value = reason.get("value")
        if code == "campaign_open":
            day = date_format(datetime.date.fromisoformat(reason["due_on"]), "DATE_FORMAT")
            if reason.get("due_passed"):
                text = _(
                    "campagne pas encore clôturée : des déclarations reçues après la date limite du %(date)s "
                    "peuvent encore être validées ou corrigées"
                )
            else:
                text = _("campagne ouverte jusqu'au %(date)s : des déclarations peuvent encore arriver ou changer")
            texts.append(str(text) % {"date": day})
        elif code == "workforce_coverage" and value is None:
            texts.append(
                str(_("les répondants couvrent moins de %(floor)s de l'effectif enregistré")) % {"floor": floor}
            )
        elif code == "workforce_coverage":
            texts.append(
                str(_("%(value)s de l'effectif enregistré couvert par les répondants, seuil %(floor)s"))
                % {"value": format_number(value, "share"), "floor": floor}
            )
        elif code == "company_response":
            texts.append(
                str(_("%(value)s des entreprises attendues ont une déclaration validée, seuil %(floor)s"))
                % {"value": format_number(value, "share"), "floor": floor}
            )
    return texts


def provisional_confirmation_message(guard) -> str:
    """What staff must confirm to publish a provisional bulletin, with the reasons."""
    return str(_("Ce bulletin serait provisoire (%(reasons)s). Cochez la case pour le publier comme tel.")) % {
        "reasons": listed(provisional_reasons(list(guard.reasons)))
    }
