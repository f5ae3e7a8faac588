import { z } from 'zod';
import { IsoTimestamp, ServiceName, Uuid } from './primitives';

/**
 * Header of every integration event except snapshots.
 * `id` is also the stream envelope id; consumers deduplicate by it.
 */
export function eventHeaderShape<V extends number>(schemaVersion: V) {
  return {
    id: Uuid,
    schemaVersion: z.literal(schemaVersion),
    occurredAt: IsoTimestamp,
    origin: ServiceName,
    aggregateId: Uuid,
    /** The origin's per-aggregate counter, from 1, numbered by its outbox. */
    sequence: z.int().min(1),
  };
}

/** Header of a snapshot: no `sequence`; `sequences` says, per origin, what the snapshot reflects. */
export function snapshotHeaderShape<V extends number>(schemaVersion: V) {
  const { sequence: _sequence, ...header } = eventHeaderShape(schemaVersion);
  return { ...header, sequences: z.record(ServiceName, z.int().min(0)) };
}

/** Header of every saga command request. */
export function commandHeaderShape<V extends number>(schemaVersion: V) {
  return {
    commandId: Uuid,
    schemaVersion: z.literal(schemaVersion),
    issuedAt: IsoTimestamp,
    origin: ServiceName,
  };
}

/** The header fields of an event, which the publishing machinery (outbox) fills in, not the producer. */
export const EVENT_HEADER_KEYS = ['id', 'schemaVersion', 'occurredAt', 'origin', 'aggregateId', 'sequence'] as const;
export type EventHeaderKey = (typeof EVENT_HEADER_KEYS)[number];

/** The header fields of a command request. */
export const COMMAND_HEADER_KEYS = ['commandId', 'schemaVersion', 'issuedAt', 'origin'] as const;
export type CommandHeaderKey = (typeof COMMAND_HEADER_KEYS)[number];
