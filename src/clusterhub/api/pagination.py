"""Limit/offset pages: every list answers `{"count", "limit", "offset", "items"}`, two
queries for the page (the count and the rows) plus the selector's prefetches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterhub.api.schemas import PageParams


def page_of(qs: QuerySet, page: PageParams) -> dict[str, Any]:
    return {
        "count": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(qs[page.offset : page.offset + page.limit]),
    }
