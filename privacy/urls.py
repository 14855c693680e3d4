"""A person's own data ("Data saya") and platform staff's handling of the requests, on the
platform (portal/urls_public.py)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("data-saya/", views.mine, name="mine"),
    path("data-saya/salinan/", views.request_copy, name="request_copy"),
    path("data-saya/salinan/<int:pk>/unduh/", views.download_copy, name="download_copy"),
    path("data-saya/hapus/", views.request_erasure, name="request_erasure"),
    path("data-saya/nama/", views.correct_name, name="correct_name"),
    path("data-saya/permintaan/", views.request_other, name="request_other"),
    path("data-saya/permintaan/<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("platform/data-pribadi/", views.staff_list, name="staff_list"),
    path("platform/data-pribadi/catatan/", views.record, name="record"),
    path("platform/data-pribadi/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("platform/data-pribadi/<int:pk>/selesaikan/", views.staff_complete, name="staff_complete"),
    path("platform/data-pribadi/<int:pk>/tolak/", views.staff_refuse, name="staff_refuse"),
]
