"""newsdesk test suite."""
