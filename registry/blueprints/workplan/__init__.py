"""ASEAN work-plan items and their dated status history."""
