"""Models of the meetings domain."""
