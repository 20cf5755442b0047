import type { ComponentChildren, SVGAttributes } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export interface ChartFrameProps {
  /** The figure's class ("chart", "chart trend", "map"). */
  class: string;
  /** The caption's id, which names the drawing. */
  id: string;
  title: string;
  /** The drawing's own attributes: size, viewBox, class, ref. */
  svg: SVGAttributes<SVGSVGElement>;
  children: ComponentChildren;
  /** Under the drawing, inside the figure (a legend). */
  after?: ComponentChildren;
}

/**
 * Every chart's frame: a figure whose caption names the drawing (role="img", aria-labelledby),
 * with the same words as the drawing's <title> for a tooltip.
 */
export function ChartFrame({ class: figureClass, id, title, svg, children, after }: ChartFrameProps) {
  return (
    <figure class={figureClass}>
      <figcaption id={id}>{title}</figcaption>
      <svg {...svg} role="img" aria-labelledby={id}>
        <title>{title}</title>
        {children}
      </svg>
      {after}
    </figure>
  );
}

/** Width of the element in CSS pixels, tracked with ResizeObserver (640 until measured). */
export function useWidth() {
  const [width, setWidth] = useState(640);
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [width, ref] as const;
}

/** `text` cut to `max` characters with an ellipsis (at least one character kept). */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(max - 1, 1))}…` : text;
}
