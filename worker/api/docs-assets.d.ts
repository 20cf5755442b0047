// swagger-ui-dist files imported as text: wrangler.toml's [[rules]] (type "Text") makes them
// string modules instead of JavaScript to bundle.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const text: string;
  export default text;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const text: string;
  export default text;
}
