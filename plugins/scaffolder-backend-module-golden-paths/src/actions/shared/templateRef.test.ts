import { taskInfoOf } from './taskInfo';
import { templateRefOf } from './templateRef';

// The scaffolder's dry-run endpoint (POST /v2/dry-run) runs every template as
// `template:default/dry-run`; the template's own metadata comes with it.
describe('templateRefOf', () => {
  const metadata = { name: 'service-node-http' };

  it("takes a dry run's ref from the template's metadata", () => {
    expect(
      templateRefOf({
        isDryRun: true,
        templateInfo: {
          entityRef: 'template:default/dry-run',
          entity: { metadata },
        },
      }),
    ).toBe('template:default/service-node-http');
    expect(
      templateRefOf({
        templateInfo: {
          entityRef: 'template:default/dry-run',
          entity: { metadata: { name: 'node-svc', namespace: 'platform' } },
        },
      }),
    ).toBe('template:platform/node-svc');
  });

  it("keeps a real run's catalog ref, and the given ref when there is no metadata", () => {
    expect(
      templateRefOf({
        templateInfo: {
          entityRef: 'template:default/service-node-http',
          entity: { metadata },
        },
      }),
    ).toBe('template:default/service-node-http');
    expect(
      templateRefOf({
        isDryRun: true,
        templateInfo: { entityRef: 'template:default/dry-run' },
      }),
    ).toBe('template:default/dry-run');
    expect(templateRefOf({})).toBeUndefined();
  });

  it('is the ref every action records and checks the template switch by (taskInfoOf)', () => {
    expect(
      taskInfoOf({
        task: { id: 't' },
        user: { ref: 'user:default/ana.ruiz' },
        isDryRun: true,
        templateInfo: {
          entityRef: 'template:default/dry-run',
          entity: { metadata },
        },
      }).templateRef,
    ).toBe('template:default/service-node-http');
  });
});
