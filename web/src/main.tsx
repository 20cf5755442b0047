import { render } from "preact";
import { App } from "./app";
// One stylesheet per part of the page, in this order: later files override earlier ones (cards.css
// turns every view's tables into cards on phones), so the order is the cascade. The owners' views
// bring their own (pages/ingestions.tsx), loaded with their lazy chunk.
import "./styles/base.css";
import "./styles/app-shell.css";
import "./styles/explorer.css";
import "./styles/tables.css";
import "./styles/charts.css";
import "./styles/analysis.css";
import "./styles/not-found.css";
import "./styles/cards.css";

const root = document.getElementById("app");
if (root) render(<App />, root);
