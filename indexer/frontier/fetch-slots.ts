/**
 * The fetches one worker process runs at once. A job holds a slot from before its host lease until it
 * calls `releaseHost` (fetch done) or ends; extraction and the wait for index writes run outside it, so
 * a page waiting for the engine never keeps another page from being fetched.
 */
export class FetchSlots {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Resolves with a release function (idempotent) once a slot is free; rejects when `signal` aborts. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw abortError();
    if (this.free > 0) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const at = this.waiters.indexOf(wake);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(abortError());
        };
        const wake = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so a burst of releases never overshoots `size`.
      if (next) next();
      else this.free += 1;
    };
  }

  /** Slots in use now. */
  get inUse(): number {
    return this.size - this.free;
  }
}

function abortError(): Error {
  return Object.assign(new Error('The crawl worker is closing'), { name: 'AbortError' });
}
