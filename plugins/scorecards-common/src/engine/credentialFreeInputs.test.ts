import { z } from 'zod';
import { baselineWorld, World } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith, standardWithExtraCheck } from '../__fixtures__/standards';
import { CatalogIndex, indexCatalog } from '../catalog/catalogIndex';
import { defineCheckType } from '../checks/checkType';
import { allOfCheckType, entityFieldCheckType } from '../checks/builtin';
import { redactOutcome, redactText } from './redactOutcome';
import {
  anyHoldsCredentials,
  catalogHoldsUrlCredentials,
  holdsCredentials,
  holdsUrlCredentials,
  listHoldsCredentials,
  onlyBuiltInTypes,
} from './credentialFreeInputs';

const SECRET = 's3cr3t';
const credentialed = (text: string) =>
  `${text} https://bob:${SECRET}@leak.example/${text}`;

/**
 * What each input string is turned into, one shape at a time: a URL appended; the text replaced
 * by a scheme-less authority (a URL once the engine writes it after `kind:`, as a namespace in a
 * ref); a password holding a control character (which ends a URL in text, but not once JSON
 * escapes it as `\b`).
 */
const PAYLOADS: [string, (text: string) => string][] = [
  ['a URL appended', credentialed],
  ['a scheme-less authority', () => `//bob:${SECRET}@leak.example`],
  ['a control character', () => `https://bob:${SECRET}\bx@leak.example/x`],
];

type Section = Exclude<
  keyof World,
  'now' | 'refreshedAt' | 'firstSeenAt' | 'waivers'
>;
const SECTIONS: Section[] = [
  'entity',
  'others',
  'facts',
  'ledger',
  'edges',
  'sourceHealth',
  'collection',
];

/** Paths of every string value in a JSON-like value. */
function stringPaths(value: unknown, path: (string | number)[] = []) {
  const paths: (string | number)[][] = [];
  if (typeof value === 'string') paths.push(path);
  else if (Array.isArray(value))
    value.forEach((v, i) => paths.push(...stringPaths(v, [...path, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      paths.push(...stringPaths(v, [...path, k]));
  return paths;
}

/** A fresh baseline world with one string of one section given URL credentials. */
function worldWithCredentialAt(
  section: Section,
  path: (string | number)[],
  payload: (text: string) => string,
) {
  const world = baselineWorld();
  let holder: any = world[section];
  for (const key of path.slice(0, -1)) holder = holder[key];
  const last = path[path.length - 1];
  holder[last] = payload(holder[last]);
  return world;
}

describe('outcomes of built-in checks over inputs with URL credentials', () => {
  // Every string of every input, one at a time: wherever a built-in check quotes it, the
  // result must show it redacted, whether or not the engine scanned the outcome itself.
  const quotedBySection = new Map<Section, number>();
  const leaks: string[] = [];
  beforeAll(() => {
    const standard = compileWith();
    const clean = baselineWorld();
    const cleanSnapshot = indexCatalog({
      entities: [clean.entity, ...clean.others],
      refreshedAt: clean.refreshedAt,
    });
    for (const [shape, payload] of PAYLOADS)
      for (const section of SECTIONS) {
        for (const path of stringPaths(baselineWorld()[section])) {
          const world = worldWithCredentialAt(section, path, payload);
          // A changed kind is not scored: nothing to look at then.
          if (section === 'entity' && path.join('.') === 'kind') continue;
          // The entity as processed, against a snapshot taken before its credentials came.
          const evaluation = evaluateWorld(
            world,
            standard,
            section === 'entity' ? cleanSnapshot : undefined,
          );
          // What the engine redacts: the texts of each outcome. (Source ids, instants, the
          // entity's ref and lifecycle are copied as the inputs give them, redacted or not.)
          const outcomes = evaluation.results.map(
            ({
              rawState,
              reason,
              message,
              expected,
              found,
              evidence,
              missing,
              notes,
            }) => ({
              state: rawState,
              reason,
              message,
              expected,
              found,
              evidence,
              missing,
              notes,
            }),
          );
          const shown = JSON.stringify(outcomes);
          const redacted = outcomes.map(o => ({
            ...redactOutcome(o),
            notes: o.notes.map(redactText),
          }));
          if (JSON.stringify(redacted) !== shown)
            leaks.push(`${shape}: ${section}.${path.join('.')}`);
          if (shown.includes('***@leak.example'))
            quotedBySection.set(
              section,
              (quotedBySection.get(section) ?? 0) + 1,
            );
        }
      }
  });

  it('never reach a result', () => {
    expect(leaks).toEqual([]);
  });

  it('are quoted, redacted, from every kind of input (the test reaches each)', () => {
    // The baseline world's sources are all up and its collection statuses are counted, never
    // quoted: their texts show in no outcome.
    const quoted = SECTIONS.filter(
      s => s !== 'sourceHealth' && s !== 'collection',
    );
    expect(quoted.filter(s => (quotedBySection.get(s) ?? 0) === 0)).toEqual([]);
  });
});

describe('URL credentials in the standard', () => {
  it('are redacted from the results that quote a check parameter', () => {
    const standard = standardWithExtraCheck('quotes-param', 'entity-field', {
      path: 'metadata.name',
      op: 'in',
      value: [`https://bob:${SECRET}@leak.example`],
    });
    const json = JSON.stringify(evaluateWorld(baselineWorld(), standard));
    expect(json).not.toContain(SECRET);
    expect(json).toContain('***@leak.example');
  });
});

describe('holdsCredentials', () => {
  it.each([
    ['plain text', 'ref-api', false],
    ['a workflow ref', 'org/wf/.github/workflows/deploy.yml@v3', false],
    ['an e-mail address', 'team@example.com', false],
    ['a credentialed URL', `https://bob:${SECRET}@h.example/x`, true],
    ['a form parsers read', `https:bob@h.example`, true],
    ['nested', { a: [{ b: `ftp://u:p@h` }] }, true],
    ['an object key', { [`https://u:p@h`]: 1 }, true],
    ['numbers and nulls', { a: 1, b: null, c: [true] }, false],
  ])('%s', (_, value, expected) => {
    expect(holdsCredentials(value)).toBe(expected);
    expect(holdsUrlCredentials(value)).toBe(expected);
  });

  it('counts a value nested beyond reach as holding some', () => {
    let deep: unknown = 'clean';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(holdsCredentials(deep)).toBe(true);
  });

  it('walks Maps, Sets and cycles of a compiled value', () => {
    const cyclic: any = { name: 'x' };
    cyclic.self = cyclic;
    expect(holdsUrlCredentials(cyclic)).toBe(false);
    expect(holdsUrlCredentials(new Map([['k', `https://u:p@h`]]))).toBe(true);
    expect(holdsUrlCredentials(new Set([`https://u:p@h`]))).toBe(true);
  });
});

describe('catalogHoldsUrlCredentials', () => {
  const world = baselineWorld();
  it('looks at every entity of an indexed snapshot', () => {
    const clean = indexCatalog({
      entities: [world.entity, ...world.others],
      refreshedAt: world.refreshedAt,
    });
    expect(catalogHoldsUrlCredentials(clean)).toBe(false);
    const other = structuredClone(world.others[world.others.length - 1]);
    other.metadata.description = credentialed('owner group');
    const dirty = indexCatalog({
      entities: [world.entity, ...world.others.slice(0, -1), other],
      refreshedAt: world.refreshedAt,
    });
    expect(catalogHoldsUrlCredentials(dirty)).toBe(true);
  });

  it('counts an index it cannot walk as holding some', () => {
    const indexed = indexCatalog({ entities: [], refreshedAt: world.now });
    // The same lookups, without the memo `indexCatalog` keeps beside them.
    const opaque: CatalogIndex = {
      refreshedAt: indexed.refreshedAt,
      refreshedAtMs: indexed.refreshedAtMs,
      get: indexed.get,
      dependentsOf: indexed.dependentsOf,
      consumersOfApi: indexed.consumersOfApi,
      providersOfApi: indexed.providersOfApi,
      membersOf: indexed.membersOf,
      childGroupsOf: indexed.childGroupsOf,
      parentOf: indexed.parentOf,
    };
    expect(catalogHoldsUrlCredentials(opaque)).toBe(true);
  });
});

describe('onlyBuiltInTypes', () => {
  const extension = defineCheckType({
    id: 'extension-probe',
    description: 'an extension type',
    paramsSchema: z.strictObject({}),
    needs: () => [],
    evaluate: () => {
      throw new Error('not run');
    },
  });
  const field = { type: entityFieldCheckType, params: { path: 'x' } };

  it.each([
    ['a built-in type', field, true],
    ['an extension type', { type: extension, params: {} }, false],
    [
      'a combinator of built-in parts',
      { type: allOfCheckType, params: { calls: [field, field] } },
      true,
    ],
    [
      'a combinator with an extension part',
      {
        type: allOfCheckType,
        params: { calls: [field, { type: extension, params: {} }] },
      },
      false,
    ],
  ])('%s', (_, call, expected) => {
    expect(onlyBuiltInTypes(call)).toBe(expected);
  });
});

describe('an extension check type over inputs without credentials', () => {
  it('still has its outcome redacted: it may write credentials of its own', () => {
    const writer = defineCheckType({
      id: 'writes-credentials',
      description: 'writes a credentialed URL no input holds',
      paramsSchema: z.strictObject({}),
      needs: () => [],
      evaluate: () => ({
        state: 'fail',
        reason: 'WRITES',
        message: `see https://bob:${SECRET}@leak.example`,
        expected: 'nothing',
        found: `https://bob:${SECRET}@leak.example`,
        evidence: [],
        missing: [],
      }),
    });
    const standard = standardWithExtraCheck(
      'writer',
      'writes-credentials',
      {},
      [writer],
    );
    const evaluation = evaluateWorld(baselineWorld(), standard);
    const result = evaluation.results.find(r => r.checkId === 'writer')!;
    expect(result.found).toBe('https://***@leak.example');
    expect(JSON.stringify(evaluation)).not.toContain(SECRET);
  });
});

describe('URL credentials in the health of a source that is down', () => {
  it('are redacted from the results that quote it', () => {
    const world = baselineWorld();
    // Every source down, each since a text with credentials: checks quote health then.
    world.sourceHealth = world.sourceHealth.map(h => ({
      ...h,
      status: 'unavailable' as const,
      since: credentialed(h.since),
    }));
    world.facts = [];
    const json = JSON.stringify(evaluateWorld(world, compileWith()));
    expect(json).toContain('***@leak.example');
    expect(json).not.toContain(SECRET);
  });
});

describe('texts a built-in check renders from values that are not strings', () => {
  /** The outcome texts of the evaluation holding the secret. */
  const secretIn = (evaluation: ReturnType<typeof evaluateWorld>) =>
    evaluation.results.filter(r =>
      JSON.stringify([r.message, r.found, r.evidence, r.missing]).includes(
        SECRET,
      ),
    );

  it('are redacted where JSON escapes a character that ended a URL', () => {
    const world = baselineWorld();
    const security = world.facts.find(f => f.kind === 'ci.security')!;
    // `\b` ends the URL in the text; JSON writes it as the two characters `\` and `b`.
    security.value = {
      ...(security.value as object),
      oidc: [`https://bob:${SECRET}\bx@leak.example/hook`],
    };
    const evaluation = evaluateWorld(world, compileWith());
    expect(secretIn(evaluation)).toEqual([]);
    expect(JSON.stringify(evaluation.results)).toContain('***@leak.example');
  });

  it('are redacted where a list is joined into one text', () => {
    const world = baselineWorld();
    world.entity.metadata.tags = ['https://bob', `${SECRET}@leak.example`];
    const standard = standardWithExtraCheck('renders-tags', 'entity-field', {
      path: 'metadata.tags',
      op: 'in',
      value: ['java'],
    });
    const evaluation = evaluateWorld(world, standard);
    expect(secretIn(evaluation)).toEqual([]);
    const result = evaluation.results.find(r => r.checkId === 'renders-tags')!;
    expect(result.found).toContain('***@leak.example');
  });
});

describe('a health list changed in place after an evaluation', () => {
  it('is looked at again', () => {
    const world = baselineWorld();
    world.facts = [];
    // Unlike any list before it: the engine indexes this list, not an equal earlier one.
    world.sourceHealth = world.sourceHealth.map(h => ({
      ...h,
      lastSuccessAt: '2026-01-02T03:04:05.678Z',
    }));
    const standard = compileWith();
    evaluateWorld(world, standard);
    for (const h of world.sourceHealth) {
      h.status = 'unavailable';
      h.since = credentialed(h.since);
    }
    const json = JSON.stringify(evaluateWorld(world, standard).results);
    expect(json).toContain('***@leak.example');
    expect(json).not.toContain(SECRET);
  });
});

describe('listHoldsCredentials', () => {
  const clean = () => [
    { source: 'ci', status: 'ok', since: '2026-01-01T00:00:00Z' },
    { source: 'repo', status: 'ok', since: '2026-01-01T00:00:00Z', n: 1 },
  ];

  it('answers as anyHoldsCredentials for every list, each looked at in full', () => {
    const list: Record<string, unknown>[] = clean();
    const changes: (() => void)[] = [
      // A value changed in place.
      () => {
        list[1].since = credentialed('since');
      },
      () => {
        list[1].since = '2026-01-02T00:00:00Z';
      },
      // A key added in place, then one holding credentials itself.
      () => {
        list[0].note = credentialed('note');
      },
      () => {
        delete list[0].note;
        list[0][`https://u:${SECRET}@h.example`] = 1;
      },
      () => {
        delete list[0][`https://u:${SECRET}@h.example`];
      },
      // A record added, then one nesting the credentials.
      () => {
        list.push({ source: credentialed('source') });
      },
      () => {
        list[2] = { source: 'x', detail: { text: credentialed('nested') } };
      },
      () => {
        (list[2].detail as { text: string }).text = 'clean';
      },
      () => {
        (list[2].detail as { text: string }).text = credentialed('again');
      },
      // A record, then an array holding the same keys and values: the walk reads an array's
      // items only, not a text set beside them.
      () => {
        list[2] = { 0: 'a', text: credentialed('beside') };
      },
      () => {
        const items: unknown[] & { text?: string } = ['a'];
        items.text = credentialed('beside');
        list[2] = items as unknown as Record<string, unknown>;
      },
      () => {
        list.pop();
      },
    ];
    const verdicts: boolean[] = [listHoldsCredentials(list)];
    const expected: boolean[] = [anyHoldsCredentials(list)];
    for (const change of changes) {
      change();
      verdicts.push(listHoldsCredentials(list));
      expected.push(anyHoldsCredentials(list));
      // Asked twice: the second answer comes from the list as last walked.
      verdicts.push(listHoldsCredentials(list));
      expected.push(anyHoldsCredentials(list));
    }
    expect(verdicts).toEqual(expected);
    expect(expected).toContain(true);
    expect(expected).toContain(false);
  });

  it('gives an equal new list the same answer, and a different one its own', () => {
    const first = clean();
    expect(listHoldsCredentials(first)).toBe(false);
    expect(listHoldsCredentials(clean())).toBe(false);
    const other = clean();
    other[0].status = credentialed('status');
    expect(listHoldsCredentials(other)).toBe(true);
    expect(listHoldsCredentials(first)).toBe(false);
  });
});
