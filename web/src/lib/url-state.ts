import { useEffect, useState } from "preact/hooks";
import { isStateCode } from "./states";
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
    if (isStateCode(state)) view.state = state.toUpperCase();
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

/** Fired on window after navigate(), since pushState fires no event of its own. */
const NAVIGATE_EVENT = "egrid-edge:navigate";

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
  win.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export interface Location {
  path: string;
  search: string;
}

function readLocation(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

/** The current path and query, re-rendering on navigate() and on back/forward (popstate). */
export function useLocation(): Location {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const update = () =>
      setLocation((current) => {
        const next = readLocation();
        return next.path === current.path && next.search === current.search ? current : next;
      });
    // A navigation between the first render and this effect (a click before effects ran) would
    // otherwise go unseen until the next one.
    update();
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return location;
}
