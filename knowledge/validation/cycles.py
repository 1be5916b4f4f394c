"""Cycle check: credential prerequisites and skill foundations form DAGs.

A credential that (through its prerequisites) requires itself can never be
earned; a skill that builds on itself has no place to start. Each cycle is
reported once, at its entry with the smallest id, with the whole loop spelled
out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from knowledge.validation.identity import Indexed
from knowledge.validation.report import Problems


def check_cycles(indexed: Indexed, problems: Problems) -> None:
    """Report prerequisite cycles among credentials and depends_on cycles among skills."""
    credentials = indexed.tables["credentials"]
    prerequisite_graph = {
        cid: sorted(
            {
                other
                for group in credential.prerequisites
                for other in group.credentials
                if other in credentials
            }
        )
        for cid, credential in credentials.items()
    }
    for cycle in find_cycles(prerequisite_graph):
        problems.error(
            f"{indexed.where[cycle[0]]} > prerequisites",
            "prerequisite cycle: " + " -> ".join([*cycle, cycle[0]]) + " (none can be earned)",
        )
    skills = indexed.tables["skills"]
    skill_graph = {
        sid: sorted({other for other in skill.depends_on if other in skills})
        for sid, skill in skills.items()
    }
    for cycle in find_cycles(skill_graph):
        problems.error(
            f"{indexed.where[cycle[0]]} > depends_on",
            "skill dependency cycle: " + " -> ".join([*cycle, cycle[0]]),
        )


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one.

    Tarjan's algorithm, iterative (100,000-node catalogues would overflow the
    recursion limit). Each cycle starts at its smallest node.
    """
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index_of:
            continue
        work: list[tuple[str, list[str], int]] = [(root, list(graph.get(root, ())), 0)]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors, position = work[-1]
            if position < len(successors):
                work[-1] = (node, successors, position + 1)
                nxt = successors[position]
                if nxt not in index_of:
                    index_of[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, list(graph.get(nxt, ())), 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index_of[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    components.append(component)
    return sorted(_cycle_in(graph, set(component)) for component in components)


def _cycle_in(graph: Mapping[str, Iterable[str]], members: set[str]) -> list[str]:
    """A simple cycle through the smallest member, inside one component."""
    start = min(members)
    # Breadth-first search from start back to start within the component gives
    # the shortest loop, which reads best in a message.
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in graph.get(node, ()):
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start]
