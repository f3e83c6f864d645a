import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, Parser, type Diagnostic } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { Express } from 'express';
import { clientEvents, errorCodes, httpRoutes, serverEvents } from '../../shared/index.js';
import { apiDocuments, asyncApiDocument, documentText, openApiDocument } from '../../server/http/api-descriptions.js';
import { createHttpApp, type HttpDeps } from '../../server/http/app.js';
import { createLogger } from '../../server/logger.js';
import { startServer, type TestServer } from '../support/server.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The parser exports DiagnosticSeverity from its copy of @stoplight/types but types its diagnostics
 * with spectral-core's older copy: one enum declared twice, so the value is typed as the diagnostics'.
 */
const ERROR: Diagnostic['severity'] = DiagnosticSeverity.Error;

describe('machine-readable API descriptions (§8.7)', function () {
  this.timeout(60_000);

  it('the committed docs/openapi.json and docs/asyncapi.json are what the schemas generate now', () => {
    for (const [path, generate] of Object.entries(apiDocuments)) {
      const committed = readFileSync(REPO + path, 'utf8');
      const generated = documentText(generate());
      if (committed === generated) continue;
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      expect.fail(
        `${path} differs from what the schemas generate (first at line ${line + 1}: ${JSON.stringify(a[line])} ≠ ${JSON.stringify(b[line])}): run npm run docs:api`,
      );
    }
  });

  describe('served by a node', () => {
    let server: TestServer;
    before(async () => {
      server = await startServer();
    });
    after(() => server.close());

    for (const [path, generate] of Object.entries(apiDocuments)) {
      const route = `/api/${path.slice('docs/'.length)}`;
      it(`GET ${route} answers without a token, byte for byte the generated document`, async () => {
        const res = await fetch(server.url + route);
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.match(/^application\/json/);
        expect(await res.text()).to.equal(documentText(generate()));
      });
    }

    it('the rest of /api still needs a token', async () => {
      const res = await fetch(`${server.url}/api/groups`);
      expect(res.status).to.equal(401);
    });
  });

  it('httpRoutes lists exactly the routes express serves (demo mode on, so POST /auth/demo is one)', () => {
    const served = routesOf(bareHttpApp()).sort();
    const described = Object.keys(httpRoutes).sort();
    expect(
      served.filter((r) => !described.includes(r)),
      'served but missing from httpRoutes in shared/http.ts',
    ).to.deep.equal([]);
    expect(
      described.filter((r) => !served.includes(r)),
      'in httpRoutes but not served',
    ).to.deep.equal([]);
  });

  it('the OpenAPI document passes the OpenAPI 3.1 schema validator, and every $ref resolves', async () => {
    const doc = openApiDocument();
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
    expect(unresolvedRefs(doc)).to.deep.equal([]);
  });

  it('the AsyncAPI document passes @asyncapi/parser with no error, and every $ref resolves', async () => {
    const doc = asyncApiDocument();
    const diagnostics = await new Parser().validate(structuredClone(doc) as never);
    const errors = diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.path.join('/')}: ${d.message}`);
    expect(errors).to.deep.equal([]);
    expect(unresolvedRefs(doc)).to.deep.equal([]);
  });

  it('the documents carry the schemas: every event, its payload rules, every error code', () => {
    const async = asyncApiDocument() as any;
    const names = Object.values(async.components.messages)
      .map((m: any) => m.name)
      .filter(Boolean);
    expect([...new Set(names)].sort()).to.deep.equal([...new Set([...Object.keys(clientEvents), ...Object.keys(serverEvents)])].sort());
    const send = async.components.schemas.GroupSend;
    expect(send.required).to.include.members(['groupId', 'text', 'clientMsgId']);
    expect(send.properties.text.maxLength, 'the input side: raw text before normalising').to.equal(10_000);
    expect(async.operations['toServer.group.send'].reply.messages).to.have.length(1);
    for (const doc of [async, openApiDocument() as any]) {
      expect(doc.components.schemas.WireError.properties.code.enum).to.deep.equal(errorCodes);
    }
    const open = openApiDocument() as any;
    expect(open.paths['/api/groups/{groupId}/audit'].get.parameters.map((p: any) => p.name)).to.deep.equal([
      'groupId',
      'limit',
      'beforeSeq',
      'action',
      'person',
    ]);
    expect(open.paths['/api/groups'].post.responses['201'].content['application/json'].schema.$ref).to.be.a('string');
    expect(open.paths['/api/openapi.json'].get.security).to.deep.equal([]);
  });
});

/** The express app with every route registered (demo mode on); the services are never called. */
function bareHttpApp(): Express {
  const log = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
  const unused = {} as never;
  const deps: HttpDeps = {
    store: unused,
    groups: unused,
    agreements: unused,
    moderation: unused,
    sessions: unused,
    attendance: unused,
    reports: unused,
    programAlerts: unused,
    push: unused,
    inbox: unused,
    crisisResources: unused,
    clientConfig: unused,
    partners: unused,
    pairings: unused,
    checkins: unused,
    checkinRules: unused,
    privacy: unused,
    accessLog: unused,
    disclosures: unused,
    demo: unused,
    verify: unused,
    log,
    isDraining: () => false,
    metrics: unused,
  };
  return createHttpApp(deps);
}

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
};

/** `METHOD /path` for every route in an express app, with the paths routers are mounted at. */
function routesOf(app: Express): string[] {
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const paths = [layer.route.path].flat();
        return Object.keys(layer.route.methods).flatMap((m) => paths.map((p) => `${m.toUpperCase()} ${prefix}${p}`));
      }
      if (!layer.handle.stack) return [];
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return walk(layer.handle.stack, prefix + mount);
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

function unresolvedRefs(doc: object): string[] {
  const refs: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v);
        else visit(v);
      }
    }
  };
  visit(doc);
  const resolves = (ref: string) =>
    ref.startsWith('#/') &&
    ref
      .slice(2)
      .split('/')
      .reduce<any>((n, key) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) !== undefined;
  return [...new Set(refs)].filter((r) => !resolves(r));
}
