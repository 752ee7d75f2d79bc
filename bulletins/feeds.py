"""The Atom feed of published bulletins: one entry per bulletin, updated when it is corrected."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amrc.lib.labelled import labelled, listed
from bulletins.models import BulletinRevision
from bulletins.presentation import provisional_reasons
from bulletins.selectors import feed_revisions
from bulletins.templatetags.bulletin_tags import format_number


class BulletinFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Bulletins sectoriels de l'AMRC")
    subtitle = gettext_lazy("Les chiffres de la relation client au Maroc, publiés par l'association.")

    def link(self) -> str:
        return reverse("bulletins:list")

    def items(self):
        return feed_revisions()

    def item_title(self, item: BulletinRevision) -> str:
        # The feed of each language (/ar/bulletins/atom.xml…) titles its entries in that language.
        if item.provisional:
            return _("%(title)s (provisoire)") % {"title": item.reader_title.text}
        return item.reader_title.text

    def item_link(self, item: BulletinRevision) -> str:
        # The bulletin's address, not the revision's, is also the entry's id: a correction
        # updates the entry rather than adding another.
        return item.bulletin.get_absolute_url()

    def item_pubdate(self, item: BulletinRevision):
        return item.first_published_at

    def item_updateddate(self, item: BulletinRevision):
        return item.published_at

    def item_description(self, item: BulletinRevision) -> str:
        # Atom's summary is HTML (type="html"): plain text, staff's correction note included, is
        # escaped so that a reader shows `<img …>` as text rather than loading it.
        return escape(self._summary(item))

    def _summary(self, item: BulletinRevision) -> str:
        figures = item.key_figures or {}
        parts = []
        for name, label, kind in (
            ("headcount", _("Effectif des répondants"), "count"),
            ("on_site_share", _("sur site"), "share"),
            ("telework_share", _("en télétravail"), "share"),
            ("technical_unemployment_share", _("en arrêt technique"), "share"),
        ):
            cell = figures.get(name) or {}
            value = "c" if cell.get("flag") == "c" else format_number(cell.get("value"), kind)
            parts.append(labelled(label, value))
        summary = listed(parts) + "."
        if item.provisional:
            reasons = provisional_reasons(item.provisional_reasons)
            summary = _("Bulletin provisoire (%(reasons)s).") % {"reasons": listed(reasons)} + " " + summary
        if item.number > 1:
            summary += " " + _("Révision %(number)s : %(note)s") % {"number": item.number, "note": item.correction_note}
        return summary
