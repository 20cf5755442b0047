export * from "./auth";
export * from "./fuels";
export * from "./imports";
export * from "./ingest";
export * from "./years";
