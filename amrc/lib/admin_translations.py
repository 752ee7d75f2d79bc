"""The admin's fields for translations of staff-written text (`title_ar`, `label_en`…)."""

from django.utils.translation import get_language_info


class TranslationFieldsAdminMixin:
    """Each translation field is typed in its own language and direction: Arabic right to left,
    as it will read on the page, whatever the language of the admin."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = db_field.name.rpartition("_")[2]
        if formfield is not None and language in {"ar", "en"}:
            direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
            formfield.widget.attrs.update({"lang": language, "dir": direction})
        return formfield
