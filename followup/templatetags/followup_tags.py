"""The staff home's work queue, and the small formats of the follow-up pages."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from followup.selectors import work_queue

register = template.Library()


@register.inclusion_tag("admin/followup/work_queue.html")
def staff_work_queue() -> dict:
    """What waits for staff, above the admin's list of applications."""
    return {"queue": work_queue(today=timezone.localdate())}


@register.filter
def percent(value: float | None) -> str:
    """A share as a percentage with one decimal, in the page's language (« 45,3 % »); a dash when
    there is no base to compute it on."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, 1)}\u00a0%"
