import cliProgress from 'cli-progress';
import type { Frontier } from '../frontier/frontier.js';

/** Shows crawl progress: a bar on a TTY, a plain line every few seconds otherwise (CI, logs). */
export function createProgressReporter(
  frontier: Frontier,
  stream: NodeJS.WriteStream = process.stderr,
): { tick: () => Promise<void>; stop: () => void } {
  const tty = stream.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream,
          format:
            'crawl [{bar}] {value}/{total} pages | failed {failed} | queued {waiting} | {eta_formatted}',
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let lastLineAt = 0;
  return {
    async tick() {
      const p = await frontier.progress();
      const finished = p.done + p.failed;
      const values = { failed: p.failed, waiting: p.waiting + p.delayed };
      if (bar) {
        if (!started) bar.start(p.discovered, finished, values);
        started = true;
        bar.setTotal(p.discovered);
        bar.update(finished, values);
      } else if (Date.now() - lastLineAt >= 5_000) {
        lastLineAt = Date.now();
        stream.write(
          `crawl: ${finished}/${p.discovered} done=${p.done} failed=${p.failed} waiting=${p.waiting} delayed=${p.delayed} active=${p.active}\n`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
