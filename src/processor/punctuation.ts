/**
 * The clock a punctuator follows: `stream-time` advances with the timestamps of the records a task processes
 * (max seen); `wall-clock` follows the system clock, whether or not records arrive.
 */
export type PunctuationType = 'stream-time' | 'wall-clock';

/** Called with the current stream time or wall-clock time (ms). May return a promise, which is awaited. */
export type Punctuator = (timestampMs: number) => void | Promise<void>;

/** A handle to cancel a scheduled punctuator. */
export interface Cancellable {
  cancel(): void;
}
