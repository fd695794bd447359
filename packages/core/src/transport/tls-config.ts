import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { SSLError } from '../errors.js';
import type { PreparedRequest } from '../prepared-request.js';

/**
 * For adapter authors: a request's `verify` and `cert` as `tls.connect` options,
 * shared by the first-party adapters (undici's connector takes the same options).
 */

/** One TLS configuration: `tls.connect` options and a key that names it. */
export interface TlsConfig {
  /** Equal keys mean equal options, so connections (and TLS sessions) may be shared. */
  readonly key: string;
  readonly options: Readonly<ConnectionOptions>;
}

/** `verify: true`, no client certificate: Node's CA store, full verification. */
export const DEFAULT_TLS: TlsConfig = Object.freeze({ key: 'default', options: Object.freeze({}) });

/**
 * Turns a request's `verify` and `cert` into TLS options. Files are read on
 * first use and kept for the adapter's lifetime, so later requests neither
 * touch the disk nor allocate new options.
 */
/** The same client certificate setting (a `[cert, key]` pair compared by its paths: it may be changed in place). */
function sameCert(
  a: string | readonly [string, string] | null,
  b: string | readonly [string, string] | null,
): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null)
    return a[0] === b[0] && a[1] === b[1];
  return a === b;
}

export class TlsConfigs {
  readonly #files = new Map<string, Buffer>();
  readonly #configs = new Map<string, TlsConfig>();
  /** The last answer: a session sends with the same settings request after request. */
  #last:
    | { verify: boolean | string; cert: string | readonly [string, string] | null; config: TlsConfig }
    | undefined;

  resolve(
    verify: boolean | string,
    cert: string | readonly [string, string] | null,
    request: PreparedRequest,
  ): TlsConfig {
    if (verify === true && !cert) return DEFAULT_TLS;
    const last = this.#last;
    if (last && last.verify === verify && sameCert(last.cert, cert)) return last.config;
    const certKey = cert ? (typeof cert === 'string' ? cert : `${cert[0]}\0${cert[1]}`) : '';
    const key = `${typeof verify === 'string' ? `ca:${verify}` : String(verify)}\n${certKey}`;
    let config = this.#configs.get(key);
    if (!config) {
      config = { key, options: Object.freeze(this.#build(verify, cert, request)) };
      this.#configs.set(key, config);
    }
    // A copy of a [cert, key] pair: the caller's may be changed in place later.
    this.#last = { verify, cert: cert && typeof cert === 'object' ? [cert[0], cert[1]] : cert, config };
    return config;
  }

  #build(
    verify: boolean | string,
    cert: string | readonly [string, string] | null,
    request: PreparedRequest,
  ): ConnectionOptions {
    const options: ConnectionOptions = {};
    if (verify === false) options.rejectUnauthorized = false;
    else if (typeof verify === 'string') options.ca = this.#read(verify, 'CA bundle', request);
    if (typeof cert === 'string') {
      // One PEM file holding both: Node picks the CERTIFICATE blocks for `cert` and the key block for `key`.
      const pem = this.#read(cert, 'client certificate', request);
      options.cert = pem;
      options.key = pem;
    } else if (cert) {
      options.cert = this.#read(cert[0], 'client certificate', request);
      options.key = this.#read(cert[1], 'client key', request);
    }
    return options;
  }

  #read(path: string, what: string, request: PreparedRequest): Buffer {
    let data = this.#files.get(path);
    if (!data) {
      try {
        // Synchronous on purpose: it happens once per path, and keeps send() free of an extra await.
        data = readFileSync(path);
      } catch (cause) {
        throw new SSLError(
          `Could not read the TLS ${what} file ${JSON.stringify(path)}: ${(cause as Error).message}`,
          {
            request,
            cause,
          },
        );
      }
      this.#files.set(path, data);
    }
    return data;
  }
}
