export { ManualClock, systemClock } from './clock';
export type { Clock, ClockTimer } from './clock';
export { listDeadLetters, replayDeadLetters } from './dead-letters';
export type { DeadLetter, DeadLetterReason } from './dead-letters';
export { createEnvelope, decodeEnvelope, encodeEnvelope } from './envelope';
export type { Envelope, EnvelopeMeta } from './envelope';
export type { EnvelopePublisher, PublishOptions } from './envelope-publisher';
export { STREAMS_ERRORS, StreamsError } from './errors';
export type { StreamsErrorCode } from './errors';
export { STREAMS_KEY_GROUP, StreamKeys, clusterPrefixProblem, keyGroupPrefix } from './keys';
export type { KeyLayout } from './keys';
export { CLUSTER_SLOTS, keySlot } from './key-slot';
export { childTraceparent, currentMessageContext, runInMessageContext } from './message-context';
export type { MessageContext } from './message-context';
export * from './options';
export { ClusterConnection } from './cluster-connection';
export { connectOrFail, createRedisConnection, isClusterConnection } from './redis-connection';
export type {
  ConnectionSettings,
  ConnectionUse,
  RedisConnection,
  RedisMulti,
  RedisStreamsStatus,
  TypedCommand,
} from './redis-connection';
export { isClusterUrl, parseRedisUrl, redisUrlProblem, redisUrlVar, safeUrl } from './redis-url';
export type { RedisUrl } from './redis-url';
export { RedisStreamsClient } from './redis-streams.client';
export type { SendOptions } from './redis-streams.client';
export { RedisStreamsContext } from './redis-streams.context';
export { StreamsMetrics } from './redis-streams.metrics';
export { RedisStreamsServer } from './redis-streams.server';
export { RedisStreamsRemoteError, toRpcErrorBody } from './rpc-error';
export type { RpcErrorBody } from './rpc-error';
export { DEFAULT_HEALTH_LIMITS, RedisStreamsHealthIndicator } from './redis-streams.health';
export type { StreamsHealthLimits } from './redis-streams.health';
export { ReplyHeaders, currentReplyHeaders, runWithReplyHeaders } from './reply-headers';
