#!/usr/bin/env python3
"""Runs a command in a fresh kernel session keyring (like `keyctl session - CMD`), so that
secrets stored by one process of a test run are found by the next, as in a login session."""
import ctypes
import os
import sys

KEYCTL_JOIN_SESSION_KEYRING = 1
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(250 if os.uname().machine == "x86_64" else 219, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
    sys.exit("cannot create a session keyring: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
