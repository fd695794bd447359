/**
 * The test PKI of @sess/adapter-http2 (packages/adapter-http2/test/fixtures):
 * the HTTP/2 server's certificate for 127.0.0.1, and the CA every HTTP/2
 * client is told to trust. The keys protect nothing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../packages/adapter-http2/test/fixtures/${name}`, import.meta.url));

/** The CA bundle's path, for clients that take one (sess's `verify`). */
export const CA_PATH = fixture('ca.pem');

/** The CA, for clients that take the PEM itself. */
export function caPem(): Buffer {
  return readFileSync(CA_PATH);
}

/** The server's key and certificate (127.0.0.1 and localhost, signed by the CA). */
export function serverKeyAndCert(): { key: Buffer; cert: Buffer } {
  return { key: readFileSync(fixture('server.key')), cert: readFileSync(fixture('server.pem')) };
}
