import { untilAborted } from './untilAborted';

describe('untilAborted', () => {
  it('settles as the promise does while the signal holds', async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve(5), signal)).resolves.toBe(5);
    await expect(
      untilAborted(Promise.reject(new Error('refused')), signal),
    ).rejects.toThrow('refused');
  });

  it('rejects with the reason once the signal aborts, also for a promise that never settles', async () => {
    await expect(
      untilAborted(new Promise(() => {}), AbortSignal.timeout(10)),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await expect(
      untilAborted(new Promise(() => {}), aborted.signal),
    ).rejects.toThrow('gone');
  });
});
