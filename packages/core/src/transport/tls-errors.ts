/**
 * For adapter authors: which Node/OpenSSL error codes mean a TLS failure
 * (an untrusted or mismatched certificate, a handshake or protocol error),
 * to be mapped to SSLError, shared by the first-party adapters.
 */

/** OpenSSL certificate-verification results, as Node reports them in `err.code`. */
export const CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  // undici's name for a hostname mismatch met while tunnelling through a proxy.
  'UND_ERR_PRX_TLS',
]);

/** `true` for a TLS failure's `err.code`: a certificate result, or an `ERR_SSL_*` / `ERR_TLS_*` / `ERR_OSSL_*` code. */
export function isTlsErrorCode(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (CERT_CODES.has(code) ||
      code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_TLS_') ||
      code.startsWith('ERR_OSSL_'))
  );
}
