"""The organiser's report pages, under /orga/events/<slug>/report/ (namespace `orga_report`)."""

urlpatterns: list = []
