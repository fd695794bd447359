import type { Response, Session } from '@sess/core';
import type { Http2Adapter, PoolStats } from '../../src/index.js';

/** The most of each `poolStats()` figure seen for one origin while sampling. */
export interface PoolPeaks {
  sessions: number;
  streams: number;
  queued: number;
  connecting: number;
  samples: number;
}

/** Samples `adapter.poolStats()[origin]` on every turn of the event loop until stopped. */
export function samplePool(adapter: Http2Adapter, origin: string): { stop(): PoolPeaks } {
  const peaks: PoolPeaks = { sessions: 0, streams: 0, queued: 0, connecting: 0, samples: 0 };
  let running = true;
  const sample = () => {
    const stats: PoolStats | undefined = adapter.poolStats()[origin];
    if (stats) {
      peaks.sessions = Math.max(peaks.sessions, stats.sessions);
      peaks.streams = Math.max(peaks.streams, stats.streams);
      peaks.queued = Math.max(peaks.queued, stats.queued);
      peaks.connecting = Math.max(peaks.connecting, stats.connecting);
      peaks.samples++;
    }
    if (running) setImmediate(sample);
  };
  sample();
  return {
    stop() {
      running = false;
      sample();
      return peaks;
    },
  };
}

/** `n` GETs of `base + path + ?i=<i>` started together through `session`; the responses in order. */
export function burst(session: Session, url: (i: number) => string, n: number): Promise<Response[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => session.get(url(i))));
}
