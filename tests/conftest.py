"""Shared fixtures come from linli.testing (the pytest plugin every plugin author gets)."""
