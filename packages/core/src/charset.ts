/** The charset parameter of a Content-Type, unquoted and lower-cased. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m?.[2]?.toLowerCase();
}

// One decoder per label: building a TextDecoder (and validating its label) per response adds up on the hot path.
const decoders = new Map<string, Decoder>();
type Decoder = InstanceType<typeof TextDecoder>;

function decoderFor(label: string): Decoder {
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = decoderFor('utf-8');
    }
    if (decoders.size < 64) decoders.set(label, d);
  }
  return d;
}

export function safeLabel(label: string): string {
  return decoderFor(label).encoding;
}

export function decodeText(bytes: Uint8Array, label: string): string {
  return decoderFor(label).decode(bytes);
}
