import { useEffect, useRef } from "preact/hooks";
import { useLocation } from "../lib/url-state";

/** A path the app has no page for: say so, show the path, and link home. */
export function NotFoundPage() {
  const { path } = useLocation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    const previous = document.title;
    document.title = "Page not found · eGRID Edge";
    return () => {
      document.title = previous;
    };
  }, []);
  return (
    <main id="main" class="not-found">
      <h1 ref={headingRef} tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is no page at <code>{path}</code>. The link may be mistyped or out of date.
      </p>
      <p>
        <a href="/">Go to the plants page</a>
      </p>
    </main>
  );
}
