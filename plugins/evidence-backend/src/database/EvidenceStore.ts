import { isUniqueViolation } from '@internal/suite-node';
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CiRunInput,
  EdgeInput,
  EvidenceError,
  EvidenceKindRegistry,
  FactInput,
  FieldIssue,
  Warning,
  canonicalJson,
  changeInputSchema,
  changeRiskSchema,
  ciRunInputSchema,
  createFactInputSchema,
  createKindRegistry,
  edgeInputSchema,
  evidenceError,
  evidenceMessages,
  fingerprint,
  invalidFieldError,
  redactCredentials,
  redactCredentialsDeep,
  toIsoTimestamp,
  validateFactRules,
  validateInput,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import {
  CollectedFact,
  CollectionStatusUpdate,
  CollectorSink,
  SourceRun,
} from '../collectors/CollectorSink';
import { AliasResolver } from '../service/AliasResolver';
import {
  EvidenceOptions,
  expectEverySecondsOf,
} from '../service/evidenceConfig';
import { EvidenceHttpError } from '../service/httpErrors';
import { writeChange } from './ChangeWriter';
import { writeCiRun } from './CiRunWriter';
import { DEMO_PRINCIPAL } from '../demo/demoPrincipal';
import { writeEdge } from './EdgeWriter';
import { edgeCollectionMarkName } from './edgeCollectionMark';
import { factNaturalKey, factWriteFromInput, writeFact } from './FactWriter';
import { BulkWriter, changeBulkWriter, factBulkWriter } from './batchWriters';
import { chunkRows } from './chunkRows';
import { recordDetachedRefs } from './detachedRefs';
import { remapEdges } from './remapEdges';
import {
  RedactionSummary,
  startCredentialRedaction,
} from './redactStoredCredentials';
import { migrateEvidenceDatabase } from './migrateEvidenceDatabase';
import { redactCredentialsWithinLength } from './redactWithinLength';
import { validateThenRedact } from './validateThenRedact';
import { ChangeRow, HealthRow, storedChange } from './rows';
import { RowContext, WriteContext, WriteResult } from './writeContext';

/** Idempotency scopes, one per route family (§3.4). */
export type IngestScope = 'changes' | 'facts' | 'ci-runs' | 'edges';

/** Outcome of one ingestion (single body or batch item). */
export type IngestOutcome =
  | {
      ok: true;
      status: 200 | 201;
      /** The exact response text; a replay answers these bytes again. */
      bodyText: string;
      replayed: boolean;
      id?: string;
      warnings: Warning[];
      unchanged: boolean;
    }
  | { ok: false; error: EvidenceError };

/** Called after commit with the change ids a request created or updated (§3.5 risk). */
export type ChangesCommittedListener = (ids: string[]) => Promise<void>;

class Rollback extends Error {
  constructor(readonly error: EvidenceError) {
    super(error.message);
  }
}

function prefixField(error: EvidenceError, prefix: string): EvidenceError {
  if (!prefix || error.field === undefined) return error;
  return { ...error, field: `${prefix}.${error.field}` };
}

/** How a validated item can take part in a set-based batch write (§3.6). */
interface BulkCandidate {
  /** Its natural key; items sharing one within a batch run one by one. */
  naturalKey: string;
  /** Natural keys of other changes this item links to (a rollback target). */
  linksTo?: string[];
  /** False when the item needs reads and writes beyond a plain insert (rollbacks). */
  eligible: boolean;
  /** The input of the scope's bulk writer. */
  input: (idempotencyKey: string, principal: string) => unknown;
}

type Validated =
  | {
      ok: true;
      write: (ctx: WriteContext) => Promise<WriteResult>;
      bulk?: BulkCandidate;
      /**
       * A refusal by a rule that moves with the clock (a fact's history limit): it holds for a
       * write, not for a retry of a key accepted while the body still passed — that one replays
       * (§3.4). Decided after the key lookup, so such an item never takes the bulk path.
       */
      refusedUnlessReplay?: EvidenceError;
    }
  | { ok: false; error: EvidenceError };

type ValidatedItem = {
  scope: IngestScope;
  idempotencyKey: string;
  body: unknown;
  prefix: string;
  principal: string;
  validated: Extract<Validated, { ok: true }>;
  /** Fingerprint of the body as stored, redacted ({@link bodyFingerprints}). */
  fingerprint: string;
  /**
   * Fingerprint of the body as received, when redaction changed it: keys claimed before
   * bodies were redacted (within `idempotencyRetention` of the upgrade) hold this one.
   */
  receivedFingerprint?: string;
};

/**
 * The fingerprints of a validated body: of the body as stored, `redacted` (evidence-common
 * `redactCredentialsDeep` of the body as received, applied before validation so messages
 * quoting a value, the stored rows, the response and the key's fingerprint all see the same
 * text), and of the body as received when redaction changed it. A retry of the same body is
 * recognised by either. Taken after validation, which refuses what canonical JSON cannot hold.
 */
function bodyFingerprints(
  received: unknown,
  redacted: unknown,
): Pick<ValidatedItem, 'fingerprint' | 'receivedFingerprint'> {
  return {
    fingerprint: fingerprint(redacted as never),
    receivedFingerprint:
      redacted === received ? undefined : fingerprint(received as never),
  };
}

/** One item of a batch request after its idempotency key was split off (§3.4). */
export interface BatchItem {
  idempotencyKey: string;
  body: unknown;
  /** Field prefix of the item's errors, `items[<index>]`. */
  prefix: string;
}

/** How {@link EvidenceStore.ingestBatch} writes: set-based (§3.6) or one transaction per item. */
export type BatchMode = 'set-based' | 'item-by-item';

interface IdempotencyRow {
  idem_key: string;
  fingerprint: string;
  status_code: number;
  response_json: string;
  created_ms: unknown;
}

function acceptedOutcome(result: WriteResult, bodyText: string): IngestOutcome {
  return {
    ok: true,
    status: result.status,
    bodyText,
    replayed: false,
    id: result.id,
    warnings: result.response.warnings,
    unchanged: result.response.unchanged === true,
  };
}

/** PostgreSQL deadlock and serialization failures: the transaction rolled back and may rerun. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '40P01' || code === '40001';
}

function countBy<T>(
  items: T[],
  keyOf: (item: T) => string | undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The evidence store: ingestion with idempotency keys and natural keys (§3.4–§3.6) in one
 * transaction per write, and the {@link CollectorSink} collectors write through. Rules come
 * from evidence-common; this class only sequences them against the database.
 */

/** `reresolve`: a pass reads every row again at least this often, whatever it read since. */
const RESOLVE_FULL_PASS_MS = 3600_000;
/** `reresolve`: rows written this long before the previous pass began are read again. */
const RESOLVE_CLOCK_MARGIN_MS = 5 * 60_000;

export class EvidenceStore implements CollectorSink {
  readonly registry: EvidenceKindRegistry;
  private readonly factSchema;
  private readonly listeners: ChangesCommittedListener[] = [];
  /** Batch write path; `item-by-item` is kept so benchmarks can compare both (§9). */
  batchMode: BatchMode = 'set-based';
  /**
   * The start-up pass redacting credentials in rows stored before ingestion did, running in
   * the background; settles (never rejects) when it finished, stopped or failed.
   */
  credentialRedaction: Promise<RedactionSummary | undefined> =
    Promise.resolve(undefined);

  /** Runs the migrations and returns a store over the plugin database. */
  static async create(options: {
    database: DatabaseService;
    resolver: AliasResolver;
    options: EvidenceOptions;
    logger: LoggerService;
    clock?: () => Date;
    batchMode?: BatchMode;
    /** Stops the background redaction of stored credentials (the plugin's shutdown). */
    signal?: AbortSignal;
  }): Promise<EvidenceStore> {
    const db = await options.database.getClient();
    const clock = options.clock ?? (() => new Date());
    if (!options.database.migrations?.skip) {
      await migrateEvidenceDatabase(db);
    }
    // Rows stored before ingestion redacted URL credentials, in the background (see there). Also
    // when migrations are skipped (a separate job runs them): the pass is no knex migration, so
    // nothing else would run it, and its marker lets every start after the first do nothing.
    const credentialRedaction = startCredentialRedaction({
      db,
      now: clock().getTime(),
      logger: options.logger,
      signal: options.signal,
    });
    const store = new EvidenceStore(
      db,
      options.resolver,
      options.options,
      options.logger,
      clock,
    );
    store.credentialRedaction = credentialRedaction;
    if (options.batchMode) store.batchMode = options.batchMode;
    return store;
  }

  constructor(
    readonly db: Knex,
    readonly resolver: AliasResolver,
    readonly options: EvidenceOptions,
    private readonly logger: LoggerService,
    readonly clock: () => Date,
  ) {
    this.registry = createKindRegistry(options.kinds);
    this.factSchema = createFactInputSchema({
      maxValueBytes: options.ingest.maxValueBytes,
    });
  }

  /** Registers a listener for committed change ids (the router publishes `evidence.changes`). */
  onChangesCommitted(listener: ChangesCommittedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Ingests one body under an idempotency key: validates it, then in one transaction claims the
   * key, writes the record and stores the response, so concurrent duplicates serialize on the
   * key's primary key and replay (§3.4). A rule that moves with the clock is applied only once
   * the key is claimed (a new write), so a retry still replays after the clock passed it.
   * Failures bind nothing.
   */
  async ingest(
    scope: IngestScope,
    idempotencyKey: string,
    body: unknown,
    principal: string,
    prefix: string = '',
  ): Promise<IngestOutcome> {
    const now = this.clock().getTime();
    const nowIso = toIsoTimestamp(now);
    const { redacted, validated } = this.redactAndValidate(
      scope,
      body,
      prefix,
      nowIso,
    );
    if (!validated.ok) return { ok: false, error: validated.error };
    const item: ValidatedItem = {
      scope,
      idempotencyKey,
      body: redacted,
      prefix,
      principal,
      validated,
      ...bodyFingerprints(body, redacted),
    };

    for (let attempt = 0; ; attempt++) {
      try {
        const { outcome, changeIds } = await this.db.transaction(trx =>
          this.ingestInTransaction(trx, item, now, nowIso, true),
        );
        if (changeIds.length > 0) await this.notifyChanges(changeIds);
        return outcome;
      } catch (e) {
        if (e instanceof Rollback) return { ok: false, error: e.error };
        // A concurrent writer took the natural key first: run again, now as an update or replay.
        // A deadlock (a batch holding this record's lock waits for this key) rolled it all back.
        if ((isUniqueViolation(e) || isTransientConflict(e)) && attempt < 5) {
          continue;
        }
        throw e;
      }
    }
  }

  /** The single-item write of {@link EvidenceStore.ingest} inside a given transaction. */
  private async ingestInTransaction(
    trx: Knex.Transaction,
    item: ValidatedItem,
    now: number,
    nowIso: string,
    recordHealth: boolean,
  ): Promise<{ outcome: IngestOutcome; changeIds: string[] }> {
    const { scope, idempotencyKey, principal, prefix } = item;
    const claim = () =>
      trx('evidence_idempotency')
        .insert({
          scope,
          idem_key: idempotencyKey,
          fingerprint: item.fingerprint,
          status_code: 0,
          response_json: '',
          principal,
          created_ms: now,
          expires_ms:
            now + this.options.ingest.idempotencyRetentionSeconds * 1000,
        })
        .onConflict(['scope', 'idem_key'])
        .ignore()
        .returning('idem_key');
    let claimed = await claim();
    if (claimed.length === 0) {
      // A key past its retention is free again, whether or not the daily sweep ran: the
      // natural key decides from then on (§3.2), not a 409 for a different body.
      const expired = await trx('evidence_idempotency')
        .where({ scope, idem_key: idempotencyKey })
        .where('expires_ms', '<=', now)
        .delete();
      if (expired > 0) claimed = await claim();
    }
    if (claimed.length === 0) {
      const stored = await trx('evidence_idempotency')
        .where({ scope, idem_key: idempotencyKey })
        .first();
      return { outcome: this.replay(stored, item), changeIds: [] };
    }
    // A new write after all: the clock's rules apply, and the rollback frees the key again.
    if (item.validated.refusedUnlessReplay) {
      throw new Rollback(item.validated.refusedUnlessReplay);
    }
    const ctx: WriteContext = {
      trx,
      ...this.rowContext(now, nowIso, principal, idempotencyKey),
    };
    let result: WriteResult;
    try {
      result = await item.validated.write(ctx);
    } catch (e) {
      if (e instanceof EvidenceHttpError) {
        throw new Rollback(prefixField(e.error, prefix));
      }
      throw e;
    }
    const bodyText = JSON.stringify(result.response);
    await trx('evidence_idempotency')
      .where({ scope, idem_key: idempotencyKey })
      .update({ status_code: result.status, response_json: bodyText });
    if (recordHealth) {
      await this.recordPushSuccess(trx, this.pushSource(scope, item.body), now);
    }
    return {
      outcome: acceptedOutcome(result, bodyText),
      changeIds: result.changeIds ?? [],
    };
  }

  private rowContext(
    now: number,
    nowIso: string,
    principal: string,
    idempotencyKey?: string,
  ): RowContext {
    return {
      now,
      nowIso,
      principal,
      idempotencyKey,
      resolver: this.resolver,
      options: this.options,
      // Only the seeder's own writes are demo rows: `DELETE /demo` removes demo rows, and a
      // change, fact or CI run someone posted while the demo was on is not one (it was, and
      // the purge deleted it). Collector writes stay flagged (evidence §7.1).
      demo: this.options.demo.enabled && principal === DEMO_PRINCIPAL,
    };
  }

  /**
   * Ingests the items of one batch request with the outcome of each, in item order (§3.6).
   * `set-based` (the default): all items are validated in memory, then one transaction
   * decides replays from one read of the keys, writes plain inserts of changes and facts with
   * multi-row statements and every other item one by one (in a savepoint, so a refused item
   * binds nothing); items that lose a concurrent race run again alone after the commit.
   * `item-by-item` runs {@link EvidenceStore.ingest} per item, one transaction each.
   */
  async ingestBatch(
    scope: IngestScope,
    items: BatchItem[],
    principal: string,
  ): Promise<IngestOutcome[]> {
    if (this.batchMode === 'item-by-item') {
      const outcomes: IngestOutcome[] = [];
      for (const item of items) {
        outcomes.push(
          await this.ingest(
            scope,
            item.idempotencyKey,
            item.body,
            principal,
            item.prefix,
          ),
        );
      }
      return outcomes;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ingestBatchSetBased(scope, items, principal);
      } catch (e) {
        // Nothing of a rolled-back batch was committed, so it can run again as a whole.
        if (isTransientConflict(e) && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async ingestBatchSetBased(
    scope: IngestScope,
    items: BatchItem[],
    principal: string,
  ): Promise<IngestOutcome[]> {
    const now = this.clock().getTime();
    const nowIso = toIsoTimestamp(now);
    const outcomes: (IngestOutcome | undefined)[] = new Array(items.length);
    const valid: (ValidatedItem & { index: number })[] = [];
    for (const [index, item] of items.entries()) {
      const { redacted, validated } = this.redactAndValidate(
        scope,
        item.body,
        item.prefix,
        nowIso,
      );
      if (!validated.ok) {
        outcomes[index] = { ok: false, error: validated.error };
        continue;
      }
      valid.push({
        ...item,
        body: redacted,
        index,
        scope,
        principal,
        validated,
        ...bodyFingerprints(item.body, redacted),
      });
    }

    // Items that share a key or a natural key with another item, or take part in a rollback
    // link, depend on the items before them and therefore run one by one, in order.
    const keyCounts = countBy(valid, v => v.idempotencyKey);
    const naturalKeyCounts = countBy(valid, v => v.validated.bulk?.naturalKey);
    const linked = new Set(valid.flatMap(v => v.validated.bulk?.linksTo ?? []));
    const rerun: number[] = [];
    const changeIds: string[] = [];

    await this.db.transaction(async trx => {
      const stored = new Map<string, IdempotencyRow>();
      const keys = [...keyCounts.keys()];
      for (const chunk of chunkRows(trx, keys, 1)) {
        // Expired keys are not replayed: the one-by-one path frees and claims them again.
        const rows: IdempotencyRow[] = await trx('evidence_idempotency')
          .where({ scope })
          .whereIn('idem_key', chunk)
          .where('expires_ms', '>', now);
        for (const row of rows) stored.set(row.idem_key, row);
      }

      const candidates: (ValidatedItem & { index: number })[] = [];
      const oneByOne = new Set<number>();
      for (const v of valid) {
        const row = stored.get(v.idempotencyKey);
        if (row) {
          outcomes[v.index] = this.replay(row, v);
        } else if (
          v.validated.bulk?.eligible &&
          keyCounts.get(v.idempotencyKey) === 1 &&
          naturalKeyCounts.get(v.validated.bulk.naturalKey) === 1 &&
          !linked.has(v.validated.bulk.naturalKey)
        ) {
          candidates.push(v);
        } else {
          oneByOne.add(v.index);
        }
      }

      const healthSources = new Set<string>();
      if (candidates.length > 0) {
        const writer = (
          scope === 'changes' ? changeBulkWriter : factBulkWriter
        ) as BulkWriter<unknown, { id: string }>;
        const planned = await writer.plan(
          trx,
          candidates.map(v => ({
            ctx: this.rowContext(now, nowIso, principal, v.idempotencyKey),
            input: v.validated.bulk!.input(v.idempotencyKey, principal),
          })),
        );
        const writes = candidates.flatMap((v, i) => {
          const plan = planned[i];
          if (!plan) {
            oneByOne.add(v.index);
            return [];
          }
          return [
            {
              item: v,
              ...plan,
              bodyText: JSON.stringify(plan.result.response),
            },
          ];
        });

        // Claim every key with its final response; a key another request took meanwhile
        // loses here and runs again after the commit, as a replay or a conflict.
        const claims = writes
          .map(w => ({
            scope,
            idem_key: w.item.idempotencyKey,
            fingerprint: w.item.fingerprint,
            status_code: w.result.status,
            response_json: w.bodyText,
            principal,
            created_ms: now,
            expires_ms:
              now + this.options.ingest.idempotencyRetentionSeconds * 1000,
          }))
          .sort((a, b) => (a.idem_key < b.idem_key ? -1 : 1));
        const claimed = new Set<string>();
        for (const chunk of chunkRows(trx, claims, 8)) {
          const rows: { idem_key: string }[] = await trx('evidence_idempotency')
            .insert(chunk)
            .onConflict(['scope', 'idem_key'])
            .ignore()
            .returning('idem_key');
          for (const row of rows) claimed.add(row.idem_key);
        }
        const toInsert = writes.filter(w => claimed.has(w.item.idempotencyKey));
        const landed = await writer.insert(
          trx,
          toInsert.map(w => w.row),
        );
        const lostNaturalKey = toInsert.filter(w => !landed.has(w.row.id));
        for (const chunk of chunkRows(trx, lostNaturalKey, 1)) {
          await trx('evidence_idempotency')
            .where({ scope })
            .whereIn(
              'idem_key',
              chunk.map(w => w.item.idempotencyKey),
            )
            .delete();
        }
        const written = toInsert.filter(w => landed.has(w.row.id));
        await writer.complete(
          trx,
          written.map(w => w.row),
        );
        for (const w of writes) {
          if (landed.has(w.row.id)) {
            outcomes[w.item.index] = acceptedOutcome(w.result, w.bodyText);
            changeIds.push(...(w.result.changeIds ?? []));
            healthSources.add(this.pushSource(scope, w.item.body));
          } else {
            rerun.push(w.item.index);
          }
        }
      }

      for (const v of valid) {
        if (!oneByOne.has(v.index)) continue;
        try {
          const { outcome, changeIds: ids } = await trx.transaction(savepoint =>
            this.ingestInTransaction(savepoint, v, now, nowIso, false),
          );
          outcomes[v.index] = outcome;
          changeIds.push(...ids);
          if (outcome.ok && !outcome.replayed) {
            healthSources.add(this.pushSource(scope, v.body));
          }
        } catch (e) {
          if (e instanceof Rollback) {
            outcomes[v.index] = { ok: false, error: e.error };
          } else if (isUniqueViolation(e)) {
            rerun.push(v.index);
          } else {
            throw e;
          }
        }
      }

      // Last and in one order, so concurrent batches do not deadlock on the health rows.
      for (const source of [...healthSources].sort()) {
        await this.recordPushSuccess(trx, source, now);
      }
    });
    if (changeIds.length > 0) await this.notifyChanges(changeIds);

    for (const index of rerun.sort((a, b) => a - b)) {
      const item = items[index];
      outcomes[index] = await this.ingest(
        scope,
        item.idempotencyKey,
        item.body,
        principal,
        item.prefix,
      );
    }
    return outcomes as IngestOutcome[];
  }

  /**
   * The answer to a key already claimed: its stored response when the body is the same, else
   * 409. Bodies are compared redacted; a key claimed before bodies were redacted holds the
   * fingerprint of the body as received, which the same body still matches.
   */
  private replay(
    stored: {
      fingerprint: string;
      status_code: number;
      response_json: string;
      created_ms: unknown;
    },
    item: Pick<
      ValidatedItem,
      'idempotencyKey' | 'fingerprint' | 'receivedFingerprint'
    >,
  ): IngestOutcome {
    const { idempotencyKey, fingerprint: requestFingerprint } = item;
    if (
      stored.fingerprint !== requestFingerprint &&
      stored.fingerprint !== item.receivedFingerprint
    ) {
      const details = {
        idempotencyKey,
        storedFingerprint: stored.fingerprint,
        requestFingerprint,
        firstUsedAt: toIsoTimestamp(Number(stored.created_ms)),
      };
      return {
        ok: false,
        error: evidenceError(
          'IDEMPOTENCY_KEY_REUSED',
          evidenceMessages.idempotencyKeyReused(details),
          { details },
        ),
      };
    }
    const response = JSON.parse(stored.response_json);
    return {
      ok: true,
      status: 200,
      bodyText: stored.response_json,
      replayed: true,
      id: response.record?.id,
      warnings: response.warnings ?? [],
      unchanged: response.unchanged === true,
    };
  }

  /**
   * Redacts a body, then validates it. Redaction can lengthen a string (`https://a@h` →
   * `https://***@h`), so a body with a field at its maximum would be refused although the
   * sender's was within limits (a retry of a key claimed before the upgrade too): when the
   * redacted body is refused, strings redaction lengthened are cut to their received length
   * and that body is validated instead. Deterministic, so a retry gets the same body and
   * fingerprint; when it is refused too, the redacted body's messages are answered.
   */
  private redactAndValidate(
    scope: IngestScope,
    body: unknown,
    prefix: string,
    nowIso: string,
  ): { redacted: unknown; validated: Validated } {
    const redacted = redactCredentialsDeep(body);
    const validated = this.validate(scope, redacted, prefix, nowIso);
    if (validated.ok || redacted === body) return { redacted, validated };
    const clipped = redactCredentialsWithinLength(body);
    const retried = this.validate(scope, clipped, prefix, nowIso);
    return retried.ok
      ? { redacted: clipped, validated: retried }
      : { redacted, validated };
  }

  private validate(
    scope: IngestScope,
    body: unknown,
    prefix: string,
    nowIso: string,
  ): Validated {
    switch (scope) {
      case 'changes': {
        const result = validateInput(changeInputSchema, body, prefix);
        if (!result.success) return { ok: false, error: result.error };
        const input = result.data;
        const { rollbackOf } = input;
        return {
          ok: true,
          write: ctx => writeChange(ctx, input),
          bulk: {
            naturalKey: JSON.stringify([
              input.source.system,
              input.source.externalId,
            ]),
            linksTo:
              typeof rollbackOf === 'object'
                ? [JSON.stringify([rollbackOf.system, rollbackOf.externalId])]
                : undefined,
            eligible: rollbackOf === undefined,
            input: () => input,
          },
        };
      }
      case 'facts': {
        const result = validateInput<FactInput>(
          this.factSchema as never,
          body,
          prefix,
        );
        if (!result.success) return { ok: false, error: result.error };
        const rules = this.factRules(result.data, prefix, nowIso);
        if (!rules.ok)
          return { ok: false, error: invalidFieldError(rules.issues) };
        const input = result.data;
        const write = (ctx: WriteContext) =>
          writeFact(ctx, factWriteFromInput(input, rules.freshForSeconds, ctx));
        if (rules.refusedUnlessReplay) {
          return {
            ok: true,
            write,
            refusedUnlessReplay: invalidFieldError(rules.refusedUnlessReplay),
          };
        }
        return {
          ok: true,
          write,
          bulk: {
            naturalKey: JSON.stringify(
              factNaturalKey({ ...input, key: input.key ?? '' }),
            ),
            eligible: true,
            input: (idempotencyKey, principal) =>
              factWriteFromInput(input, rules.freshForSeconds, {
                idempotencyKey,
                principal,
              }),
          },
        };
      }
      case 'ci-runs': {
        const result = validateInput<CiRunInput>(
          ciRunInputSchema as never,
          body,
          prefix,
        );
        if (!result.success) return { ok: false, error: result.error };
        return { ok: true, write: ctx => writeCiRun(ctx, result.data) };
      }
      case 'edges': {
        const result = validateInput<EdgeInput>(edgeInputSchema, body, prefix);
        if (!result.success) return { ok: false, error: result.error };
        if (
          result.data.client.toLowerCase() === result.data.server.toLowerCase()
        ) {
          const field = prefix ? `${prefix}.server` : 'server';
          return {
            ok: false,
            error: invalidFieldError([
              {
                field,
                message: `${field} must differ from client (self-loops are not stored)`,
              },
            ]),
          };
        }
        return {
          ok: true,
          write: async ctx => (await writeEdge(ctx, result.data))!,
        };
      }
      default:
        throw new Error(`unknown scope ${scope}`);
    }
  }

  /**
   * The fact rules of §3.5 at `nowIso`. Only the history limit depends on the clock: a body that
   * breaks it alone is well-formed and is refused only as a write (`refusedUnlessReplay`), so a
   * retry of a key accepted just inside the limit still replays once the clock has moved past
   * it. A body that breaks any other rule is refused at once, with every issue as before.
   */
  private factRules(
    input: FactInput,
    prefix: string,
    nowIso: string,
  ):
    | {
        ok: true;
        freshForSeconds: number;
        refusedUnlessReplay?: FieldIssue[];
      }
    | { ok: false; issues: FieldIssue[] } {
    const context = { registry: this.registry, collectedAt: nowIso, prefix };
    const atNow = validateFactRules(input, {
      ...context,
      historySeconds: this.options.retention.factHistorySeconds,
    });
    if (atNow.ok) return atNow;
    const withoutClock = validateFactRules(input, {
      ...context,
      historySeconds: Number.POSITIVE_INFINITY,
    });
    if (!withoutClock.ok) return atNow;
    return {
      ok: true,
      freshForSeconds: withoutClock.freshForSeconds,
      refusedUnlessReplay: atNow.issues,
    };
  }

  private pushSource(scope: IngestScope, body: unknown): string {
    const source = (body as { source?: unknown }).source;
    if (scope === 'changes') return 'ledger';
    if (scope === 'ci-runs') return 'ci';
    return typeof source === 'string' ? source : scope;
  }

  /**
   * An accepted push is the source's last success (§2.6). A push source is `ok` while
   * `expectEvery` is not exceeded and reads as `degraded` after it (`EvidenceReader.sourceHealth`),
   * so a push ending an overdue spell is a status change and moves `since`; any other push
   * leaves it. One upsert and no read, because this runs on every ingestion request. A status
   * written by a collector run is left alone.
   */
  private async recordPushSuccess(
    trx: Knex.Transaction,
    source: string,
    now: number,
  ): Promise<void> {
    const expectSeconds = expectEverySecondsOf(this.options, source);
    const merge: Record<string, unknown> = {
      last_attempt_ms: now,
      last_success_ms: now,
    };
    if (expectSeconds !== undefined) {
      merge.since_ms = trx.raw(
        `CASE WHEN evidence_source_health.status = 'ok' AND (evidence_source_health.last_success_ms IS NULL OR evidence_source_health.last_success_ms < ?) THEN ? ELSE evidence_source_health.since_ms END`,
        [now - expectSeconds * 1000, now],
      );
    }
    await trx('evidence_source_health')
      .insert({
        source,
        status: 'ok',
        since_ms: now,
        last_attempt_ms: now,
        last_success_ms: now,
        demo: false,
      })
      .onConflict('source')
      .merge(merge);
  }

  private async notifyChanges(ids: string[]): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(ids);
      } catch (e) {
        this.logger.warn(`evidence.changes listener failed: ${e}`);
      }
    }
  }

  /** Sets a change's risk once (§3.5): identical → 200, different → 409 RISK_ALREADY_SET. */
  async setChangeRisk(
    id: string,
    body: unknown,
  ): Promise<
    { ok: true; record: unknown } | { ok: false; error: EvidenceError }
  > {
    // Validated as sent, then redacted: a field at its limit is not refused for the mask.
    const result = validateThenRedact(changeRiskSchema, body);
    if (!result.success) return { ok: false, error: result.error };
    const riskJson = canonicalJson(result.data);
    return this.db.transaction(async trx => {
      const row = await trx<ChangeRow>('evidence_changes')
        .where({ id })
        .first();
      if (!row) {
        return {
          ok: false as const,
          error: evidenceError(
            'NOT_FOUND',
            evidenceMessages.changeNotFound(id),
          ),
        };
      }
      let stored = row;
      if (row.risk_json === null) {
        await trx('evidence_changes')
          .where({ id })
          .whereNull('risk_json')
          .update({ risk_json: riskJson });
        // Read again: a concurrent PUT may have set it first (on PostgreSQL this update then
        // waits for it and matches no row), and only the one that won may answer 200.
        stored = (await trx<ChangeRow>('evidence_changes')
          .where({ id })
          .first())!;
      }
      if (stored.risk_json === riskJson) {
        return { ok: true as const, record: storedChange(stored) };
      }
      const storedRisk = JSON.parse(stored.risk_json!) as {
        modelVersion: string;
      };
      return {
        ok: false as const,
        error: evidenceError(
          'RISK_ALREADY_SET',
          evidenceMessages.riskAlreadySet(id, storedRisk.modelVersion),
        ),
      };
    });
  }

  // --- CollectorSink -------------------------------------------------------------------------

  /**
   * A collector write: record times are the collector's (`collectedAt` of its run), the feed's
   * write stamp is the server clock now. A run writes for minutes after the time it passes, so
   * stamping `updated_ms` with that time would put rows behind a `GET /entities/changed` poll
   * that ran meanwhile, and the mirror polling it would never see them.
   */
  private collectorContext(
    trx: Knex.Transaction,
    at: Date,
    source: string,
  ): WriteContext {
    return {
      trx,
      now: at.getTime(),
      nowIso: at.toISOString(),
      writtenAt: this.clock().getTime(),
      principal: `collector:${source}`,
      resolver: this.resolver,
      options: this.options,
      demo: this.options.demo.enabled,
    };
  }

  async writeFact(fact: CollectedFact): Promise<void> {
    const kind = this.registry.get(fact.kind);
    if (!kind)
      throw new Error(`kind "${fact.kind}" is not registered (evidence.kinds)`);
    await this.db.transaction(async trx => {
      const ctx = this.collectorContext(trx, fact.collectedAt, fact.source);
      // Collectors quote what they read (links, URLs, messages): redacted like a pushed fact.
      await writeFact(ctx, {
        entityRef: fact.entityRef,
        source: fact.source,
        kind: fact.kind,
        key: redactCredentials(fact.key ?? ''),
        value: redactCredentialsDeep(fact.value),
        observedAt: fact.observedAt.toISOString(),
        freshForSeconds: kind.freshForSeconds,
        provenance: redactCredentialsDeep({
          ...fact.provenance,
          collector: fact.source,
        }),
      });
    });
  }

  async writeEdges(
    source: string,
    edges: EdgeInput[],
    collectedAt: Date,
  ): Promise<void> {
    // Chunks of ≤ 500 rows per transaction, so a crash keeps the progress made (§4.1).
    for (let i = 0; i < edges.length; i += 500) {
      await this.db.transaction(async trx => {
        const ctx = this.collectorContext(trx, collectedAt, source);
        for (const edge of edges.slice(i, i + 500)) {
          await writeEdge(ctx, redactCredentialsDeep({ ...edge, source }));
        }
      });
    }
  }

  async lastEdgeCollection(source: string): Promise<Date | undefined> {
    const row = await this.db('evidence_sequences')
      .where({ name: edgeCollectionMarkName(source) })
      .first();
    return row ? new Date(Number(row.value)) : undefined;
  }

  async recordEdgeCollection(source: string, at: Date): Promise<void> {
    const name = edgeCollectionMarkName(source);
    const value = at.getTime();
    const moved = await this.db('evidence_sequences')
      .where({ name })
      .andWhere('value', '<', value)
      .update({ value });
    if (moved === 0) {
      // No row yet, or a later one (a run with an earlier clock must not move it back).
      await this.db('evidence_sequences')
        .insert({ name, value })
        .onConflict('name')
        .ignore();
    }
  }

  async recordSourceRun(run: SourceRun): Promise<void> {
    const at = run.at.getTime();
    // A run's error quotes what failed, URLs included (a Prometheus base URL with userinfo).
    const error =
      run.error === undefined
        ? null
        : redactCredentials(run.error).slice(0, 1024);
    await this.db.transaction(async trx => {
      const existing = await trx<HealthRow>('evidence_source_health')
        .where({ source: run.source })
        .first();
      const succeeded = run.outcome === 'ok' || run.outcome === 'degraded';
      const row = {
        source: run.source,
        status: run.outcome,
        since_ms:
          existing && existing.status === run.outcome ? existing.since_ms : at,
        last_attempt_ms: at,
        last_success_ms: succeeded ? at : existing?.last_success_ms ?? null,
        last_error: error,
      };
      if (existing) {
        await trx('evidence_source_health')
          .where({ source: run.source })
          .update(row);
      } else {
        await trx('evidence_source_health').insert({ ...row, demo: false });
      }
      await trx('evidence_source_health_log').insert({
        source: run.source,
        status: run.outcome,
        at_ms: at,
        error,
      });
    });
  }

  async recordCollectionStatus(status: CollectionStatusUpdate): Promise<void> {
    const at = status.at.getTime();
    const entityRef = status.entityRef.toLowerCase();
    await this.db.transaction(async trx => {
      const existing = await trx('evidence_collection_status')
        .where({ entity_ref: entityRef, source: status.source })
        .first();
      const row = {
        last_attempt_ms: at,
        last_success_ms: status.succeeded
          ? at
          : existing?.last_success_ms ?? null,
        error: status.succeeded ? null : status.error ?? null,
        detail:
          status.detail === undefined
            ? null
            : redactCredentials(status.detail).slice(0, 1024),
        // The feed's write stamp: the server clock, not the attempt time the collector passes.
        updated_ms: this.clock().getTime(),
      };
      if (existing) {
        await trx('evidence_collection_status')
          .where({ entity_ref: entityRef, source: status.source })
          .update(row);
      } else {
        await trx('evidence_collection_status').insert({
          entity_ref: entityRef,
          source: status.source,
          ...row,
        });
      }
    });
  }

  // --- Re-resolution (§2.1) ------------------------------------------------------------------

  /**
   * Re-resolves stored subjects against the current maps: unresolved rows attach once their
   * entity or alias appears, rows whose mapping changed follow it. Returns rows updated.
   *
   * Every row it changes gets `updated_ms` = now: an entity that gained (or lost) evidence this
   * way has changed evidence, and `GET /entities/changed` (whose mirrors never re-read refs it
   * does not list) finds changes by that stamp (R7). Rows that leave an entity (their alias
   * moved or became void) no longer name it, so it is recorded as detached at the same time
   * (R14). Observed edges follow a changed alias map too (`remapEdges`).
   */
  /** The alias map version edges were last mapped with (`remapEdges`); -1 before any pass. */
  private edgesMappedAtVersion = -1;

  /** This process's last re-resolution pass: the map version it used, when it started. */
  private lastResolvePass?: {
    version: number;
    startedMs: number;
    fullAtMs: number;
  };

  async reresolve(): Promise<number> {
    // An unloaded map resolves nothing: every alias row would leave its entity.
    if (!this.resolver.isLoaded) return 0;
    let updated = 0;
    // With the map this process last passed with, only rows written since that pass can
    // resolve differently (another replica's older or newer map wrote them): the pass reads
    // those, by `updated_ms` (indexed), with a margin for the replicas' clocks. Each pass used
    // to read the distinct subjects of every row of three tables every minute (1.3 s and ~2 GB
    // read per query on a ledger of 3M changes, measured on PostgreSQL). A changed map, a
    // process's first pass and one pass an hour still read everything.
    const startedMs = this.clock().getTime();
    const mapVersion = this.resolver.version;
    const last = this.lastResolvePass;
    const incremental =
      last !== undefined &&
      last.version === mapVersion &&
      startedMs - last.fullAtMs < RESOLVE_FULL_PASS_MS;
    const sinceMs = incremental
      ? last.startedMs - RESOLVE_CLOCK_MARGIN_MS
      : undefined;
    const writtenSince = (q: Knex.QueryBuilder) => {
      if (sinceMs !== undefined) q.where('updated_ms', '>=', sinceMs);
    };
    // Read at each write, not once per pass: a pass over a large store takes a while, and a
    // row stamped with its start would sit behind a `GET /entities/changed` poll answered
    // during the pass, so a mirror would see it only at its next full read.
    const now = () => this.clock().getTime();
    for (const table of [
      'evidence_facts',
      'evidence_changes',
      'evidence_ci_runs',
    ]) {
      const subjects = await this.db(table)
        .distinct('subject', 'entity_ref', 'resolution')
        .where(q =>
          q
            .where('resolution', 'unresolved')
            .orWhere('subject', 'like', 'alias:%')
            .orWhere('subject', 'like', 'repo:%'),
        )
        .modify(writtenSince);
      for (const row of subjects) {
        const next = this.resolver.resolveSubject(row.subject);
        if (
          next.entityRef !== row.entity_ref ||
          next.resolution !== row.resolution
        ) {
          // Both entities are recorded, with the move, in one transaction (a poll between the
          // two would see the record without the move): the feed marks them `d:`, which a
          // mirror never takes as read. It reads a ledger through the alias map of whichever
          // replica answers, and one whose map lags the move answers it without (or still
          // with) the rows; polls keep reading both entities while the feed lists the move.
          const at = now();
          updated += await this.db.transaction(async (trx): Promise<number> => {
            await recordDetachedRefs(
              trx,
              [row.entity_ref, next.entityRef],
              [],
              at,
            );
            return trx(table).where({ subject: row.subject }).update({
              entity_ref: next.entityRef,
              resolution: next.resolution,
              updated_ms: at,
            });
          });
        }
      }
    }
    // Edges are keyed by telemetry names, not subjects: mapped anew only when the alias map
    // changed since the last pass (a page-wise scan of every edge).
    if (
      this.resolver.isLoaded &&
      this.resolver.aliasVersion !== this.edgesMappedAtVersion
    ) {
      const version = this.resolver.aliasVersion;
      updated += await remapEdges(this.db, this.resolver.resolveAlias, now);
      this.edgesMappedAtVersion = version;
    } else if (sinceMs !== undefined) {
      // With the same map, the edges written since the last pass with an end left unmapped: a
      // replica whose map was behind (or not loaded yet, just started) wrote them, and an edge
      // nobody observes again would keep the gap until the map next changes. Edges that did
      // map are left to their next observation (re-observed edges are most of the writes): one
      // a lagging replica mapped to an alias's previous owner keeps it until then.
      updated += await remapEdges(this.db, this.resolver.resolveAlias, now, q =>
        q
          .where('updated_ms', '>=', sinceMs)
          .where(w =>
            w.whereNull('dependent_ref').orWhereNull('dependency_ref'),
          ),
      );
    }
    // Entities removed from the catalog make their explicit-ref rows unresolved again.
    if (this.resolver.isLoaded) {
      for (const table of [
        'evidence_facts',
        'evidence_changes',
        'evidence_ci_runs',
      ]) {
        const resolved = await this.db(table)
          .distinct('subject')
          .where('resolution', 'resolved')
          .whereNot('subject', 'like', 'alias:%')
          .whereNot('subject', 'like', 'repo:%')
          .modify(writtenSince);
        for (const row of resolved) {
          if (!this.resolver.exists(row.subject)) {
            updated += await this.db(table)
              .where({ subject: row.subject })
              .update({ resolution: 'unresolved', updated_ms: now() });
          }
        }
      }
    }
    this.lastResolvePass = {
      version: mapVersion,
      startedMs,
      fullAtMs: incremental ? last!.fullAtMs : startedMs,
    };
    return updated;
  }
}
