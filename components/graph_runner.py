"""Run Rasa's prediction graph node after node, without Dask's scheduler.

Rasa 3.6 runs the prediction graph with ``DaskGraphRunner`` several times for every message
(once to understand it, once per action it predicts). Each run builds a Dask graph, orders
it and dispatches every node as a task; for our dozen small nodes that scheduling took 14% of
Rasa's time per turn, against 32% for the nodes themselves. This runner keeps the same
contract (the ``GraphRunner`` interface, the same node calls and inputs, the same results)
and works out each target list's order once. ``tests/test_rasa_parity.py`` holds it to
Dask's answers.

Rasa hard-codes the runner class where it loads a model (``rasa.core.processor``), so
``use_sequential_graph_runner`` points that name here. The components package does so on
import, which Rasa does when it creates our tracker store or response generator from
endpoints.yml, before it loads the model. Training keeps Rasa's own runner.
"""

from __future__ import annotations

from typing import Any

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNode, GraphNodeHook, GraphSchema
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.storage import ModelStorage


class SequentialGraphRunner(GraphRunner):
    """Runs the nodes a run's targets need, each once, every node after the nodes it needs."""

    def __init__(
        self,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> None:
        self._schema = graph_schema
        self._nodes = {
            name: GraphNode.from_schema_node(name, node, model_storage, execution_context, hooks)
            for name, node in graph_schema.nodes.items()
        }
        self._orders: dict[tuple[str, ...], list[str]] = {}

    @classmethod
    def create(
        cls,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> SequentialGraphRunner:
        return cls(graph_schema, model_storage, execution_context, hooks)

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        run_targets = tuple(targets or self._schema.target_names)
        # Like Dask: a node receives (name, output) from each node or input it needs, and the
        # bare name of one that is missing (GraphNode warns about it).
        outputs: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if name in self._nodes:
                raise GraphRunError(
                    f"Input value '{name}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            outputs[name] = (name, value)
        try:
            for name in self._order(run_targets):
                needs = self._schema.nodes[name].needs.values()
                outputs[name] = self._nodes[name](*(outputs.get(n, n) for n in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(outputs[target] for target in run_targets)

    def _order(self, targets: tuple[str, ...]) -> list[str]:
        """The nodes the targets need, each after everything it needs (computed once)."""
        if targets not in self._orders:
            order: list[str] = []
            visiting: set[str] = set()

            def visit(name: str) -> None:
                if name in order or name not in self._nodes:
                    return
                if name in visiting:
                    raise GraphRunError(f"The graph has a cycle through node '{name}'.")
                visiting.add(name)
                for need in self._schema.nodes[name].needs.values():
                    visit(need)
                order.append(name)

            for target in targets:
                visit(target)
            self._orders[targets] = order
        return self._orders[targets]


def use_sequential_graph_runner() -> None:
    """Make the Rasa server load models with SequentialGraphRunner."""
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
