"""Files in and out: atomic, never-overwriting output and whole-file hashing (no layer above)."""
