import {
  fillEmptyObjectTransitions,
  isDictionaryMode,
  shareHiddenClass,
} from '../__testUtils__/hiddenClasses';
import { dictionaryObject, KeyBudget, setOwn } from './hiddenClasses';

describe('hidden classes (V8)', () => {
  // Kept reachable for the whole file: the table stays full while it runs.
  let filled: unknown[];
  beforeAll(() => {
    filled = fillEmptyObjectTransitions();
  });
  afterAll(() => {
    filled.length = 0;
  });

  it('the premise: once the empty object transitions are full, each one-key literal has a class of its own', () => {
    const make = (v: number) => ({ 'ops.example.com/some-key': v });
    expect(shareHiddenClass(make(1), make(2))).toBe(false);
  });

  it('dictionaryObject: dictionary mode, one class for any keys, an ordinary prototype', () => {
    const a = dictionaryObject();
    const b = dictionaryObject();
    a['svc-1-avail'] = { objective: 0.999 };
    a.status = 'ok';
    b['svc-2-avail'] = 1;
    expect(isDictionaryMode(a)).toBe(true);
    expect(isDictionaryMode(b)).toBe(true);
    expect(shareHiddenClass(a, b)).toBe(true);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(['svc-1-avail', 'status']);
    expect(JSON.stringify(a)).toBe(
      '{"svc-1-avail":{"objective":0.999},"status":"ok"}',
    );
  });

  it('setOwn keeps `__proto__` an own data key and the prototype ordinary', () => {
    const o = dictionaryObject();
    setOwn(o, '__proto__', { polluted: true });
    setOwn(o, 'a', 1);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'a']);
    expect((o as { polluted?: boolean }).polluted).toBeUndefined();
    expect(isDictionaryMode(o)).toBe(true);
  });

  it('KeyBudget admits objects while their keys fit, and any object of keys it admitted', () => {
    const budget = new KeyBudget(3);
    expect(budget.admits(['lastSampleAt', 'burnRate1h'])).toBe(true);
    expect(budget.admits(['svc-1-avail'])).toBe(true);
    expect(budget.size).toBe(3);
    // A fourth distinct key does not fit; nothing of that object is admitted.
    expect(budget.admits(['svc-2-avail', 'lastSampleAt'])).toBe(false);
    expect(budget.size).toBe(3);
    // Keys admitted before stay admitted, in any combination.
    expect(budget.admits(['burnRate1h', 'svc-1-avail'])).toBe(true);
    expect(budget.admits([])).toBe(true);
  });
});
