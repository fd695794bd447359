import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { type PreparedRequest, SSLError } from '@sess/core';

/** One TLS configuration: options for `tls.connect` and a key that names it. */
export interface TlsConfig {
  /** Equal keys mean equal options, so sessions may be shared between requests. */
  readonly key: string;
  readonly options: Readonly<ConnectionOptions>;
}

/** `verify: true`, no client certificate: Node's CA store, full verification. */
export const DEFAULT_TLS: TlsConfig = Object.freeze({ key: 'default', options: Object.freeze({}) });

/**
 * Turns a request's `verify` and `cert` into TLS options, as the undici
 * adapter does. Files are read on first use and kept for the adapter's
 * lifetime, so later requests neither touch the disk nor allocate options.
 */
export class TlsConfigs {
  readonly #files = new Map<string, Buffer>();
  readonly #configs = new Map<string, TlsConfig>();

  resolve(
    verify: boolean | string,
    cert: string | readonly [string, string] | null,
    request: PreparedRequest,
  ): TlsConfig {
    if (verify === true && !cert) return DEFAULT_TLS;
    const certKey = cert ? (typeof cert === 'string' ? cert : `${cert[0]}\0${cert[1]}`) : '';
    const key = `${typeof verify === 'string' ? `ca:${verify}` : String(verify)}\n${certKey}`;
    let config = this.#configs.get(key);
    if (!config) {
      config = { key, options: Object.freeze(this.#build(verify, cert, request)) };
      this.#configs.set(key, config);
    }
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
        // Synchronous on purpose: once per path, and send() stays free of an extra await.
        data = readFileSync(path);
      } catch (cause) {
        throw new SSLError(
          `Could not read the TLS ${what} file ${JSON.stringify(path)}: ${(cause as Error).message}`,
          { request, cause },
        );
      }
      this.#files.set(path, data);
    }
    return data;
  }
}
