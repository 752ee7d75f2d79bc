"""Formatting of snapshot cells and of the editorial for the bulletin pages."""

import datetime
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from measures.models import Measure

register = template.Library()


def with_percent_sign(number: str) -> str:
    """French and Arabic put a space before the percent sign, English none. Pages keep "90,5 %"
    on one line by styling (`.num`), so the text stays what readers and scripts copy."""
    return f"{number}%" if get_language() == "en" else f"{number} %"


def format_number(value, kind: str) -> str:
    if value is None or isinstance(value, bool):
        return "–"
    if kind == "share":
        return with_percent_sign(number_format(round(float(value) * 100, 1), 1))
    if kind == "money":
        return number_format(round(float(value)), 0, force_grouping=True)
    return number_format(value, force_grouping=True)


def _isolated(text: str) -> SafeString:
    # A number keeps its left-to-right order (sign, digits, unit) inside an Arabic page.
    return format_html('<bdi dir="ltr" class="num">{}</bdi>', text)


@register.simple_tag
def cell(cell: dict | None, kind: str = "count") -> SafeString:
    """A published number, or the confidentiality mark linked to its footnote."""
    if isinstance(cell, dict) and cell.get("flag") == "c":
        return format_html(
            '<a class="cell-c" href="#note-confidential" title="{}" aria-label="{}">c</a>',
            _("Confidentiel : voir la note"),
            _("confidentiel"),
        )
    value = cell.get("value") if isinstance(cell, dict) else cell
    return _isolated(format_number(value, kind))


@register.simple_tag
def number(value, kind: str = "count") -> SafeString:
    return _isolated(format_number(value, kind))


def format_change(change: dict | None, kind: str = "count") -> str:
    """A change against the previous bulletin: shares move in percentage points."""
    if not isinstance(change, dict) or change.get("delta") is None:
        return ""
    delta = float(change["delta"])
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if kind == "share":
        return _("%(sign)s%(points)s pts") % {"sign": sign, "points": number_format(round(abs(delta) * 100, 1), 1)}
    if kind == "money":
        return f"{sign}{number_format(round(abs(delta)), 0, force_grouping=True)}"
    return f"{sign}{number_format(abs(change['delta']), force_grouping=True)}"


@register.simple_tag
def change(change: dict | None, kind: str = "count") -> SafeString | str:
    text = format_change(change, kind)
    return _isolated(text) if text else ""


# What staff Markdown may produce: text structure, links and tables. No style, no class, no id (a
# pasted id could take the place of one the page's scripts look for), no script of any kind.
MARKDOWN_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr", "sup", "sub", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
MARKDOWN_URL_SCHEMES = {"http", "https", "mailto"}


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image comes from the platform itself (a relative address) or not at all: a remote one
    would tell its host who reads the bulletin, and when."""
    if tag == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


@register.filter
def markdown(text: str) -> SafeString:
    """Render staff-written Markdown, then keep only harmless HTML: the editorial is published
    to everyone, and a pasted script or event handler must never reach a reader."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    return mark_safe(
        nh3.clean(
            html,
            tags=MARKDOWN_TAGS,
            attributes=MARKDOWN_ATTRIBUTES,
            url_schemes=MARKDOWN_URL_SCHEMES,
            attribute_filter=_local_images_only,
            link_rel="noopener noreferrer nofollow",
        )
    )


@register.filter
def measure_category(key: str) -> str:
    try:
        return str(Measure.Category(key).label)
    except ValueError:
        return key


@register.filter
def iso_date(value: str) -> datetime.date | str:
    """A date as the snapshot stores it (ISO 8601), made a date again for the date filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
