"""Routes of the partner pages and the triage of proposals, added to agreements/urls.py (the
same `agreements` namespace, under /kerja-sama/)."""

from django.urls import path

from . import joint_views, partner_views, proposal_views

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
    # Joint preparation (joint_views.py): the parties' inventory of points and priorities, the
    # joint text's versions, the region's own DPRD decision
    path("<int:pk>/inventaris/", joint_views.points, name="joint_points"),
    path("<int:pk>/inventaris/baru/", joint_views.point_add, name="joint_point_add"),
    path("<int:pk>/inventaris/prioritas/", joint_views.priorities, name="joint_priorities"),
    path("<int:pk>/inventaris/ambil/", joint_views.adopt, name="joint_adopt"),
    path("<int:pk>/naskah/", joint_views.versions, name="joint_versions"),
    path("<int:pk>/naskah/baru/", joint_views.version_add, name="joint_version_add"),
    path(
        "<int:pk>/naskah/<int:version_pk>/unduh/",
        joint_views.version_download,
        name="joint_version_download",
    ),
    path("<int:pk>/dprd/", joint_views.own_dprd, name="own_dprd"),
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
