"""Privacy: a person's own data (download, erasure) and the retention purge.

It sits above every app that stores personal data (up to `api`, whose tokens a download lists
and an erasure removes) and below `demo`. Consent records live in `registration`, where
consents are given.
"""
