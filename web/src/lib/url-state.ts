import { useLocation as useRouterLocation } from "preact-iso";
import { stateCodeOf } from "../../../domain/states";
import { N_MAX, N_MIN } from "./validate";

// The explorer's view lives in the URL (?state=TX&n=5&year=2023) so links are shareable and
// back/forward walk through views. Defaults are left out to keep links short.

export interface ViewState {
  /** Two-letter code, upper case; null = all states. */
  state: string | null;
  n: number;
  /** null = the latest year with data. */
  year: number | null;
}

export const DEFAULT_N = 10;
export const DEFAULT_VIEW: ViewState = { state: null, n: DEFAULT_N, year: null };

/** A view read from a link, with what was wrong in it (empty when the link was fine). */
export interface ParsedLink {
  view: ViewState;
  /** One sentence per bad parameter: what it said and what is shown instead. */
  problems: string[];
}

/**
 * Reads a view from a shared link. Anything wrong falls back to its default and says so, so the
 * page can explain the correction instead of silently showing something else (issue #12 item 5).
 */
export function parseViewLink(search: string): ParsedLink {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const state = params.get("state")?.trim() ?? "";
  const n = params.get("n")?.trim() ?? "";
  const year = params.get("year")?.trim() ?? "";
  const view: ViewState = { ...DEFAULT_VIEW };
  if (state !== "") {
    const code = stateCodeOf(state);
    if (code) view.state = code;
    else problems.push(`state ${quote(state)} is not a U.S. state code; showing all states.`);
  }
  if (n !== "") {
    const value = /^[0-9]{1,4}$/.test(n) ? Number(n) : Number.NaN;
    if (value >= N_MIN && value <= N_MAX) view.n = value;
    else problems.push(`n must be ${N_MIN}-${N_MAX}, not ${quote(n)}; showing ${DEFAULT_N}.`);
  }
  if (year !== "") {
    if (/^[0-9]{4}$/.test(year)) view.year = Number(year);
    else problems.push(`year ${quote(year)} is not a four-digit year; showing the latest year.`);
  }
  return { view, problems };
}

/** Long or odd values from a link, shortened so a notice stays one line. */
function quote(value: string): string {
  return value.length > 20 ? `"${value.slice(0, 20)}…"` : `"${value}"`;
}

/** Reads a view from a query string; anything malformed falls back to its default. */
export function parseViewState(search: string): ViewState {
  return parseViewLink(search).view;
}

/** The query string for a view ("" for the default view). */
export function viewToSearch(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.state) params.set("state", view.state);
  if (view.n !== DEFAULT_N) params.set("n", String(view.n));
  if (view.year !== null) params.set("year", String(view.year));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export interface NavigateOptions {
  /**
   * "typing" coalesces a run of edits (keystrokes in the N box) into one history entry, so Back
   * returns to the view before the edit rather than through every digit.
   */
  kind?: "select" | "typing";
  replace?: boolean;
}

/** Goes to `url` (path + query) with one history entry per choice; no entry when nothing changes. */
export function navigate(url: string, options: NavigateOptions = {}, win: Window = window): void {
  const current = win.location.pathname + win.location.search;
  if (url === current) return;
  const typing = options.kind === "typing";
  const coalesce = typing && (win.history.state as { typing?: boolean } | null)?.typing === true;
  if (options.replace || coalesce) win.history.replaceState({ typing }, "", url);
  else win.history.pushState({ typing }, "", url);
  // pushState fires no event. The router (preact-iso's LocationProvider) re-reads the URL on
  // popstate, so announce the change that way; it keeps the {typing} history state, which
  // preact-iso's own route() would reset to null.
  win.dispatchEvent(new PopStateEvent("popstate", { state: win.history.state }));
}

export interface Location {
  /** As the browser has it (trailing slash kept), unlike preact-iso's normalised `path`. */
  path: string;
  search: string;
}

/** The current path and query, re-rendering on navigate(), link clicks and back/forward. */
export function useLocation(): Location {
  const { url } = useRouterLocation();
  const queryAt = url.indexOf("?");
  return queryAt < 0 ? { path: url, search: "" } : { path: url.slice(0, queryAt), search: url.slice(queryAt) };
}
