"""I-JSON (RFC 7493): the pure check of vc/ijson.py, the data model check that uses it, and the
credential gateway that refuses to sign or check what is not I-JSON (issue 8, defects 5, 6)."""

import json
import math
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.vc.credential_samples import unsigned_credential

from transcaspian.documents.types import DocumentValidationError
from transcaspian.documents.types.samples import sample_subject
from transcaspian.services import credentials_gateway as vc
from transcaspian.vc import data_integrity
from transcaspian.vc.data_model import credential_problems, presentation_problems
from transcaspian.vc.ijson import (
    MAX_SAFE_INTEGER,
    NotIJsonError,
    ijson_problems,
    loads,
    may_need_text_check,
    pointer_token,
    text_problems,
)
from transcaspian.vc.keys import did_key_for, did_key_verification_method, generate_private_key

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"  # its @vocab defines any term


def pointers(problems):
    return [pointer for pointer, _ in problems]


# -- numbers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number",
    [0, -0.0, 0.0, 1, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 1e-6, -1e-6, 0.5, 1e15, 123.456],
)
def test_numbers_javascript_reads_the_same_are_i_json(number):
    assert ijson_problems({"n": number}) == []


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (MAX_SAFE_INTEGER + 1, "2^53"),  # 2^53 itself: outside [-(2^53)+1, 2^53-1]
        (-MAX_SAFE_INTEGER - 1, "2^53"),
        (9007199254740993, "2^53"),  # JavaScript reads 9007199254740992
        (2**64, "2^53"),
        (1e20, "2^53"),
        (9.99e-7, "1e-6"),
        (-1e-7, "1e-6"),
        (5e-324, "1e-6"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
    ],
)
def test_numbers_javascript_reads_otherwise_are_refused_naming_the_pointer(number, words):
    problems = ijson_problems({"credentialSubject": {"weights": [1, number]}})
    assert pointers(problems) == ["/credentialSubject/weights/1"]
    assert words in problems[0][1]


def test_booleans_and_null_are_not_numbers():
    assert ijson_problems({"a": True, "b": False, "c": None}) == []


def test_a_huge_integer_is_described_without_writing_it_out():
    (problem,) = ijson_problems({"n": 10**5000})
    assert "integer of about 5001 digits" in problem[1]


@given(st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER))
def test_every_safe_integer_is_i_json(number):
    assert ijson_problems([number]) == []


@given(st.integers(min_value=MAX_SAFE_INTEGER + 1) | st.integers(max_value=-MAX_SAFE_INTEGER - 1))
def test_every_unsafe_integer_is_refused(number):
    assert pointers(ijson_problems([number])) == ["/0"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_finite_float_is_refused_exactly_when_out_of_the_plain_range(number):
    refused = abs(number) > MAX_SAFE_INTEGER or (number != 0 and abs(number) < 1e-6)
    assert bool(ijson_problems({"x": number})) is refused
    assert text_problems({"x": number}) == []  # the text check leaves ranges to the data model


# -- strings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["\ud800", "a\udfff", "\udc00b", "ok \ud83d then"])
def test_a_lone_surrogate_in_a_value_is_refused(text):
    problems = text_problems({"credentialSubject": {"name": text}})
    assert pointers(problems) == ["/credentialSubject/name"]
    assert "lone surrogate" in problems[0][1]
    assert ijson_problems({"credentialSubject": {"name": text}}) == problems


def test_a_surrogate_pair_is_one_character_and_fine():
    assert json.loads('"\\ud83d\\ude9a"') == "\U0001f69a"
    assert text_problems({"name": "\U0001f69a Aktau"}) == []


def test_a_lone_surrogate_in_a_key_is_refused_and_shown_escaped_in_the_pointer():
    problems = text_problems({"credentialSubject": {"x\ud800": 1}})
    assert pointers(problems) == ["/credentialSubject/x\\ud800"]
    pointer, message = problems[0]
    pointer.encode("utf-8")  # pointers and messages are always valid Unicode
    message.encode("utf-8")


def test_pointers_escape_tilde_and_slash_as_rfc_6901_says():
    problems = ijson_problems({"a/b": {"m~n": [0, 2**60]}})
    assert pointers(problems) == ["/a~1b/m~0n/1"]
    assert pointer_token("~1/") == "~01~1"


def test_problems_come_in_document_order_under_the_given_pointer():
    document = {"b": [2**60, {"c": "\ud800"}], "a": math.nan}
    assert pointers(ijson_problems(document, "/credential")) == [
        "/credential/b/0",
        "/credential/b/1/c",
        "/credential/a",
    ]


def test_a_problem_at_the_top_is_named_slash():
    assert pointers(ijson_problems(2**60)) == ["/"]


def test_not_json_at_all_is_walked_without_crashing():
    assert ijson_problems({"t": (1, 2**60), "when": datetime(2026, 1, 1, tzinfo=UTC)}) == [
        ("/t/1", ijson_problems(2**60)[0][1])
    ]


# any text, lone surrogates (category Cs) included, biased towards them
any_text = st.text(
    alphabet=st.characters(exclude_categories=()) | st.characters(categories=["Cs"]), max_size=6
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_every_problem_names_a_pointer_that_resolves_to_the_member(value):
    for pointer, message in ijson_problems(value):
        message.encode("utf-8")
        if "\\u" in pointer:
            continue  # a key with a lone surrogate: its pointer shows it escaped
        member = value
        if pointer == "/" and not isinstance(value, dict | list):
            continue  # the whole document, named "/" as everywhere in our problems
        for escaped in pointer.split("/")[1:]:
            token = escaped.replace("~1", "/").replace("~0", "~")
            member = member[int(token)] if isinstance(member, list) else member[token]
        assert isinstance(member, int | float | str) or member is None


# -- parsing at the input boundaries ---------------------------------------------------------
def test_loads_refuses_a_lone_surrogate_escape_naming_the_pointer():
    with pytest.raises(NotIJsonError) as refused:
        loads('{"credentialSubject": {"name": "\\ud800"}}')
    assert refused.value.problems[0][0] == "/credentialSubject/name"
    assert str(refused.value).startswith("/credentialSubject/name: ")
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1E+999"])
def test_loads_refuses_what_is_not_a_finite_number(literal):
    with pytest.raises(NotIJsonError, match="/n: is not a finite number"):
        loads(f'{{"n": {literal}}}')


def test_loads_accepts_big_numbers_they_are_for_the_data_model_to_refuse():
    assert loads('{"n": 9007199254740993}') == {"n": 9007199254740993}


def test_loads_lets_json_syntax_errors_through_as_they_are():
    with pytest.raises(json.JSONDecodeError):
        loads('{"n": ')


def test_raw_utf8_encoded_surrogates_are_found_too():
    body = '{"name": "\ud800"}'.encode("utf-8", "surrogatepass")  # json.loads uses surrogatepass
    assert may_need_text_check(body)
    assert pointers(text_problems(json.loads(body))) == ["/name"]


def test_an_ordinary_credential_is_not_parsed_twice():
    credential = unsigned_credential("cim-smgs", "did:web:transcaspian.example:orgs:ktz")
    assert not may_need_text_check(json.dumps(credential).encode())
    assert not may_need_text_check(json.dumps(credential, ensure_ascii=False).encode())


number_literals = st.builds(
    lambda sign, mantissa, fraction, exponent: f"{sign}{mantissa}{fraction}{exponent}",
    st.sampled_from(["", "-"]),
    st.from_regex(r"\A(0|[1-9][0-9]{0,120})\Z"),
    st.sampled_from(["", ".5", ".000001"]),
    st.one_of(st.just(""), st.from_regex(r"\A[eE][+-]?[0-9]{1,4}\Z")),
)


@settings(max_examples=300)
@given(json_values, st.booleans(), number_literals, st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_the_prefilter_never_misses_what_text_problems_finds(value, ascii_only, literal, codec):
    text = f"[{json.dumps(value, ensure_ascii=ascii_only)}, {literal}]"
    body = text.encode(codec, "surrogatepass")
    if text_problems(json.loads(body)):
        assert may_need_text_check(body), body


# -- the data model check --------------------------------------------------------------------
def credential(**extra):
    return {
        "@context": [V2, EXAMPLES],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
        **extra,
    }


def test_the_data_model_check_refuses_what_is_not_i_json():
    bad = credential(credentialSubject={"id": "did:example:s", "n": 2**60, "m": "\ud800"})
    assert pointers(credential_problems(bad)) == ["/credentialSubject/n", "/credentialSubject/m"]


def test_the_data_model_check_of_a_presentation_covers_its_credentials_and_itself():
    presentation = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "nonce": 2**60,
        "verifiableCredential": [credential(credentialSubject={"id": "did:example:s", "n": 1e-9})],
    }
    assert pointers(presentation_problems(presentation)) == [
        "/nonce",
        "/verifiableCredential/0/credentialSubject/n",
    ]


@pytest.mark.parametrize("name", ["validFrom", "validUntil"])
@pytest.mark.parametrize(
    "moment",
    [
        "2026-01-01T24:00:00Z",  # hour 24
        "2026-12-31T23:59:60Z",  # a leap second
        "2026-02-30T00:00:00Z",
        "2026-01-01T00:00:00+25:00",
        "20260-01-01T00:00:00Z",
    ],
)
def test_a_date_that_is_no_real_instant_is_a_problem_of_its_field_not_an_exception(name, moment):
    problems = credential_problems(credential(**{name: moment}))
    assert pointers(problems) == [f"/{name}"]
    assert "not a real instant" in problems[0][1]


@given(
    st.from_regex(
        r"\A[0-9]{4,5}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})\Z"
    )
)
def test_no_date_string_makes_the_data_model_check_raise(moment):
    problems = credential_problems(credential(validFrom=moment, validUntil=moment))
    assert set(pointers(problems)) <= {"/validFrom", "/validUntil"}


# -- the gateway: nothing that is not I-JSON is signed or checked ----------------------------
def did_key_signed(document):
    key = generate_private_key()
    document = {**document, "issuer": did_key_for(key.public_key())}
    return data_integrity.sign_credential(
        document,
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_the_gateway_refuses_to_sign_what_is_not_i_json():
    key = generate_private_key()
    with pytest.raises(DocumentValidationError) as refused:
        vc.sign_credential(
            credential(credentialSubject={"id": "did:example:s", "n": 2**53}),
            private_key=key,
            verification_method=did_key_verification_method(key.public_key()),
            created=datetime(2026, 1, 1, tzinfo=UTC),
        )
    assert refused.value.problems[0][0] == "/credentialSubject/n"


def test_the_gateway_does_not_check_a_proof_over_what_is_not_i_json():
    signed = did_key_signed(credential(credentialSubject={"id": "did:example:s", "n": 2**60}))
    resolve = lambda method: generate_private_key().public_key()  # noqa: E731 - not reached
    result = vc.verify_proof(signed, resolve)
    assert not result.verified
    assert "/credentialSubject/n" in (result.problem or "")


def test_the_gateway_reports_a_lone_surrogate_instead_of_failing_to_hash_it():
    signed = did_key_signed(credential(credentialSubject={"id": "did:example:s", "n": "ok"}))
    signed["credentialSubject"]["n"] = "\udead"
    result = vc.verify_proof(signed, lambda method: generate_private_key().public_key())
    assert not result.verified
    assert "/credentialSubject/n" in (result.problem or "")


def test_a_subject_that_passes_its_schema_but_is_not_i_json_is_refused():
    subject = sample_subject("cim-smgs")
    subject["goodsItems"][0]["numberOfPackages"] = 2**60  # the schema says only >= 0
    with pytest.raises(DocumentValidationError) as refused:
        vc.validate_subject("cim-smgs", subject)
    assert refused.value.problems[0][0] == "/goodsItems/0/numberOfPackages"
