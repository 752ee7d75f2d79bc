"""How registry cells are read from and written to spreadsheets (django-import-export widgets),
with messages a staff member can act on."""

from collections.abc import Sequence

from django.db.models import Choices
from django.utils.translation import gettext as _
from import_export.widgets import CharWidget, Widget
from stdnum.ma import ice as stdnum_ice

from amrc.lib.spreadsheet_cells import starts_like_a_formula, unmarked
from members.models import Region


class TextWidget(CharWidget):
    """Text, trimmed; a cell that a spreadsheet would run as a formula is refused."""

    def clean(self, value, row=None, **kwargs) -> str:
        text = super().clean(value, row, **kwargs).strip(" ")
        if starts_like_a_formula(text):
            raise ValueError(
                _(
                    "« %(value)s » commence par un caractère de formule (= + - @, tabulation) : refusé. "
                    "Pour un texte qui commence ainsi, mettez une apostrophe devant."
                )
                % {"value": text[:40]}
            )
        return unmarked(text)


class IceWidget(TextWidget):
    """An ICE as the registry keeps it: 15 digits without spaces or dots. A spreadsheet that took
    it for a number has dropped its leading zeros: they are put back."""

    def clean(self, value, row=None, **kwargs) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{int(value):015d}"
        text = super().clean(value, row, **kwargs)
        return stdnum_ice.compact(text) if text else ""


class ChoiceWidget(Widget):
    """A choice given by its code (member) or its label in French (Membre AMRC), in any case."""

    def __init__(self, choices: type[Choices]) -> None:
        super().__init__(coerce_to_string=True)
        self.choices = choices

    def clean(self, value, row=None, **kwargs) -> str:
        text = str(value or "").strip().casefold()
        for code, label in self.choices.choices:
            if text in (code.casefold(), str(label).casefold()):
                return code
        raise ValueError(
            _("« %(value)s » n'est pas une valeur permise ; valeurs permises : %(choices)s.")
            % {"value": value or "", "choices": ", ".join(code for code in self.choices.values)}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value or ""


class RegionWidget(Widget):
    """A region by its ISO 3166-2 code (MA-06); the twelve regions are read once per import."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=True)
        self._regions: dict[str, Region] | None = None

    def _by_code(self) -> dict[str, Region]:
        if self._regions is None:
            self._regions = {region.code.casefold(): region for region in Region.objects.all()}
        return self._regions

    def clean(self, value, row=None, **kwargs) -> Region | None:
        code = str(value or "").strip()
        if not code:
            return None
        region = self._by_code().get(code.casefold())
        if region is None:
            raise ValueError(
                _("Région inconnue : « %(code)s ». Indiquez un code de région, de %(first)s à %(last)s.")
                % {"code": code, "first": _first(self._by_code()), "last": _last(self._by_code())}
            )
        return region

    def render(self, value: Region | None, obj=None, **kwargs) -> str:
        return value.code if value else ""


def _first(regions: dict[str, Region]) -> str:
    return min((region.code for region in regions.values()), default="")


def _last(regions: dict[str, Region]) -> str:
    return max((region.code for region in regions.values()), default="")


def joined(values: Sequence[str]) -> str:
    return "; ".join(values)
