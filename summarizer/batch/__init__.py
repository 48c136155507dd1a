"""Batch processing: many articles, concurrent, rate-limited, resumable, cached and costed."""
