import {
  fillSharedTransitions,
  isDictionaryMode,
  shareHiddenClass,
  storedIntoEmpty,
} from '../__testUtils__/hiddenClasses';
import {
  dictionaryObject,
  KeyBudget,
  plainObject,
  setOwn,
} from './hiddenClasses';

describe('hidden classes (V8)', () => {
  // Reachable for the whole file: the tables stay full while it runs.
  const filled: unknown[] = [];
  beforeAll(() => {
    filled.push(...fillSharedTransitions());
  });
  afterAll(() => {
    // Released only now: the tables stayed full for every test of the file.
    filled.length = 0;
  });

  it('the premise: with the shared tables full, objects built from the empty class get a class each', () => {
    const key = 'ops.example.com/some-key';
    expect(
      shareHiddenClass(storedIntoEmpty(key, 1), storedIntoEmpty(key, 2)),
    ).toBe(false);
    const literal = (v: number) => ({ [key]: v });
    expect(shareHiddenClass(literal(1), literal(2))).toBe(false);
  });

  it('plainObject: objects given the same keys share a class, and are plain', () => {
    const make = (level: string) => {
      const object = plainObject();
      object['ops.example.com/maturity-level'] = level;
      return object;
    };
    const a = make('L1');
    const b = make('L2');
    expect(shareHiddenClass(a, b)).toBe(true);
    expect(isDictionaryMode(a)).toBe(false);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(a.constructor).toBe(Object);
    expect(a).toStrictEqual({ 'ops.example.com/maturity-level': 'L1' });
    expect(JSON.stringify(b)).toBe('{"ops.example.com/maturity-level":"L2"}');
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
