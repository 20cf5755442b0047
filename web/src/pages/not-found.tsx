import { useEffect } from "preact/hooks";
import { PageHeading } from "../components/page-heading";
import { useLocation } from "../lib/url-state";

/** A path the app has no page for: say so, show the path, and link home. */
export function NotFoundPage() {
  const { path } = useLocation();
  useEffect(() => {
    const previous = document.title;
    document.title = "Page not found · eGRID Edge";
    return () => {
      document.title = previous;
    };
  }, []);
  return (
    <main id="main" class="not-found">
      <PageHeading>Page not found</PageHeading>
      <p>
        There is no page at <code>{path}</code>. The link may be mistyped or out of date.
      </p>
      <p>
        <a href="/">Go to the plants page</a>
      </p>
    </main>
  );
}
