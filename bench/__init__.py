"""The portal's benchmark (``make bench``): figures and ratios, not a test."""
