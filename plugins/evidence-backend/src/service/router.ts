import { ConflictError } from '@backstage/errors';
import { unmappedNames } from './unmappedNames';
import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  EvidenceError,
  FactRecord,
  ObservedEdge,
  StoredChange,
  checkBatchEnvelope,
  checkIdempotencyKey,
  evidenceAdminPermission,
  evidenceError,
  evidenceIngestPermission,
  evidenceMessages,
  evidenceReadPermission,
  invalidFieldError,
  validateInput,
  isFullEntityRef,
  normalizeEntityRef,
  splitBatchItem,
  timestampMs,
  toIsoTimestamp,
  EVIDENCE_ERROR_STATUS,
  type LedgerView,
} from '@internal/plugin-evidence-common';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  MAX_JSON_DEPTH,
  jsonErrorHandler,
  jsonShapeProblem,
} from '@internal/suite-node';
import { z } from 'zod';
import { sendWithRawJson } from './rawJson';
import {
  READ_INCLUDES,
  changeIdParamsSchema,
  changeQueryBodySchema,
  changeSummaryQuerySchema,
  changedEntitiesQuerySchema,
  changesQuerySchema,
  ciRunsQuerySchema,
  edgeChangesQuerySchema,
  edgesQuerySchema,
  unmappedEdgesQuerySchema,
  factHistoryQuerySchema,
  factsQuerySchema,
  readBodySchema,
  noQuerySchema,
  withListParams,
} from './readRequests';
import {
  EvidenceReader,
  ReadInclude,
  groupBy,
} from '../database/EvidenceReader';
import { EvidenceStore, IngestScope } from '../database/EvidenceStore';
import type { DemoEvidence } from '../demo/DemoEvidence';
import { AliasResolver } from './AliasResolver';
import { EvidenceOptions } from './evidenceConfig';
import {
  RESTRICTED,
  restrictedEntityRefs,
  visibleAliasEntry,
  withoutRestricted,
} from './entityReadFilter';
import { EvidenceHttpError, sendEvidenceError } from './httpErrors';

/** Dependencies of the evidence HTTP API. */
export interface RouterOptions {
  store: EvidenceStore;
  reader: EvidenceReader;
  resolver: AliasResolver;
  options: EvidenceOptions;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  auditor?: AuditorService;
  clock?: () => Date;
  /** Demo evidence behind `POST /demo/reseed` and `DELETE /demo` (§7); absent → 404. */
  demo?: Pick<DemoEvidence, 'enabled' | 'reseed' | 'purge'>;
  /** Scheduled collectors behind `POST /collectors/:id/run` (§5.1); absent → 404. */
  collectors?: {
    /** task id by collector id (the source it reports on) */
    ids: ReadonlyMap<string, string>;
    trigger(taskId: string): Promise<void>;
  };
}

const RISK_WRITER = 'plugin:incident-brief';

/** The auditor event of a write route, also recorded (failed) when its permission refuses it. */
type WriteAudit = {
  eventId: string;
  severityLevel: 'low' | 'medium' | 'high' | 'critical';
  meta?: Record<string, string | number | boolean>;
};

const INGEST_AUDIT: WriteAudit = {
  eventId: 'evidence-ingest',
  severityLevel: 'medium',
};
const RISK_AUDIT: WriteAudit = {
  eventId: 'evidence-risk-write',
  severityLevel: 'low',
};
const COLLECTOR_RUN_AUDIT: WriteAudit = {
  eventId: 'evidence-collector-run',
  severityLevel: 'medium',
};
const DEMO_RESEED_AUDIT: WriteAudit = {
  eventId: 'evidence-demo-reseed',
  severityLevel: 'medium',
};
const DEMO_PURGE_AUDIT: WriteAudit = {
  eventId: 'evidence-demo-purge',
  severityLevel: 'high',
};

/** The entities an observed edge names: both ends (§5.1 hides it when either is restricted). */
function edgeRefs(edge: ObservedEdge): (string | null)[] {
  return [
    edge.clientRef,
    edge.serverRef,
    edge.dependentRef,
    edge.dependencyRef,
  ];
}

function principalOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.type === 'user' ? p.userEntityRef! : p.subject ?? p.type;
}

type Locals = { credentials: BackstageCredentials; principal: string };

function locals(res: Response): Locals {
  return res.locals as Locals;
}

/** Request-level refusal with an exact §3.9 body. */
function fail(error: EvidenceError): never {
  throw new EvidenceHttpError(error);
}

function field(name: string, message: string): never {
  fail(invalidFieldError([{ field: name, message }]));
}

/**
 * {@link withListParams}, refusing a list parameter given more than once: express would already
 * have made it a list, which would pass as one.
 */
function listParams(
  query: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  for (const name of names) {
    const given = query[name];
    if (Array.isArray(given)) {
      field(
        name,
        `${name} must be given once, comma-separated (got ${given.length} values)`,
      );
    }
  }
  return withListParams(query, names);
}

/** The parsed input, or the §3.9 `INVALID_FIELD` refusal naming every field at fault. */
function valid<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = validateInput(schema, input);
  if (!result.success) fail(result.error);
  return result.data as z.output<T>;
}

/** Creates the `/api/evidence` router: ingestion (§3.1) and reads (§5.1). */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, reader, resolver, httpAuth, permissions, auditor } = options;
  const limits = options.options.ingest;
  const clock = options.clock ?? (() => new Date());
  const router = Router();

  /**
   * Checks the caller holds `permission`; a write route passes its audit event, so a refused
   * write is audited as failed too (who tried to ingest or purge matters as much as who did).
   */
  const guard =
    (permission: BasicPermission, refusedWrite?: WriteAudit) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        const error = evidenceError(
          'FORBIDDEN',
          evidenceMessages.forbidden(permission.name),
        );
        if (refusedWrite) {
          const event = await auditor?.createEvent({
            ...refusedWrite,
            request: req,
          });
          await event?.fail({ error: new EvidenceHttpError(error) });
        }
        sendEvidenceError(req, res, error);
        return;
      }
      res.locals.credentials = credentials;
      res.locals.principal = principalOf(credentials);
      next();
    };

  // Each route installs its own parser so single and batch routes get their own limits (§3.1).
  const jsonBody = (limit: number) => {
    const parser = express.json({ limit, strict: false });
    return (req: Request, res: Response, next: NextFunction) => {
      if (!req.is('application/json')) {
        sendEvidenceError(
          req,
          res,
          evidenceError(
            'UNSUPPORTED_MEDIA_TYPE',
            evidenceMessages.unsupportedMediaType(
              req.header('content-type') ?? '',
            ),
          ),
        );
        return;
      }
      parser(req, res, (err?: unknown) => {
        if (!err) {
          // Before validation: a body no recursive walk survives, or whose __proto__ key
          // validation would drop while the idempotency fingerprint counts it.
          const problem = jsonShapeProblem(req.body, MAX_JSON_DEPTH, {
            protoKey: true,
          });
          if (problem) {
            sendEvidenceError(
              req,
              res,
              evidenceError(
                'MALFORMED_JSON',
                problem === 'depth'
                  ? evidenceMessages.nestedTooDeep(MAX_JSON_DEPTH)
                  : evidenceMessages.protoKey(),
              ),
            );
            return;
          }
          next();
          return;
        }
        const type = (err as { type?: string }).type;
        if (type === 'entity.too.large') {
          sendEvidenceError(
            req,
            res,
            evidenceError(
              'PAYLOAD_TOO_LARGE',
              evidenceMessages.payloadTooLarge(limit),
            ),
          );
        } else if (type === 'entity.parse.failed') {
          sendEvidenceError(
            req,
            res,
            evidenceError('MALFORMED_JSON', evidenceMessages.malformedJson()),
          );
        } else if (
          type === 'charset.unsupported' ||
          type === 'encoding.unsupported'
        ) {
          sendEvidenceError(
            req,
            res,
            evidenceError(
              'UNSUPPORTED_MEDIA_TYPE',
              evidenceMessages.unsupportedMediaType(
                req.header('content-type') ?? '',
              ),
            ),
          );
        } else {
          next(err);
        }
      });
    };
  };

  const audit = async (
    req: Request,
    meta: Record<string, string | number | boolean>,
  ) =>
    auditor?.createEvent({
      eventId: INGEST_AUDIT.eventId,
      severityLevel: INGEST_AUDIT.severityLevel,
      request: req,
      meta,
    });

  /**
   * Runs a write under its audit event, completing the event on every path: an error thrown
   * (the database gone, a bug) fails it before Backstage's error handler answers, so the audit
   * log never shows a write as begun and never finished.
   */
  const audited = async <T>(
    event: AuditorServiceEvent | undefined,
    write: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  };

  /**
   * An admin or risk write as one audit event: created with `meta`, failed if `write` throws,
   * succeeded with the meta `write` returns (after it answered).
   */
  const auditedWrite = async (
    req: Request,
    writeAudit: WriteAudit,
    meta: Record<string, string | number | boolean> | undefined,
    write: () => Promise<Record<string, number> | void>,
  ) => {
    const event = await auditor?.createEvent({
      ...writeAudit,
      request: req,
      ...(meta ? { meta } : {}),
    });
    const outcome = await audited(event, write);
    await event?.success(outcome ? { meta: outcome } : undefined);
  };

  // --- Ingestion ------------------------------------------------------------------------------

  const single = (scope: IngestScope) => [
    guard(evidenceIngestPermission, { ...INGEST_AUDIT, meta: { scope } }),
    jsonBody(limits.maxBodyBytes),
    async (req: Request, res: Response) => {
      const key = req.header('Idempotency-Key');
      const keyError = checkIdempotencyKey(key);
      if (keyError) {
        sendEvidenceError(req, res, keyError);
        return;
      }
      const event = await audit(req, { scope, idempotencyKey: key! });
      const outcome = await audited(event, () =>
        store.ingest(scope, key!, req.body, locals(res).principal),
      );
      if (!outcome.ok) {
        await event?.fail({ error: new EvidenceHttpError(outcome.error) });
        sendEvidenceError(req, res, outcome.error);
        return;
      }
      await event?.success({
        meta: {
          status: outcome.status,
          replayed: outcome.replayed,
          id: outcome.id ?? null,
        },
      });
      if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res
        .status(outcome.status)
        .type('application/json')
        .send(outcome.bodyText);
    },
  ];

  const batch = (scope: IngestScope) => [
    guard(evidenceIngestPermission, {
      ...INGEST_AUDIT,
      meta: { scope, batch: true },
    }),
    jsonBody(limits.maxBatchBodyBytes),
    async (req: Request, res: Response) => {
      const envelope = checkBatchEnvelope(req.body, {
        headerKey: req.header('Idempotency-Key'),
        maxItems: limits.maxBatchItems,
      });
      if (!envelope.ok) {
        sendEvidenceError(req, res, envelope.error);
        return;
      }
      const event = await audit(req, {
        scope,
        batch: true,
        items: envelope.items.length,
      });
      const summary = {
        created: 0,
        updated: 0,
        unchanged: 0,
        replayed: 0,
        failed: 0,
      };
      const results: Record<string, unknown>[] = [];
      const splits = envelope.items.map(splitBatchItem);
      // The store writes all well-formed items in one transaction (§3.6), outcomes in order.
      const outcomes = await audited(event, () =>
        store.ingestBatch(
          scope,
          splits.flatMap((split, index) =>
            split.ok ? [{ ...split, prefix: `items[${index}]` }] : [],
          ),
          locals(res).principal,
        ),
      );
      for (const [index, item] of envelope.items.entries()) {
        const split = splits[index];
        const rawKey = (item as { idempotencyKey?: unknown })?.idempotencyKey;
        if (!split.ok) {
          summary.failed += 1;
          results.push({
            index,
            idempotencyKey: typeof rawKey === 'string' ? rawKey : null,
            status: EVIDENCE_ERROR_STATUS[split.error.code],
            error: split.error,
          });
          continue;
        }
        const outcome = outcomes.shift()!;
        if (!outcome.ok) {
          summary.failed += 1;
          results.push({
            index,
            idempotencyKey: split.idempotencyKey,
            status: EVIDENCE_ERROR_STATUS[outcome.error.code],
            error: outcome.error,
          });
          continue;
        }
        if (outcome.replayed) summary.replayed += 1;
        else if (outcome.status === 201) summary.created += 1;
        else if (outcome.unchanged) summary.unchanged += 1;
        else summary.updated += 1;
        results.push({
          index,
          idempotencyKey: split.idempotencyKey,
          status: outcome.replayed ? 200 : outcome.status,
          ...(outcome.replayed ? { replayed: true } : {}),
          id: outcome.id,
          warnings: outcome.warnings,
        });
      }
      await event?.success({ meta: summary });
      res.status(200).json({ results, summary });
    },
  ];

  router.post('/changes', ...single('changes'));
  router.post('/changes/batch', ...batch('changes'));
  router.post('/facts', ...single('facts'));
  router.post('/facts/batch', ...batch('facts'));
  router.post('/ci-runs', ...single('ci-runs'));
  router.post('/ci-runs/batch', ...batch('ci-runs'));
  router.post('/edges/batch', ...batch('edges'));

  // PUT /changes/:id/risk: only the incident brief's risk writer may set a change's risk.
  const writeRisk = async (req: Request, res: Response) => {
    const principal = locals(res).principal;
    if (principal !== RISK_WRITER) {
      fail(
        evidenceError(
          'FORBIDDEN',
          evidenceMessages.riskWriterForbidden(principal),
        ),
      );
    }
    const { id } = valid(changeIdParamsSchema, req.params);
    const outcome = await store.setChangeRisk(id, req.body);
    if (!outcome.ok) fail(outcome.error);
    res.status(200).json({ record: outcome.record, warnings: [] });
  };

  router.put(
    '/changes/:id/risk',
    guard(evidenceIngestPermission, RISK_AUDIT),
    jsonBody(limits.maxBodyBytes),
    async (req, res) => {
      await auditedWrite(req, RISK_AUDIT, { id: req.params.id }, () =>
        writeRisk(req, res),
      );
    },
  );

  // --- Reads ----------------------------------------------------------------------------------

  const read = guard(evidenceReadPermission);
  const asOf = () => toIsoTimestamp(clock().getTime());

  // Read filtering (§5.1): users see only the entities their catalog.entity.read allows,
  // service principals everything (restrictedEntityRefs). A route naming its ref(s) decides them
  // before reading: a restricted ref answers the route's usual envelope with no rows and
  // `restricted: true` (per ref where the answer is keyed by ref, as POST /read; 404 for
  // GET /changes/:id, as for an unknown id). Listings without a ref drop the rows naming a
  // restricted entity: one batched decision per page of rows, refilled from the rows after it.
  // A row names its stored entity ref and the one its subject resolves to now (ledger reads
  // attach alias rows live, R7; re-resolution catches up within 60 s). A row naming no entity
  // (an unresolved alias or repository, an unmapped telemetry name) stays visible to holders of
  // evidence.read: it names only the sender's label, which the catalog does not govern. An
  // unresolved explicit ref is asked about like any ref; a conditional policy may deny an entity
  // the catalog does not have, and the read then fails closed.
  const isRestricted = async (credentials: BackstageCredentials, ref: string) =>
    (await restrictedEntityRefs(permissions, credentials, [ref])).has(ref);
  const decidedAllowed = (ref: string | undefined) =>
    ref
      ? { allowed: new Set([ref]), restricted: new Set<string>() }
      : undefined;
  const liveRef = (subject: string) =>
    resolver.resolveSubject(subject).entityRef;
  const recordRefs = (record: {
    entityRef: string | null;
    subject: string;
  }) => [record.entityRef, liveRef(record.subject)];

  const readEntities = async (
    credentials: BackstageCredentials,
    refs: string[],
    include: readonly ReadInclude[],
    kinds: string[] | undefined,
    ledgerWindowDays: number,
    ledgerView?: LedgerView,
  ) => {
    const now = asOf();
    const requested = refs.map(r => normalizeEntityRef(r)!);
    // Restricted refs are decided before reading, so their rows are never loaded (§5.1).
    const restricted = await restrictedEntityRefs(
      permissions,
      credentials,
      requested,
    );
    const lower = requested.filter(r => !restricted.has(r));
    const wantLedger = include.includes('ledger');
    const wantSummary = include.includes('ledgerSummary');
    // One ledger query serves both the window and the summary (§5.1).
    const [facts, collection, edges, ledgerRead, sourceHealth] =
      await Promise.all([
        include.includes('facts')
          ? reader.facts({ entityRefs: lower, kinds, rawValues: true })
          : [],
        include.includes('collection') ? reader.collection(lower) : [],
        include.includes('edges')
          ? reader.edges({ entityRefs: lower, asOf: now })
          : [],
        wantLedger || wantSummary
          ? reader.ledgerRead(lower, {
              asOf: now,
              summary: wantSummary,
              ...(ledgerView ? { view: ledgerView } : {}),
              windowFrom: wantLedger
                ? toIsoTimestamp(
                    clock().getTime() - ledgerWindowDays * 86400_000,
                  )
                : undefined,
            })
          : undefined,
        reader.sourceHealth(now),
      ]);
    // An edge also names the entity at its other end: hidden when that one is restricted, as
    // in GET /edges. Only ends outside the requested refs are asked about, in one more call.
    const shownEdges = await withoutRestricted(
      permissions,
      credentials,
      edges,
      edgeRefs,
      { allowed: new Set(lower), restricted },
    );
    // Rows are assigned to refs by one grouping pass each, not a scan per ref.
    const factsByRef = groupBy(facts, f => f.entityRef!);
    const collectionByRef = groupBy(collection, c => c.entityRef);
    const outgoingByRef = groupBy(
      shownEdges.filter(e => e.dependentRef),
      e => e.dependentRef!,
    );
    const incomingByRef = groupBy(
      shownEdges.filter(e => e.dependencyRef),
      e => e.dependencyRef!,
    );
    const entities: Record<string, Record<string, unknown>> = {};
    refs.forEach((ref, i) => {
      const key = requested[i];
      if (restricted.has(key)) {
        entities[ref] = { ...RESTRICTED };
        return;
      }
      const entity: Record<string, unknown> = {};
      if (include.includes('facts')) entity.facts = factsByRef.get(key) ?? [];
      if (include.includes('collection'))
        entity.collection = collectionByRef.get(key) ?? [];
      if (include.includes('edges')) {
        entity.edges = {
          outgoing: outgoingByRef.get(key) ?? [],
          incoming: incomingByRef.get(key) ?? [],
        };
      }
      if (wantLedger) entity.ledger = ledgerRead?.ledger.get(key) ?? [];
      if (wantSummary) entity.ledgerSummary = ledgerRead?.summary[key];
      entities[ref] = entity;
    });
    return { asOf: now, sourceHealth, entities };
  };

  router.post(
    '/read',
    read,
    jsonBody(limits.maxBodyBytes),
    async (req, res) => {
      const body = valid(readBodySchema, req.body ?? {});
      sendWithRawJson(
        res,
        await readEntities(
          locals(res).credentials,
          body.entityRefs,
          body.include,
          body.kinds,
          body.ledgerWindowDays,
          body.ledgerView,
        ),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name', read, async (req, res) => {
    valid(noQuerySchema, req.query);
    const ref = `${req.params.kind}:${req.params.namespace}/${req.params.name}`;
    if (!isFullEntityRef(ref)) {
      field(
        'entityRef',
        `entityRef "${ref}" is not a full ref (kind:namespace/name)`,
      );
    }
    const result = await readEntities(
      locals(res).credentials,
      [ref],
      READ_INCLUDES,
      undefined,
      400,
    );
    // A restricted entity answers 200 with `restricted: true` in place of its evidence, as
    // in POST /read, rather than 404: unknown entities answer 200 with empty lists, so one
    // shape serves both routes and a 404 would single out restricted refs all the same.
    sendWithRawJson(res, {
      asOf: result.asOf,
      sourceHealth: result.sourceHealth,
      entityRef: normalizeEntityRef(ref),
      ...result.entities[ref],
    });
  });

  router.get('/facts', read, async (req, res) => {
    const query = valid(factsQuerySchema, req.query);
    const { credentials } = locals(res);
    const now = asOf();
    if (query.entityRef && (await isRestricted(credentials, query.entityRef))) {
      res.json({ asOf: now, items: [], ...RESTRICTED });
      return;
    }
    const page = await reader.listFacts(query, (facts: FactRecord[]) =>
      withoutRestricted(
        permissions,
        credentials,
        facts,
        recordRefs,
        decidedAllowed(query.entityRef),
      ),
    );
    res.json({ asOf: now, ...page });
  });

  router.get('/facts/history', read, async (req, res) => {
    const { entityRef, kind, key, from, to, limit } = valid(
      factHistoryQuerySchema,
      req.query,
    );
    // History rows are the entity's by their stored ref; no other entity is named.
    if (await isRestricted(locals(res).credentials, entityRef)) {
      res.json({ items: [], ...RESTRICTED });
      return;
    }
    const items = await reader.factHistory({
      entityRef,
      kind,
      key,
      from,
      to,
      limit,
    });
    res.json({ items });
  });

  router.get('/changes', read, async (req, res) => {
    const query = valid(changesQuerySchema, req.query);
    const { credentials } = locals(res);
    if (query.entityRef && (await isRestricted(credentials, query.entityRef))) {
      res.json({ items: [], ...RESTRICTED });
      return;
    }
    res.json(
      await reader.listChanges(query, (changes: StoredChange[]) =>
        withoutRestricted(
          permissions,
          credentials,
          changes,
          recordRefs,
          decidedAllowed(query.entityRef),
        ),
      ),
    );
  });

  router.post(
    '/changes/query',
    read,
    jsonBody(limits.maxBodyBytes),
    async (req, res) => {
      const body = valid(changeQueryBodySchema, req.body ?? {});
      const now = asOf();
      const refs = body.entityRefs.map(r => normalizeEntityRef(r)!);
      // Items are one list, so restricted refs are named beside it, as they were asked for;
      // their changes are never read (items carry the ref they were read for).
      const restricted = await restrictedEntityRefs(
        permissions,
        locals(res).credentials,
        refs,
      );
      const items = await reader.queryChanges({
        ...body,
        entityRefs: refs.filter(r => !restricted.has(r)),
        asOf: now,
      });
      res.json({
        asOf: now,
        items,
        ...(restricted.size > 0
          ? {
              restrictedRefs: body.entityRefs.filter((_, i) =>
                restricted.has(refs[i]),
              ),
            }
          : {}),
      });
    },
  );

  router.get('/changes/summary', read, async (req, res) => {
    const query = valid(
      changeSummaryQuerySchema,
      listParams(req.query, ['entityRefs']),
    );
    const now = asOf();
    // an `at` still to come reads as now: nothing has taken effect after now yet
    const at =
      query.at && timestampMs(query.at) < timestampMs(now)
        ? toIsoTimestamp(timestampMs(query.at))
        : now;
    const refs = query.entityRefs.map(r => normalizeEntityRef(r)!);
    const restricted = await restrictedEntityRefs(
      permissions,
      locals(res).credentials,
      refs,
    );
    const summaries: Record<string, unknown> = await reader.changeSummary(
      refs.filter(r => !restricted.has(r)),
      at,
      query.environment,
    );
    for (const ref of restricted) summaries[ref] = { ...RESTRICTED };
    res.json({ asOf: at, summaries });
  });

  router.get('/changes/:id', read, async (req, res) => {
    valid(noQuerySchema, req.query);
    const { id } = valid(changeIdParamsSchema, req.params);
    const found = await reader.getChange(id);
    // A change of an entity the user may not read is answered as an unknown id: a distinct
    // answer would confirm that the id exists and whose it is.
    const change =
      found &&
      (
        await withoutRestricted(
          permissions,
          locals(res).credentials,
          [found],
          recordRefs,
        )
      )[0];
    if (!change) {
      fail(evidenceError('NOT_FOUND', evidenceMessages.changeNotFound(id)));
    }
    res.json({ record: change });
  });

  router.get('/edges', read, async (req, res) => {
    const query = valid(edgesQuerySchema, req.query);
    const { credentials } = locals(res);
    const now = asOf();
    if (query.entityRef && (await isRestricted(credentials, query.entityRef))) {
      res.json({ asOf: now, items: [], ...RESTRICTED });
      return;
    }
    const items = await withoutRestricted(
      permissions,
      credentials,
      await reader.edges({
        entityRefs: query.entityRef ? [query.entityRef] : undefined,
        direction: query.direction,
        includeStale: query.includeStale,
        since: query.since,
        asOf: now,
      }),
      edgeRefs,
      decidedAllowed(query.entityRef),
    );
    res.json({ asOf: now, items });
  });

  // Telemetry names no entity claims (R16), with who they talk to: where an alias is missing.
  router.get('/edges/unmapped', read, async (req, res) => {
    const query = valid(unmappedEdgesQuerySchema, req.query);
    const now = asOf();
    // an edge whose mapped side the caller may not read is left out, like on every edge route
    const edges = await withoutRestricted(
      permissions,
      locals(res).credentials,
      await reader.edges({
        asOf: now,
        includeStale: query.includeStale,
        unmappedOnly: true,
      }),
      edgeRefs,
    );
    res.json({ asOf: now, items: unmappedNames(edges) });
  });

  // The refs whose evidence changed since a time, for consumers that mirror the store (e.g. the
  // scorecards catalog module) instead of reading it per entity. `until` is taken before the
  // queries, so rows committed while they run are reported again by the next poll, not lost;
  // clients poll with `since` a little before the last `until` to cover slow transactions.
  router.get('/entities/changed', read, async (req, res) => {
    const raw = valid(changedEntitiesQuerySchema, req.query).since ?? '0';
    const since = Number(raw);
    if (!Number.isSafeInteger(since) || since < 0) {
      field(
        'since',
        `since must be epoch milliseconds, a non-negative integer such as the "until" of the previous answer (got "${raw}")`,
      );
    }
    const until = clock().getTime();
    // With a mark per row written, when not too many were: a mirror then skips refs whose
    // writes it has read (`changedEntityMarks`); the refs are those of the same rows. For
    // services only (mirrors are): a user's marks would name edges to entities they may not
    // read, which every read hides.
    const { credentials } = locals(res);
    const marks =
      (credentials.principal as { type?: string }).type === 'service'
        ? await reader.changedEntityMarks(since, until)
        : undefined;
    const changed = marks
      ? [...marks.keys()].sort()
      : await reader.changedEntityRefs(since, until);
    const restricted = await restrictedEntityRefs(
      permissions,
      credentials,
      changed,
    );
    const refs = changed.filter(r => !restricted.has(r));
    res.json({
      asOf: toIsoTimestamp(until),
      until: String(until),
      refs,
      ...(marks
        ? { marks: Object.fromEntries(refs.map(r => [r, marks.get(r)])) }
        : {}),
    });
  });

  router.get('/edges/changes', read, async (req, res) => {
    const raw = valid(edgeChangesQuerySchema, req.query).cursor ?? '0';
    const cursor = Number(raw);
    // Safe integers only, as `since` above: 1e300 is an integer to JavaScript, and PostgreSQL
    // refuses it for the bigint `seq` it is compared with (a 500 instead of this 400).
    if (!Number.isSafeInteger(cursor) || cursor < 0) {
      field('cursor', `cursor must be a non-negative integer (got "${raw}")`);
    }
    const page = await reader.edgeChanges(cursor, asOf());
    // Edges naming a restricted entity are left out of the page (its cursor still moves past
    // them); removals are bare ids and stay, so a mirror drops what it may have held.
    page.edges = await withoutRestricted(
      permissions,
      locals(res).credentials,
      page.edges,
      edgeRefs,
    );
    // Cursor 0 is a first full read: every live edge has a higher seq, and removals of edges
    // the caller never had do not matter. Any other cursor below the pruned mark may have
    // missed a removal. The mark is checked after the read because retention writes it before
    // deleting tombstones: a prune racing this request is seen here and answered 410 instead
    // of as a page silently missing removals.
    if (cursor > 0 && cursor < (await reader.oldestAnswerableCursor())) {
      fail(
        evidenceError(
          'CURSOR_EXPIRED',
          evidenceMessages.cursorExpired(String(cursor)),
        ),
      );
    }
    res.json(page);
  });

  const sourceHealth = async (res: Response) => {
    const now = asOf();
    res.json({ asOf: now, items: await reader.sourceHealth(now) });
  };
  router.get('/sources', read, async (req, res) => {
    valid(noQuerySchema, req.query);
    await sourceHealth(res);
  });
  // Load balancers and monitors call a health route with parameters of their own (a
  // cache-buster, `/health?_=1712345678`): refusing them would report the backend down. It
  // takes none, so none can ask for less than the whole answer; `/sources` stays strict.
  router.get('/health', read, async (_req, res) => sourceHealth(res));

  router.get('/ci-runs', read, async (req, res) => {
    const query = valid(ciRunsQuerySchema, req.query);
    // Runs are read by their stored ref; no other entity is named.
    if (await isRestricted(locals(res).credentials, query.entityRef)) {
      res.json({ items: [], ...RESTRICTED });
      return;
    }
    res.json({ items: await reader.ciRuns(query) });
  });

  // The entity behind an alias is filtered like any record naming it (visibleAliasEntry): an
  // alias of an entity the user may not read answers as an unknown alias.
  router.get('/aliases/:name', read, async (req, res) => {
    valid(noQuerySchema, req.query);
    res.json(
      await visibleAliasEntry(
        permissions,
        locals(res).credentials,
        req.params.name,
        resolver.lookup(req.params.name),
      ),
    );
  });

  // A run now, out of schedule (§5.1): the scheduler's own trigger, so the run is the one the
  // schedule would start (one runner across replicas, the same timeout and failure handling).
  const runCollector = async (id: string, res: Response) => {
    const ids = options.collectors?.ids ?? new Map<string, string>();
    const taskId = ids.get(id);
    if (!taskId) {
      const known = [...ids.keys()].sort();
      fail(
        evidenceError(
          'NOT_FOUND',
          `collector ${JSON.stringify(id)} is not scheduled here (${
            known.length
              ? `scheduled: ${known.join(', ')}`
              : 'no collector is enabled'
          })`,
        ),
      );
    }
    try {
      await options.collectors!.trigger(taskId);
    } catch (error) {
      if ((error as Error)?.name === 'ConflictError') {
        throw new ConflictError(
          `collector ${id} is running already; its next run picks up what changed since`,
        );
      }
      throw error;
    }
    res.status(202).json({ collector: id, taskId, triggered: true });
  };

  router.post(
    '/collectors/:id/run',
    guard(evidenceAdminPermission, COLLECTOR_RUN_AUDIT),
    async (req, res) => {
      const id = req.params.id;
      await auditedWrite(req, COLLECTOR_RUN_AUDIT, { collector: id }, () =>
        runCollector(id, res),
      );
    },
  );

  router.post(
    '/demo/reseed',
    guard(evidenceAdminPermission, DEMO_RESEED_AUDIT),
    async (req, res) => {
      await auditedWrite(req, DEMO_RESEED_AUDIT, undefined, async () => {
        const demo = options.demo;
        if (!demo?.enabled) {
          fail(
            evidenceError(
              'NOT_FOUND',
              'demo evidence is disabled (evidence.demo.enabled)',
            ),
          );
        }
        res.status(202).json(await demo.reseed());
      });
    },
  );

  // Purging works with the demo disabled too: that is how leftover demo rows are removed. It
  // deletes rows, so who purged and how many went is audited at high severity.
  router.delete(
    '/demo',
    guard(evidenceAdminPermission, DEMO_PURGE_AUDIT),
    async (req, res) => {
      await auditedWrite(req, DEMO_PURGE_AUDIT, undefined, async () => {
        if (!options.demo) {
          fail(evidenceError('NOT_FOUND', 'demo evidence is not available'));
        }
        const deleted = await options.demo.purge();
        res.status(200).json({ deleted });
        return { deleted };
      });
    },
  );

  router.use(
    (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (err instanceof EvidenceHttpError) {
        sendEvidenceError(req, res, err.error);
        return;
      }
      next(err);
    },
  );
  // Anything else: Backstage's statuses for its named errors, and an unexpected error is a bare
  // 500 whose message (a SQL statement, a path) goes to the log, not to the caller.
  router.use(jsonErrorHandler({ logger: options.logger }));

  return router;
}
