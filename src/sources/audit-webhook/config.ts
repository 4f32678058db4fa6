import { z } from 'zod';

export const AuditWebhookConfigSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .default('audit-webhook')
      .describe('Source id, reported as the origin of every event.'),
    host: z
      .string()
      .min(1)
      .default('0.0.0.0')
      .describe(
        'Address to listen on. Default: every interface, because kube-apiserver reaches the daemon over the pod network.',
      ),
    port: z
      .number()
      .int()
      .min(0)
      .max(65_535)
      .default(9880)
      .describe(
        'TCP port to listen on (0: any free port). Default 9880: unprivileged and clear of the usual 8080/9090.',
      ),
    path: z
      .string()
      .startsWith('/')
      .default('/')
      .describe("URL path the API server posts to (the path of the webhook kubeconfig's server URL)."),
    tlsCertFile: z.string().min(1).optional().describe('PEM certificate; with tlsKeyFile, serve HTTPS.'),
    tlsKeyFile: z.string().min(1).optional().describe('PEM private key of tlsCertFile.'),
    tlsClientCaFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM CA bundle; when set, only clients with a certificate it signed (the API server) are served.',
      ),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(32 * 1024 * 1024)
      .describe('Largest request body, in bytes; larger ones get 413.'),
    maxQueuedEvents: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe(
        'Events held for the pipeline; a batch that does not fit gets 429 and is retried by the API server.',
      ),
    maxBatchLines: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe('Most events in one batch handed to the pipeline.'),
    retryAfterSecs: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('Retry-After of a 429 answer, in seconds (the API server waits this long before retrying).'),
  })
  .refine((config) => (config.tlsCertFile === undefined) === (config.tlsKeyFile === undefined), {
    error: 'tlsCertFile and tlsKeyFile go together: set both for HTTPS, or neither.',
    path: ['tlsKeyFile'],
  })
  .refine((config) => config.tlsClientCaFile === undefined || config.tlsCertFile !== undefined, {
    error: 'tlsClientCaFile needs HTTPS: set tlsCertFile and tlsKeyFile too.',
    path: ['tlsClientCaFile'],
  });

/** The settings as written (defaults optional). */
export type AuditWebhookConfigInput = z.input<typeof AuditWebhookConfigSchema>;
/** The settings after validation, defaults filled in. */
export type AuditWebhookConfig = z.output<typeof AuditWebhookConfigSchema>;
