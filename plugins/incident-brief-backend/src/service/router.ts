import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BlastRadiusInputError,
  normalizeRef,
} from '@internal/plugin-incident-brief-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { BriefService } from '../brief/BriefService';
import { IncidentBriefOptions } from '../config';
import {
  blastRadiusQuery,
  briefQuery,
  changesQuery,
  parseQuery,
} from './queryParams';

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

/** The read API of IB §6.5; every route needs credentials and `catalog.entity.read` on the root. */
export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  briefs: BriefService;
  options: IncidentBriefOptions;
}): Promise<express.Router> {
  const { httpAuth, permissions, briefs, options } = deps;
  const router = Router();
  router.use(express.json());

  /** The entity ref of the path, after the caller's read permission on it was checked. */
  async function readableRef(req: Request): Promise<string> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    let ref: string;
    try {
      const { kind, namespace, name } = req.params;
      ref = normalizeRef(`${kind}:${namespace}/${name}`);
    } catch {
      throw new InputError('invalid entity ref in the path');
    }
    const [decision] = await permissions.authorize(
      [{ permission: catalogEntityReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`not allowed to read ${ref}`);
    }
    return ref;
  }

  const entity = '/entities/:kind/:namespace/:name';

  router.get(`${entity}/brief`, async (req, res) => {
    const query = parseQuery(
      briefQuery({ hops: options.blastRadius.defaultHops }),
      req.query,
    );
    const entityRef = await readableRef(req);
    res.json(
      await domain(() =>
        briefs.brief({
          entityRef,
          at: query.at,
          windowMs: query.window,
          hops: query.hops,
        }),
      ),
    );
  });

  router.get(`${entity}/brief.md`, async (req, res) => {
    const query = parseQuery(
      briefQuery({ hops: options.blastRadius.defaultHops }),
      req.query,
    );
    const entityRef = await readableRef(req);
    const text = await domain(() =>
      briefs.markdown({
        entityRef,
        at: query.at,
        windowMs: query.window,
        hops: query.hops,
      }),
    );
    res.type('text/markdown; charset=utf-8').send(text);
  });

  router.get(`${entity}/blast-radius`, async (req, res) => {
    const query = parseQuery(
      blastRadiusQuery({
        hops: options.blastRadius.defaultHops,
        limit: options.blastRadius.listLimit,
      }),
      req.query,
    );
    const entityRef = await readableRef(req);
    res.json(await domain(() => briefs.blastRadius(entityRef, query)));
  });

  router.get(`${entity}/changes`, async (req, res) => {
    const query = parseQuery(
      changesQuery({ dependencyHops: options.changes.dependencyHops }),
      req.query,
    );
    const entityRef = await readableRef(req);
    const brief = await domain(() =>
      briefs.brief({
        entityRef,
        at: query.at,
        windowMs: query.window,
        dependencyHops: query.hops,
      }),
    );
    res.json({
      entityRef,
      ...brief.changes,
      ledger: brief.evidence.ledger,
    });
  });

  return router;
}
