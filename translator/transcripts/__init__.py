"""Transcripts and subtitles around the loop: speech-recognition term repair
before (`asr`), the LLM clean-up step (`clean`), readable paragraphs or cues
after (`flow`)."""
