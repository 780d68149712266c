"""Issue and verify a document in Debian's chromium: sign in with an API token, issue a CIM/SMGS
note from the form, follow the QR link to the verification page, and verify an uploaded file."""

import json
import shutil
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import Page, expect

from tests.plugins.browser import _free_port
from transcaspian.api.app import create_app
from transcaspian.bootstrap import build_platform
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def documents_server(platform_database, tmp_path_factory):
    """The platform on its own port, with base_url pointing at it so QR links work here."""
    database = tmp_path_factory.mktemp("documents-live") / "live.sqlite3"
    shutil.copyfile(platform_database, database)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    platform = build_platform(Settings(database_url=f"sqlite:///{database}", base_url=base_url))
    platform.organisations.create_organisation(
        "ktz", "Kazakhstan Temir Zholy", {OrgRole.CARRIER}, country="KZ"
    )
    platform.organisations.create_user("ktz", "clerk@ktz.example", UserRole.CLERK)
    token = platform.organisations.create_token("clerk@ktz.example").secret
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(platform), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield base_url, token, platform
    server.should_exit = True
    thread.join(timeout=10)
    platform.engine.dispose()


def test_issue_a_note_and_verify_it_in_the_browser(page: Page, documents_server, tmp_path):
    base_url, token, platform = documents_server
    page.goto(f"{base_url}/documents")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as clerk@ktz.example")).to_be_visible()

    page.get_by_role("link", name="Issue a document").click()
    expect(page.get_by_role("heading", name="Issue a document")).to_be_visible()
    page.get_by_label("Countries on the route").fill("KZ, AZ, GE")
    page.get_by_role("button", name="Issue and sign").click()

    expect(page.get_by_role("heading", name="CIM/SMGS rail consignment note")).to_be_visible()
    expect(page.get_by_text("Status: issued")).to_be_visible()
    expect(page.get_by_text("document.issue by clerk@ktz.example")).to_be_visible()

    page.get_by_role("link", name="Verify", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Verified")
    expect(page.get_by_role("cell", name="proof", exact=True)).to_be_visible()

    # verify by upload: the stored credential, then a copy with one field changed
    document = platform.documents.list_for(platform.organisations.authenticate(token))[0]
    genuine = tmp_path / "note.json"
    genuine.write_text(json.dumps(document.current.credential))
    page.goto(f"{base_url}/verify")
    page.get_by_label("Credential file").set_input_files(str(genuine))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("Verified")

    forged = dict(document.current.credential)
    forged["validUntil"] = "2099-01-01T00:00:00Z"
    changed = tmp_path / "forged.json"
    changed.write_text(json.dumps(forged))
    page.get_by_label("Credential file").set_input_files(str(changed))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("Not verified")
    expect(page.get_by_role("status")).to_contain_text("proof:")
