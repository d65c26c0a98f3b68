// The published results schema's `$id`.

/** The `$id` of schemas/results.schema.json. */
export const RESULTS_SCHEMA_ID = 'urn:auctionlab:schema:results';
