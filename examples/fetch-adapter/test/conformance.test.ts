import { adapterConformance } from '@sess/testkit';
import { FetchAdapter } from '../src/fetch-adapter.js';

await adapterConformance(
  'FetchAdapter',
  () => new FetchAdapter(),
  {
    // fetch takes no CA bundle, proxy or connect budget per request, and its pool is Node's, not ours.
    tls: false,
    proxies: false,
    connectTimeout: false,
    pooling: false,
  },
  {
    knownFailures: {
      // The Fetch Standard joins repeated fields into one value (`get()`); only Set-Cookie stays a list.
      'repeated headers': 'fetch joins repeated response headers with ", "',
      // Node's fetch is undici: its HTTP/1.1 parser refuses a 100 it did not ask for.
      'interim 100': 'undici rejects an unsolicited 100 Continue',
    },
  },
);
