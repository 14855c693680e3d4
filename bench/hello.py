"""The baseline for bench/http.py: a bare Django "hello" view with Django's default middleware,
served by gunicorn like the platform (`gunicorn bench.hello:application`). Settings, URL conf,
view and WSGI application in one module; no database."""

import os
import secrets

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_TZ = True
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("", hello)]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
