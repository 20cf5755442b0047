import type { ComponentChildren } from "preact";

/**
 * A labelled region that scrolls sideways when a wide table does not fit (phones). It takes
 * keyboard focus so it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
