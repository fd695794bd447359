import { UndiciAdapter } from '@sess/adapter-undici';
import { adapterConformance } from '@sess/testkit';

await adapterConformance(
  'UndiciAdapter',
  () => new UndiciAdapter(),
  {},
  {
    knownFailures: {
      // undici's HTTP/1.1 parser destroys the socket on any 100 it did not ask for
      // (lib/dispatcher/client-h1.js, onHeadersComplete: `statusCode === 100` -> SocketError 'bad response');
      // RFC 9110 §15.2 requires a client to parse 1xx responses it did not expect.
      'interim 100': 'undici rejects an unsolicited 100 Continue with "bad response" (ConnectionError)',
    },
  },
);
