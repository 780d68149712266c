"""Who may do what to a document: rules by organisation role, user role and party.

- Issue: a user who may change documents, acting for an organisation whose role fits the type
  (carriers and forwarders issue transport documents, shippers invoices and packing lists ...).
- Amend, suspend, reinstate, revoke: the issuing organisation only.
- Transfer and surrender a title document: the current holder only.
- Read: parties only (see ``TransportDocument.is_party``).
A non-party gets NotFoundError, the same answer as for a document that does not exist; a party
without the right gets PermissionDeniedError naming what is missing (never another party).
"""

from __future__ import annotations

from transcaspian.domain.documents.lifecycle import LifecycleAction, TransportDocument
from transcaspian.domain.documents.parties import Actor, OrgRole
from transcaspian.domain.errors import NotFoundError, PermissionDeniedError

_TRANSPORT = frozenset({OrgRole.CARRIER, OrgRole.FORWARDER})
ISSUER_ROLES: dict[str, frozenset[OrgRole]] = {
    "cim-smgs": _TRANSPORT,
    "cmr": _TRANSPORT,
    "bill-of-lading": frozenset({OrgRole.CARRIER}),
    "sea-waybill": frozenset({OrgRole.CARRIER}),
    "commercial-invoice": frozenset({OrgRole.SHIPPER, OrgRole.FORWARDER}),
    "packing-list": frozenset({OrgRole.SHIPPER, OrgRole.FORWARDER}),
    "certificate-of-origin": frozenset({OrgRole.SHIPPER, OrgRole.FORWARDER, OrgRole.CUSTOMS}),
    "transit-declaration": frozenset({OrgRole.FORWARDER, OrgRole.CARRIER, OrgRole.CUSTOMS}),
}
_ANY_TRADER = frozenset(OrgRole) - {OrgRole.BANK}


def issuer_roles(document_type: str) -> frozenset[OrgRole]:
    """The organisation roles that may issue ``document_type``."""
    return ISSUER_ROLES.get(_normal(document_type), _ANY_TRADER)


def require_can_change(actor: Actor) -> None:
    if not actor.user.role.can_change_documents:
        raise PermissionDeniedError(
            f"{actor.user.email} is a {actor.user.role.value} and may only read documents",
            field="/user/role",
        )


def require_can_issue(actor: Actor, document_type: str) -> None:
    """Raise PermissionDeniedError unless the actor may issue this type."""
    require_can_change(actor)
    allowed = issuer_roles(document_type)
    if not actor.organisation.roles & allowed:
        roles = ", ".join(sorted(r.value for r in actor.organisation.roles))
        raise PermissionDeniedError(
            f"{actor.organisation.slug} ({roles}) may not issue a {document_type}; "
            f"that needs the role {' or '.join(sorted(r.value for r in allowed))}",
            field="/document_type",
        )


def require_can_act(actor: Actor, document: TransportDocument, action: LifecycleAction) -> None:
    """Raise unless the actor may take ``action`` on the document: NotFoundError for a
    non-party (exactly as for a document that does not exist, so an id reveals nothing),
    PermissionDeniedError for a party without the right, naming nobody else. Call it before
    looking at the document's state, so a refusal says nothing about the state either."""
    require_can_read(actor, document)
    require_can_change(actor)
    slug = actor.organisation.slug
    if action in {LifecycleAction.TRANSFER, LifecycleAction.SURRENDER}:
        if document.holder != slug:
            raise PermissionDeniedError(
                f"only the current holder may {action.value} document {document.document_id}; "
                f"{slug} does not hold it",
                field="/holder",
            )
        return
    if document.issuer != slug:
        raise PermissionDeniedError(
            f"only the issuer may {action.value} document {document.document_id}; "
            f"{slug} did not issue it",
            field="/issuer",
        )


def can_read(actor: Actor, document: TransportDocument) -> bool:
    organisation = actor.organisation
    return document.is_party(
        organisation.slug, organisation.country, customs=organisation.has_role(OrgRole.CUSTOMS)
    )


def require_can_read(actor: Actor, document: TransportDocument) -> None:
    """Raise NotFoundError, the same as for an id that does not exist, for a non-party."""
    if not can_read(actor, document):
        raise document_not_found(document.document_id)


def document_not_found(document_id: str) -> NotFoundError:
    """The one answer for "no such document" and "not yours to see"."""
    return NotFoundError(f"document: {document_id!r} does not exist", field="/document_id")


def visible_actor(viewer: Actor, organisation: str, actor_label: str) -> str:
    """Who acted, as ``viewer`` may see it: the user's own label for the viewer's own
    organisation, otherwise only the organisation (a customs officer sees that ktz acted,
    not which of its clerks)."""
    return actor_label if viewer.organisation.slug == organisation else organisation


def _normal(document_type: str) -> str:
    return document_type.replace("_", "-").lower()
