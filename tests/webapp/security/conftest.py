"""The security tests share the API tests' shortcut: the test password is hashed once per run."""
from tests.webapp.api.conftest import password_hashed_once  # noqa: F401  (an autouse fixture)
