"""The language-model path: the model answers through the coach's own tools.

``client`` is the narrow model port (a real adapter over langchain-openai for
any OpenAI-compatible server); ``tools`` exposes the coach's capabilities to
the model, bound to the session's learner; ``grounding`` checks every model
answer against that turn's tool results; ``agent`` runs the loop, keeps the
per-learner token budget and falls back to the deterministic coach.
"""
