import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BlastRadiusInputError,
  WithPaths,
  sharePathSteps,
  tabulateRows,
} from '@internal/plugin-incident-brief-common';
import { normalizeEntityRef } from '@internal/plugin-evidence-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { BriefService } from '../brief/BriefService';
import { GraphIndexStore } from '../graph/GraphIndexStore';
import { IncidentBriefOptions } from '../config';
import {
  ReadFilter,
  readableAmong,
  readFilterFor,
  rootFoldedReadFilter,
} from './restrictUnreadable';
import {
  aliasParam,
  blastRadiusQuery,
  briefQuery,
  changesQuery,
  changesWindow,
  notInFuture,
  ownerQuery,
} from './queryParams';
import { jsonErrorHandler, parseQuery } from '@internal/suite-node';
import { sendJson } from './sendJson';

/** What `aliasParam` refuses in an alias, refused in the entity ref of a path too. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** The 400 for a path whose kind, namespace or name breaks the catalog's naming rules. */
function invalidPathRefMessage(given: string): string {
  return `the entity ref in the path is not valid (got ${JSON.stringify(
    given.length > 200 ? `${given.slice(0, 197)}...` : given,
  )}): the kind is letters and digits; the namespace and the name are 1–63 letters, digits, -, _ or ., starting and ending with a letter or digit`;
}

/** Maps the domain's input errors to the HTTP errors Backstage's error handler renders. */
async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BlastRadiusInputError) {
      throw error.status === 404
        ? new NotFoundError(error.message)
        : new InputError(error.message);
    }
    throw error;
  }
}

/**
 * The claimants of a void alias as a caller may see them (IB §6.5: counted, never named):
 * `a, b and 2 entities you may not read`.
 */
function claimantsText(
  refs: string[],
  readable: (ref: string) => boolean,
): string {
  const named = refs.filter(readable);
  const hidden = refs.length - named.length;
  if (hidden === 0) return named.join(', ');
  const count = `${hidden} ${
    hidden === 1 ? 'entity' : 'entities'
  } you may not read`;
  return named.length ? `${named.join(', ')} and ${count}` : count;
}

/** How `paths=` sends a blast radius (README, "Wire forms `paths=shared` and `paths=table`"). */
const wireForms = {
  inline: <A extends WithPaths>(answer: A) => answer,
  shared: sharePathSteps,
  table: tabulateRows,
};

/** The read API of IB §6.5; every route needs credentials and `catalog.entity.read` on the root. */
export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  briefs: BriefService;
  /** resolves `GET /by-alias/:alias/…` */
  store: Pick<GraphIndexStore, 'lookupAlias'>;
  options: IncidentBriefOptions;
  logger: LoggerService;
}): Promise<express.Router> {
  const { httpAuth, permissions, briefs, store, options } = deps;
  const router = Router();

  /**
   * The entity ref of the path, after the caller's read permission on it was checked, and the
   * filter that lists the other entities of the answer the caller may not read as `restricted`.
   */
  async function readableRef(
    req: Request,
  ): Promise<{ ref: string; readFilter: ReadFilter }> {
    const { ref, credentials } = await pathRef(req);
    await authorizeRead(credentials, ref);
    return { ref, readFilter: readFilterFor(permissions, credentials, ref) };
  }

  /** The caller's credentials and the entity ref of the path, not yet authorized. */
  async function pathRef(req: Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { kind, namespace, name } = req.params;
    // as for an alias: a decoded `%00` would otherwise end up, raw, in a 404's message
    if (CONTROL_CHARACTER.test(`${kind}${namespace}${name}`)) {
      throw new InputError(
        'the entity ref in the path must not contain control characters',
      );
    }
    // The catalog's own rules for the parts (as evidence applies them to the refs it is sent):
    // a space, a `:` or an encoded `/` is a typo to fix, not an entity that might not exist.
    const given = `${kind}:${namespace}/${name}`;
    const ref = normalizeEntityRef(given);
    if (!ref) throw new InputError(invalidPathRefMessage(given));
    return { ref, credentials };
  }

  /**
   * The entity an alias of the path names (IB §2.1), after the caller's read permission on it was
   * checked: 404 when no entity claims it, 409 when several do (a void alias, R14). The caller
   * gave only the alias, so neither answer names an entity they may not read: the 409 names the
   * claimants they may read and counts the others, the 403 names no ref at all.
   */
  async function readableAlias(
    req: Request,
  ): Promise<{ ref: string; alias: string; readFilter: ReadFilter }> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const parsed = aliasParam.safeParse(req.params.alias);
    if (!parsed.success) throw new InputError(parsed.error.issues[0].message);
    const alias = parsed.data;
    const { ref, conflict } = await store.lookupAlias(alias);
    if (conflict) {
      const readable = await readableAmong(
        permissions,
        credentials,
        conflict.refs,
      );
      throw new ConflictError(
        `alias ${alias} is claimed by ${claimantsText(
          conflict.refs,
          readable,
        )} (ALIAS_CONFLICT): ask for the entity by its ref`,
      );
    }
    // An alias held by an entity the caller may not read answers as one held by none: a 403
    // would tell them the name or alias exists, which the by-ref routes never do.
    const notFound = new NotFoundError(`no entity has the alias ${alias}`);
    if (!ref) throw notFound;
    await authorizeRead(credentials, ref, notFound);
    return {
      ref,
      alias,
      readFilter: readFilterFor(permissions, credentials, ref),
    };
  }

  async function authorizeRead(
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
    ref: string,
    denied: Error = new NotAllowedError(`not allowed to read ${ref}`),
  ): Promise<void> {
    const [decision] = await permissions.authorize(
      [{ permission: catalogEntityReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) throw denied;
  }

  const entity = '/entities/:kind/:namespace/:name';
  // built once: a zod schema costs more to construct than to run (≈ 0.5 ms per request)
  const { maxHops } = options.blastRadius;
  const briefSchema = briefQuery({
    hops: options.blastRadius.defaultHops,
    maxHops,
  });
  const blastRadiusSchema = blastRadiusQuery({
    hops: options.blastRadius.defaultHops,
    maxHops,
    limit: options.blastRadius.listLimit,
  });
  const changesSchema = changesQuery({
    dependencyHops: options.changes.dependencyHops,
    maxHops,
  });
  const parseBriefQuery = (raw: unknown) => {
    const query = parseQuery(briefSchema, raw);
    return { ...query, at: notInFuture('at', query.at, Date.now()) };
  };

  router.get(`${entity}/brief`, async (req, res) => {
    const query = parseBriefQuery(req.query);
    const { ref: entityRef, readFilter } = await readableRef(req);
    // a shared service's brief holds its whole blast radius inline: hundreds of kB
    await sendJson(
      req,
      res,
      await domain(() =>
        briefs.brief(
          {
            entityRef,
            at: query.at,
            windowMs: query.window,
            hops: query.hops,
          },
          readFilter,
        ),
      ),
    );
  });

  // Ours: the Owner & on-call card's read, the brief's owner section alone. A shared service's
  // brief carries its whole blast radius (MBs) and waits for the risk of every change in window.
  router.get(`${entity}/owner`, async (req, res) => {
    const query = parseQuery(ownerQuery, req.query);
    const at = notInFuture('at', query.at, Date.now());
    const { ref: entityRef, readFilter } = await readableRef(req);
    res.json(await domain(() => briefs.owner({ entityRef, at }, readFilter)));
  });

  router.get(`${entity}/brief.md`, async (req, res) => {
    const query = parseBriefQuery(req.query);
    const { ref: entityRef, readFilter } = await readableRef(req);
    const text = await domain(() =>
      briefs.markdown(
        {
          entityRef,
          at: query.at,
          windowMs: query.window,
          hops: query.hops,
        },
        readFilter,
      ),
    );
    res.type('text/markdown; charset=utf-8').send(text);
  });

  // The most-used read: the root's permission is decided in the same batched call as the
  // entities the answer names (rootFoldedReadFilter), one permission round trip per request.
  router.get(`${entity}/blast-radius`, async (req, res) => {
    const { paths, ...search } = parseQuery(blastRadiusSchema, req.query);
    const { ref: entityRef, credentials } = await pathRef(req);
    const { filter, ensureRoot } = rootFoldedReadFilter(
      permissions,
      credentials,
      entityRef,
    );
    let result;
    try {
      result = await domain(() =>
        briefs.blastRadius(entityRef, search, filter),
      );
    } catch (error) {
      await ensureRoot(); // 403 before any error about an entity the caller may not read
      throw error;
    }
    await ensureRoot();
    await sendJson(req, res, { ...wireForms[paths](result), maxHops });
  });

  // Alert webhooks and chat commands carry telemetry names, not entity refs (IB §6.5).
  router.get('/by-alias/:alias/brief', async (req, res) => {
    const query = parseBriefQuery(req.query);
    const { ref, alias, readFilter } = await readableAlias(req);
    await sendJson(
      req,
      res,
      await domain(() =>
        briefs.brief(
          {
            entityRef: ref,
            aliasMatched: alias,
            at: query.at,
            windowMs: query.window,
            hops: query.hops,
          },
          readFilter,
        ),
      ),
    );
  });

  router.get('/by-alias/:alias/brief.md', async (req, res) => {
    const query = parseBriefQuery(req.query);
    const { ref, alias, readFilter } = await readableAlias(req);
    const text = await domain(() =>
      briefs.markdown(
        {
          entityRef: ref,
          aliasMatched: alias,
          at: query.at,
          windowMs: query.window,
          hops: query.hops,
        },
        readFilter,
      ),
    );
    res.type('text/markdown; charset=utf-8').send(text);
  });

  // changes of entities the caller may not read are omitted and counted (`restricted`, IB §6.5)
  router.get(`${entity}/changes`, async (req, res) => {
    const query = parseQuery(changesSchema, req.query);
    const { at, windowMs } = changesWindow(query, Date.now());
    const { ref: entityRef, readFilter } = await readableRef(req);
    res.json(
      await domain(() =>
        briefs.changes(
          {
            entityRef,
            at,
            windowMs,
            hops: query.hops,
            scope: query.scope,
          },
          readFilter,
        ),
      ),
    );
  });

  // Backstage's statuses for its named errors; an unexpected one is a bare 500, logged in full.
  router.use(jsonErrorHandler({ logger: deps.logger }));
  return router;
}
