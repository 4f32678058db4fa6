export { buildAuditWebhookSource } from './build.js';
export { AuditWebhookSource } from './source.js';
export type { AuditWebhookTls } from './source.js';
export { AuditWebhookConfigSchema } from './config.js';
export type { AuditWebhookConfig, AuditWebhookConfigInput } from './config.js';
export type { AuditWebhookCounters, AuditWebhookRejectReason } from './events.js';
export { parseEventList } from './event-list.js';
