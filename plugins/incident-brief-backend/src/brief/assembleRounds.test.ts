import type { OnCallAnswer } from '@internal/plugin-incident-brief-common';
import { briefWorld } from '../__testUtils__/briefWorld';

/**
 * The brief is assembled in rounds (entities and on-call answers found missing are loaded, then
 * the brief is assembled again). On-call asks run beside the catalog rounds: a round that
 * waited for a provider (up to its timeout) before loading the entities it had found made every
 * later round wait again.
 */
describe('brief assembly rounds', () => {
  it('loads every entity the brief needs while the on-call provider has not answered, and waits for it once', async () => {
    const { briefs } = briefWorld();
    const deps = (briefs as any).deps;
    const real = deps.onCall.answer.bind(deps.onCall);
    const pending: Array<() => Promise<void>> = [];
    let asked = 0;
    deps.onCall.answer = (source: string, at: Date) => {
      asked += 1;
      return new Promise<OnCallAnswer>(resolve => {
        pending.push(async () => resolve(await real(source, at)));
      });
    };
    const loads: string[][] = [];
    const load = deps.entities.load.bind(deps.entities);
    deps.entities.load = (refs: Iterable<string>) => {
      loads.push([...refs]);
      return load(refs);
    };

    const brief = briefs.brief({
      entityRef: 'component:default/checkout-service',
    });
    // the provider has not answered yet; the rounds go on loading what they find
    for (let i = 0; i < 50 && pending.length < asked + 1; i++) {
      await new Promise(r => setImmediate(r));
    }
    const loadsBeforeAnswers = loads.filter(l => l.length > 0).length;
    expect(asked).toBeGreaterThan(0);
    expect(loadsBeforeAnswers).toBeGreaterThan(1);
    // the provider answers; the brief is done with every answer in it
    while (pending.length > 0) await pending.shift()!();
    for (let i = 0; i < 20; i++) {
      await new Promise(r => setImmediate(r));
      while (pending.length > 0) await pending.shift()!();
    }
    const done = await brief;
    expect(done.owner.onCall).toMatchObject({
      source: 'static:checkout-primary',
      primary: 'user:default/ben.okafor',
    });
    expect(
      loads.filter(l => l.length > 0).length - loadsBeforeAnswers,
    ).toBeLessThanOrEqual(1);
  });
});
