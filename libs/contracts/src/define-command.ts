import { z } from 'zod';
import { assertDefinition } from './definition-checks';
import { commandHeaderShape, type CommandHeaderKey } from './headers';
import type { CommandService, ServiceName } from './services';

/** The full schema of a command request: header and fields, strict. */
export type CommandRequestSchema<V extends number, S extends z.ZodRawShape> = z.ZodObject<
  ReturnType<typeof commandHeaderShape<V>> & S,
  z.core.$strict
>;

/** A saga command: a request one service sends and another answers with a reply. */
export interface CommandDefinition<
  P extends string = string,
  Svc extends CommandService = CommandService,
  Req extends z.ZodType = z.ZodType,
  Rep extends z.ZodType = z.ZodType,
> {
  readonly kind: 'command';
  readonly pattern: P;
  readonly schemaVersion: number;
  /** The service that handles the command (its consumer group on the request stream). */
  readonly service: Svc;
  /** The services that send it. */
  readonly senders: readonly ServiceName[];
  readonly description: string;
  /** Validates the request `data`, header included (a Standard Schema). */
  readonly requestSchema: Req;
  /** Validates the reply. */
  readonly replySchema: Rep;
  /** A valid request and one valid reply of each outcome, for documentation and tests. */
  readonly example: { readonly request: z.input<Req>; readonly replies: readonly z.input<Rep>[] };
}

/** What `defineCommand` takes; `T` is the request schema it builds. */
export interface CommandSpec<
  P extends string,
  V extends number,
  Svc extends CommandService,
  S extends z.ZodRawShape,
  Rep extends z.ZodType,
  T extends z.ZodType,
> {
  readonly pattern: P;
  readonly schemaVersion: V;
  readonly service: Svc;
  readonly senders: readonly ServiceName[];
  /** What the command asks and promises: its effect, what it answers, whether it is idempotent. */
  readonly description: string;
  /** The request fields after the header. */
  readonly request: S;
  /** Rules across request fields; report each with `ctx.addIssue({ code: 'custom', path, message })`. */
  readonly refine?: (data: z.output<T>, ctx: z.core.$RefinementCtx<z.output<T>>) => void;
  readonly reply: Rep;
  readonly example: NoInfer<{ readonly request: z.input<T>; readonly replies: readonly z.input<Rep>[] }>;
}

/**
 * Defines a saga command: request header (`commandId`, `schemaVersion`, `issuedAt`, `origin`) and
 * fields as one strict schema, and the schema of its reply.
 */
export function defineCommand<
  const P extends string,
  const V extends number,
  const Svc extends CommandService,
  const S extends z.ZodRawShape,
  Rep extends z.ZodType,
>(
  spec: CommandSpec<P, V, Svc, S, Rep, CommandRequestSchema<V, S>>,
): CommandDefinition<P, Svc, CommandRequestSchema<V, S>, Rep> {
  assertDefinition('defineCommand', spec, { service: [spec.service], senders: spec.senders });
  const schema = z.strictObject({ ...commandHeaderShape(spec.schemaVersion), ...spec.request });
  const requestSchema = spec.refine ? schema.superRefine(spec.refine as never) : schema;
  return Object.freeze({
    kind: 'command',
    pattern: spec.pattern,
    schemaVersion: spec.schemaVersion,
    service: spec.service,
    senders: Object.freeze([...spec.senders]),
    description: spec.description,
    requestSchema,
    replySchema: spec.reply,
    example: Object.freeze({ request: spec.example.request, replies: Object.freeze([...spec.example.replies]) }),
  }) as never;
}

/** The request data of a command, as its schema outputs it. */
export type CommandRequest<D extends { readonly requestSchema: z.ZodType }> = z.output<D['requestSchema']>;

/** The request without its header: what the sender supplies. */
export type CommandBody<D extends { readonly requestSchema: z.ZodType }> = D extends unknown
  ? Omit<CommandRequest<D>, CommandHeaderKey>
  : never;

/** The reply of a command, as its schema outputs it. */
export type CommandReply<D extends { readonly replySchema: z.ZodType }> = z.output<D['replySchema']>;
