"""The pieces behind the `openai:MODEL` engine (`engines.llm.engine`).

engine        LLMEngine: translate, critique, revise over batches of segments
prompts       the system prompts, as data (YAML files, validated)
tokens        rough token counts without a tokenizer download
jsonparse     JSON out of a model reply (fenced, wrapped in prose, after <think>)
schemas       the reply shapes: pydantic models and the JSON schemas sent to servers
validate      reply checks: ids, placeholders, empty text, critique spans
sanity        is the answer what was asked for (a copy of the source, a critic's noise)
batching      segments → batches by token budget, cut between blocks
messages      the JSON user message of the LLM contract
transport     one chat call through LangChain's ChatOpenAI: structured-output
              fallback per endpoint, output cap, usage
capabilities  what an endpoint accepts (mode, fields), per process and between runs
retry         the one retry policy: Retry-After, backoff with jitter
failures      what a failed request means (CallFailed, TooLarge, a mode refused)
replies       a server's reply read the same way in every mode (Reply)
journal       replies kept the moment they arrive, replayed after a crash;
              the key of "the n-th identical request" (Repeats)
steps         the per-batch loops: ask, validate, re-ask only what failed, fall back
"""
