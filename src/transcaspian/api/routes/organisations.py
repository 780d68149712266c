"""Organisation endpoints: who takes part (public), and key rotation (the organisation's admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.documents import OrganisationOut
from transcaspian.domain.documents.parties import Organisation, UserRole
from transcaspian.domain.errors import PermissionDeniedError

router = APIRouter(tags=["organisations"], responses=problem_responses(404))
Slug = Annotated[str, Path(max_length=64, description="the organisation's slug")]


@router.get("/organisations", response_model=list[OrganisationOut], summary="Organisations")
def list_organisations(request: Request) -> list[OrganisationOut]:
    return [_out(request, o) for o in get_platform(request).organisations.list()]


@router.get("/organisations/{slug}", response_model=OrganisationOut, summary="One organisation")
def get_organisation(request: Request, slug: Slug) -> OrganisationOut:
    return _out(request, get_platform(request).organisations.get(slug))


@router.post(
    "/organisations/{slug}/key-rotations",
    status_code=201,
    responses=problem_responses(401, 403, 404),
    summary="Retire the current signing key and create a new one (the organisation's admin)",
)
def rotate_key(request: Request, actor: ActorDep, slug: Slug) -> dict[str, Any]:
    if actor.organisation.slug != slug or actor.user.role is not UserRole.ADMIN:
        raise PermissionDeniedError(
            f"only an admin of {slug} may rotate its key", field="/organisation"
        )
    platform = get_platform(request)
    key = platform.organisations.rotate_key(slug, actor)
    organisation = platform.organisations.get(slug)
    return {
        "verification_method": organisation.verification_method(key),
        "public_key_multibase": key.public_key_multibase,
        "created_at": key.created_at.isoformat(),
    }


def _out(request: Request, organisation: Organisation) -> OrganisationOut:
    base = get_platform(request).settings.base_url.rstrip("/")
    url = (
        f"{base}/orgs/{organisation.slug}/did.json"
        if organisation.did.startswith("did:web:")
        else None
    )
    return OrganisationOut.from_domain(organisation, url)
