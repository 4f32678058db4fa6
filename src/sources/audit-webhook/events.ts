import type { Logger } from 'pino';
import type { SourceCounters } from '../counters.js';

/**
 * Every log line and counter of the audit webhook, with fixed codes. Refused requests are counted
 * by reason; each reason is logged the first time only, so a misconfigured sender cannot flood the log.
 */

/** Why a request was refused; `queue-full` loses nothing (the API server retries after 429). */
export type AuditWebhookRejectReason =
  'not-found' | 'method-not-allowed' | 'unsupported-encoding' | 'too-large' | 'invalid-body' | 'queue-full';

const STATUS: Readonly<Record<AuditWebhookRejectReason, number>> = {
  'not-found': 404,
  'method-not-allowed': 405,
  'unsupported-encoding': 415,
  'too-large': 413,
  'invalid-body': 400,
  'queue-full': 429,
};

export interface AuditWebhookCounters {
  batchesAccepted: number;
  eventsAccepted: number;
  bytesAccepted: number;
  rejected: Record<AuditWebhookRejectReason, number>;
}

export class AuditWebhookEvents {
  private readonly counters: AuditWebhookCounters = {
    batchesAccepted: 0,
    eventsAccepted: 0,
    bytesAccepted: 0,
    rejected: {
      'not-found': 0,
      'method-not-allowed': 0,
      'unsupported-encoding': 0,
      'too-large': 0,
      'invalid-body': 0,
      'queue-full': 0,
    },
  };
  private readonly loggedReasons = new Set<AuditWebhookRejectReason>();

  constructor(private readonly logger: Logger) {}

  /** The HTTP status a refusal is answered with. */
  static status(reason: AuditWebhookRejectReason): number {
    return STATUS[reason];
  }

  snapshot(): AuditWebhookCounters {
    return { ...this.counters, rejected: { ...this.counters.rejected } };
  }

  /** As every source reports: an invalid body is one lost batch (its events cannot be counted). */
  sourceCounters(): SourceCounters {
    return {
      linesRead: this.counters.eventsAccepted,
      bytesRead: this.counters.bytesAccepted,
      dropped: {
        'line-too-long': 0,
        unreadable: this.counters.rejected['invalid-body'] + this.counters.rejected['too-large'],
      },
    };
  }

  listening(address: string, port: number, tls: boolean): void {
    this.logger.info(
      { code: 'AUDIT_WEBHOOK_LISTENING', address, port, tls },
      'Listening for audit event batches.',
    );
  }

  accepted(events: number, bytes: number): void {
    this.counters.batchesAccepted += 1;
    this.counters.eventsAccepted += events;
    this.counters.bytesAccepted += bytes;
  }

  rejected(reason: AuditWebhookRejectReason, message: string): void {
    this.counters.rejected[reason] += 1;
    if (this.loggedReasons.has(reason)) return;
    this.loggedReasons.add(reason);
    this.logger.warn(
      {
        code: 'AUDIT_WEBHOOK_REJECTED',
        reason,
        intentional: reason === 'queue-full',
        status: STATUS[reason],
        error: message,
      },
      'Refused an audit webhook request; later refusals for this reason are only counted.',
    );
  }
}
