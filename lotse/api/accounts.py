from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lotse.accounts import selectors
from lotse.accounts.models import Membership

from .schemas import CheckedInput, ListOut

router = Router(tags=["accounts"])


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    agency: AgencyOut | None
    role: str | None
    capabilities: list[str]


class Page(CheckedInput):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/me", response=MeOut, summary="The calling user, agency and role")
def me(request: HttpRequest) -> MeOut:
    membership: Membership | None = getattr(request, "membership", None)
    user = request.user
    return MeOut(
        id=int(user.pk or 0),
        username=user.get_username(),
        name=user.get_full_name(),  # type: ignore[union-attr]
        agency=AgencyOut.from_orm(membership.agency) if membership else None,
        role=membership.role if membership else None,
        capabilities=sorted(membership.capabilities) if membership else [],
    )


@router.get("/agencies", response=ListOut[AgencyOut], summary="Agencies taking part in Lotse")
def agencies(request: HttpRequest, page: Query[Page]) -> dict[str, object]:
    queryset = selectors.agency_list()
    return {
        "items": list(queryset[page.offset : page.offset + page.limit]),
        "count": queryset.count(),
    }
