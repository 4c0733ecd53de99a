"""The KPIs as CSV and XLSX (one row per figure: section, figure, value), for project
reports."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from clusterhub.algorithms.kpi import Kpis, as_rows

HEADER = ("section", "figure", "value")


def kpis_csv(kpis: Kpis, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(HEADER)
    writer.writerows(as_rows(kpis))
    return response


def kpis_xlsx(kpis: Kpis, filename: str) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("KPIs")
    sheet.append(HEADER)
    for section, label, value in as_rows(kpis):
        sheet.append([section, label, value if isinstance(value, (int, float)) or value is None
                      else str(value)])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
