"""The `hilos` command line: parse, call the core, render; errors become messages and exit codes.

Exit codes: 0 success; 1 the answer is "no" or the data is invalid (nothing found, validation
failed, an ASK query answered false); 2 bad usage or bad input (unreadable file, unknown query,
ill-typed parameter, store in use).
"""

from __future__ import annotations

from .app import main

__all__ = ["main"]
