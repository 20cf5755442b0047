import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppEnv } from "./types";

/**
 * A 200 answer from JSON that is already serialised (as the KV cache stores it), typed as the
 * route's JSON response so the OpenAPI handler stays checked: `c.json()` would parse and
 * re-serialise the text. `T` is the body's type (the route schema's `z.infer`); the caller's text
 * must be `JSON.stringify` of such a value, which is what the cache's loaders store.
 *
 * @example
 * return jsonText<z.infer<typeof StatesSchema>>(c, await readThrough(c, key, load), headers);
 */
export function jsonText<T>(
  c: Context<AppEnv>,
  text: string,
  headers: Record<string, string>,
): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const response: Response = c.body(text, 200, { ...headers, "Content-Type": "application/json" });
  // TypedResponse's fields exist only in types (Hono never reads them); the body is a serialised T.
  return response as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
