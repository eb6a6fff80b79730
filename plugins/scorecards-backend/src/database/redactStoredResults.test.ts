import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityEvaluation,
  RawOutcome,
  createDefaultCheckTypeRegistry,
  defaultStandardFile,
  defineCheckType,
  evaluateEntity,
  hashEntity,
  indexCatalog,
  loadStandard,
  redactUrlCredentials,
} from '@internal/plugin-scorecards-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  historyOf,
  recordEvaluation,
  resultHashOf,
} from '../evaluation/recordEvaluation';
import { ScorecardsStore } from './ScorecardsStore';
import * as migration from '../../migrations/20261205000000_redact_result_credentials';

jest.setTimeout(60_000);

const NAME = '20261205000000_redact_result_credentials.js';

// ---- the migration's copy of the scan agrees with scorecards-common ----

/** The value of a single-quoted JavaScript string literal's body. */
function unquote(body: string): string {
  const escapes: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '0': '\0',
  };
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)/g, (_, c) =>
    c.length > 1
      ? String.fromCodePoint(parseInt(c.replace(/[u{}]/g, ''), 16))
      : escapes[c] ?? c,
  );
}

/**
 * Every single-quoted string of scorecards-common's own `redactUrlCredentials` tests, inputs
 * and expected outputs alike: read from the file, so a case added there is checked here too.
 */
function commonTestStrings(): string[] {
  const file = path.resolve(
    __dirname,
    '../../../scorecards-common/src/model/urlCredentials.test.ts',
  );
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)].map(m => unquote(m[1]));
}

/** A small seeded generator: the same texts on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pieces the scan decides on (schemes, slashes, userinfo, what ends it), joined at random. */
const PIECES = [
  'https:',
  'HTTP:',
  'ws:',
  'ftp:',
  'file:',
  'git+ssh:',
  'xhttps:',
  'mailto:',
  '//',
  '/',
  '\\',
  'u:p@',
  'bob@',
  '@',
  ':',
  's3cr3t',
  'h.example.com',
  '\n',
  '\t',
  '\r',
  ' ',
  '?',
  '#',
  '***@',
  '"',
];

describe('the redaction scan copied into the migration', () => {
  const cases = commonTestStrings();

  it("reads scorecards-common's test cases", () => {
    expect(cases.length).toBeGreaterThan(80);
    expect(cases).toEqual(
      expect.arrayContaining([
        'https://bob:s3cr3t@h/x',
        'https://u:p\nass@host/x',
        'https:\\\\u:p@host',
      ]),
    );
  });

  it("agrees with scorecards-common's redactUrlCredentials on its test cases", () => {
    const disagreeing = cases.filter(
      text =>
        migration.redactUrlCredentials(text) !== redactUrlCredentials(text),
    );
    expect(disagreeing).toEqual([]);
    // The cases do redact: an agreement of two functions that change nothing proves nothing.
    expect(
      cases.filter(text => migration.redactUrlCredentials(text) !== text)
        .length,
    ).toBeGreaterThan(30);
  });

  it('agrees with it on 20,000 texts made of the pieces it decides on', () => {
    const random = seeded(20261205);
    const disagreeing: string[] = [];
    let redacted = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 14);
      for (let i = 0; i < length; i++)
        text += PIECES[Math.floor(random() * PIECES.length)];
      const copy = migration.redactUrlCredentials(text);
      if (copy !== redactUrlCredentials(text)) disagreeing.push(text);
      if (copy !== text) redacted++;
    }
    expect(disagreeing).toEqual([]);
    expect(redacted).toBeGreaterThan(1_000);
  });
});

// ---- stored results before and after the migration ----

const PASSWORD = 's3cr3t';
const T = '2026-03-14T02:05:00.000Z';
const LATER = '2026-03-14T03:05:00.000Z';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: { type: 'team', children: [], members: ['ana'] },
};

/** A service whose runbook, dashboard and source location are `links` URLs as given. */
const service = (name: string, url: (host: string) => string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/source-location': `url:${url('github.com')}/acme/${name}/`,
    },
    links: [
      { url: url('runbooks.example.com'), type: 'runbook' },
      { url: url('grafana.example.com'), type: 'dashboard' },
    ],
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
  },
});

/**
 * An extension type that quotes the runbook link in every text of its outcome, the reason
 * too: results of such types are where stored credentials reach every field, the history
 * snapshot and blockers included.
 */
const quotesRunbook = defineCheckType({
  id: 'quotes-runbook',
  description: 'quotes the entity runbook link in every text of its outcome',
  paramsSchema: z.strictObject({}),
  needs: () => [],
  evaluate: ctx => {
    const url = ctx.entity.metadata.links![0].url;
    const outcome: RawOutcome = {
      state: 'unknown',
      reason: `NO_${url}`,
      message: `cannot reach ${url}.`,
      expected: `${url} answers`,
      found: url,
      evidence: [{ ...ctx.ownCatalogEvidence(), summary: url, url }],
      missing: [
        {
          source: 'linkcheck',
          kind: 'link.status',
          cause: 'missing',
          hint: url,
        },
      ],
      notes: [url],
    };
    return outcome;
  },
});

const template = defaultStandardFile.checks.find(
  c => c.id === 'dashboard-linked',
)!;
const standard = loadStandard(
  {
    ...defaultStandardFile,
    checks: [
      ...defaultStandardFile.checks,
      {
        ...template,
        id: 'runbook-reachable',
        class: 'required',
        level: 'L0',
        type: 'quotes-runbook',
        params: {},
      },
    ],
  },
  { registry: createDefaultCheckTypeRegistry([quotesRunbook]) },
);

/** The evaluation of the current engine: URL credentials redacted. */
function evaluate(entity: Entity): EntityEvaluation {
  const evaluation = evaluateEntity({
    now: T,
    entity,
    catalog: indexCatalog({ entities: [group, entity], refreshedAt: T }),
    standard,
    facts: [],
    waivers: [],
    firstSeenAt: T,
  });
  if (!evaluation.scored) throw new Error('not scored');
  return evaluation;
}

/**
 * What the engine stored before it redacted: the same evaluation with the credentials the
 * entity spells where the engine now writes `***@`.
 */
function unredacted(evaluation: EntityEvaluation): EntityEvaluation {
  return JSON.parse(
    JSON.stringify(evaluation).replaceAll('://***@', `://bob:${PASSWORD}@`),
  );
}

const withCredentials = (host: string) => `https://bob:${PASSWORD}@${host}`;
const leaky = service('leaky-service', withCredentials);
const leakyRef = 'component:default/leaky-service';
// Clean, with `@` in its texts all the same (an e-mail), so the migration reads it too.
const clean = service(
  'clean-service',
  host => `https://${host}/by/ana@example.com`,
);
const cleanRef = 'component:default/clean-service';

/** Every text column of the tables that hold result text, as one string. */
async function storedText(knex: Knex): Promise<string> {
  const latest = await knex('scorecards_latest').select();
  const transitions = await knex('scorecards_transitions').select();
  return JSON.stringify([latest, transitions]);
}

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const migrations = {
  directory: path.resolve(__dirname, '../../migrations'),
  tableName: 'scorecards_knex_migrations',
};

describe.each(databases.eachSupportedId())(`${NAME} on %s`, databaseId => {
  it('redacts URL credentials of stored results, keeps their hash what the store computes, and leaves clean rows as they are', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    // Back to the schema before it: rows stored by the engine that did not redact.
    await knex.migrate.down({ ...migrations, name: NAME });
    const store = new ScorecardsStore(knex);

    const redactedLeaky = evaluate(leaky);
    const storedLeaky = unredacted(redactedLeaky);
    expect(JSON.stringify(storedLeaky)).toContain(PASSWORD);
    // Every field the engine redacts holds the credentials in the stored result.
    const stored = storedLeaky.results.find(
      r => r.checkId === 'runbook-reachable',
    )!;
    for (const text of [
      stored.reason,
      stored.message,
      stored.expected,
      stored.found,
      stored.evidence[0].summary,
      stored.evidence[0].url,
      stored.missing[0].hint,
      stored.notes[0],
    ]) {
      expect(text).toContain(PASSWORD);
    }
    expect(
      storedLeaky.blockers.find(b => b.checkId === 'runbook-reachable')
        ?.message,
    ).toContain(PASSWORD);
    await recordEvaluation(store, {
      evaluation: storedLeaky,
      entityHash: hashEntity(leaky),
      at: T,
    });

    // A row stored before result hashes were: its hash is still computed when needed.
    const hashless = {
      ...(await knex('scorecards_latest')
        .where({ entity_ref: leakyRef })
        .first()),
      entity_ref: 'component:default/hashless-service',
      result_hash: null,
    };
    await knex('scorecards_latest').insert(hashless);

    await recordEvaluation(store, {
      evaluation: evaluate(clean),
      entityHash: hashEntity(clean),
      at: T,
    });
    const cleanBefore = await knex('scorecards_latest')
      .where({ entity_ref: cleanRef })
      .first();
    expect(cleanBefore.evaluation_json).toContain('ana@example.com');

    const reasonRow = {
      entity_ref: leakyRef,
      check_id: 'runbook-reachable',
      from_state: 'pass',
      to_state: 'unknown',
      at: T,
      cause: 'entity-changed',
      check_version: 1,
      regression: false,
    };
    // 64 characters, the column's width, with a one-character user: 66 once redacted.
    const widest = `NO_https://u@${'h'.repeat(43)}.example`;
    expect(widest).toHaveLength(64);
    await knex('scorecards_transitions').insert([
      {
        ...reasonRow,
        from_reason: 'PASS',
        to_reason: `NO_https://bob:${PASSWORD}@runbooks.example.com`,
      },
      { ...reasonRow, from_reason: widest, to_reason: 'OWNER_NOT_FOUND' },
      { ...reasonRow, from_reason: null, to_reason: 'mail bob@example.com' },
    ]);
    const transitionsBefore = await knex('scorecards_transitions')
      .orderBy('id')
      .select();

    await knex.migrate.latest(migrations);

    expect(await storedText(knex)).not.toContain(PASSWORD);

    // The stored result set is the one the current engine computes ...
    const after = await store.getLatest(leakyRef);
    expect(after?.evaluation).toEqual(redactedLeaky);
    expect(after?.snapshot).toEqual(
      historyOf(redactedLeaky, hashEntity(leaky)).snapshot,
    );
    // ... under the hash the store gives it, so its next evaluation writes nothing.
    expect(after?.resultHash).toBe(
      historyOf(redactedLeaky, hashEntity(leaky)).resultHash,
    );
    expect(
      await recordEvaluation(store, {
        evaluation: redactedLeaky,
        entityHash: hashEntity(leaky),
        at: LATER,
      }),
    ).toEqual({ status: 'unchanged' });

    const hashlessAfter = await store.getLatest(hashless.entity_ref);
    expect(hashlessAfter?.resultHash).toBeUndefined();
    expect(hashlessAfter?.evaluation.results).toEqual(redactedLeaky.results);
    expect(JSON.stringify(hashlessAfter?.snapshot)).toContain(
      'NO_https://***@',
    );
    expect(resultHashOf(hashlessAfter!.snapshot)).toBe(after?.resultHash);

    // Rows without credentials are left byte for byte.
    expect(
      await knex('scorecards_latest').where({ entity_ref: cleanRef }).first(),
    ).toEqual(cleanBefore);
    const transitionsAfter = await knex('scorecards_transitions')
      .orderBy('id')
      .select();
    expect(transitionsAfter.map(r => [r.from_reason, r.to_reason])).toEqual([
      ['PASS', 'NO_https://***@runbooks.example.com'],
      [`NO_https://***@${'h'.repeat(43)}.examp`, 'OWNER_NOT_FOUND'],
      [null, 'mail bob@example.com'],
    ]);
    expect(transitionsAfter[2]).toEqual(transitionsBefore[2]);

    // Down has nothing to restore; up again finds nothing to change.
    await knex.migrate.down({ ...migrations, name: NAME });
    const redactedText = await storedText(knex);
    await knex.migrate.latest(migrations);
    expect(await storedText(knex)).toBe(redactedText);
  });

  it('leaves a row another replica rewrote between the read and the update as that replica wrote it', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    await knex.migrate.down({ ...migrations, name: NAME });
    const store = new ScorecardsStore(knex);
    await recordEvaluation(store, {
      evaluation: unredacted(evaluate(leaky)),
      entityHash: hashEntity(leaky),
      at: T,
    });
    const newer = JSON.stringify({
      written: 'by a replica of the version before',
    });

    // The first update of the migration meets a row a replica wrote after the read.
    let raced = false;
    const racing = new Proxy(knex, {
      apply(target, thisArg, args: [string]) {
        const builder = Reflect.apply(target, thisArg, args);
        if (args[0] !== 'scorecards_latest' || raced) return builder;
        const update = builder.update.bind(builder);
        builder.update = (async (patch: object) => {
          raced = true;
          await target('scorecards_latest')
            .where({ entity_ref: leakyRef })
            .update({ evaluation_json: newer });
          return update(patch);
        }) as typeof builder.update;
        return builder;
      },
    });
    await migration.up(racing);

    expect(raced).toBe(true);
    const row = await knex('scorecards_latest')
      .where({ entity_ref: leakyRef })
      .first();
    expect(row.evaluation_json).toBe(newer);
  });
});
