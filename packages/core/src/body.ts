import type { Data, EncodedBody, Files } from './body-types.js';
import { encodeJson } from './json-body.js';
import { encodeMultipart } from './multipart.js';
import { describeType, encodePairs, type Params, paramPairs } from './params.js';
import { blobChunks, bytesOf, isAsyncIterable, ReplayableBody } from './replayable.js';

export { ReplayableBody } from './replayable.js';

const enc = new TextEncoder();

/**
 * Encodes `json`, `data` and `files` into a body: `files` (with `data` as
 * its fields) or a FormData `data` make multipart/form-data, other `data` is
 * sent as it is or urlencoded, `json` is JSON.
 *
 * @throws TypeError when `json` comes with `data` or `files` (requests
 *   silently drops the json; a body cannot be both), for json values JSON
 *   cannot hold (see `encodeJson`), and for `data` or `files` of a kind that
 *   has no body form (see `encodeMultipart`).
 */
export function encodeBody(
  data: Data | null | undefined,
  json: unknown,
  files: Files | null | undefined,
): EncodedBody {
  // The common case, a request without a body: nothing to check or allocate.
  if ((data === undefined || data === null) && json === undefined && (files === undefined || files === null))
    return NO_BODY;
  const hasData = data !== undefined && data !== null;
  const hasFiles = files !== undefined && files !== null;
  if (json !== undefined && json !== null && (hasData || hasFiles)) {
    throw new TypeError(
      `json cannot be combined with ${hasFiles ? 'files' : 'data'}: a request has one body. ` +
        'Send the JSON as a string in data (with a Content-Type header) or as a file part.',
    );
  }
  if (hasFiles || data instanceof FormData) return encodeMultipart(files, data);
  if (hasData) return encodeData(data);
  if (json !== undefined) {
    const bytes = encodeJson(json);
    return { body: bytes, contentType: 'application/json', length: bytes.byteLength, replayable: true };
  }
  return { body: null, replayable: true };
}

const NO_BODY: EncodedBody = Object.freeze({ body: null, replayable: true });

function encodeData(data: Data): EncodedBody {
  if (typeof data === 'string') {
    const bytes = enc.encode(data);
    return { body: bytes, length: bytes.byteLength, replayable: true };
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes = bytesOf(data);
    return { body: bytes, length: bytes.byteLength, replayable: true };
  }
  if (data instanceof Blob) {
    return {
      body: new ReplayableBody(() => blobChunks(data), data.size),
      length: data.size,
      ...(data.type ? { contentType: data.type } : {}),
      replayable: true,
    };
  }
  if (data instanceof ReplayableBody) {
    return { body: data, ...(data.length !== undefined ? { length: data.length } : {}), replayable: true };
  }
  if (isAsyncIterable(data)) return { body: data, replayable: false };
  if (typeof data !== 'object') {
    throw new TypeError(
      `data must be a string, bytes, a Blob, FormData, a form (an object, pairs or URLSearchParams) or a stream; got ${describeType(data)}`,
    );
  }
  const bytes = enc.encode(encodePairs(paramPairs(data as Params, 'data')));
  return {
    body: bytes,
    contentType: 'application/x-www-form-urlencoded',
    length: bytes.byteLength,
    replayable: true,
  };
}
