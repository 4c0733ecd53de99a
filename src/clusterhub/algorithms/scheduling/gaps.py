"""The secondary objective: people's idle gaps, spread evenly.

A person's idle run is a stretch of consecutive slots, inside one networking session and
between two of their meetings, that they could meet in but do not. The penalty is the sum of
the squared lengths of all idle runs: a convex penalty, so one long wait costs more than the
same idle time cut into short breaks, and the unavoidable gaps end up short and shared out.
Slots a person cannot meet in (their own sessions) are not idle and end a run.
"""

from __future__ import annotations

from functools import lru_cache

from .state import State


@lru_cache(maxsize=1 << 16)
def run_penalty(meetings: int, usable: int) -> int:
    """Sum of squared idle runs strictly between the lowest and the highest meeting bit."""
    if meetings & (meetings - 1) == 0:
        return 0
    lo = (meetings & -meetings).bit_length() - 1
    hi = meetings.bit_length() - 1
    idle = usable & ~meetings & (((1 << hi) - 1) ^ ((1 << (lo + 1)) - 1))
    total = 0
    while idle:
        pos = (idle & -idle).bit_length() - 1
        x = idle >> pos
        run = (x ^ (x + 1)).bit_length() - 1
        total += run * run
        idle &= ~(((1 << run) - 1) << pos)
    return total


def groups(state: State) -> list[int]:
    inst = state.inst
    rest = ((1 << inst.n_slots) - 1) & ~sum(inst.session_masks)
    return [*inst.session_masks, rest] if rest else list(inst.session_masks)


def person_penalty(state: State, p: int, masks: list[int]) -> int:
    busy, usable = state.busy[p], state.inst.usable[p] | state.busy[p]
    return sum(run_penalty(busy & g, usable & g) for g in masks)


def total_penalty(state: State) -> int:
    masks = groups(state)
    return sum(person_penalty(state, p, masks) for p in range(len(state.inst.people)))


def spread(state: State, movable: list[bool], passes: int = 2) -> None:
    """Move meetings that may move, one at a time, to the slot that lowers the penalty most,
    until a pass finds no improving move. Never changes which requests are scheduled."""
    inst = state.inst
    masks = groups(state)
    group_of = [next(k for k, g in enumerate(masks) if g >> s & 1) for s in range(inst.n_slots)]
    usable = inst.usable

    def pen(p: int, busy: int, g: int) -> int:
        return run_penalty(busy & g, (usable[p] | busy) & g)

    n_people = len(inst.people)
    gappy = [person_penalty(state, p, masks) > 0 for p in range(n_people)]
    for _ in range(passes):
        improved = False
        for m in range(len(inst.requests)):
            s = state.slot_of[m]
            if s < 0 or not movable[m]:
                continue
            a, b = inst.ra[m], inst.rb[m]
            busy_a, busy_b = state.busy[a], state.busy[b]
            if not (gappy[a] or gappy[b]):
                continue  # the penalty of both is 0 already
            here = masks[group_of[s]]
            base_here = pen(a, busy_a, here) + pen(b, busy_b, here)
            clear = ~(1 << s)
            targets = state.move_targets(m) & (
                _promising(busy_a & clear, masks) | _promising(busy_b & clear, masks)
            )
            best, best_t = 0, -1
            for t in _bits(targets):
                bit = 1 << t
                new_a, new_b = busy_a & clear | bit, busy_b & clear | bit
                there = masks[group_of[t]]
                if there == here:
                    delta = pen(a, new_a, here) + pen(b, new_b, here) - base_here
                else:
                    delta = (pen(a, new_a, here) + pen(b, new_b, here) - base_here
                             + pen(a, new_a, there) + pen(b, new_b, there)
                             - pen(a, busy_a, there) - pen(b, busy_b, there))  # fmt: skip
                if delta < best:
                    best, best_t = delta, t
            if best_t >= 0:
                state.remove(m)
                state.place(m, best_t)
                improved = True
                gappy[a] = person_penalty(state, a, masks) > 0
                gappy[b] = person_penalty(state, b, masks) > 0
        if not improved:
            break


def _promising(busy: int, masks: list[int]) -> int:
    """Slots where one more meeting could lower this person's penalty: inside a gap, next to
    a meeting, or in a session where they have no meeting yet. Any other slot only widens
    their span, so the search skips it."""
    out = ((busy << 1) | (busy >> 1)) & ~busy
    for g in masks:
        mine = busy & g
        if not mine:
            out |= g
            continue
        lo = (mine & -mine).bit_length() - 1
        out |= (((1 << mine.bit_length()) - 1) ^ ((1 << (lo + 1)) - 1)) & g & ~busy
    return out


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
