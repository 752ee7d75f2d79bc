from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = _("Bulletins sectoriels")

    def ready(self) -> None:
        from django.db.models import IntegerField

        from amrc.lib.among import Among
        from amrc.lib.largest import register_on_sqlite

        connection_created.connect(register_on_sqlite, dispatch_uid="amrc.lib.largest")
        IntegerField.register_lookup(Among)
