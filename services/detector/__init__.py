"""The language detection service."""
