// har-validator ships no types; the one function the tests use.
declare module 'har-validator' {
  const validator: {
    /** Resolves with the document when it is valid HAR 1.2; rejects with a HARError listing `errors`. */
    har(data: unknown): Promise<unknown>;
  };
  export default validator;
}
