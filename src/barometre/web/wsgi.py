import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
application = get_wsgi_application()

# Import the statistics stack and every view once per process, before the first request
# (with ``gunicorn --preload`` this happens once, in the master, not in each worker).
from django.urls import get_resolver  # noqa: E402

import barometre.core.indicators.compute  # noqa: E402, F401

get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views
