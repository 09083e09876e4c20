from django.urls import path  # noqa: F401 - filled by the staff pages

app_name = "directory"
urlpatterns: list = []
