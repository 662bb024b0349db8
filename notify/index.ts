/** Notification channels for alerts; see `types.ts` for the contract. */
export * from './types.js';
export * from './dispatcher.js';
export * from './digest.js';
export * from './dead-letters.js';
export * from './webhook.channel.js';
export * from './email.channel.js';
export * from './dingtalk.channel.js';
export * from './wecom.channel.js';
export * from './in-app.channel.js';
export * from './sse-hub.js';
export * from './sse-handler.js';
export { renderHtml, renderMarkdown, renderSubject, renderText } from './render.js';
export type { HttpDeliveryOptions } from './http-delivery.js';
