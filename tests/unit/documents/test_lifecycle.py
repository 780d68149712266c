"""The lifecycle state machine, with a hypothesis RuleBasedStateMachine over the domain."""

from datetime import UTC, datetime

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from transcaspian.domain.documents.lifecycle import (
    DocumentStatus,
    DocumentVersion,
    LifecycleAction,
    TransportDocument,
    next_status,
)
from transcaspian.domain.documents.title import Endorsement
from transcaspian.domain.errors import InvalidTransitionError

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def version(n: int) -> DocumentVersion:
    return DocumentVersion(
        credential_id=f"urn:uuid:{n}",
        version=n,
        credential={"id": f"urn:uuid:{n}"},
        digest=f"z{n}",
        issued_at=T0,
        status_index=n,
        previous_credential_id=f"urn:uuid:{n - 1}" if n > 1 else None,
    )


def endorsement(sequence: int, action: str, to: str) -> Endorsement:
    return Endorsement(
        signed={"sequence": sequence, "action": action, "at": T0.isoformat()},
        from_party="x",
        to_party=to,
    )


def test_amending_a_revoked_document_is_an_invalid_transition():
    with pytest.raises(InvalidTransitionError, match="amend: not allowed for a revoked"):
        next_status(DocumentStatus.REVOKED, LifecycleAction.AMEND, negotiable=False)


def test_only_a_negotiable_document_can_be_transferred():
    with pytest.raises(InvalidTransitionError, match="only a negotiable"):
        next_status(DocumentStatus.ISSUED, LifecycleAction.TRANSFER, negotiable=False)


def test_a_surrendered_bill_of_lading_cannot_be_transferred_again():
    with pytest.raises(InvalidTransitionError):
        next_status(DocumentStatus.SURRENDERED, LifecycleAction.TRANSFER, negotiable=True)


ORGS = ["shipper", "bank", "consignee"]


class LifecycleMachine(RuleBasedStateMachine):
    """Random sequences of steps: allowed steps follow the table, refused ones change nothing."""

    def __init__(self):
        super().__init__()
        self.document = TransportDocument(
            document_id="d",
            document_type="bill-of-lading",
            issuer="carrier",
            status=DocumentStatus.ISSUED,
            negotiable=True,
            versions=(version(1),),
            holder="shipper",
            endorsements=(endorsement(1, "ISSUE", "shipper"),),
        )
        self.model_status = DocumentStatus.ISSUED
        self.model_holder = "shipper"

    def _attempt(self, step, expected_status):
        before = self.document
        if expected_status is None:
            with pytest.raises(InvalidTransitionError):
                step()
            assert self.document == before
            return False
        self.document = step()
        assert self.document.row_version == before.row_version + 1
        self.model_status = expected_status
        return True

    @rule(
        action=st.sampled_from(
            [LifecycleAction.SUSPEND, LifecycleAction.REINSTATE, LifecycleAction.REVOKE]
        )
    )
    def status_step(self, action):
        expected = {
            (DocumentStatus.ISSUED, LifecycleAction.SUSPEND): DocumentStatus.SUSPENDED,
            (DocumentStatus.SUSPENDED, LifecycleAction.REINSTATE): DocumentStatus.ISSUED,
            (DocumentStatus.ISSUED, LifecycleAction.REVOKE): DocumentStatus.REVOKED,
            (DocumentStatus.SUSPENDED, LifecycleAction.REVOKE): DocumentStatus.REVOKED,
        }.get((self.model_status, action))
        self._attempt(lambda: self.document.apply(action), expected)

    @rule()
    def amend(self):
        expected = DocumentStatus.ISSUED if self.model_status is DocumentStatus.ISSUED else None
        n = len(self.document.versions) + 1
        self._attempt(lambda: self.document.amended(version(n), None), expected)

    @rule(to=st.sampled_from(ORGS))
    def transfer(self, to):
        expected = DocumentStatus.ISSUED if self.model_status is DocumentStatus.ISSUED else None
        seq = len(self.document.endorsements) + 1
        if self._attempt(
            lambda: self.document.transferred(endorsement(seq, "TRANSFER", to)), expected
        ):
            self.model_holder = to

    @precondition(lambda self: self.model_status is not DocumentStatus.SURRENDERED)
    @rule()
    def surrender(self):
        expected = (
            DocumentStatus.SURRENDERED if self.model_status is DocumentStatus.ISSUED else None
        )
        seq = len(self.document.endorsements) + 1
        if self._attempt(
            lambda: self.document.transferred(endorsement(seq, "SURRENDER", "carrier")), expected
        ):
            self.model_holder = "carrier"

    @invariant()
    def state_matches_the_model(self):
        assert self.document.status is self.model_status
        assert self.document.holder == self.model_holder

    @invariant()
    def older_versions_are_superseded(self):
        for v in self.document.versions[:-1]:
            assert self.document.version_status(v) is DocumentStatus.SUPERSEDED
        assert self.document.version_status(self.document.current) is self.document.status

    @invariant()
    def terminal_states_stay_terminal(self):
        if self.model_status.is_terminal:
            for action in LifecycleAction:
                if action is LifecycleAction.ISSUE:
                    continue
                with pytest.raises(InvalidTransitionError):
                    next_status(self.document.status, action, negotiable=True)


TestLifecycleMachine = LifecycleMachine.TestCase
