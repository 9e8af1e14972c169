"""Exact weighted set cover: the fewest agencies, then the fewest items, then the fewest places to go,
then the smallest total penalty (open now, distance, wait, freshness), then service id.

The objective is one integer with each part scaled so it outweighs everything below it. Because the
agency count dominates, the search works in two levels: split the candidates into independent
components (no shared need, agency or site); in each, list every smallest set of agencies that can
cover the needs (iterative deepening with an independent-needs bound); then, in order of a lower
bound, choose the best services within each set by branch and bound (greedy seed, branch on the need
with fewest candidates, siblings exclude earlier choices), reusing answers for parts that recur. A node
budget bounds the worst case; :func:`solve_detailed` says whether optimality was proved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import ceil

MAX_PENALTY = 999
NODE_BUDGET = 20_000


@dataclass(frozen=True)
class Candidate:
    """A service that could be chosen: ``cover`` is a bitmask of the needs it would meet."""

    key: str  # the service id: unique, and the final tie-break
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


@lru_cache(maxsize=8192)
def _bits(mask: int) -> tuple[int, ...]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)


def _components(cands: Sequence[Candidate]) -> list[list[Candidate]]:
    """Split into groups that share no need, agency or site, so each can be solved alone."""
    width = max(c.cover.bit_length() for c in cands)
    tags: dict[tuple[str, str], int] = {}
    groups: list[tuple[int, list[Candidate]]] = []
    for c in cands:
        org_tag = tags.setdefault(("org", c.org), len(tags))
        site_tag = tags.setdefault(("site", c.site), len(tags))
        mask = c.cover | (1 << (width + org_tag)) | (1 << (width + site_tag))
        members = [c]
        apart = []
        for group_mask, group in groups:
            if group_mask & mask:
                mask |= group_mask
                members.extend(group)
            else:
                apart.append((group_mask, group))
        groups = [*apart, (mask, members)]
    return sorted((g for _, g in groups), key=lambda g: min(c.key for c in g))


class _Search:
    """Branch and bound over one component."""

    def __init__(self, cands: list[Candidate], weights: Weights) -> None:
        self.w = weights
        self.cands = sorted(cands, key=lambda c: (-c.cover.bit_count(), c.penalty, c.key))
        self.universe = 0
        for c in self.cands:
            self.universe |= c.cover
        self.by_need: dict[int, list[int]] = {b: [] for b in _bits(self.universe)}
        for i, c in enumerate(self.cands):
            for b in _bits(c.cover):
                self.by_need[b].append(i)
        org_cover: dict[str, int] = {}
        for c in self.cands:
            org_cover[c.org] = org_cover.get(c.org, 0) | c.cover
        self.org_cover = org_cover
        org_index = {o: i for i, o in enumerate(sorted(org_cover))}
        # For the lower bound: which agencies and which candidates can meet each need, as bitmasks,
        # and the needs taken in order of fewest options (a greedy independent set then binds tightest).
        self.need_orgs = dict.fromkeys(self.by_need, 0)
        self.need_cands = dict.fromkeys(self.by_need, 0)
        for i, c in enumerate(self.cands):
            for b in _bits(c.cover):
                self.need_orgs[b] |= 1 << org_index[c.org]
                self.need_cands[b] |= 1 << i
        self.min_penalty = {b: min(self.cands[i].penalty for i in idx) for b, idx in self.by_need.items()}
        self.order = sorted(self.by_need, key=lambda b: (len(self.by_need[b]), b))
        self.max_cover = {
            b: max(self.cands[i].cover.bit_count() for i in idx) for b, idx in self.by_need.items()
        }
        site_index = {x: i for i, x in enumerate(sorted({c.site for c in self.cands}))}
        self.org_bit = [1 << org_index[c.org] for c in self.cands]
        self.site_bit = [1 << site_index[c.site] for c in self.cands]
        self.best_cost = 0
        self.best: list[int] = []
        self.nodes = 0
        self.budget = 0

    def greedy(self) -> list[int]:
        """A quick complete cover to prune against: cheapest marginal cost per newly covered need."""
        covered, chosen, orgs, sites = 0, [], 0, 0
        while covered != self.universe:
            best_i, best_ratio = -1, 0.0
            for i, c in enumerate(self.cands):
                gain = (c.cover & ~covered).bit_count()
                if not gain:
                    continue
                ratio = self._marginal(i, orgs, sites) / gain
                if best_i < 0 or ratio < best_ratio:
                    best_i, best_ratio = i, ratio
            chosen.append(best_i)
            covered |= self.cands[best_i].cover
            orgs |= self.org_bit[best_i]
            sites |= self.site_bit[best_i]
        return chosen

    def _marginal(self, i: int, orgs: int, sites: int) -> int:
        return (
            self.w.item
            + self.cands[i].penalty
            + (0 if orgs & self.org_bit[i] else self.w.agency)
            + (0 if sites & self.site_bit[i] else self.w.site)
        )

    def _bound(self, uncovered: int, org_mask: int, allowed: int) -> float:
        """A lower bound on the cost still to pay. Needs that no single agency (or service) can meet
        together each need their own new agency (or item); needs outside the chosen agencies' reach
        need at least as many new agencies as the biggest remaining agencies would take."""
        new_org_needs = uncovered & ~org_mask
        agencies = items = penalty = 0
        seen_orgs = seen_cands = 0
        fractional_items = 0.0
        for b in self.order:
            if not uncovered >> b & 1:
                continue
            fractional_items += 1 / self.max_cover[b]
            options = self.need_cands[b] & allowed
            if not options & seen_cands:
                seen_cands |= options
                items += 1
                penalty += self.min_penalty[b]
            if new_org_needs >> b & 1 and not self.need_orgs[b] & seen_orgs:
                seen_orgs |= self.need_orgs[b]
                agencies += 1
        items = max(items, ceil(fractional_items - 1e-9))
        if new_org_needs and agencies < 2:
            sizes = sorted(((m & new_org_needs).bit_count() for m in self.org_cover.values()), reverse=True)
            left, fewest = new_org_needs.bit_count(), 0
            for size in sizes:
                if left <= 0 or not size:
                    break
                left -= size
                fewest += 1
            agencies = max(agencies, fewest)
        return agencies * self.w.agency + items * self.w.item + penalty

    def run(self, budget: int, ceiling: int | None = None) -> list[Candidate]:
        """The best cover found within ``budget`` nodes, or [] if none costs less than ``ceiling``."""
        start = self.greedy()
        self.best = start
        self.best_cost = cost([self.cands[i] for i in start], self.w)
        if ceiling is not None and ceiling <= self.best_cost:
            self.best, self.best_cost = [], ceiling
        self.budget = budget
        self._dfs(0, [], 0, 0, 0, 0, (1 << len(self.cands)) - 1)
        return [self.cands[i] for i in self.best]

    def _dfs(
        self, covered: int, chosen: list[int], orgs: int, sites: int, org_mask: int, spent: int, allowed: int
    ) -> None:
        """``allowed``: candidates not yet ruled out. Once every cover containing a candidate has been
        tried (in an earlier sibling branch), later siblings leave it out, so no set is visited twice."""
        self.nodes += 1
        uncovered = self.universe & ~covered
        if not uncovered:
            if spent < self.best_cost:
                self.best_cost, self.best = spent, list(chosen)
            return
        if self.nodes > self.budget or spent + self._bound(uncovered, org_mask, allowed) >= self.best_cost:
            return
        need, fewest = -1, 0
        for b in _bits(uncovered):
            n = (self.need_cands[b] & allowed).bit_count()
            if not n:
                return
            if need < 0 or n < fewest:
                need, fewest = b, n
        for i in self.by_need[need]:
            if not allowed >> i & 1:
                continue
            c = self.cands[i]
            chosen.append(i)
            self._dfs(
                covered | c.cover,
                chosen,
                orgs | self.org_bit[i],
                sites | self.site_bit[i],
                org_mask | self.org_cover[c.org],
                spent + self._marginal(i, orgs, sites),
                allowed,
            )
            chosen.pop()
            allowed &= ~(1 << i)


def _agency_sets(org_cover: dict[str, int], budget: int) -> tuple[list[list[str]], bool]:
    """Every smallest set of agencies that between them offer every need, and whether the list is
    complete. Iterative deepening on the number of agencies, branching on the need with fewest
    agencies left; an agency tried in one branch is left out of its later siblings."""
    orgs = sorted(org_cover)
    masks = [org_cover[o] for o in orgs]
    universe = 0
    for m in masks:
        universe |= m
    need_orgs = dict.fromkeys(_bits(universe), 0)
    for i, m in enumerate(masks):
        for b in _bits(m):
            need_orgs[b] |= 1 << i
    order = sorted(need_orgs, key=lambda b: (need_orgs[b].bit_count(), b))
    found: list[list[str]] = []
    nodes = 0

    def bound(uncovered: int, allowed: int) -> int:
        seen = independent = 0
        for b in order:
            if uncovered >> b & 1:
                options = need_orgs[b] & allowed
                if not options:
                    return len(orgs) + 1
                if not options & seen:
                    seen |= options
                    independent += 1
        sizes = sorted(((masks[i] & uncovered).bit_count() for i in _bits(allowed)), reverse=True)
        left, fewest = uncovered.bit_count(), 0
        for size in sizes:
            if left <= 0:
                break
            left -= size
            fewest += 1
        return max(independent, fewest)

    def dfs(covered: int, chosen: list[str], allowed: int, size: int) -> None:
        nonlocal nodes
        nodes += 1
        uncovered = universe & ~covered
        if not uncovered:
            found.append(list(chosen))
            return
        if nodes > budget or len(chosen) + bound(uncovered, allowed) > size:
            return
        need = min(_bits(uncovered), key=lambda b: ((need_orgs[b] & allowed).bit_count(), b))
        for i in _bits(need_orgs[need] & allowed):
            chosen.append(orgs[i])
            dfs(covered | masks[i], chosen, allowed, size)
            chosen.pop()
            allowed &= ~(1 << i)

    everyone = (1 << len(orgs)) - 1
    size = bound(universe, everyone)
    while not found and nodes <= budget:
        dfs(0, [], everyone, size)
        size += 1
    return found, nodes <= budget


class _InnerBound:
    """A quick lower bound on the best cover using only a given set of agencies: needs that no single
    service among theirs meets together each need their own item, at least at their cheapest penalty."""

    def __init__(self, group: list[Candidate], weights: Weights) -> None:
        self.w = weights
        self.group = group
        self.org_cands: dict[str, int] = {}
        self.need_cands: dict[int, int] = {}
        for i, c in enumerate(group):
            self.org_cands[c.org] = self.org_cands.get(c.org, 0) | 1 << i
            for b in _bits(c.cover):
                self.need_cands[b] = self.need_cands.get(b, 0) | 1 << i
        self.order = sorted(self.need_cands, key=lambda b: (self.need_cands[b].bit_count(), b))

    def of(self, agencies: list[str]) -> int:
        """Lower bound on the cost of covering everything with services of ``agencies`` only."""
        allowed = 0
        for o in agencies:
            allowed |= self.org_cands[o]
        seen = items = penalty = 0
        fractional = 0.0
        for b in self.order:
            options = self.need_cands[b] & allowed
            fractional += 1 / max(self.group[i].cover.bit_count() for i in _bits(options))
            if not options & seen:
                seen |= options
                items += 1
                penalty += min(self.group[i].penalty for i in _bits(options))
        items = max(items, ceil(fractional - 1e-9))
        return len(agencies) * self.w.agency + items * self.w.item + penalty


def _agency_parts(agencies: list[str], org_mask: dict[str, int]) -> list[tuple[str, ...]]:
    """Split chosen agencies into groups that share no need or site: each is solved on its own."""
    groups: list[tuple[int, list[str]]] = []
    for o in agencies:
        mask, names, apart = org_mask[o], [o], []
        for group_mask, group in groups:
            if group_mask & mask:
                mask |= group_mask
                names.extend(group)
            else:
                apart.append((group_mask, group))
        groups = [*apart, (mask, names)]
    return sorted(tuple(sorted(names)) for _, names in groups)


def _solve_component(group: list[Candidate], weights: Weights, budget: int) -> tuple[list[Candidate], bool]:
    """Fewest agencies first, exactly: list every smallest set of agencies that can cover the needs,
    then choose the best services within each and keep the cheapest. Agencies never share services
    or sites, so the two levels separate cleanly."""
    org_cover: dict[str, int] = {}
    for c in group:
        org_cover[c.org] = org_cover.get(c.org, 0) | c.cover
    agency_sets, exact = _agency_sets(org_cover, budget)
    bound = _InnerBound(group, weights)
    ranked = sorted((bound.of(agencies), sorted(agencies)) for agencies in agency_sets)
    best: list[Candidate] = []
    best_cost: int | None = None
    # Agency sets overlap heavily (swap one drug service's agency for another, keep the rest), and
    # within a set the services split into independent parts, so each part is solved once and reused.
    solved: dict[tuple[str, ...], tuple[list[Candidate], bool]] = {}
    members: dict[str, list[Candidate]] = {}
    for c in group:
        members.setdefault(c.org, []).append(c)
    width = max(org_cover.values()).bit_length() + 1
    site_tag: dict[str, int] = {}
    org_mask = {}
    for o, cs in members.items():
        org_mask[o] = org_cover[o]
        for c in cs:
            org_mask[o] |= 1 << (width + site_tag.setdefault(c.site, len(site_tag)))
    for floor, agencies in ranked:
        if best_cost is not None and floor >= best_cost:
            break  # sorted by lower bound: no later set can do better
        total: list[Candidate] = []
        for part in _agency_parts(agencies, org_mask):
            if part not in solved:
                search = _Search([c for o in part for c in members[o]], weights)
                solved[part] = (search.run(budget), search.nodes <= budget)
            found, proved = solved[part]
            total.extend(found)
            exact = exact and proved
        total_cost = cost(total, weights)
        if best_cost is None or total_cost < best_cost:
            best, best_cost = total, total_cost
    if not best:  # the agency search ran out of budget before finding a cover
        search = _Search(group, weights)
        best = search.run(budget)
        exact = False
    return best, exact


@dataclass(frozen=True)
class Solution:
    """The chosen candidates (sorted by key) and whether the search proved them optimal."""

    chosen: tuple[Candidate, ...]
    exact: bool


def solve_detailed(cands: Sequence[Candidate], node_budget: int = NODE_BUDGET) -> Solution:
    """Like :func:`solve`, also saying whether optimality was proved within the node budget (if not,
    the answer is the best found, which already has the fewest agencies the agency-level search found)."""
    usable = sorted((c for c in cands if c.cover), key=lambda c: c.key)
    if not usable:
        return Solution((), True)
    universe = 0
    for c in usable:
        universe |= c.cover
    weights = Weights.for_size(universe.bit_count())
    chosen: list[Candidate] = []
    exact = True
    for group in _components(usable):
        found, proved = _solve_component(group, weights, node_budget)
        chosen.extend(found)
        exact = exact and proved
    return Solution(tuple(sorted(chosen, key=lambda c: c.key)), exact)


def solve(cands: Sequence[Candidate], node_budget: int = NODE_BUDGET) -> tuple[Candidate, ...]:
    """The optimal selection covering every need any candidate covers, sorted by key.

    Deterministic: the result depends only on the set of candidates, not their order.
    """
    return solve_detailed(cands, node_budget).chosen
