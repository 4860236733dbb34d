"""The command line, the only place that prints or exits: `main` (translate and
the app), `review` (review, evaluate), `glossary`, `editor` (learn, xliff,
tmx), `batch` (--batch, --dry-run, batch status/resume) and what they share (`common`)."""
