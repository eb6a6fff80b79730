/** The prefix of every {@link databaseOwnershipMarker}. @public */
export const DATABASE_OWNERSHIP_MARKER_PREFIX = 'gp:request=';

/**
 * The ownership marker the `local-postgres` provisioner writes on a database it created
 * (`COMMENT ON DATABASE <id> IS 'gp:request=<key>'`, §4.9): `find(requestKey)` looks it up, and
 * the golden-paths reconciler (§8 step 4) reads it to tell whether a request's database still
 * exists. One definition, so that the writer and every reader agree on the spelling.
 *
 * @public
 */
export function databaseOwnershipMarker(requestKey: string): string {
  return `${DATABASE_OWNERSHIP_MARKER_PREFIX}${requestKey}`;
}
