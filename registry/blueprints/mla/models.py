"""Models of the mla domain."""
