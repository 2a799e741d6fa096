"""The archive service: what the desk has briefed, searchable, and the source of background bullets."""
