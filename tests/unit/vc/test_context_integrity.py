"""relatedResource pins of a credential's contexts (VC 2.0 §5.3), checked against the bundled
bytes: matching pins pass, any mismatch or uncheckable pin is named by its JSON pointer."""

import base64
import hashlib

import base58
import pytest

from transcaspian.vc.contexts import CREDENTIALS_V2, TRANSCASPIAN_V1, bundled_context
from transcaspian.vc.contexts.integrity import related_resource_problems

OURS = bundled_context(TRANSCASPIAN_V1)


def credential(related):
    return {"@context": [CREDENTIALS_V2, TRANSCASPIAN_V1], "relatedResource": related}


def sri(algorithm, content):
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, content).digest()).decode()


def test_no_pins_and_a_matching_pin_are_fine():
    assert related_resource_problems({"@context": [CREDENTIALS_V2]}) == []
    assert related_resource_problems(credential([OURS.related_resource()])) == []
    single = credential({"id": TRANSCASPIAN_V1, "digestSRI": sri("sha256", OURS.content)})
    assert related_resource_problems(single) == []


def test_the_w3c_published_digest_of_the_base_context_matches_our_bundled_bytes():
    published = bytes.fromhex("59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734")
    pin = {
        "id": CREDENTIALS_V2,
        "digestMultibase": "z" + base58.b58encode(b"\x12\x20" + published).decode(),
    }
    assert related_resource_problems(credential([pin])) == []


@pytest.mark.parametrize(
    ("entry", "pointer", "words"),
    [
        (
            {"digestSRI": sri("sha384", b"other bytes")},
            "/relatedResource/0/digestSRI",
            "does not match",
        ),
        (
            {"digestMultibase": "z" + base58.b58encode(b"\x12\x20" + bytes(32)).decode()},
            "/relatedResource/0/digestMultibase",
            "does not match",
        ),
        ({"digestSRI": "md5-AAAA"}, "/relatedResource/0/digestSRI", "no sha256"),
        ({"digestMultibase": "fdeadbeef"}, "/relatedResource/0/digestMultibase", "only base58btc"),
        ({"digestMultibase": "z0OIl"}, "/relatedResource/0/digestMultibase", "not valid multibase"),
        (
            {"digestMultibase": "z" + base58.b58encode(b"\x11\x14" + bytes(20)).decode()},
            "/relatedResource/0/digestMultibase",
            "not a sha2",
        ),
        ({"mediaType": "application/ld+json"}, "/relatedResource/0", "neither digestSRI nor"),
        ({"digestSRI": 7}, "/relatedResource/0/digestSRI", "must be a string"),
    ],
)
def test_a_pin_that_does_not_match_or_cannot_be_checked_is_named(entry, pointer, words):
    problems = related_resource_problems(credential([{"id": TRANSCASPIAN_V1, **entry}]))
    assert [p for p, _ in problems] == [pointer]
    assert words in problems[0][1]


def test_the_strongest_sri_algorithm_decides():
    right_256, right_384 = sri("sha256", OURS.content), sri("sha384", OURS.content)
    wrong_256, wrong_384 = sri("sha256", b"x"), sri("sha384", b"x")
    ok = credential([{"id": TRANSCASPIAN_V1, "digestSRI": f"{wrong_256} {right_384}"}])
    assert related_resource_problems(ok) == []
    bad = credential([{"id": TRANSCASPIAN_V1, "digestSRI": f"{right_256} {wrong_384}"}])
    assert [p for p, _ in related_resource_problems(bad)] == ["/relatedResource/0/digestSRI"]


def test_base64url_multibase_and_lists_of_digests_are_read():
    multihash = b"\x13\x40" + hashlib.sha512(OURS.content).digest()
    encoded = "u" + base64.urlsafe_b64encode(multihash).decode().rstrip("=")
    entry = {"id": TRANSCASPIAN_V1, "digestMultibase": [encoded, OURS.digest_multibase, "zBad0"]}
    problems = related_resource_problems(credential([entry]))
    assert [p for p, _ in problems] == ["/relatedResource/0/digestMultibase/2"]


def test_entries_for_other_resources_or_contexts_the_document_does_not_use_are_left_alone():
    other = {"id": "urn:uuid:1b2c", "digestMultibase": "zNotAContext"}
    unused = {"id": "https://www.w3.org/ns/did/v1", "digestSRI": "sha384-AAAA"}
    assert related_resource_problems(credential([other, unused])) == []
