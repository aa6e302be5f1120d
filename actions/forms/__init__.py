"""Shared form validation behaviour."""
