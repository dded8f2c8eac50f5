"""Django project: settings, URLs, WSGI. The apps live in ``barometre.apps``."""
