from django import template
from django.utils.formats import number_format

from measures.models import Declaration
from quality.admin_display import quality_badges

register = template.Library()


def _decimals(value: float, decimals: int | None) -> int:
    if decimals is not None:
        return decimals
    return 0 if abs(value) >= 10 or float(value).is_integer() else 1


@register.filter
def figure(value: float | None, decimals: int | None = None) -> str:
    """A figure with the language's grouping and decimal mark; "—" when there is none."""
    if value is None:
        return "—"
    return number_format(round(value, _decimals(value, decimals)), _decimals(value, decimals), force_grouping=True)


@register.filter
def signed(value: float | None, decimals: int | None = None) -> str:
    """A difference with its sign (a true minus sign, which does not break from its number)."""
    if value is None:
        return "—"
    text = figure(abs(value), decimals)
    if round(value, _decimals(value, decimals)) == 0:
        return text
    return ("+" if value > 0 else "−") + text


@register.filter
def badges(declaration: Declaration) -> str:
    """The declaration's quality flags as the list of declarations shows them (read with
    quality.selectors.declarations_with_flags or with_flags)."""
    return quality_badges(declaration)
