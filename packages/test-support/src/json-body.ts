/**
 * A parsed JSON answer. Tests read whatever fields they assert on (`body.counts.sent`), and the
 * assertion is the type check, so this one type is left open.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonBody = any;
