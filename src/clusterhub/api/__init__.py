"""The HTTP API under /api/v1/ (django-ninja): personal tokens, one error body, and read
endpoints over the events and registration apps. It sits above every domain app and below
the demo; domain apps never import it."""
