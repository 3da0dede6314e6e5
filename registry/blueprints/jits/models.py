"""Models of the jits domain."""
