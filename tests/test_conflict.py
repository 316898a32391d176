"""A real ZODB ConflictError between two connections is retried transparently."""
from pyramid.events import ContextFound

from silat.resources.site import ZODB_ROOT_KEY
from tests.web import login


def test_conflicting_write_is_retried_and_succeeds(app, db, make_user, testapp):
    password = make_user("pemohon1", "pemohon")
    login(testapp, "pemohon1", password)
    attempts = []

    def change_same_user_elsewhere(event):
        request = event.request
        if request.path_info != "/bahasa":
            return
        attempt = request.environ.get("retry.attempt", 0)
        attempts.append(attempt)
        if attempt == 0:
            # the request has read the user; another connection commits a change to it
            request.user.title  # load its state in the request's connection
            with db.transaction() as other:
                other.root()[ZODB_ROOT_KEY]["pengguna"]["pemohon1"].title = "Changed concurrently"

    app.registry.registerHandler(change_same_user_elsewhere, (ContextFound,))
    page = testapp.get("/beranda").maybe_follow()
    form = page.forms[1]          # the language switch in the header
    response = form.submit("lang", value="en")
    assert response.status_int == 303
    assert attempts == [0, 1], "the first attempt conflicted and was retried once"
    with db.transaction() as conn:
        user = conn.root()[ZODB_ROOT_KEY]["pengguna"]["pemohon1"]
        assert user.language == "en"                    # the request's own write
        assert user.title == "Changed concurrently"     # the concurrent write survived
