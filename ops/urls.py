from django.urls import path

from ops import views

app_name = "ops"

# Outside the language prefixes: probes ask for one fixed address, and the answer is the same in
# every language.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
