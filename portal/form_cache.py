"""The declaration form's body (its sections, summaries and buttons: everything but the CSRF
token), kept rendered while nothing it shows can have changed.

Rendering its 160 inputs is most of the page's cost, and a member opens the same draft many
times. The key holds everything the body is built from: the declaration's version (every save,
by the member, the autosave or staff in the admin, moves it), the previous declaration's (the
headcount warning), the company's head-office region and the regions of its sites (the lines
offered), every field of the regions and of the active measure catalogue (the form's
definition), the language, the publication generation (as the portal's other fragments), and
the code that renders it: a release that changes the form is not served a body rendered before.
Only an unbound form is kept: a posted one shows what was typed.
"""

import hashlib
from collections.abc import Iterable, Sequence

from django.db.models import Model
from django.utils.translation import get_language

from amrc.lib.source_version import source_version
from measures.models import Declaration, Measure
from members.models import Region
from public.page_cache import publication_generation

# Bounds what each process's memory cache holds (a rendered body is about 50 kB): a member
# reopens a draft within minutes, and any save makes a new key anyway.
FORM_BODY_SECONDS = 600


def _fields(objects: Iterable[Model]) -> list[tuple]:
    return [tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields) for obj in objects]


def form_body_key(
    *,
    declaration: Declaration,
    previous: Declaration | None,
    site_region_ids: Sequence[int],
    regions: Sequence[Region],
    measures: Sequence[Measure],
) -> str:
    parts = (
        declaration.pk,
        declaration.version,
        (previous.pk, previous.version) if previous else None,
        declaration.company.region_id,
        sorted(site_region_ids),
        _fields(regions),
        _fields(measures),
        get_language(),
        publication_generation(),
        source_version(),
    )
    return "declaration-form-body:" + hashlib.sha256(repr(parts).encode()).hexdigest()
