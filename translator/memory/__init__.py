"""What earlier runs and editors taught: the translation memory (`store`),
edits made by hand in an output (`edits`, their inline codes in `inline`),
XLIFF and TMX for CAT tools, and the glossary terms editors keep correcting (`suggest`)."""
