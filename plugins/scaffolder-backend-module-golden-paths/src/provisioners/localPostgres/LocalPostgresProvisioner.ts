import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DATABASE_OWNERSHIP_MARKER_PREFIX,
  databaseOwnershipMarker,
  gpMessages,
} from '@internal/plugin-golden-paths-common';
import { randomUUID } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import type {
  DatabaseApplyResult,
  DatabasePlan,
  DatabasePlanRequest,
  DatabasePlanResource,
  DatabaseProvisioner,
} from '../DatabaseProvisioner';
import {
  DESTROY_ESTIMATE,
  appRoleName,
  completePlan,
  digestOf,
  moduleVariables,
  pgIdentifier,
  resourceRefOf,
} from '../planModel';
import { LocalSecretStore } from './localSecretStore';
import { generatePassword, scramVerifier } from './scram';

/** Options of {@link LocalPostgresProvisioner}. */
export interface LocalPostgresProvisionerOptions {
  /**
   * Admin connection (a role with CREATEDB and CREATEROLE): a connection string
   * `postgresql://gp_admin:…@127.0.0.1:5432/postgres` or a `pg` client config.
   */
  connection: string | ClientConfig;
  /** `goldenPaths.secrets.local.dir`: where the application credentials are written (0600). */
  secretsDir: string;
  /** `host:port` the applications connect to; default: the admin connection's host and port. */
  endpoint?: string;
  /** Version of the module contract this provisioner implements (hashed into every plan). */
  moduleVersion?: string;
  /** `lock_timeout` of the apply session (§4.9: 5 s). */
  lockTimeoutMs?: number;
  now?: () => Date;
}

/** The marker a database (and its role) created by a request carries (§4.9). */
export function requestMarker(requestKey: string): string {
  // the reconciler in golden-paths-backend reads the same marker: one spelling, in common
  return databaseOwnershipMarker(requestKey);
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

function quoteIdent(id: string): string {
  if (!IDENT.test(id))
    throw new InputError(`not a golden-path identifier: ${id}`);
  return `"${id}"`;
}

function quoteLiteral(value: string): string {
  if (/[\\\0]/.test(value))
    throw new InputError('unsupported character in literal');
  return `'${value.replace(/'/g, "''")}'`;
}

interface ServerState {
  database?: { marker: string | null; owner: string };
  role?: { marker: string | null };
}

/**
 * local-postgres takes no snapshots, so it cannot destroy a database that needs a final one
 * (a `prod` database, §7.1). Says what the requester can do instead; nothing is dropped.
 */
export function finalSnapshotRefusal(identifier: string): InputError {
  return new InputError(
    `local-postgres takes no snapshots, so it cannot take the final snapshot that destroying ${identifier} needs (a prod database, golden-paths.md §7.1). Nothing was dropped. Keep the Resource archived, or ask the platform team to destroy it with a provisioner that takes final snapshots (goldenPaths.database.provisioner).`,
  );
}

/** PostgreSQL error code of a `pg` error. */
const pgCode = (e: unknown) => (e as { code?: string })?.code;

/** How long connecting to the database server may take. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long one statement may run (creating a database, granting, reading its state). */
const STATEMENT_TIMEOUT_MS = 120_000;

/**
 * The `local-postgres` provisioner of golden-paths.md §4.9, against a real PostgreSQL server:
 * - `plan` reads the server (role and database existence, our marker) and lists
 *   `postgresql_role.<id>_app` and `postgresql_database.<id>` as `create` or `no-op`;
 * - `apply` holds an advisory lock on `hashtext(requestKey)` (session lock around everything,
 *   `pg_advisory_xact_lock` around the role transaction, `lock_timeout` 5 s), creates the role
 *   with a SCRAM verifier (the password never reaches the server or its logs), then the database
 *   outside the transaction (guarded by the lock and an existence check), then the ownership
 *   marker `COMMENT ON DATABASE <id> IS 'gp:request=<key>'`;
 * - a database or role of that name without our marker is GP-P08, before anything is written;
 * - the password goes to the local secret store (0600) before the role exists, so no role is ever
 *   left with a password nobody has; only `local-secret://gp/<resource>/app` is returned;
 * - `find(requestKey)` looks the marker up, so a rerun after an ambiguous failure converges;
 * - `destroy` plans `delete` (or `no-op` for what is gone) for the database and its role, refuses
 *   a database without a golden-path marker (GP-P08) and any final snapshot (it takes none), and
 *   unless a dry run drops them under the request's advisory lock and removes the secret.
 */
export class LocalPostgresProvisioner implements DatabaseProvisioner {
  readonly id = 'local-postgres';
  private readonly secrets: LocalSecretStore;
  private readonly clientConfig: ClientConfig;
  private readonly now: () => Date;

  constructor(private readonly options: LocalPostgresProvisionerOptions) {
    // Bounded, as the reconciler's observer is: a server that accepts and never answers made
    // apply, plan and destroy wait for ever (pg's default connection timeout is none), past the
    // request's lease, so a rerun could apply beside it. A configured value wins.
    this.clientConfig = {
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
      ...(typeof options.connection === 'string'
        ? { connectionString: options.connection }
        : options.connection),
    };
    this.secrets = new LocalSecretStore(options.secretsDir);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * From `goldenPaths.database.local.connection` and `goldenPaths.secrets.local.dir`; undefined
   * when no connection is configured (the database actions then refuse with a clear message).
   */
  static fromConfig(
    config: Config,
    overrides: Partial<LocalPostgresProvisionerOptions> = {},
  ): LocalPostgresProvisioner | undefined {
    const connection =
      overrides.connection ??
      config.getOptionalString('goldenPaths.database.local.connection');
    if (!connection) return undefined;
    return new LocalPostgresProvisioner({
      connection,
      secretsDir:
        overrides.secretsDir ??
        config.getOptionalString('goldenPaths.secrets.local.dir') ??
        './.data/golden-paths/secrets',
      endpoint:
        overrides.endpoint ??
        config.getOptionalString('goldenPaths.database.local.endpoint'),
      ...(overrides.now ? { now: overrides.now } : {}),
      ...(overrides.moduleVersion
        ? { moduleVersion: overrides.moduleVersion }
        : {}),
    });
  }

  private client(): Client {
    return new Client(this.clientConfig);
  }

  /** Where applications connect: `endpoint` when configured, else the admin connection's. */
  private get hostPort(): { host: string; port: number } {
    const configured = /^(.+):(\d+)$/.exec(this.options.endpoint ?? '');
    if (configured) return { host: configured[1], port: Number(configured[2]) };
    const probe = this.client();
    return {
      host: String(probe.host ?? 'localhost'),
      port: Number(probe.port ?? 5432),
    };
  }

  get executionIdentity(): string {
    return `provisioner:local-postgres:${String(
      this.client().user ?? 'postgres',
    )}`;
  }

  /** `host:port` of the server, as applications reach it. */
  get endpoint(): string {
    if (this.options.endpoint) return this.options.endpoint;
    const { host, port } = this.hostPort;
    return `${host}:${port}`;
  }

  private async withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = this.client();
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  private async readState(
    c: Client,
    identifier: string,
    role: string,
  ): Promise<ServerState> {
    const db = await c.query<{ marker: string | null; owner: string }>(
      `SELECT shobj_description(d.oid, 'pg_database') AS marker,
              pg_get_userbyid(d.datdba) AS owner
         FROM pg_database d WHERE d.datname = $1`,
      [identifier],
    );
    const r = await c.query<{ marker: string | null }>(
      `SELECT shobj_description(r.oid, 'pg_authid') AS marker
         FROM pg_roles r WHERE r.rolname = $1`,
      [role],
    );
    return {
      ...(db.rows[0] ? { database: db.rows[0] } : {}),
      ...(r.rows[0] ? { role: r.rows[0] } : {}),
    };
  }

  /**
   * Whether what exists belongs to this request. A database without the comment but owned by our
   * marked role is ours too: the window between CREATE DATABASE and COMMENT ON DATABASE.
   */
  private ownership(state: ServerState, marker: string, role: string) {
    const roleOurs = state.role ? state.role.marker === marker : undefined;
    let dbOurs: boolean | undefined;
    if (state.database) {
      dbOurs =
        state.database.marker === marker ||
        (state.database.marker === null &&
          state.database.owner === role &&
          roleOurs === true);
    }
    return { roleOurs, dbOurs };
  }

  private conflict(identifier: string): InputError {
    return new InputError(
      gpMessages.p08({ id: identifier, server: this.endpoint }),
    );
  }

  async plan(
    req: DatabasePlanRequest,
    _o: { dryRun: boolean },
  ): Promise<DatabasePlan> {
    const identifier = pgIdentifier(req.resourceName);
    const role = appRoleName(identifier);
    const marker = requestMarker(req.requestKey);
    const state = await this.withClient(c =>
      this.readState(c, identifier, role),
    );
    const { roleOurs, dbOurs } = this.ownership(state, marker, role);
    // Nothing this request could apply: say so now rather than at apply (GP-P08).
    if (dbOurs === false) throw this.conflict(identifier);
    if (roleOurs === false) throw this.conflict(role);
    const resources: DatabasePlanResource[] = [
      {
        address: `postgresql_role.${role}`,
        type: 'postgresql_role',
        action: state.role ? 'no-op' : 'create',
      },
      {
        address: `postgresql_database.${identifier}`,
        type: 'postgresql_database',
        action: state.database ? 'no-op' : 'create',
      },
    ];
    return completePlan(
      {
        provisioner: this.id,
        module: {
          source: 'golden-paths/local-postgres',
          version: this.options.moduleVersion ?? '1.0.0',
        },
        variables: moduleVariables(req),
        resources,
        resourceName: req.resourceName,
        expected: {
          resourceRef: resourceRefOf(req.resourceName),
          endpoint: this.endpoint,
          secretRef: LocalSecretStore.refFor(req.resourceName),
        },
      },
      req.estimate,
      this.now(),
    );
  }

  async apply(
    plan: DatabasePlan,
    o: { dryRun: boolean; requestKey: string },
  ): Promise<DatabaseApplyResult> {
    const identifier = String(plan.variables.identifier);
    const role = String(plan.variables.role);
    const tags = plan.variables.tags as Record<string, string> | undefined;
    if (tags?.['request-key'] !== o.requestKey) {
      throw new InputError(
        `plan ${plan.planId} was made for request "${tags?.['request-key']}", not "${o.requestKey}"`,
      );
    }
    const marker = requestMarker(o.requestKey);
    const secretRef = LocalSecretStore.refFor(plan.resourceName);
    const base = {
      resourceRef: resourceRefOf(plan.resourceName),
      endpoint: this.endpoint,
      secretRef,
      database: identifier,
      role,
    };

    if (o.dryRun) {
      const state = await this.withClient(c =>
        this.readState(c, identifier, role),
      );
      const { roleOurs, dbOurs } = this.ownership(state, marker, role);
      if (dbOurs === false) throw this.conflict(identifier);
      if (roleOurs === false) throw this.conflict(role);
      return { ...base, replayed: Boolean(state.database && state.role) };
    }

    const runId = `local-postgres:${randomUUID()}`;
    const lockTimeout = `${this.options.lockTimeoutMs ?? 5000}ms`;
    return this.withClient(async c => {
      await c.query(`SET lock_timeout = ${quoteLiteral(lockTimeout)}`);
      // One writer per request (24): the session lock spans CREATE DATABASE, which cannot run in
      // a transaction; the transaction below takes the same key as a transaction lock.
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [o.requestKey]);
      let created = false;
      try {
        await c.query('BEGIN');
        let state: ServerState;
        try {
          await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
            o.requestKey,
          ]);
          state = await this.readState(c, identifier, role);
          const { roleOurs, dbOurs } = this.ownership(state, marker, role);
          if (dbOurs === false) throw this.conflict(identifier);
          if (roleOurs === false) throw this.conflict(role);

          const existing = await this.secrets.read(secretRef);
          if (!state.role || !existing) {
            // The secret is written first: a crash after it leaves a usable secret, never a role
            // whose password nobody has. A role whose secret was lost gets a new password.
            const password = existing?.password ?? generatePassword();
            const { host, port } = this.hostPort;
            await this.secrets.write(secretRef, {
              username: role,
              password,
              database: identifier,
              host,
              port,
            });
            const verifier = quoteLiteral(scramVerifier(password));
            if (!state.role) {
              await c.query(
                `CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${verifier}`,
              );
              created = true;
            } else {
              await c.query(
                `ALTER ROLE ${quoteIdent(
                  role,
                )} WITH LOGIN PASSWORD ${verifier}`,
              );
            }
          }
          if (state.role?.marker !== marker) {
            await c.query(
              `COMMENT ON ROLE ${quoteIdent(role)} IS ${quoteLiteral(marker)}`,
            );
          }
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          if (pgCode(e) === '42710') throw this.conflict(role);
          throw e;
        }

        if (!state.database) {
          try {
            await c.query(
              `CREATE DATABASE ${quoteIdent(identifier)} OWNER ${quoteIdent(
                role,
              )}`,
            );
            created = true;
          } catch (e) {
            // Someone else (another key, or by hand) created it between our check and now.
            if (pgCode(e) === '42P04') throw this.conflict(identifier);
            throw e;
          }
        }
        if (state.database?.marker !== marker) {
          await c.query(
            `COMMENT ON DATABASE ${quoteIdent(identifier)} IS ${quoteLiteral(
              marker,
            )}`,
          );
        }
      } finally {
        await c
          .query('SELECT pg_advisory_unlock(hashtext($1))', [o.requestKey])
          .catch(() => undefined);
      }
      return {
        ...base,
        ...(created ? { provisionerRunId: runId } : {}),
        replayed: !created,
      };
    });
  }

  async find(requestKey: string): Promise<DatabaseApplyResult | undefined> {
    const rows = await this.withClient(c =>
      c.query<{ datname: string; owner: string }>(
        `SELECT d.datname, pg_get_userbyid(d.datdba) AS owner
           FROM pg_database d
          WHERE shobj_description(d.oid, 'pg_database') = $1
          ORDER BY d.datname`,
        [requestMarker(requestKey)],
      ),
    );
    const row = rows.rows[0];
    if (!row) return undefined;
    // Resource names use single hyphens and no underscores, so the identifier maps back exactly.
    const resourceName = row.datname.replace(/_/g, '-');
    return {
      resourceRef: resourceRefOf(resourceName),
      endpoint: this.endpoint,
      secretRef: LocalSecretStore.refFor(resourceName),
      database: row.datname,
      role: row.owner,
      replayed: true,
    };
  }

  async destroy(
    ref: string,
    o: { dryRun: boolean; finalSnapshot: boolean },
  ): Promise<DatabasePlan> {
    const resourceName = ref.replace(/^resource:(default\/)?/, '');
    const identifier = pgIdentifier(resourceName);
    const role = appRoleName(identifier);
    // A plan this provisioner cannot carry out is refused as a plan, not at apply: the lifecycle
    // shows the destroy plan for approval before anything is dropped (§7.1), and a prod database
    // must not be approved for a destroy that would lose its data without a snapshot.
    if (o.finalSnapshot) throw finalSnapshotRefusal(identifier);
    const state = await this.withClient(c =>
      this.readState(c, identifier, role),
    );
    const marker = state.database?.marker ?? '';
    if (
      state.database &&
      !marker.startsWith(DATABASE_OWNERSHIP_MARKER_PREFIX)
    ) {
      throw this.conflict(identifier);
    }
    // The role is dropped only when a golden-path request marked it, the database's own when the
    // database still exists: a role of that name made by hand, or left by a request whose
    // database is gone, is not this database's to drop.
    const roleMarker = state.role?.marker ?? '';
    if (
      state.role &&
      (!roleMarker.startsWith(DATABASE_OWNERSHIP_MARKER_PREFIX) ||
        (state.database && roleMarker !== marker))
    ) {
      throw this.conflict(role);
    }
    const requestKey = (state.database ? marker : roleMarker).slice(
      DATABASE_OWNERSHIP_MARKER_PREFIX.length,
    );
    const resources: DatabasePlanResource[] = [
      {
        address: `postgresql_database.${identifier}`,
        type: 'postgresql_database',
        action: state.database ? 'delete' : 'no-op',
      },
      {
        address: `postgresql_role.${role}`,
        type: 'postgresql_role',
        action: state.role ? 'delete' : 'no-op',
      },
    ];
    const plan = completePlan(
      {
        provisioner: this.id,
        module: {
          source: 'golden-paths/local-postgres',
          version: this.options.moduleVersion ?? '1.0.0',
        },
        variables: {
          identifier,
          role,
          finalSnapshot: o.finalSnapshot,
          tags: { 'request-key': requestKey },
        },
        resources,
        resourceName,
        expected: {
          resourceRef: resourceRefOf(resourceName),
          endpoint: this.endpoint,
          secretRef: LocalSecretStore.refFor(resourceName),
        },
      },
      { ...DESTROY_ESTIMATE },
      this.now(),
    );
    // The policy of a destroy plan is the lifecycle's (§7), not P01–P06.
    plan.policy = [];
    plan.planDigest = digestOf(plan);
    if (o.dryRun) return plan;
    await this.withClient(async c => {
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [requestKey]);
      try {
        if (state.database)
          await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(identifier)}`);
        if (state.role)
          await c.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      } finally {
        await c
          .query('SELECT pg_advisory_unlock(hashtext($1))', [requestKey])
          .catch(() => undefined);
      }
    });
    await this.secrets.remove(LocalSecretStore.refFor(resourceName));
    return plan;
  }
}
