/** `npm run engine:start|stop|status`: the local OpenSearch node (see scripts/engine/local-engine.ts). */
import { engineStatus, ensureEngineStarted, LocalEngineError, stopEngine } from './engine/local-engine.js';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'start': {
      const startedAt = Date.now();
      await ensureEngineStarted();
      console.log(`engine: start took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      return;
    }
    case 'stop':
      await stopEngine();
      return;
    case 'status': {
      const status = await engineStatus();
      console.log(JSON.stringify(status));
      process.exitCode = status.health ? 0 : 3;
      return;
    }
    default:
      console.error('usage: tsx scripts/engine.ts start|stop|status');
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof LocalEngineError ? `engine: ${error.message}` : error);
  process.exitCode = 1;
});
