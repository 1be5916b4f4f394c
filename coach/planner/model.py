"""The selection as an integer programme, solved exactly with CP-SAT.

Variables: ``x[c]`` (credential c is in the plan); for qualification targets
``a[c, slot]`` (c counts in that requirement; each credential in one slot only)
and ``cc[c, slot]`` (credits it counts there, in hundredths; a transfer credential
may count fewer so the transfer cap holds); for prerequisites, support literals
``y`` (credential d meets an item of c's prerequisites) with ranks ``pos`` so that
a supporter comes strictly before what it supports (no circular support).

Objectives are lexicographic: one stage per criterion, each stage fixing the
optimum of the previous one. The solver runs with one worker and a fixed seed,
so the same input gives the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from coach.planner.objectives import STAGES, Linear, cents
from coach.planner.objectives import stages as fold
from coach.planner.problem import CREDIT_SCALE, Problem

#: Per-plan time budget for the solver, seconds (it proves optimality far sooner in practice).
TIME_LIMIT_SECONDS = 10.0


@dataclass(frozen=True)
class Limits:
    """The numeric constraints (None: unconstrained); relaxation solves with some lifted."""

    budget: float | None = None
    weeks: int | None = None
    max_credentials: int | None = None


@dataclass
class Selection:
    """A solved selection: what to add, how it counts, who enables whom."""

    chosen: list[str]
    assignment: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)  # (before, after)
    optimal: bool = True


def cycles(graph: dict[str, set[str]]) -> dict[str, int]:
    """Node -> id of its strongly connected component, for components that hold a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: dict[str, int] = {}
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    for member in component:
                        result[member] = index[node]
    return result


class _Builder:
    def __init__(self, problem: Problem, limits: Limits) -> None:
        self.p = problem
        self.m = cp_model.CpModel()
        self.x = {cid: self.m.new_bool_var(f"x_{cid}") for cid in sorted(problem.items)}
        self.pos: dict[str, cp_model.IntVar] = {}
        self.supports: dict[str, list[cp_model.IntVar]] = {cid: [] for cid in self.x}
        self.edges: list[tuple[str, str, cp_model.IntVar]] = []
        self.slot_lits: dict[str, list[cp_model.IntVar]] = {cid: [] for cid in self.x}
        self.assign: list[tuple[str, str, cp_model.IntVar, cp_model.IntVar | int]] = []
        self.feasible = True
        self._cycle: dict[str, int] = {}
        self._teachers: dict[str, list[tuple[int, str]]] = {}
        for cid, item in problem.items.items():
            for skill, level in item.skills.items():
                self._teachers.setdefault(skill, []).append((level, cid))
        self._prerequisites()
        if problem.kind == "role":
            self._role()
        else:
            self._slots()
        self._usefulness()
        self._limits(limits)

    def _rank(self, cid: str) -> cp_model.IntVar:
        if cid not in self.pos:
            self.pos[cid] = self.m.new_int_var(0, len(self.x), f"pos_{cid}")
        return self.pos[cid]

    def _support(self, before: str, after: str) -> cp_model.IntVar:
        y = self.m.new_bool_var(f"y_{before}_{after}")
        self.m.add_implication(y, self.x[before])
        cycle = self._cycle.get(before)
        if cycle is not None and cycle == self._cycle.get(after):
            # only supports inside a cycle of the prerequisite graph need ranks
            self.m.add(self._rank(before) + 1 <= self._rank(after)).only_enforce_if(y)
        self.supports[before].append(y)
        self.edges.append((before, after, y))
        return y

    def _groups(self) -> list[tuple[str, int, list[list[str]]]]:
        """Per prerequisite group still to meet: (credential, items needed, supporters per item)."""
        p = self.p
        groups = []
        for cid in sorted(p.items):
            for group in p.items[cid].prerequisites:
                met = 0
                items: list[list[str]] = []
                for dep in group.credentials:
                    if dep in p.held:
                        met += 1
                    elif dep in self.x and dep != cid:
                        items.append([dep])
                for need in group.skills:
                    if p.skill_levels.get(need.skill, 0) >= need.level:
                        met += 1
                        continue
                    teachers = sorted(
                        t
                        for level, t in self._teachers.get(need.skill, ())
                        if level >= need.level and t != cid
                    )
                    if teachers:
                        items.append(teachers)
                if group.required_count - met > 0:
                    groups.append((cid, group.required_count - met, items))
        return groups

    def _prerequisites(self) -> None:
        groups = self._groups()
        graph: dict[str, set[str]] = {}
        for cid, _, items in groups:
            for supporters in items:
                for supporter in supporters:
                    graph.setdefault(supporter, set()).add(cid)
        self._cycle = cycles(graph)
        for cid, need_more, items in groups:
            terms: list[cp_model.IntVar] = []
            for supporters in items:
                ys = [self._support(t, cid) for t in supporters]
                if len(ys) == 1:
                    terms.append(ys[0])
                    continue
                sat = self.m.new_bool_var(f"sat_{cid}_{len(terms)}")
                self.m.add_bool_or(ys).only_enforce_if(sat)
                terms.append(sat)
            if len(terms) < need_more:
                self.m.add(self.x[cid] == 0)
            else:
                self.m.add(sum(terms) >= need_more).only_enforce_if(self.x[cid])

    def _role(self) -> None:
        for gap in self.p.gaps:
            teachers = sorted(
                t for level, t in self._teachers.get(gap.skill, ()) if level >= gap.level
            )
            if not teachers:
                self.feasible = False
                return
            self.m.add_bool_or([self.x[t] for t in teachers])

    def _slots(self) -> None:
        p = self.p
        per_member: dict[str, list[cp_model.IntVar]] = {}
        total: list[cp_model.IntVar | int] = []
        transfer: list[cp_model.IntVar | int] = []
        for slot in p.slots:
            lits: list[cp_model.IntVar] = []
            credits: list[cp_model.IntVar | int] = []
            for member in slot.members:
                held = p.held.get(member)
                if not (
                    (held is not None and held.counts)
                    or (member in p.eligible and member in self.x)
                ):
                    continue
                credit = round(
                    slot.credits_override.get(member, p.credits_of(member)) * CREDIT_SCALE
                )
                a = self.m.new_bool_var(f"a_{member}_{slot.id}")
                if member in self.x:
                    self.m.add_implication(a, self.x[member])
                    self.slot_lits[member].append(a)
                per_member.setdefault(member, []).append(a)
                if member in p.transfer_ids:
                    cc: cp_model.IntVar | int = self.m.new_int_var(
                        0, credit, f"cc_{member}_{slot.id}"
                    )
                    self.m.add(cc <= credit * a)
                    transfer.append(cc)
                else:
                    cc = self.m.new_int_var(0, credit, f"cc_{member}_{slot.id}")
                    self.m.add(cc == credit * a)
                lits.append(a)
                credits.append(cc)
                total.append(cc)
                self.assign.append((slot.id, member, a, cc))
            need_count = slot.min_count
            if len(lits) < need_count:
                self.feasible = False
                return
            if need_count:
                self.m.add(sum(lits) >= need_count)
            if slot.min_credits:
                self.m.add(sum(credits) >= round(slot.min_credits * CREDIT_SCALE))
        for lits in per_member.values():
            if len(lits) > 1:
                self.m.add_at_most_one(lits)
        if p.min_total_credits:
            self.m.add(sum(total) >= round(p.min_total_credits * CREDIT_SCALE))
        if p.max_transfer_credits is not None and transfer:
            self.m.add(sum(transfer) <= round(p.max_transfer_credits * CREDIT_SCALE))

    def _usefulness(self) -> None:
        """Against credential overload: every step counts, closes a gap or enables one."""
        p = self.p
        gap_levels = {gap.skill: gap.level for gap in p.gaps}
        for cid, x in self.x.items():
            item = p.items[cid]
            if cid in p.asked or any(
                item.skills.get(skill, 0) >= level for skill, level in gap_levels.items()
            ):
                continue
            reasons = self.slot_lits[cid] + self.supports[cid]
            if reasons:
                self.m.add_bool_or(reasons).only_enforce_if(x)
            else:
                self.m.add(x == 0)

    def _limits(self, limits: Limits) -> None:
        p = self.p
        items = p.items
        if limits.budget is not None:
            self.m.add(
                sum(cents(items[c].cost) * x for c, x in self.x.items()) + cents(p.award_fee)
                <= cents(limits.budget)
            )
        if limits.weeks is not None:
            self.m.add(sum(items[c].weeks * x for c, x in self.x.items()) <= limits.weeks)
        if limits.max_credentials is not None:
            self.m.add(sum(self.x.values()) <= limits.max_credentials)

    def expr(self, linear: Linear) -> cp_model.LinearExprT:
        return sum(v * self.x[c] for c, v in linear.coefs.items() if v) + linear.constant


#: A built model, reusable for several objectives (see ``solve(prepared=...)``).
Prepared = _Builder


def prepare(problem: Problem, limits: Limits) -> Prepared | None:
    """The model for ``problem`` under ``limits`` (None when plainly infeasible)."""
    builder = _Builder(problem, limits)
    return builder if builder.feasible else None


def solve(
    problem: Problem,
    objective: str,
    limits: Limits,
    *,
    stages: Sequence[str] | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
    prepared: _Builder | None = None,
) -> Selection | None:
    """The optimal selection under ``limits``, or None when there is none.

    ``prepared`` (from ``prepare``, same problem and limits) saves rebuilding the
    model when several objectives are solved in turn.
    """
    builder = prepared if prepared is not None else prepare(problem, limits)
    if builder is None:
        return None
    # the built model is shared by successive solves: a stage's bound is gated by a
    # literal that only this solve assumes true, so it binds nothing afterwards
    model = builder.m
    model.clear_assumptions()
    model.clear_hints()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 7
    optimal = True
    names = tuple(stages) if stages is not None else STAGES[objective]
    criteria = fold(problem, names)
    gates: list[cp_model.IntVar] = []
    per_stage = max(time_limit / max(len(criteria), 1), 0.5)
    solved = False
    for index, linear in enumerate(criteria):
        expression = builder.expr(linear)
        model.minimize(expression)
        solver.parameters.max_time_in_seconds = per_stage
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            model.clear_assumptions()
            return None
        solved = True
        optimal = optimal and status == cp_model.OPTIMAL
        if index + 1 < len(criteria):
            gate = model.new_bool_var("stage")
            model.add(expression <= round(solver.objective_value)).only_enforce_if(gate)
            gates.append(gate)
            model.clear_assumptions()
            model.add_assumptions(gates)
            model.clear_hints()
            for var in builder.x.values():
                model.add_hint(var, solver.boolean_value(var))
    if not solved:  # no criteria: a pure feasibility question
        model.clear_objective()
        solver.parameters.max_time_in_seconds = time_limit
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
    model.clear_assumptions()
    chosen = sorted(c for c, var in builder.x.items() if solver.boolean_value(var))
    assignment: dict[str, list[tuple[str, float]]] = {}
    for slot_id, member, a, cc in builder.assign:
        if solver.boolean_value(a):
            counted = solver.value(cc) / CREDIT_SCALE
            assignment.setdefault(slot_id, []).append((member, counted))
    edges = sorted({(b, c) for b, c, y in builder.edges if solver.boolean_value(y)})
    return Selection(chosen, assignment, edges, optimal)
