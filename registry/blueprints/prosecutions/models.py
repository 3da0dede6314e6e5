"""Models of the prosecutions domain."""
