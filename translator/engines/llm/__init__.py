"""The pieces behind the `openai:MODEL` engine (`engines.llm.engine`).

tokens     rough token counts without a tokenizer download
jsonparse  JSON out of a model reply (fenced, wrapped in prose, after <think>)
schemas    the reply shapes: pydantic models and the JSON schemas sent to servers
validate   reply checks: ids, placeholders, empty text, critique spans
batching   segments → batches by token budget, cut between blocks
messages   the JSON user message of the LLM contract
transport  one chat call through LangChain's ChatOpenAI: structured-output
           fallback per endpoint, output cap, retries with backoff, usage
steps      the per-batch loops: ask, validate, re-ask only what failed, fall back
"""
