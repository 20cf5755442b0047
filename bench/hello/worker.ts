// The floor under every API figure: a Worker that does nothing, started by bench:api exactly as
// the API is (wrangler dev on loopback), so "x% of a hello-world Worker" compares like with like.
export default {
  fetch: () => new Response("Hello World!"),
} satisfies ExportedHandler;
