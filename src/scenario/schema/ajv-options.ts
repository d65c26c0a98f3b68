// How the loader's ajv is set up, for the scenario and for one event body alike.

/**
 * The ajv options of the loader: every error, defaults filled in, finite numbers only. The generated
 * code is not optimised: that halves the compile every command pays once (110 -> 60 ms) and costs
 * nothing measurable in checking (bench/scenario-parse.ts).
 */
export const AJV_OPTIONS = Object.freeze({ allErrors: true, useDefaults: true, strictNumbers: true, strictTypes: false, strictTuples: false, code: Object.freeze({ optimize: false }) });
