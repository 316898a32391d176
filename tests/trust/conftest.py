"""Trust fixtures: the intake test service on the seeded site."""
from tests.intake.conftest import service  # noqa: F401 - fixture re-export
from tests.permits.conftest import signing_ca  # noqa: F401,E402 - fixture re-export
