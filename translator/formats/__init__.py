"""File formats: HTML, Markdown (front matter included), plain text and
subtitles, each parsed into blocks by source offsets and rendered back from
its skeleton (`assemble`), so untouched markup survives byte for byte;
`localise` puts the target language into every output."""
