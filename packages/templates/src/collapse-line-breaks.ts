const WHITESPACE_RUN = /\s+/g;
const LINE_BREAK = /[\r\n\u2028\u2029]/;

/**
 * Replaces each run of whitespace that holds a line break with one space: a line break from data
 * in a header would end the header, or start a new one. Each run is matched once, greedily, so the
 * cost is linear: the expression this replaces (optional whitespace, line breaks, optional
 * whitespace) retried a long run of spaces from each of its characters, seconds for 50,000.
 */
export function collapseLineBreaks(text: string): string {
  return text.replace(WHITESPACE_RUN, (run) => (LINE_BREAK.test(run) ? ' ' : run));
}
