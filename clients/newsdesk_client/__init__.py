"""newsdesk client placeholder."""
