/** True when `value` is a promise (or any thenable). */
export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Calls `fn` on each item in order, synchronously while `fn` is synchronous; once it returns a promise, the
 * remaining items wait for it. So synchronous pipelines stay synchronous and asynchronous ones keep order.
 */
export function sequence<T>(items: readonly T[], fn: (item: T) => unknown): void | Promise<void> {
  for (let i = 0; i < items.length; i++) {
    const result = fn(items[i] as T);
    if (isPromise(result)) {
      return result.then(() => sequence(items.slice(i + 1), fn));
    }
  }
}
