// `npm run bench:api`: see bench/api.mjs (runs under Node >= 22.12 via scripts/bootstrap.mjs).
import "../bench/api.mjs";
