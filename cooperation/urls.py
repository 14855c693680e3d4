"""The proposer's pages on the platform, under /usulan-kerja-sama/ (portal/urls_public.py)."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.my_proposals, name="mine"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("ke/<slug:region>/", views.propose, name="propose"),
]
