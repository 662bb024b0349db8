import type { SseHub } from './sse-hub.js';
import type { AlertNotice, Channel, DeliveryResult, InAppTarget } from './types.js';

/** In-app channel: publishes the notice on the SSE hub's stream; connected and resuming clients get it. */
export class InAppChannel implements Channel<InAppTarget> {
  readonly name = 'in_app' as const;

  constructor(private readonly hub: SseHub) {}

  async send(notice: AlertNotice): Promise<DeliveryResult> {
    try {
      await this.hub.publish(notice);
      return { status: 'sent', attempts: 1 };
    } catch (error) {
      return { status: 'failed', attempts: 1, error: `NOTIFY_IN_APP: ${(error as Error).message}` };
    }
  }
}
