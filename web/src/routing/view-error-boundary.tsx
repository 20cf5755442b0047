import { Component, type ComponentChildren } from "preact";
import { ViewLoadError } from "./lazy-view";

interface Props {
  /** The URL: going elsewhere (a nav link, Back) leaves the failed view and clears the error. */
  resetKey: string;
  children: ComponentChildren;
}

/**
 * A view that throws while rendering shows this instead of a blank page: what happened, and a way
 * back (reload, or the plants page). The top bar stays, since it is outside the boundary.
 */
export class ViewErrorBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: unknown) {
    // Kept for whoever opens the console: the page itself shows only a friendly summary.
    console.error("view failed to render", error);
  }

  componentDidUpdate(previous: Props) {
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <main id="main" class="view-error">
        <h1>Something went wrong</h1>
        <p role="alert">
          {error instanceof ViewLoadError
            ? error.message
            : "An error in the page stopped this view from showing. Reloading usually helps."}
        </p>
        <p class="actions">
          <button type="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>{" "}
          <a href="/" onClick={() => this.setState({ error: null })}>
            Go to the plants page
          </a>
        </p>
      </main>
    );
  }
}
