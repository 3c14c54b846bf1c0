"""Staff accounts: sign-in, throttling, session expiry, user management and the audit log."""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.security import check_password_hash

import config
from consult.auth.models import AuditEvent, User
from consult.auth.services import authenticate, hash_password
from consult.extensions import db
from tests.factories import PASSWORD, make_survey, make_user


def test_passwords_are_hashed_with_scrypt(app):
    user = make_user("staff")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    # The suite hashes at a lower cost (tests/conftest.py); outside it, at werkzeug's default.
    assert config.PASSWORD_HASH_METHOD == "scrypt"
    app.config["PASSWORD_HASH_METHOD"] = config.PASSWORD_HASH_METHOD
    production = hash_password(PASSWORD)
    assert production.startswith("scrypt:32768:8:1$") and check_password_hash(production, PASSWORD)


def test_sign_in_and_out(client):
    make_user("staff")
    page = client.post("/login", data={"email": "staff@example.org", "password": "wrong"})
    assert page.status_code == 400 and "Enter a correct email address and password" in page.get_data(as_text=True)
    assert client.post("/login?next=/admin/users", data={"email": "STAFF@example.org", "password": PASSWORD}).location == "/admin/users"
    assert client.get("/workspace/").status_code == 200
    client.post("/logout")
    assert client.get("/workspace/").location.startswith("/login")


@pytest.mark.parametrize("query", [
    "next=//evil.example/", "next=%2F%09%2Fevil.example", "next=/%0D/evil.example", "next=/%0A/evil.example",
    "next=%2F%2Fevil.example", "next=/%5Cevil.example", "next=%5C%5Cevil.example", "next=/\\evil.example",
    "next=%09//evil.example", "next=%20//evil.example", "next=%00//evil.example", "next=https://evil.example/",
    "next=https:evil.example", "next=HTTPS:%2F%2Fevil.example", "next=javascript:alert(1)",
    "next=%6A%61%76%61script:alert(1)", "next=evil.example", "next=///evil.example", "next=/%09%09/evil.example",
    "next=%2F%5C%09evil.example"])
def test_next_cannot_leave_the_site(client, query):
    make_user("staff")
    response = client.post(f"/login?{query}", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/workspace/"


@pytest.mark.parametrize("target", ["/admin/users", "/workspace/test-survey/responses?page=2",
                                    "/workspace/test-survey/code/3?question=why"])
def test_next_keeps_paths_on_this_site(client, target):
    make_user("staff")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "staff@example.org", "password": PASSWORD})
    assert response.location == target


def test_five_failures_lock_the_account(app):
    make_user("staff")
    for _ in range(5):
        assert authenticate("staff@example.org", "wrong")[0] is None
    user, problem = authenticate("staff@example.org", PASSWORD)
    assert user is None and "Too many failed attempts" in problem
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.action == "user.locked"))


def test_parallel_wrong_passwords_check_at_most_five(app, monkeypatch):
    make_user("staff")
    # Past the overload gate, which would let only one request in at a time (and turn some away as busy).
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app.wsgi_app)
    barrier = threading.Barrier(12)

    def attempt(password: str) -> str:
        client = app.test_client()
        barrier.wait()
        return client.post("/login", data={"email": "staff@example.org", "password": password}).get_data(as_text=True)

    with ThreadPoolExecutor(12) as pool:
        pages = list(pool.map(attempt, [f"wrong {n}" for n in range(12)]))
    assert sum("Enter a correct email address and password" in page for page in pages) == 4
    assert sum("Too many failed attempts" in page for page in pages) == 8  # the fifth check locked it
    assert "Too many failed attempts" in app.test_client().post(
        "/login", data={"email": "staff@example.org", "password": PASSWORD}).get_data(as_text=True)


def test_lockout_says_nothing_about_which_emails_have_accounts(client):
    make_user("staff")

    def messages(email: str) -> list[str]:
        pages = [client.post("/login", data={"email": email, "password": "wrong"}).get_data(as_text=True)
                 for _ in range(7)]
        return [re.search(r'class="kil-error-message"><span class="kil-visually-hidden">Error:</span> ([^<]+)</p>',
                          page).group(1) for page in pages]

    known, unknown = messages("staff@example.org"), messages("nobody@example.org")
    assert known == unknown
    assert known[4:] == ["Too many failed attempts. Try again in 15 minutes, or ask an admin to reset your password"] * 3


def test_a_password_reset_unlocks_the_account(client, login):
    user = make_user("staff")
    for _ in range(5):
        authenticate("staff@example.org", "wrong")
    login("admin")
    client.post(f"/admin/users/{user.id}", data={"role": "staff", "active": "y", "password": "a brand new password"})
    assert authenticate("staff@example.org", "a brand new password")[0] is not None


def saved_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A request from another browser carrying a saved session cookie (in an app context of its own, as on a
    server: the test's context would keep the user Flask-Login loaded for an earlier request in `g`)."""
    other = app.test_client()
    other.set_cookie("session", cookie, domain="localhost")
    with app.app_context():
        return other.get("/workspace/")


def test_a_cookie_saved_before_sign_out_stops_working(app, client, login):
    login("staff")
    cookie = saved_cookie(client)
    assert replay(app, cookie).status_code == 200
    client.post("/logout")
    response = replay(app, cookie)
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("change", [{"password": "a brand new password"}, {"role": "researcher"}, {"active": ""}])
def test_admin_changes_end_every_session_of_the_account(app, client, change):
    staff, admin = make_user("staff"), make_user("admin")
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    cookie = saved_cookie(client)
    assert replay(app, cookie).status_code == 200
    admin_client = app.test_client()
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert admin_client.post(f"/admin/users/{staff.id}", data={"role": "staff", "active": "y", **change}).status_code == 302
    response = replay(app, cookie)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(app, client, login):
    admin = login("admin")
    elsewhere = saved_cookie(client)
    assert client.post(f"/admin/users/{admin.id}", data={"role": "admin", "active": "y",
                                                         "password": "a brand new password"}).status_code == 302
    assert client.get("/workspace/").status_code == 200
    assert replay(app, elsewhere).status_code == 302


def test_idle_sessions_expire(app, client, login):
    login("staff")
    assert client.get("/workspace/").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.get("/workspace/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_admin_manages_users_and_sees_the_audit_log(client, login):
    login("admin")
    page = client.post("/admin/users", data={"email": "new@example.org", "name": "New Coder", "role": "researcher",
                                              "password": "short"})
    assert page.status_code == 400 and "Password must be 12 characters or more" in page.get_data(as_text=True)
    assert client.post("/admin/users", data={"email": "new@example.org", "name": "New Coder", "role": "researcher",
                                             "password": "a long enough password"}).status_code == 302
    new = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert client.post(f"/admin/users/{new.id}", data={"role": "staff"}).status_code == 302
    db.session.refresh(new)
    assert new.role == "staff" and not new.active
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "user.created" in log and "user.updated" in log and "admin@example.org" in log


def test_admin_cannot_lock_themselves_out(client, login):
    admin = login("admin")
    page = client.post(f"/admin/users/{admin.id}", data={"role": "staff", "active": "y"})
    assert page.status_code == 400 and "You cannot remove your own admin access" in page.get_data(as_text=True)


def test_users_add_command(runner, app):
    result = runner.invoke(args=["users", "add", "first@example.org", "--role", "admin"])
    assert result.exit_code == 0 and "Added first@example.org as admin." in result.output
    assert "Temporary password (shown once): " in result.output
    again = runner.invoke(args=["users", "add", "first@example.org", "--role", "admin", "--password", "x" * 12])
    assert again.exit_code == 1 and "There is already an account" in again.output
    assert "first@example.org\tadmin\tactive" in runner.invoke(args=["users", "list"]).output


def test_workspace_overview_counts_responses(client, login):
    from tests.factories import make_response

    survey = make_survey()
    make_response(survey)
    login("staff")
    page = client.get("/workspace/test-survey/").get_data(as_text=True)
    assert "Responses by channel" in page and "Test consultation test-survey" in page
