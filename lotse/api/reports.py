"""Anonymous figures under ``/api/v1/reports/``: the aggregate face, nothing else.

The same function as the figures page (``reports.aggregates.request_figures``): suppressed
before it answers, audited per request, refused (404) for roles without figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import model_validator

from lotse.accounts.roles import Capability
from lotse.people.choices import District
from lotse.reports import aggregates
from lotse.reports.models import FigureSource

from .auth import acting_membership, requires
from .people import ERRORS
from .schemas import CheckedInput

router = Router(tags=["reports"])

FIGURES = requires(Capability.VIEW_AGGREGATES, Capability.VIEW_AGENCY_AGGREGATES)


class FiguresQuery(CheckedInput):
    from_: date = Field(..., alias="from", description="First day of the period (YYYY-MM-DD).")
    to: date = Field(..., description="Last day of the period (YYYY-MM-DD).")
    district: District | None = Field(None, description="One district; the whole city if left out.")

    @model_validator(mode="after")
    def _ordered(self) -> FiguresQuery:
        if self.to < self.from_:
            raise ValueError("to: the end of the period lies before its start")
        return self


class EntryOut(Schema):
    value: float | None = Field(description="The number; null when it is withheld.")
    state: str = Field(
        description=(
            "shown, primary (a value below k) or secondary (withheld so that a small value "
            "cannot be computed)."
        )
    )


class RowOut(Schema):
    code: str
    label: str
    entries: list[EntryOut]
    total: EntryOut | None


class ColumnOut(Schema):
    code: str
    label: str


class TableOut(Schema):
    key: str
    title: str
    unit: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    column_totals: list[EntryOut] | None
    grand_total: EntryOut | None


class SectionOut(Schema):
    key: str
    heading: str
    tables: list[TableOut]


class PeriodOut(Schema):
    from_: date = Field(alias="from")
    to: date


class FiguresOut(Schema):
    period: PeriodOut
    previous: PeriodOut = Field(description="The same period one year earlier.")
    district: str | None
    minimum_cell_size: int
    as_of: date
    note: str
    sections: list[SectionOut]


@router.get(
    "/reports/figures",
    response={200: FiguresOut, **ERRORS},
    auth=FIGURES,
    by_alias=True,
    summary="Anonymous figures of a period (suppressed: values below k are withheld)",
)
def figures_get(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    membership = acting_membership(request)
    try:
        figures = aggregates.request_figures(
            membership,
            start=query.from_,
            end=query.to,
            district=str(query.district.value) if query.district else "",
            source=FigureSource.API,
        )
    except aggregates.PeriodError as error:
        raise ValidationError(
            [{"type": "invalid", "loc": ["query", "to"], "msg": str(error)}]
        ) from error
    return figures.as_json()
