"""Helpers shared by the tests: driving a complaint through its steps by name."""
