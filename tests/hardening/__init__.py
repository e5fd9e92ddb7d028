"""Hardening: hostile input, crashes and concurrent use lose nothing and let nothing in."""
