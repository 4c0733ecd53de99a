"""Word lists for the synthetic population. Plain data, no Django, no randomness."""
