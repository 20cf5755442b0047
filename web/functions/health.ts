// Same-origin proxy to the API Worker; see api/[[path]].ts.
export { onRequest } from "./api/[[path]]";
