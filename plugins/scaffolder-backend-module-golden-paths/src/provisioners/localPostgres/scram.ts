import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

// PostgreSQL stores SCRAM-SHA-256 verifiers; sending one instead of the plain password means the
// password never travels to the server and never appears in a server log (log_statement = ddl
// would log `CREATE ROLE … PASSWORD '…'` verbatim). RFC 5802 / RFC 7677, as PostgreSQL's
// `pg_be_scram_build_secret` builds it.

const ITERATIONS = 4096;

const hmac = (key: Buffer, text: string) =>
  createHmac('sha256', key).update(text).digest();

/** The SCRAM-SHA-256 keys of a password with a given salt and iteration count. */
export function scramKeys(password: string, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(
    password.normalize('NFKC'),
    salt,
    iterations,
    32,
    'sha256',
  );
  const storedKey = createHash('sha256')
    .update(hmac(salted, 'Client Key'))
    .digest();
  const serverKey = hmac(salted, 'Server Key');
  return { storedKey, serverKey };
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` for `ALTER/CREATE ROLE … PASSWORD`. */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = ITERATIONS,
): string {
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** True when `verifier` (as stored in `pg_authid.rolpassword`) was built from `password`. */
export function verifierMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  const { storedKey, serverKey } = scramKeys(
    password,
    Buffer.from(m[2], 'base64'),
    Number(m[1]),
  );
  return (
    storedKey.toString('base64') === m[3] &&
    serverKey.toString('base64') === m[4]
  );
}

/** A random password: 32 characters of base64url (no quotes, no backslashes). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
