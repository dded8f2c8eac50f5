"""Django apps: thin models, views and templates around the core."""
