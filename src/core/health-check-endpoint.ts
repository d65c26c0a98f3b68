// The path an http health check asks its instance for: one rule for scenarios (the simulator) and
// templates (the real cells), which the real cells send as is on the instance's loopback port.

/** The rule as a regular expression's source: a path from `/`, printable ASCII without spaces, at most 1,024 characters. */
export const HEALTH_CHECK_ENDPOINT_PATTERN = '^/[\\x21-\\x7e]{0,1023}$';

/** The rule as an expression. */
export const HEALTH_CHECK_ENDPOINT = new RegExp(HEALTH_CHECK_ENDPOINT_PATTERN);

/** The rule in a problem's words. */
export const HEALTH_CHECK_ENDPOINT_RULE = 'a path starting with / (printable ASCII, no spaces, at most 1024)';
