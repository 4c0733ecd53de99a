"""Pure algorithms: plain dataclasses and numpy arrays in and out, no Django import.

import-linter enforces the purity (`make lint`). Matching, meeting scheduling and timetabling
live here from the issues that need them; `intervals` is the first resident, shared by the
programme's conflict checks.
"""
