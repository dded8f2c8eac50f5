import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
application = get_wsgi_application()

# Import the statistics stack once per process, before the first request
# (with ``gunicorn --preload`` this happens once, in the master).
import barometre.core.indicators.compute  # noqa: E402, F401
