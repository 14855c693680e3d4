"""Routes of the partner pages and the triage of proposals, added to agreements/urls.py (the
same `agreements` namespace, under /kerja-sama/)."""

from django.urls import path

from . import partner_views, proposal_views

urlpatterns = [
    # Offers from other regions (partner_views.py)
    path("tawaran/", partner_views.inbox, name="offers"),
    path("tawaran/<int:cooperation_pk>/", partner_views.offer_detail, name="offer"),
    path("tawaran/<int:cooperation_pk>/terima/", partner_views.offer_accept, name="offer_accept"),
    path("tawaran/<int:cooperation_pk>/tolak/", partner_views.offer_decline, name="offer_decline"),
    path("bersama/<int:cooperation_pk>/", partner_views.shared, name="shared"),
    path("<int:pk>/tanda-tangan/", partner_views.party_sign, name="party_sign"),
    # Meetings between the parties
    path("<int:pk>/rapat/", partner_views.meetings, name="meetings"),
    path("<int:pk>/rapat/baru/", partner_views.meeting_record, name="meeting_record"),
    # Proposals sent to the region (proposal_views.py)
    path("usulan/", proposal_views.proposal_list, name="proposals"),
    path("usulan/<int:pk>/", proposal_views.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/terima/", proposal_views.proposal_accept, name="proposal_accept"),
    path("usulan/<int:pk>/minta-info/", proposal_views.proposal_ask, name="proposal_ask"),
    path("usulan/<int:pk>/tolak/", proposal_views.proposal_decline, name="proposal_decline"),
    path(
        "usulan/<int:pk>/lampiran/<int:attachment_pk>/",
        proposal_views.proposal_attachment,
        name="proposal_attachment",
    ),
]
