export * from "./ingest";
