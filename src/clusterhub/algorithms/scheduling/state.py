"""The mutable schedule the heuristics work on: which slot each request is in, and for each
person and slot the bit masks and counters that make a feasibility check a few integer ops."""

from __future__ import annotations

from .instance import Instance


class State:
    """`slot_of[r]` is the slot index of request r, or -1. Every method keeps the derived
    fields (busy masks, counts, per-slot load, full and blocked masks) in step."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        n_people, n_sessions = len(inst.people), len(inst.session_masks)
        self.slot_of = [-1] * len(inst.requests)
        self.busy = [0] * n_people
        self.count = [0] * n_people
        self.session_count = [[0] * n_sessions for _ in range(n_people)]
        # Slots of sessions where the person reached the cap (all of them for a cap of 0).
        every_session = sum(inst.session_masks)
        self.blocked = [every_session if c <= 0 else 0 for c in inst.cap_session]
        self.load = [0] * inst.n_slots
        self.full = sum(1 << s for s, t in enumerate(inst.tables) if t <= 0)
        self.at: list[set[int]] = [set() for _ in range(inst.n_slots)]
        self.held: list[dict[int, int]] = [{} for _ in range(n_people)]  # slot -> request
        self.journal: list[tuple[int, int]] = []  # (request, slot it left, or -1 if placed)
        self.placed = 0
        self.effort = 0  # slot clearings and moves tried, counted against a budget by the repair
        for r, (s, _table) in inst.fixed.items():
            self.place(r, s)

    def free_slots(self, r: int) -> int:
        """Slots where request r could go now without moving anything (0 if a cap is reached)."""
        inst = self.inst
        a, b = inst.ra[r], inst.rb[r]
        if self.count[a] >= inst.cap[a] or self.count[b] >= inst.cap[b]:
            return 0
        return inst.common[r] & ~(
            self.busy[a] | self.busy[b] | self.blocked[a] | self.blocked[b] | self.full
        )

    def place(self, r: int, s: int) -> None:
        inst = self.inst
        assert self.slot_of[r] < 0, "request placed twice"
        bit = 1 << s
        g = inst.sessions[s]
        for p in (inst.ra[r], inst.rb[r]):
            self.held[p][s] = r
            self.busy[p] |= bit
            self.count[p] += 1
            if g >= 0:
                row = self.session_count[p]
                row[g] += 1
                if row[g] >= inst.cap_session[p]:
                    self.blocked[p] |= inst.session_masks[g]
        self.load[s] += 1
        if self.load[s] >= inst.tables[s]:
            self.full |= bit
        self.slot_of[r] = s
        self.at[s].add(r)
        self.placed += 1
        self.journal.append((r, -1))

    def remove(self, r: int) -> None:
        inst = self.inst
        s = self.slot_of[r]
        bit = 1 << s
        g = inst.sessions[s]
        for p in (inst.ra[r], inst.rb[r]):
            del self.held[p][s]
            self.busy[p] &= ~bit
            self.count[p] -= 1
            if g >= 0:
                row = self.session_count[p]
                row[g] -= 1
                if row[g] < inst.cap_session[p]:
                    self.blocked[p] &= ~inst.session_masks[g]
        self.load[s] -= 1
        if self.load[s] < inst.tables[s]:
            self.full &= ~bit
        self.slot_of[r] = -1
        self.at[s].discard(r)
        self.placed -= 1
        self.journal.append((r, s))

    def mark(self) -> int:
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo every place and remove since `mark`."""
        journal = self.journal
        while len(journal) > mark:
            r, s = journal.pop()
            if s < 0:
                self.remove(r)
            else:
                self.place(r, s)
            journal.pop()

    def scheduled(self) -> list[int]:
        return [r for r, s in enumerate(self.slot_of) if s >= 0]

    def move_targets(self, r: int) -> int:
        """Slots other than its own where the placed request r could go instead (its own
        session's cap does not stop a move inside that session)."""
        inst = self.inst
        s = self.slot_of[r]
        a, b = inst.ra[r], inst.rb[r]
        g = inst.sessions[s]
        own = inst.session_masks[g] if g >= 0 else 0
        blocked = (self.blocked[a] | self.blocked[b]) & ~own
        return inst.common[r] & ~(self.busy[a] | self.busy[b] | self.full | blocked | 1 << s)
