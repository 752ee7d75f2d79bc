"""Rows that count their saves, so that a page built from them can tell it is out of date.

A page kept rendered (portal.page_cache) is filed under a fingerprint of the rows it shows: their
number, their highest id and the sum of their revisions. Any save raises the sum, an insert
raises the highest id (ids are never reused), a deletion lowers the number. Unlike a modification
date, this owes nothing to the clocks of the servers that wrote the rows, nor to the order in
which overlapping transactions commit.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Revised(models.Model):
    revision = models.PositiveIntegerField(
        _("révision"), default=0, db_default=0, editable=False, help_text=_("Augmente à chaque enregistrement.")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.revision += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "revision"}
        super().save(*args, **kwargs)
