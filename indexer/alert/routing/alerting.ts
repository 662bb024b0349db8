import type { Redis } from 'ioredis';
import { config } from '../../../core/config.js';
import type { EnginePort } from '../../../engine/port.js';
import {
  DingTalkChannel,
  Dispatcher,
  EmailChannel,
  InAppChannel,
  NotifyDeadLetterStore,
  WebhookChannel,
  WeComChannel,
  type SseHub,
} from '../../../notify/index.js';
import { AlertService } from '../alert.service.js';
import { AlertNotifier } from './alert-notifier.js';
import { RouteRepository } from './route.repository.js';

/** Options of {@link createAlerting}. */
export interface AlertingOptions {
  /** Index prefix of the alerts and routes. */
  prefix: string;
  /** The outbox, its dead letters and the in-app stream live here. */
  redis: Redis;
  /** In-app channel; the caller starts it if this process also serves the stream. */
  hub: SseHub;
}

/** The alert path every process shares: store the alert, then route it through the Redis outbox. */
export interface Alerting {
  routes: RouteRepository;
  /** Not started: call `notifier.start()` to flush the outbox from this process. */
  notifier: AlertNotifier;
  alerts: AlertService;
  /** Stops the outbox flusher (if started) and closes the mail transport. */
  stop(): Promise<void>;
}

/** Wires alerts → routes → outbox → every channel, as the main job and the workers run it. */
export function createAlerting(engine: EnginePort, options: AlertingOptions): Alerting {
  const { prefix, redis, hub } = options;
  const email = new EmailChannel();
  const dispatcher = new Dispatcher({
    channels: {
      in_app: new InAppChannel(hub),
      // The outbox retries failed flushes and dead-letters them itself.
      webhook: new WebhookChannel(),
      email,
      dingtalk: new DingTalkChannel(),
      wecom: new WeComChannel(),
    },
  });
  const routes = new RouteRepository(engine, { prefix, onChange: () => notifier.invalidateRoutes() });
  const notifier = new AlertNotifier(engine, {
    prefix,
    redis,
    routes,
    dispatcher,
    deadLetters: new NotifyDeadLetterStore(redis, `${config().QUEUE_PREFIX}:${prefix}`),
  });
  const alerts = new AlertService(engine, { prefix, notify: notifier.notify });
  return {
    routes,
    notifier,
    alerts,
    async stop() {
      await notifier.stop();
      email.close();
    },
  };
}
