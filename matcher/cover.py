"""Exact weighted set cover: the fewest agencies, then the fewest items, then the fewest places to go,
then the smallest total penalty (open now, distance, wait, freshness). Ties between equally good
covers go to the first one the search meets; its order depends only on the candidates (sorted by key),
so the answer is deterministic.

The objective is one integer with each part scaled so it outweighs everything below it. The search is
branch and bound, made small by:

- dominance: a service another service of the same agency makes unnecessary (see
  :func:`_undominated`) is dropped before the search;
- exact agencies: the lower bound counts exactly how many more agencies the needs left take (a
  small set cover over agencies, remembered), so the search never wanders among covers with more
  agencies than needed;
- agency sets first, when few: if the fewest agencies can be chosen in only a few ways, each way is
  tried with just those agencies' services, best bound first (with the agencies fixed, the bounds
  on items and places are tight); when there are many, only agencies belonging to at least one of
  them keep their services;
- decomposition: the needs left often fall apart into groups that share no candidate service,
  unpaid agency or unpaid place (one per field of work, say); each group is solved on its own;
- memoisation: a group's answer depends only on its needs, the services still allowed and which of
  their agencies and places are already paid for, so it is solved once however it is reached;
- paid agencies first: once the agencies paid for can meet every need left, another agency would
  cost more than anything it could save, so only their services are considered.

Otherwise it branches on the need with fewest options (later siblings leave out earlier choices, so
no cover is visited twice), pruning with a bound that never overestimates: the exact agencies, as
many items and places as those agencies bring, needs that no single service (place) can meet
together each taking their own, the fractional cover's items, and each need's share of the cheapest
penalty. A node budget bounds the worst case; :func:`solve_detailed` says whether optimality was
proved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import ceil

MAX_PENALTY = 999
NODE_BUDGET = 20_000
AGENCY_SETS = 64  # try agency sets one by one when there are at most this many (at the top only)
_INFEASIBLE = 1 << 62

_Key = tuple[int, int, int, int]  # needs uncovered, candidates live, agencies paid, places paid (relevant)
_Answer = tuple[int, tuple[int, ...] | None]  # (cost, chosen) or (lower bound, None)
_Row = tuple[int, int, int, int, int, int, float]  # need, options, agencies, places, widest, cheapest, share


@dataclass(frozen=True)
class Candidate:
    """A service that could be chosen: ``cover`` is a bitmask of the needs it would meet."""

    key: str  # the service id: unique; the search's order, and so the choice between ties, follows it
    org: str
    site: str  # location id, or the service id for phone/online services (each its own "place")
    cover: int
    penalty: int  # 0..MAX_PENALTY


@dataclass(frozen=True)
class Weights:
    """Scaled costs so that one more agency always outweighs any number of extra items, and so on."""

    agency: int
    item: int
    site: int

    @staticmethod
    def for_size(n_needs: int) -> Weights:
        """Weights for a universe of ``n_needs`` (an optimal cover never has more items than needs)."""
        site = (n_needs + 1) * (MAX_PENALTY + 1)
        item = (n_needs + 1) * site
        return Weights(agency=(n_needs + 1) * item, item=item, site=site)


def cost(chosen: Sequence[Candidate], weights: Weights) -> int:
    """The objective value of a selection."""
    return (
        weights.agency * len({c.org for c in chosen})
        + weights.item * len(chosen)
        + weights.site * len({c.site for c in chosen})
        + sum(c.penalty for c in chosen)
    )


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


@lru_cache(maxsize=1 << 14)
def _fewest_sets(universe: int, masks: tuple[int, ...]) -> int:
    """The fewest of ``masks`` whose union is ``universe`` (exact; the masks cover it)."""
    masks = tuple(m for m in masks if not any(m != o and m | o == o for o in masks))
    holders = {b: sum(1 << j for j, m in enumerate(masks) if m >> b & 1) for b in _bits(universe)}
    order = sorted(holders, key=lambda b: (holders[b].bit_count(), b))
    best = len(masks) + 1

    def search(left: int, allowed: int, depth: int) -> None:
        nonlocal best
        if not left:
            best = min(best, depth)
            return
        # Needs no one mask can meet together each take their own; so does the rest, by size.
        seen = independent = widest = 0
        branch, fewest = -1, len(masks) + 1
        for b in order:
            if left >> b & 1:
                options = holders[b] & allowed
                n = options.bit_count()
                if not n:
                    return
                if n < fewest:
                    branch, fewest = b, n
                if not options & seen:
                    seen |= options
                    independent += 1
        for j in _bits(allowed):
            widest = max(widest, (masks[j] & left).bit_count())
        if depth + max(independent, -(-left.bit_count() // widest)) >= best:
            return
        for j in _bits(holders[branch] & allowed):
            search(left & ~masks[j], allowed, depth + 1)
            allowed &= ~(1 << j)

    search(universe, (1 << len(masks)) - 1, 0)
    return best


def _undominated(cands: list[Candidate]) -> list[Candidate]:
    """Drop every candidate another one makes unnecessary: same agency, needs a superset, penalty no
    higher (equal penalty: the smaller key wins), and either the same place or each at a place no
    other candidate uses. Swapping the dominated one for its better keeps the agencies and the
    number of places and items, and costs no more, so some optimal cover never uses it."""
    site_users: dict[str, int] = {}
    for c in cands:
        site_users[c.site] = site_users.get(c.site, 0) + 1
    rivals: dict[tuple[str, str | None], list[tuple[int, str, int]]] = {}
    for c in cands:
        place = None if site_users[c.site] == 1 else c.site  # None: a place of its own
        rivals.setdefault((c.org, place), []).append((c.penalty, c.key, c.cover))
    beaten = set()
    for group in rivals.values():
        if len(group) > 1:
            group.sort()
            for k, (_, key, cover) in enumerate(group):
                if any(better | cover == better for _, _, better in group[:k]):
                    beaten.add(key)
    return [c for c in cands if c.key not in beaten] if beaten else cands


@lru_cache(maxsize=1 << 15)
def _members(mask: int) -> tuple[int, ...]:
    return tuple(_bits(mask))


@dataclass
class _Group:
    """Needs that must be solved together: the memo key, a lower bound on the cost of covering them,
    the need with fewest options (to branch on), and the needs only agencies not yet paid for can
    meet, with those agencies per need and how many of them it takes."""

    key: _Key
    floor: int
    branch: int
    left: int
    unpaid: tuple[tuple[int, int], ...]
    new_agencies: int


class _Solver:
    """Branch and bound with decomposition and memoisation over one set of candidates.

    A subproblem is (needs still uncovered, candidates still allowed, agencies paid, places paid);
    :meth:`solve` answers ``(cost, chosen)`` when its best cover costs less than ``ceiling``, else
    ``(lower bound >= ceiling, None)``.
    """

    def __init__(self, cands: list[Candidate], weights: Weights, budget: int) -> None:
        self.w = weights
        self.cands = cands  # sorted by key: every order below derives from it
        orgs = {o: i for i, o in enumerate(sorted({c.org for c in cands}))}
        sites = {s: i for i, s in enumerate(sorted({c.site for c in cands}))}
        self.cover = [c.cover for c in cands]
        self.penalty = [c.penalty for c in cands]
        self.org_bit = [1 << orgs[c.org] for c in cands]
        self.site_bit = [1 << sites[c.site] for c in cands]
        self.org_cands = [0] * len(orgs)
        for i, c in enumerate(cands):
            self.org_cands[orgs[c.org]] |= 1 << i
        self.universe = 0
        for m in self.cover:
            self.universe |= m
        self.need_cands: dict[int, int] = dict.fromkeys(_bits(self.universe), 0)
        for i, m in enumerate(self.cover):
            for b in _bits(m):
                self.need_cands[b] |= 1 << i
        # Needs with fewest options first: a greedy independent set then binds tightest.
        self.order = sorted(self.need_cands, key=lambda b: (self.need_cands[b].bit_count(), b))
        # If no place is shared by two agencies, every new agency also brings a new place.
        site_orgs: dict[str, set[str]] = {}
        for c in cands:
            site_orgs.setdefault(c.site, set()).add(c.org)
        self.sites_per_org = all(len(o) == 1 for o in site_orgs.values())
        self.org_shift = self.universe.bit_length()
        self.site_shift = self.org_shift + len(orgs)
        self.memo: dict[_Key, _Answer] = {}
        self.evaluated: dict[tuple[int, int, int, int], list[_Group] | None] = {}
        self.rows: dict[tuple[int, int], tuple[int, int, int, int, int, float]] = {}
        self.agencies: dict[tuple[int, int], int] = {}
        self.nodes = 0
        self.budget = budget

    def marginal(self, i: int, orgs: int, sites: int) -> int:
        """What choosing candidate ``i`` adds, given the agencies and places already paid for."""
        return (
            self.w.item
            + self.penalty[i]
            + (0 if orgs & self.org_bit[i] else self.w.agency)
            + (0 if sites & self.site_bit[i] else self.w.site)
        )

    def paid_cands(self, orgs: int) -> int:
        """The candidates of the agencies in ``orgs``."""
        paid = 0
        for o in _members(orgs):
            paid |= self.org_cands[o]
        return paid

    def solve(self, uncovered: int, allowed: int, orgs: int, sites: int, ceiling: int) -> _Answer:
        """Split into independent groups and solve each; the total, or a lower bound on it."""
        groups = self._evaluate(uncovered, allowed, orgs, sites)
        if groups is None:
            return _INFEASIBLE, None
        if len(groups) == 1:
            return self._solve_group(groups[0], orgs, sites, ceiling)
        floors = []
        for g in groups:
            known = self.memo.get(g.key)
            if known is None:
                floors.append(g.floor)
            else:
                floors.append(known[0] if known[1] is not None else max(g.floor, known[0]))
        rest = sum(floors)
        if rest >= ceiling:
            return rest, None
        spent, chosen = 0, list[int]()
        for group, floor in zip(groups, floors, strict=True):
            rest -= floor
            got, picked = self._solve_group(group, orgs, sites, ceiling - spent - rest)
            if picked is None:
                return spent + got + rest, None
            spent += got
            chosen.extend(picked)
        return spent, tuple(chosen)

    def _evaluate(self, uncovered: int, allowed: int, orgs: int, sites: int) -> list[_Group] | None:
        """The independent groups of a subproblem, each with its memo key, lower bound and branching
        need; None when some need has no candidate left. Remembered: agency sets evaluate their
        subproblems once to rank them and again to solve them."""
        state = (uncovered, allowed, orgs, sites)
        if state not in self.evaluated:
            self.evaluated[state] = self._split(uncovered, allowed, orgs, sites)
        return self.evaluated[state]

    def _split(self, uncovered: int, allowed: int, orgs: int, sites: int) -> list[_Group] | None:
        need_cands = self.need_cands
        if orgs:
            paid = self.paid_cands(orgs)
            for b in _members(uncovered):
                options = need_cands[b] & allowed
                if not options:
                    return None
                if not options & paid:
                    break
            else:
                # Agencies already paid for can meet every need left, and any further agency costs
                # more than all the items, places and penalties such a cover can add: use theirs only.
                allowed &= paid
        org_shift, site_shift, cache = self.org_shift, self.site_shift, self.rows
        unpaid_orgs, unpaid_sites = ~orgs, ~sites
        rows: list[_Row] = []  # per need, in bound order
        links: list[tuple[int, int]] = []  # (what links the group: needs, agencies, places; its needs)
        for b in self.order:
            if not uncovered >> b & 1:
                continue
            options = need_cands[b] & allowed
            if not options:
                return None
            row = cache.get((b, options))
            if row is None:
                row = cache[(b, options)] = self._need_row(options)
            need_orgs, need_sites, reach, widest, cheapest, share = row
            rows.append((b, options, need_orgs, need_sites, widest, cheapest, share))
            link = (
                reach & uncovered
                | (need_orgs & unpaid_orgs) << org_shift
                | (need_sites & unpaid_sites) << site_shift
            )
            needs = 1 << b
            if len(links) == 1 and links[0][0] & link:
                links[0] = (links[0][0] | link, links[0][1] | needs)
                continue
            apart = []
            for other_link, other_needs in links:
                if other_link & link:
                    link |= other_link
                    needs |= other_needs
                else:
                    apart.append((other_link, other_needs))
            apart.append((link, needs))
            links = apart
        if len(links) == 1:
            return [self._group(uncovered, rows, orgs, sites)]
        owner = {}
        for k, (_, needs) in enumerate(links):
            for b in _members(needs):
                owner[b] = k
        buckets: list[list[_Row]] = [[] for _ in links]
        for r in rows:
            buckets[owner[r[0]]].append(r)
        groups = [
            self._group(needs, bucket, orgs, sites) for (_, needs), bucket in zip(links, buckets, strict=True)
        ]
        return sorted(groups, key=lambda g: g.key[0] & -g.key[0])

    def _need_row(self, options: int) -> tuple[int, int, int, int, int, float]:
        """What a need's options have in common: their agencies, places and needs, the most needs one
        meets, the cheapest penalty, and the least penalty per need met."""
        need_orgs = need_sites = reach = widest = 0
        cheapest, share = MAX_PENALTY, float(MAX_PENALTY)
        for i in _members(options):
            cover, penalty = self.cover[i], self.penalty[i]
            need_orgs |= self.org_bit[i]
            need_sites |= self.site_bit[i]
            reach |= cover
            size = cover.bit_count()
            widest = max(widest, size)
            cheapest = min(cheapest, penalty)
            share = min(share, penalty / size)
        return need_orgs, need_sites, reach, widest, cheapest, share

    def _group(self, needs: int, rows: list[_Row], orgs: int, sites: int) -> _Group:
        """The memo key, lower bound and branching need of one group (see the module docstring)."""
        seen_cands = seen_sites = live = all_orgs = all_sites = 0
        items = places = penalties = 0
        fractional_items = fractional_penalty = 0.0
        branch, fewest = -1, 1 << 30
        free = 0  # needs an agency already paid for can meet
        unpaid = []  # (need, its agencies) for the others
        for b, options, need_orgs, need_sites, widest, cheapest, share in rows:
            live |= options
            all_orgs |= need_orgs
            all_sites |= need_sites
            n = options.bit_count()
            if n < fewest:
                branch, fewest = b, n
            fractional_items += 1 / widest
            fractional_penalty += share
            if not options & seen_cands:
                seen_cands |= options
                items += 1
                penalties += cheapest
            if need_orgs & orgs:
                free |= 1 << b
            else:
                unpaid.append((b, need_orgs))
            if not need_sites & (sites | seen_sites):
                seen_sites |= need_sites
                places += 1
        left = needs & ~free
        agencies = self._new_agencies(left, live, unpaid) if unpaid else 0
        items = max(items, agencies, ceil(fractional_items - 1e-9))
        if self.sites_per_org:
            places = max(places, agencies)
        penalties = max(penalties, ceil(fractional_penalty - 1e-9))
        w = self.w
        return _Group(
            (needs, live, orgs & all_orgs, sites & all_sites),
            agencies * w.agency + items * w.item + places * w.site + penalties,
            branch,
            left,
            tuple(unpaid),
            agencies,
        )

    def _new_agencies(self, left: int, live: int, unpaid: list[tuple[int, int]]) -> int:
        """Exactly how many agencies not yet paid for meeting the needs ``left`` takes."""
        known = self.agencies.get((left, live))
        if known is None:
            org_needs: dict[int, int] = {}
            for b, need_orgs in unpaid:
                for o in _members(need_orgs):
                    org_needs[o] = org_needs.get(o, 0) | 1 << b
            known = self.agencies[(left, live)] = _fewest_sets(left, tuple(sorted(set(org_needs.values()))))
        return known

    def _agency_sets(self, group: _Group) -> list[int] | None:
        """Every smallest set of agencies not yet paid for that meets the group's needs only such
        agencies can meet (as bitmasks), or None when there are more than :data:`AGENCY_SETS`."""
        holders = dict(group.unpaid)
        org_needs: dict[int, int] = {}
        for b, need_orgs in group.unpaid:
            for o in _members(need_orgs):
                org_needs[o] = org_needs.get(o, 0) | 1 << b
        size = group.new_agencies
        biggest = max(m.bit_count() for m in org_needs.values())
        order = sorted(holders, key=lambda b: (holders[b].bit_count(), b))
        found: list[int] = []

        def search(left: int, chosen: int, allowed: int, depth: int) -> bool:
            if not left:
                found.append(chosen)
                return len(found) <= AGENCY_SETS
            room = size - depth
            if left.bit_count() > room * biggest:
                return True
            # Needs no one agency can meet together each take their own.
            seen = independent = 0
            need, fewest = -1, 1 << 30
            for b in order:
                if left >> b & 1:
                    options = holders[b] & allowed
                    n = options.bit_count()
                    if n < fewest:
                        need, fewest = b, n
                    if not options & seen:
                        seen |= options
                        independent += 1
            if independent > room:
                return True
            for o in _members(holders[need] & allowed):
                if not search(left & ~org_needs[o], chosen | 1 << o, allowed, depth + 1):
                    return False
                allowed &= ~(1 << o)
            return True

        everyone = 0
        for need_orgs in holders.values():
            everyone |= need_orgs
        return found if search(group.left, 0, everyone, 0) else None

    def _narrower(self, group: _Group, orgs: int, top: bool) -> int:
        """The services worth keeping. Once the agencies paid for can meet every need, only theirs:
        another agency would cost more than all it could save. At the top, only those of agencies
        in some smallest set of new agencies (see :meth:`_useful_agencies`)."""
        live = group.key[1]
        if not group.new_agencies:
            return live & self.paid_cands(orgs)
        if top:
            return live & (self.paid_cands(orgs) | self.paid_cands(self._useful_agencies(group)))
        return live

    def _useful_agencies(self, group: _Group) -> int:
        """The agencies not yet paid for that belong to at least one smallest set meeting the needs
        only such agencies can meet (as a bitmask). The best cover uses one such set, so the other
        agencies' services can go; and a descendant's smallest sets only ever use these too."""
        org_needs: dict[int, int] = {}
        for b, need_orgs in group.unpaid:
            for o in _members(need_orgs):
                org_needs[o] = org_needs.get(o, 0) | 1 << b
        useful = 0
        for o, reach in org_needs.items():
            rest = group.left & ~reach
            others = tuple(sorted({m & rest for p, m in org_needs.items() if p != o} - {0}))
            if (_fewest_sets(rest, others) if rest else 0) == group.new_agencies - 1:
                useful |= 1 << o
        return useful

    def _greedy(self, uncovered: int, live: int, orgs: int, sites: int) -> tuple[int, tuple[int, ...]]:
        """A quick complete cover to prune against: cheapest marginal cost per newly covered need."""
        spent, chosen = 0, []
        while uncovered:
            best_i, best_ratio = -1, 0.0
            for i in _members(live):
                gain = (self.cover[i] & uncovered).bit_count()
                if gain:
                    ratio = self.marginal(i, orgs, sites) / gain
                    if best_i < 0 or ratio < best_ratio:
                        best_i, best_ratio = i, ratio
            spent += self.marginal(best_i, orgs, sites)
            chosen.append(best_i)
            uncovered &= ~self.cover[best_i]
            orgs |= self.org_bit[best_i]
            sites |= self.site_bit[best_i]
        return spent, tuple(chosen)

    def _solve_group(self, group: _Group, orgs: int, sites: int, ceiling: int) -> _Answer:
        """The best cover of one group costing less than ``ceiling``, remembered."""
        key, floor = group.key, group.floor
        known = self.memo.get(key)
        if known is not None:
            value, picked = known
            if picked is not None:
                return (value, picked) if value < ceiling else (value, None)
            if value >= ceiling:
                return value, None
            floor = max(floor, value)
        if floor >= ceiling:
            self.memo[key] = (floor, None)
            return floor, None
        self.nodes += 1
        if self.nodes > self.budget:
            return ceiling, None  # out of budget: not remembered, and the answer is not proved
        uncovered, live = key[0], key[1]
        top = ceiling > _INFEASIBLE // 2  # no incumbent from above
        best_cost, best = ceiling, None
        if top:  # the first incumbent; below, the parent's ceiling serves
            got, picked = self._greedy(uncovered, live, orgs, sites)
            if got < best_cost:
                best_cost, best = got, picked
        if best_cost > floor:
            sets = self._agency_sets(group) if top and group.new_agencies else None
            narrower = live if sets is not None else self._narrower(group, orgs, top)
            if sets is not None:
                best_cost, best = self._try_agency_sets(group, sets, orgs, sites, best_cost, best)
            elif narrower != live:
                got, picked = self.solve(uncovered, narrower, orgs, sites, best_cost)
                if picked is not None and got < best_cost:
                    best_cost, best = got, picked
            else:
                best_cost, best = self._branch(group, orgs, sites, best_cost, best)
        if self.nodes > self.budget:
            return (best_cost, best) if best is not None else (ceiling, None)
        self.memo[key] = (best_cost, best)
        return (best_cost, best) if best is not None else (ceiling, None)

    def _try_agency_sets(
        self,
        group: _Group,
        sets: list[int],
        orgs: int,
        sites: int,
        best_cost: int,
        best: tuple[int, ...] | None,
    ) -> tuple[int, tuple[int, ...] | None]:
        """Each way of adding the agencies needed, with only their services and those of agencies
        already paid for, in order of lower bound. Every cover with the fewest agencies uses exactly
        one of these sets, and uses every agency in it."""
        uncovered, live = group.key[0], group.key[1]
        paid = self.paid_cands(orgs)
        w = self.w
        extra = group.new_agencies * (w.agency + w.item + (w.site if self.sites_per_org else 0))
        # A quick bound for each set first (the fractional items and penalty shares of the needs,
        # with only its agencies' services), so hopeless sets are never evaluated in full.
        offers: dict[int, list[tuple[int, int, float]]] = {}
        for i in _members(live):
            here = self.cover[i] & uncovered
            size = here.bit_count()
            for b in _members(here):
                offers.setdefault(b, []).append((self.org_bit[i], size, self.penalty[i] / size))
        quick = []
        for added in sets:
            paid_now = orgs | added
            fractional_items = fractional_penalty = 0.0
            for options in offers.values():
                widest, share = 0, float(MAX_PENALTY)
                for org_bit, size, per_need in options:
                    if org_bit & paid_now:
                        widest = max(widest, size)
                        share = min(share, per_need)
                if not widest:
                    break
                fractional_items += 1 / widest
                fractional_penalty += share
            else:
                items = max(0, ceil(fractional_items - 1e-9) - group.new_agencies)
                quick.append((extra + items * w.item + ceil(fractional_penalty - 1e-9), added))
        quick.sort()
        extra = group.new_agencies * w.agency
        for bound, added in quick:
            if bound >= best_cost:
                break
            allowed = live & (paid | self.paid_cands(added))
            groups = self._evaluate(uncovered, allowed, orgs | added, sites)
            if groups is None or extra + sum(g.floor for g in groups) >= best_cost:
                continue
            got, picked = self.solve(uncovered, allowed, orgs | added, sites, best_cost - extra)
            if picked is not None and extra + got < best_cost:
                best_cost, best = extra + got, picked
        return best_cost, best

    def _branch(
        self, group: _Group, orgs: int, sites: int, best_cost: int, best: tuple[int, ...] | None
    ) -> tuple[int, tuple[int, ...] | None]:
        """Try each service that could meet the need with fewest options, cheapest per need first;
        later ones leave out earlier ones."""
        uncovered, live = group.key[0], group.key[1]
        options = sorted(
            (self.marginal(i, orgs, sites) / (self.cover[i] & uncovered).bit_count(), i)
            for i in _members(self.need_cands[group.branch] & live)
        )
        allowed = live
        for _, i in options:
            step = self.marginal(i, orgs, sites)
            got, picked = self.solve(
                uncovered & ~self.cover[i],
                allowed,
                orgs | self.org_bit[i],
                sites | self.site_bit[i],
                best_cost - step,
            )
            if picked is not None and step + got < best_cost:
                best_cost, best = step + got, (i, *picked)
                if best_cost <= group.floor:
                    break
            allowed &= ~(1 << i)
        return best_cost, best

    def run(self) -> list[Candidate]:
        """The best cover found (optimal when :attr:`nodes` stayed within the budget)."""
        everyone = (1 << len(self.cands)) - 1
        _, picked = self.solve(self.universe, everyone, 0, 0, _INFEASIBLE)
        if picked is None:  # only when the budget ran out before any cover was found
            picked = self._greedy(self.universe, everyone, 0, 0)[1]
        return [self.cands[i] for i in picked]


@dataclass(frozen=True)
class Solution:
    """The chosen candidates (sorted by key) and whether the search proved them optimal."""

    chosen: tuple[Candidate, ...]
    exact: bool


def solve_detailed(cands: Sequence[Candidate], node_budget: int = NODE_BUDGET) -> Solution:
    """Like :func:`solve`, also saying whether optimality was proved within the node budget (if not,
    the answer is the best cover found)."""
    usable = _undominated(sorted((c for c in cands if c.cover), key=lambda c: c.key))
    if not usable:
        return Solution((), True)
    universe = 0
    for c in usable:
        universe |= c.cover
    search = _Solver(usable, Weights.for_size(universe.bit_count()), node_budget)
    chosen = search.run()
    return Solution(tuple(sorted(chosen, key=lambda c: c.key)), search.nodes <= node_budget)


def solve(cands: Sequence[Candidate], node_budget: int = NODE_BUDGET) -> tuple[Candidate, ...]:
    """The optimal selection covering every need any candidate covers, sorted by key.

    Deterministic: the result depends only on the set of candidates, not their order.
    """
    return solve_detailed(cands, node_budget).chosen
