"""Compatible objectives as sparse "seek" and "give" role vectors, so that seek_i · give_j is
the share of i's objective roles that j answers (in [0, 1])."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .types import OBJECTIVES, Profile

RESEARCH_TYPES = frozenset({"research", "hospital", "university"})
BUYER_TYPES = frozenset({"hospital", "public_authority", "industry"})
POLICY_TYPES = frozenset({"public_authority", "diplomatic", "cluster"})

# (role i has, role j has, reason shown to i)
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("invest:seek", "invest:give", "they invest and you seek investment"),
    ("invest:give", "invest:seek", "they seek investment and you invest"),
    ("research:seek", "research:host", "you seek research collaboration and they do research"),
    ("research:host", "research:seek", "they seek research collaboration and you do research"),
    ("procure:buyer", "procure:supplier", "they supply what you may procure"),
    ("procure:supplier", "procure:buyer", "they procure and you supply"),
    ("policy:seek", "policy:host", "they shape policy you want to discuss"),
    ("policy:host", "policy:seek", "they want a policy dialogue with you"),
    *((f"obj:{o}", f"obj:{o}", f"you both want {o.replace('_', ' ')}") for o in OBJECTIVES),
)


def roles(p: Profile) -> frozenset[str]:
    objs = set(p.objectives)
    out = {f"obj:{o}" for o in objs}
    if p.org_type == "investor":
        out.add("invest:give")
    elif "investment" in objs:
        out.add("invest:seek")
    if p.org_type in RESEARCH_TYPES:
        out.add("research:host")
    if "research_collaboration" in objs:
        out.add("research:seek")
    if "procurement" in objs:
        out.add("procure:buyer" if p.org_type in BUYER_TYPES else "procure:supplier")
    if p.org_type in POLICY_TYPES:
        out.add("policy:host")
    if "policy_dialogue" in objs:
        out.add("policy:seek")
    return frozenset(out)


def role_matrices(all_roles: Sequence[frozenset[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """seek (n × pairs, rows sum to ≤ 1) and give (n × pairs, 0/1) from each profile's roles."""
    si: list[int] = []
    sj: list[int] = []
    sv: list[float] = []
    gi: list[int] = []
    gj: list[int] = []
    for i, rs in enumerate(all_roles):
        mine = [k for k, (a, _b, _r) in enumerate(PAIRS) if a in rs]
        for k in mine:
            si.append(i)
            sj.append(k)
            sv.append(1.0 / len(mine))
        for k, (_a, b, _r) in enumerate(PAIRS):
            if b in rs:
                gi.append(i)
                gj.append(k)
    shape = (len(all_roles), len(PAIRS))
    seek = sp.csr_matrix((np.asarray(sv, dtype=np.float32), (si, sj)), shape=shape)
    give = sp.csr_matrix((np.ones(len(gi), dtype=np.float32), (gi, gj)), shape=shape)
    return seek, give


@lru_cache(maxsize=4096)
def objective_reason(mine: frozenset[str], theirs: frozenset[str]) -> str | None:
    for a, b, reason in PAIRS:
        if a in mine and b in theirs and not a.startswith("obj:"):
            return reason
    for a, b, reason in PAIRS:
        if a in mine and b in theirs:
            return reason
    return None
