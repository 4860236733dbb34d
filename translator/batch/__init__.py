"""The OpenAI Batch API behind the engine interface: the transport, the run's
state in SQLite (resumable), the cost estimate of `--dry-run`, and the runner."""
