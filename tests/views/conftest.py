import pytest


@pytest.fixture
def signing_ca(settings):
    """The development CA and signing certificate ``silat init`` creates."""
    from silat.permits.signing import generate_dev_ca, paths
    generate_dev_ca(settings)
    return paths(settings)
