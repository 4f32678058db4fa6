// The server room's public face: re-exports only.
export { Metric, MetricsRegistry, METRICS_CONTENT_TYPE, type Labels, type MetricType } from './metrics.js';
export { startStatusServer, type StatusServer, type StatusServerOptions } from './http.js';
