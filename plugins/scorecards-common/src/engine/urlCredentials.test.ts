import { z } from 'zod';
import { defineCheckType } from '../checks/checkType';
import { baselineWorld, World } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith, standardWithExtraCheck } from '../__fixtures__/standards';
import { EntityEvaluation, RawOutcome } from '../model/resultModel';

/** No URL credentials of an entity's links and annotations reach its evaluation. */

const PASSWORD = 's3cr3t';
const TOKEN = 'tok3n';

/** The baseline ref-api with credentials in its links and URL annotations. */
function credentialedWorld(): World {
  const world = baselineWorld();
  const annotations = world.entity.metadata.annotations!;
  annotations[
    'backstage.io/source-location'
  ] = `url:https://bob:${PASSWORD}@github.com/example/ref-api/`;
  annotations[
    'backstage.io/techdocs-ref'
  ] = `url:git+ssh://bob:${PASSWORD}@git.example.com/docs`;
  world.entity.metadata.links = [
    {
      url: `https://bob:${PASSWORD}@runbooks.example.com/ref-api`,
      type: 'runbook',
    },
    { url: `http://${TOKEN}@grafana.example.com/d/ref-api`, type: 'dashboard' },
  ];
  // The repository listing names no repository: results quote the entity's join key.
  for (const f of world.facts)
    if (f.kind === 'repo.files')
      delete (f.value as { repository?: string }).repository;
  return world;
}

/** The secrets (and `bob:` user parts) the evaluation's JSON still holds. */
function credentialsIn(evaluation: EntityEvaluation): string[] {
  const text = JSON.stringify(evaluation);
  return [PASSWORD, TOKEN, 'bob:'].filter(secret => text.includes(secret));
}

const resultOf = (e: EntityEvaluation, id: string) =>
  e.results.find(r => r.checkId === id)!;

describe('URL credentials in entity links and annotations', () => {
  const evaluation = evaluateWorld(credentialedWorld(), compileWith());

  it('reach no result, blocker or key of the evaluation', () => {
    expect(credentialsIn(evaluation)).toEqual([]);
  });

  it('are redacted, not dropped: results still name the URL', () => {
    expect(resultOf(evaluation, 'dashboard-linked').found).toBe(
      'http://***@grafana.example.com/d/ref-api',
    );
    expect(JSON.stringify(evaluation)).toContain(
      'https://***@runbooks.example.com/ref-api',
    );
    expect(resultOf(evaluation, 'source-location-set').found).toBe(
      'url:https://***@github.com/example/ref-api/',
    );
  });

  it('join the repository the same as without credentials', () => {
    const readsRepository = evaluation.results.filter(r =>
      r.message.includes(' in github.com/example/ref-api '),
    );
    expect(readsRepository.length).toBeGreaterThan(0);
  });
});

describe('URL credentials an extension check type quotes', () => {
  const returned: RawOutcome[] = [];
  const leaky = defineCheckType({
    id: 'leaky-probe',
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
      returned.push(outcome);
      return outcome;
    },
  });
  const standard = standardWithExtraCheck('leaky-check', 'leaky-probe', {}, [
    leaky,
  ]);
  const evaluation = evaluateWorld(credentialedWorld(), standard);

  it('reach no text of its result nor the blocker it raises', () => {
    const result = resultOf(evaluation, 'leaky-check');
    expect(result.found).toBe('https://***@runbooks.example.com/ref-api');
    expect(evaluation.blockers.map(b => b.checkId)).toContain('leaky-check');
    expect(credentialsIn(evaluation)).toEqual([]);
  });

  it('copies the outcome it redacts, never changes what the type returned', () => {
    expect(returned.length).toBeGreaterThan(0);
    for (const outcome of returned) {
      expect(outcome.found).toContain(PASSWORD);
      expect(outcome.evidence[0].summary).toContain(PASSWORD);
      expect(outcome.missing[0].hint).toContain(PASSWORD);
    }
  });
});
