/**
 * The one Serde type of Millrace is the state layer's (`state/serde.ts`); the serdes of this folder are
 * written against it.
 */
export type { Serde } from '../../state/serde.ts';
