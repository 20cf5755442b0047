// `npm run bench:revisions`: see bench/revisions.mjs (runs under Node >= 22.12 via scripts/bootstrap.mjs).
import "../bench/revisions.mjs";
