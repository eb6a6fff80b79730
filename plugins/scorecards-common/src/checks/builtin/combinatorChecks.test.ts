import { baselineWorld, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { CheckDefinitionInput } from '../../standard/standardSchema';

/** `any-of` / `all-of` explanations (scorecards §2.5, §2.6). */

const noRunbookLink = (w: World) =>
  (w.entity.metadata.links = w.entity.metadata.links!.filter(
    l => l.type !== 'runbook',
  ));

function resultOf(
  checkId: string,
  change: (w: World) => void,
  overrides?: Record<string, Partial<CheckDefinitionInput>>,
) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, compileWith(overrides)).results.find(
    r => r.checkId === checkId,
  )!;
}

/** Two alternatives that apply only to techdocs refs starting with `url:` (the baseline's is `dir:.`). */
const NOT_NEEDED = {
  type: 'any-of',
  params: {
    of: ['docs/runbook.md', 'RUNBOOK.md'].map(path => ({
      type: 'repo-file',
      params: {
        paths: [path],
        onlyIf: {
          path: 'annotation:backstage.io/techdocs-ref',
          startsWith: 'url:',
        },
      },
    })),
  },
};

describe('any-of explains a fail with every alternative', () => {
  it.each<[string, string, (w: World) => void, string[]]>([
    [
      'runbook-present',
      'without link or file (§2.6)',
      noRunbookLink,
      [
        'No runbook link in metadata.links of component:default/ref-api',
        'no docs/runbook.md or RUNBOOK.md in github.com/example/ref-api (read 2 h ago)',
        'expected a runbook link in metadata.links or one of docs/runbook.md and RUNBOOK.md in the repository.',
      ],
    ],
    [
      'source-location-set',
      'without either annotation',
      w => {
        delete w.entity.metadata.annotations!['backstage.io/source-location'];
      },
      [
        'No annotation backstage.io/source-location on component:default/ref-api',
        'no annotation github.com/project-slug on component:default/ref-api',
      ],
    ],
  ])('%s %s', (checkId, _label, change, parts) => {
    const r = resultOf(checkId, change);
    expect(r.state).toBe('fail');
    for (const part of parts) expect(r.message).toContain(part);
    // One expectation at the end, not one per alternative.
    expect(r.message.match(/expected/g)).toHaveLength(1);
  });

  it('keeps the first failing alternative’s reason', () => {
    expect(resultOf('runbook-present', noRunbookLink).reason).toBe(
      'LINK_MISSING',
    );
  });

  it('a pass still reads as the passing alternative', () => {
    const r = resultOf('runbook-present', () => undefined);
    expect(r.message).toBe(
      'runbook link https://runbooks.example.com/ref-api in metadata.links.',
    );
  });
});

describe('any-of whose every alternative is not applicable fails (§2.5 "else fail")', () => {
  it('fails NO_ALTERNATIVE, naming both alternatives', () => {
    const r = resultOf('runbook-present', () => undefined, {
      'runbook-present': NOT_NEEDED,
    });
    expect(r).toMatchObject({
      state: 'fail',
      reason: 'NO_ALTERNATIVE',
      attribution: 'service',
    });
    expect(r.message).toContain(
      'Not needed: annotation:backstage.io/techdocs-ref does not start with url:',
    );
    expect(r.message.match(/not needed/gi)).toHaveLength(2);
  });

  it('all-of whose every input is not applicable stays not-applicable', () => {
    const r = resultOf('runbook-present', () => undefined, {
      'runbook-present': { ...NOT_NEEDED, type: 'all-of' },
    });
    expect(r.state).toBe('not-applicable');
  });
});
