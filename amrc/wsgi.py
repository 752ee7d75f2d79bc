import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amrc.settings")
application = get_wsgi_application()

# What a server process holds once started (Django, the apps and their models) lives as long as
# the process: set apart from the garbage collector, whose full passes would otherwise walk all
# of it whenever a request creates many objects (publishing a bulletin: 0.07–0.19 s a
# publication at 10,000 companies, docs/benchmarks.md).
gc.freeze()
