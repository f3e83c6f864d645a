import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import * as shared from '../../shared/index.js';
import {
  ErrorCode,
  ackSchema,
  clientEvents,
  entityId,
  errorBodySchema,
  httpRoutes,
  okSchema,
  serverEvents,
  type HttpRoute,
} from '../../shared/index.js';

/**
 * The machine-readable descriptions of the protocol (§8.7): an OpenAPI 3.1 document for the HTTP
 * routes of `httpRoutes` and an AsyncAPI 3.0 document for the Socket.IO events of `clientEvents`
 * and `serverEvents`, both generated from the zod schemas in shared/ (their input side: what a
 * client sends, before transforms and defaults). A running node serves them and
 * `npm run docs:api` writes them to docs/; a test keeps the two the same.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SCHEMAS = '#/components/schemas/';
const ref = (id: string) => ({ $ref: SCHEMAS + id });

const REQUEST_ERRORS =
  'The schema is the input side (before the server normalises text and fills in defaults). What JSON Schema cannot say, such as "no lone surrogate" and the text rules of docs/protocol.md §3, the server checks all the same (`BAD_REQUEST` with `issues`).';

/** §8.7: the OpenAPI 3.1 document of the HTTP API. */
export function openApiDocument(): JsonObject {
  const schemas = new Schemas('draft-2020-12');
  const paths: Record<string, JsonObject> = {};
  for (const [key, route] of Object.entries(httpRoutes) as [string, HttpRoute][]) {
    const [method = '', path = ''] = key.split(' ');
    const id = operationId(method, path);
    const operation: JsonObject = {
      operationId: id,
      summary: route.summary,
      description: [route.description, `docs/protocol.md ${route.section}.`].filter(Boolean).join(' '),
      security: route.auth === 'bearer' ? [{ bearer: [] }] : route.auth === 'metrics' ? [{ metricsToken: [] }] : [],
      responses: { [route.status ?? 200]: successResponse(route, id, schemas), default: { $ref: '#/components/responses/Error' } },
    };
    const parameters = [...pathParameters(path), ...queryParameters(route.query)];
    if (parameters.length) operation.parameters = parameters;
    if (route.body) {
      operation.requestBody = {
        required: true,
        description: REQUEST_ERRORS,
        content: { 'application/json': { schema: ref(schemas.id(route.body, `${pascal(id)}Body`)) } },
      };
    }
    const openApiPath = path.replace(/:(\w+)/g, '{$1}');
    paths[openApiPath] = { ...paths[openApiPath], [method.toLowerCase()]: operation };
  }
  const errorBody = schemas.id(errorBodySchema, 'ErrorBody');
  return versioned({
    openapi: '3.1.0',
    info: {
      title: 'Bridge HTTP API',
      version: '',
      description:
        'The HTTP API of a Bridge node (docs/protocol.md §8), generated from the zod schemas in shared/ by `npm run docs:api`. ' +
        'Success: `{ ok: true, data }`; error: `{ ok: false, error }` with the HTTP status of its code. ' +
        "The browser client's static files are served at `/` as well. `info.version` is a digest of this document.",
    },
    paths,
    components: {
      schemas: schemas.emit(),
      responses: {
        Error: { description: errorDescription(), content: { 'application/json': { schema: ref(errorBody) } } },
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The user's JWT, with the rules of docs/protocol.md §1; without a valid one `/api/*` answers 401 UNAUTHORIZED.",
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The METRICS_TOKEN of the node's configuration (docs/protocol.md §10).",
        },
      },
    },
  });
}

/** §8.7: the AsyncAPI 3.0 document of the Socket.IO events. */
export function asyncApiDocument(): JsonObject {
  const schemas = new Schemas('draft-07');
  const messages: Record<string, JsonObject> = {};
  const operations: Record<string, JsonObject> = {};
  const channel = { $ref: '#/channels/socket' };
  const inChannel = (key: string) => ({ $ref: `#/channels/socket/messages/${key}` });

  for (const [event, { payload, result }] of Object.entries(clientEvents)) {
    const key = `toServer.${event.replace(/:/g, '.')}`;
    const name = pascal(event.replace(/:/g, '-'));
    messages[key] = {
      name: event,
      title: event,
      summary: `What a client sends as \`${event}\`, with an acknowledgement callback.`,
      description: `${REQUEST_ERRORS} Unknown fields are stripped, never refused (docs/protocol.md §2).`,
      payload: ref(schemas.id(payload, name)),
    };
    messages[`${key}.ack`] = {
      title: `${event} acknowledgement`,
      summary: `What the server passes to the acknowledgement callback of \`${event}\`, exactly once.`,
      payload: ref(schemas.id(ackSchema(result), `${name}Ack`)),
    };
    operations[key] = {
      action: 'receive',
      channel,
      title: event,
      summary: `A client emits \`${event}\`; the server acknowledges it.`,
      messages: [inChannel(key)],
      reply: { channel, messages: [inChannel(`${key}.ack`)] },
    };
  }
  for (const [event, payload] of Object.entries(serverEvents)) {
    const key = `toClient.${event.replace(/:/g, '.')}`;
    messages[key] = {
      name: event,
      title: event,
      summary: `What the server emits as \`${event}\`.`,
      payload: ref(schemas.id(payload, `${pascal(event.replace(/:/g, '-'))}Event`)),
    };
    operations[key] = { action: 'send', channel, title: event, summary: `The server emits \`${event}\`.`, messages: [inChannel(key)] };
  }

  return versioned({
    asyncapi: '3.0.0',
    info: {
      title: 'Bridge Socket.IO events',
      version: '',
      description:
        'The Socket.IO events of a Bridge node (docs/protocol.md §1–§7), generated from the zod schemas in shared/ by `npm run docs:api`. ' +
        "Operations are from the server's side: it receives what clients emit and acknowledges each with `{ ok: true, data }` or `{ ok: false, error }`, " +
        'and it sends the server → client events. Which event is sent to whom, and which error codes each can answer, is in docs/protocol.md. ' +
        '`info.version` is a digest of this document.',
    },
    defaultContentType: 'application/json',
    servers: {
      bridge: {
        host: '{host}',
        protocol: 'ws',
        pathname: '/socket.io',
        title: 'A Bridge node',
        description:
          'Socket.IO v4 (Engine.IO: long-polling with upgrade, or websocket only), namespace `/`, path `/socket.io`. ' +
          'A handshake without a valid token fails with `connect_error` `UNAUTHORIZED`; one from a foreign page with `FORBIDDEN` (docs/protocol.md §1).',
        variables: { host: { default: 'localhost:3000', description: 'host and port of the node (or its balancer)' } },
        security: [{ $ref: '#/components/securitySchemes/token' }],
      },
    },
    channels: {
      socket: {
        address: '/',
        title: 'Socket.IO namespace /',
        description: "Every event travels on the default namespace. A message's `name` is the Socket.IO event name.",
        messages: Object.fromEntries(Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }])),
      },
    },
    operations,
    components: {
      schemas: schemas.emit(),
      messages,
      securitySchemes: {
        token: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "The user's JWT, passed in the Socket.IO handshake as `io(url, { auth: { token } })` (never in the query string or a cookie), with the rules of docs/protocol.md §1.",
        },
      },
    },
  });
}

/** The committed copies (paths relative to the repository) and what generates each. */
export const apiDocuments = { 'docs/openapi.json': openApiDocument, 'docs/asyncapi.json': asyncApiDocument } as const;

/**
 * `GET /api/openapi.json` and `GET /api/asyncapi.json`, without a token (mount before the `/api`
 * token check). Each is generated once per process, on first request, byte for byte the
 * committed file.
 */
export function apiDescriptionsRouter(): Router {
  const r = Router();
  for (const path of Object.keys(apiDocuments) as (keyof typeof apiDocuments)[]) {
    let text: string | undefined;
    r.get(`/api/${path.slice('docs/'.length)}`, (_req, res) => {
      text ??= documentText(apiDocuments[path]());
      res.type('application/json; charset=utf-8').send(text);
    });
  }
  return r;
}

/** A document as committed and served: keys sorted at every level, 2-space indent, final newline. */
export function documentText(doc: Json): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

/**
 * The zod schemas a document refers to, converted together so that each named one is a component
 * and every other use of it a `$ref`. Names come from shared/'s exports (`groupJoin` → GroupJoin);
 * schemas without an exported name get the name the document gives them.
 */
class Schemas {
  private readonly registry = z.registry<{ id: string }>();
  private readonly ids = new Map<z.ZodType, string>();
  private readonly used = new Set<string>();

  constructor(private readonly target: 'draft-2020-12' | 'draft-07') {
    for (const [name, value] of sortedExports()) {
      if (value instanceof z.ZodType && isComposite(value) && !this.ids.has(value)) this.name(value, pascal(name.replace(/Schema$/, '')));
    }
  }

  /** The component name of a schema (naming it `fallback` if it has none); marks it as used. */
  id(schema: z.ZodType, fallback: string): string {
    const id = this.ids.get(schema) ?? this.name(schema, fallback);
    this.used.add(id);
    return id;
  }

  /** The components: those used, and those they refer to. */
  emit(): Record<string, JsonObject> {
    const all = (
      z.toJSONSchema(this.registry, { io: 'input', target: this.target, unrepresentable: 'any', uri: (id) => SCHEMAS + id }) as {
        schemas: Record<string, JsonObject>;
      }
    ).schemas;
    const out: Record<string, JsonObject> = {};
    const visit = (id: string) => {
      const schema = all[id];
      if (out[id] || !schema) return;
      const { $schema: _s, $id: _i, ...rest } = schema;
      out[id] = rest;
      for (const r of refsIn(rest)) visit(r);
    };
    for (const id of [...this.used].sort()) visit(id);
    return out;
  }

  private name(schema: z.ZodType, id: string): string {
    if ([...this.ids.values()].includes(id)) throw new Error(`two schemas are both named ${id}`);
    this.ids.set(schema, id);
    this.registry.add(schema, { id });
    return id;
  }
}

function sortedExports(): [string, unknown][] {
  return Object.entries(shared).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Objects, unions, records and enums are worth a name; strings and numbers read better inline. */
function isComposite(schema: z.ZodType): boolean {
  const def = schema._zod.def as { type: string; in?: z.ZodType; innerType?: z.ZodType };
  if (def.type === 'pipe' && def.in) return isComposite(def.in);
  if (def.innerType) return isComposite(def.innerType);
  return ['object', 'union', 'record', 'enum'].includes(def.type);
}

function refsIn(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMAS) ? [v.slice(SCHEMAS.length)] : refsIn(v),
  );
}

function successResponse(route: HttpRoute, id: string, schemas: Schemas): JsonObject {
  if (route.result) {
    return {
      description: route.summary,
      content: { 'application/json': { schema: ref(schemas.id(okSchema(route.result), `${pascal(id)}Ok`)) } },
    };
  }
  const text = route.response?.mediaType.startsWith('text/');
  return {
    description: route.response?.description ?? 'No schema in shared/ describes this response.',
    content: { [route.response?.mediaType ?? 'application/json']: text ? { schema: { type: 'string' } } : {} },
  };
}

/** Every path parameter is an id; one that is not answers 404 NOT_FOUND (§8). */
function pathParameters(path: string): JsonObject[] {
  const schema = standalone(entityId);
  return [...path.matchAll(/:(\w+)/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    schema,
    description: 'An id; anything else answers 404 NOT_FOUND.',
  }));
}

function queryParameters(query: z.ZodObject | undefined): JsonObject[] {
  if (!query) return [];
  const json = standalone(query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}

function standalone(schema: z.ZodType): JsonObject {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return json;
}

/** The error codes by HTTP status, from shared/errors.ts. */
function errorDescription(): string {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(ErrorCode)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  const list = [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => `${status}: ${codes.join(', ')}`)
    .join('; ');
  return (
    `An error, \`{ ok: false, error: { code, message, retryAfterMs?, issues? } }\`, with the HTTP status of its code (${list}). ` +
    'Which codes a route answers is in docs/protocol.md §8.'
  );
}

/** `getGroupsGroupIdAudit` for `GET /api/groups/:groupId/audit`. */
function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'api')
    .map((s) => pascal(s.replace(/^:/, '')));
  return method.toLowerCase() + words.join('');
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Sets `info.version` to a digest of the rest, so the version changes exactly when the document does. */
function versioned(doc: JsonObject & { info: JsonObject }): JsonObject {
  const digest = createHash('sha256').update(documentText(doc)).digest('hex').slice(0, 12);
  return { ...doc, info: { ...doc.info, version: digest } };
}

function sortKeys(node: Json): Json {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((k) => [k, sortKeys(node[k]!)]),
  );
}
