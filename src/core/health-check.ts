// The words a health check is written in, one set for scenarios (the simulator) and templates (the
// real cells): its types, as Cloud Foundry names them, and the path an http check asks its instance
// for, which the real cells send as is on the instance's loopback port.

/**
 * What an instance's health check probes, as Cloud Foundry names its health check types: a TCP
 * connect to the app's port (the default), a GET of an endpoint, or only that the process runs.
 */
export type HealthCheckType = 'port' | 'http' | 'process';

/** Every {@link HealthCheckType}, in that order. */
export const HEALTH_CHECK_TYPES: readonly HealthCheckType[] = ['port', 'http', 'process'];

/** The endpoint rule as a regular expression's source: a path from `/`, printable ASCII without spaces, at most 1,024 characters. */
export const HEALTH_CHECK_ENDPOINT_PATTERN = '^/[\\x21-\\x7e]{0,1023}$';

/** The endpoint rule as an expression. */
export const HEALTH_CHECK_ENDPOINT = new RegExp(HEALTH_CHECK_ENDPOINT_PATTERN);

/** The endpoint rule in a problem's words. */
export const HEALTH_CHECK_ENDPOINT_RULE = 'a path starting with / (printable ASCII, no spaces, at most 1024)';
