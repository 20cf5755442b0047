export * from "./auth";
export * from "./imports";
export * from "./ingest";
