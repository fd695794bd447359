/** The messages between the runner and a client's process (`client-child.ts`). */
import type { Sample } from './measure.js';

export type ParentMessage =
  | {
      readonly type: 'setup';
      readonly scenario: string;
      readonly client: string;
      readonly origin: string;
      readonly headers: Readonly<Record<string, string>>;
      /** Milliseconds of a round: the warm-up runs half of it. */
      readonly ms: number;
    }
  | { readonly type: 'round'; readonly ms: number }
  | { readonly type: 'close' };

export type ChildReply =
  | { readonly type: 'ready' }
  | { readonly type: 'sample'; readonly sample: Sample }
  | { readonly type: 'failed'; readonly error: string };
