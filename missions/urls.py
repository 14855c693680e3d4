"""Trade missions on the platform (mounted at /misi-dagang/ by portal/urls_public.py)."""

from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("baru/", views.mission_create, name="create"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/ubah/", views.mission_edit, name="edit"),
    path("<int:pk>/slot/", views.slot_add, name="slot_add"),
    path("<int:pk>/slot/<int:slot>/hapus/", views.slot_remove, name="slot_remove"),
    path("<int:pk>/daftarkan/", views.enrol, name="enrol"),
    path("<int:pk>/minta-pertemuan/", views.meeting_request, name="request"),
    path("<int:pk>/agenda/<slug:region>.ics", views.region_agenda, name="agenda"),
    path("pertemuan/", views.my_meetings, name="my_meetings"),
    path("pertemuan/<int:pk>/", views.meeting_detail, name="meeting"),
    path("pertemuan/<int:pk>/terima/", views.meeting_accept, name="accept"),
    path("pertemuan/<int:pk>/tolak/", views.meeting_decline, name="decline"),
    path("pertemuan/<int:pk>/jadwal-ulang/", views.meeting_reschedule, name="reschedule"),
    path("pertemuan/<int:pk>/batalkan/", views.meeting_cancel, name="cancel"),
]
