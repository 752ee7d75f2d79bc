from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("declarations/", views.declaration_history, name="declaration-history"),
    path("campagnes/<int:campaign_id>/declarer/", views.declaration_start_view, name="declaration-start"),
    path("declarations/<int:declaration_id>/", views.declaration_detail, name="declaration-detail"),
    path("declarations/<int:declaration_id>/brouillon/", views.declaration_autosave, name="declaration-autosave"),
    path(
        "declarations/<int:declaration_id>/vider/", views.declaration_start_blank_view, name="declaration-start-blank"
    ),
]
