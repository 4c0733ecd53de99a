"""Secret personal calendar feeds, /calendar/<token>.ics (namespace `calendar`)."""

urlpatterns: list = []
