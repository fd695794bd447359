import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Paths of the test PKI: a CA, a server cert for 127.0.0.1/localhost it signed, a client cert, and a self-signed cert. */
export const tlsFiles = {
  ca: fixture('ca.pem'),
  clientCert: fixture('client.pem'),
  clientKey: fixture('client.key'),
};

/** Key and certificate for a server on 127.0.0.1: `server` (signed by the test CA) or `self-signed`. */
export function serverTls(name: 'server' | 'self-signed' = 'server'): { key: Buffer; cert: Buffer } {
  return { key: readFileSync(fixture(`${name}.key`)), cert: readFileSync(fixture(`${name}.pem`)) };
}
