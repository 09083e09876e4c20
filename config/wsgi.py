import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After the application is loaded (in gunicorn's master, with preload_app, before the fork).
from lotse.core.runtime import tune_garbage_collector  # noqa: E402 - needs the loaded Django

tune_garbage_collector()
