/** Alert routing: per-jurisdiction channel targets, the routing rules, the outbox and the live notifier. */
export {
  channelTargetSchema,
  defaultDigestIntervalMs,
  MAX_DIGEST_INTERVAL_MS,
  redactRoute,
  routeInputSchema,
  routePatchSchema,
  type AlertRoute,
  type RouteInput,
  type RoutePatch,
} from './route.schema.js';
export {
  RouteErrorCode,
  RouteRepository,
  type RouteChangeOptions,
  type RouteListOptions,
  type RouteRepositoryOptions,
  type StoredRoute,
} from './route.repository.js';
export {
  deliveryMode,
  nodeContains,
  routesFor,
  routeTakes,
  type DeliveryMode,
  type RoutableAlert,
} from './router.js';
export { DeliveryQueue, type ClaimedGroup, type GroupMeta, type QueuedItem } from './delivery-queue.js';
export { appendDeliveries, deliveryRecordOf, type AlertDeliveryRecord } from './delivery-log.js';
export { AlertNotifier, type AlertNotifierOptions } from './alert-notifier.js';
export { ensureDemoRoutes, type DemoRoutesOptions } from './demo-routes.js';
export { createAlerting, type Alerting, type AlertingOptions } from './alerting.js';
export {
  CHANNEL_TEST_RULE_ID,
  channelTestNotice,
  testRouteChannel,
  type ChannelTestOptions,
  type ChannelTestResult,
} from './channel-test.js';
