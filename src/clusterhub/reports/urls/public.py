"""The public highlights report, under /events/<slug>/report/ (namespace `report`)."""

urlpatterns: list = []
