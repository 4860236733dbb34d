"""The OpenAI Batch API behind the engine interface.

transport  BatchTransport and the Coordinator: the run's requests in waves
jobs       the files and batches calls of a wave (upload, create, poll, read)
lines      a queued request, its custom_id and hash, a result line read
state      the run's state in SQLite (resumable)
cost       the estimate of `--dry-run`
runner     a batch run (or its dry run) from its options
"""
