import { adapterConformance, MockAdapter } from '@sess/testkit';

// MockAdapter has no sockets: the suite's routes are answered by the kit's own handler,
// and only the checks that need no server run (the others are listed as skipped, with why).
await adapterConformance('MockAdapter', (kit) => new MockAdapter(kit.handler), { network: false });
