"""A small corridor of organisations for document tests: who is who on the Middle Corridor."""

from __future__ import annotations

from dataclasses import dataclass

from transcaspian.bootstrap import Platform
from transcaspian.domain.documents.parties import Actor, OrgRole, UserRole

ORGANISATIONS = {
    "kaz-exporter": ("Almaty Grain Export LLP", {OrgRole.SHIPPER}, "KZ"),
    "caspian-lines": ("Caspian Ferry Lines", {OrgRole.CARRIER}, "AZ"),
    "ktz": ("Kazakhstan Temir Zholy", {OrgRole.CARRIER}, "KZ"),
    "halyk-bank": ("Halyk Bank", {OrgRole.BANK}, "KZ"),
    "poti-agro": ("Poti Agro Trading LLC", {OrgRole.CONSIGNEE}, "GE"),
    "ge-customs": ("Georgia Revenue Service", {OrgRole.CUSTOMS}, "GE"),
    "tr-customs": ("Türkiye Customs", {OrgRole.CUSTOMS}, "TR"),
}


@dataclass
class Corridor:
    actors: dict[str, Actor]
    tokens: dict[str, str]
    viewer_token: str

    def __getitem__(self, slug: str) -> Actor:
        return self.actors[slug]


def build_corridor(platform: Platform) -> Corridor:
    actors, tokens = {}, {}
    for slug, (name, roles, country) in ORGANISATIONS.items():
        platform.organisations.create_organisation(slug, name, roles, country=country)
        platform.organisations.create_user(slug, f"clerk@{slug}.example", UserRole.CLERK)
        issued = platform.organisations.create_token(f"clerk@{slug}.example", "tests")
        tokens[slug] = issued.secret
        actor = platform.organisations.authenticate(issued.secret)
        assert actor is not None
        actors[slug] = actor
    platform.organisations.create_user("ktz", "viewer@ktz.example", UserRole.VIEWER)
    viewer = platform.organisations.create_token("viewer@ktz.example").secret
    return Corridor(actors=actors, tokens=tokens, viewer_token=viewer)
