"""The WSGI application, e.g. ``waitress-serve alinea.web.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alinea.web.settings")

application = get_wsgi_application()
