"""What each configuration says it can do, on every configuration of the contract suite."""

from selfcare.operations import Capability
from tests.conftest import capabilities_of


def test_a_configuration_can_do_what_its_client_says(sc, configuration) -> None:
    # requires(...) and lacks(...) skip tests without a client (sign-in) on this answer
    assert capabilities_of(configuration) == sc.capabilities


def test_only_tmf_lacks_sign_in(sc, configuration) -> None:
    assert (Capability.SIGN_IN in sc.capabilities) is not configuration.startswith("tmf")
