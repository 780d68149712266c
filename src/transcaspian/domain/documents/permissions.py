"""Who may do what to a document: rules by organisation role, user role and party.

- Issue: a user who may change documents, acting for an organisation whose role fits the type
  (carriers and forwarders issue transport documents, shippers invoices and packing lists ...).
- Amend, suspend, reinstate, revoke: the issuing organisation only.
- Transfer and surrender a title document: the current holder only.
- Read: parties only (see ``TransportDocument.is_party``).
Each rule raises PermissionDeniedError naming what is missing.
"""

from __future__ import annotations

from transcaspian.domain.documents.lifecycle import LifecycleAction, TransportDocument
from transcaspian.domain.documents.parties import Actor, OrgRole
from transcaspian.domain.errors import PermissionDeniedError

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
    """Raise PermissionDeniedError unless the actor may take ``action`` on the document."""
    require_can_change(actor)
    slug = actor.organisation.slug
    if action in {LifecycleAction.TRANSFER, LifecycleAction.SURRENDER}:
        if document.holder != slug:
            raise PermissionDeniedError(
                f"only the current holder ({document.holder}) may {action.value} "
                f"document {document.document_id}, not {slug}",
                field="/holder",
            )
        return
    if document.issuer != slug:
        raise PermissionDeniedError(
            f"only the issuer ({document.issuer}) may {action.value} document "
            f"{document.document_id}, not {slug}",
            field="/issuer",
        )


def can_read(actor: Actor, document: TransportDocument) -> bool:
    organisation = actor.organisation
    return document.is_party(
        organisation.slug, organisation.country, customs=organisation.has_role(OrgRole.CUSTOMS)
    )


def require_can_read(actor: Actor, document: TransportDocument) -> None:
    if not can_read(actor, document):
        raise PermissionDeniedError(
            f"{actor.organisation.slug} is not a party to document {document.document_id}",
            field="/document_id",
        )


def _normal(document_type: str) -> str:
    return document_type.replace("_", "-").lower()
