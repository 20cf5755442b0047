import type { ComponentType } from "preact";
import { lazy } from "preact-iso";

/** A lazy view's chunk did not load: its message is meant for the user. */
export class ViewLoadError extends Error {}

/**
 * A view loaded on first use (its own chunk). preact-iso's lazy() waits forever on a chunk that
 * fails to load (offline, or a deploy replaced the hashed file), leaving a blank page; here the
 * failure becomes a render error, so the view's error boundary explains it and offers a reload.
 */
export function lazyView<P>(name: string, load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(() =>
    load().catch((cause: unknown): ComponentType<P> => {
      const error = new ViewLoadError(`The ${name} view could not be loaded; check the connection and reload.`, {
        cause,
      });
      return function FailedView(): never {
        throw error;
      };
    }),
  ) as ComponentType<P>;
}
