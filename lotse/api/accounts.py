from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lotse.accounts import selectors
from lotse.accounts.models import Membership

from .schemas import ListOut

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


class Page(Schema):
    limit: int = 100
    offset: int = 0


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
    limit = max(1, min(page.limit, 500))
    offset = max(0, page.offset)
    return {"items": list(queryset[offset : offset + limit]), "count": queryset.count()}
