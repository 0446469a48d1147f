import * as fs from 'node:fs';
import * as path from 'node:path';
import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { Public } from '@mandate/http';
import { projectRoot } from '@mandate/runtime';
import { cloudEventSchema, contractSchemaFiles, contractSchemas, kafkaHeadersSchema, RETIRED_CONTRACTS } from '@mandate/plans-contracts';
import { parse } from 'yaml';

const ASYNCAPI = path.join(projectRoot(), 'docs', 'asyncapi.yaml');
const SCHEMA_PREFIX = '../libs/plans/contracts/src/schemas/';
const SCHEMAS: Record<string, unknown> = Object.fromEntries(
  Object.entries(contractSchemaFiles).map(([key, file]) => [
    file,
    key === 'cloudEvent' ? cloudEventSchema : key === 'kafkaHeaders' ? kafkaHeadersSchema : contractSchemas[key as keyof typeof contractSchemas],
  ]),
);

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Doc = {
  info: { title: string; version: string; description: string };
  channels: Record<
    string,
    {
      address: string;
      description?: string;
      messages: Record<string, { name?: string; title?: string; summary?: string; deprecated?: boolean; payload?: { schema?: { $ref?: string } } }>;
    }
  >;
};

/**
 * The published contract, for integrators, without a token: the AsyncAPI document (schema
 * references pointing at this API), every JSON Schema, and a page a person can read.
 */
@Controller('api/v1')
export class ContractDocsController {
  private cached: string | null = null;

  /** Read on first use: a deployment without the document still serves everything else. */
  private get yaml(): string {
    if (this.cached === null) {
      if (!fs.existsSync(ASYNCAPI)) throw new NotFoundException('The AsyncAPI document is not part of this deployment');
      this.cached = fs.readFileSync(ASYNCAPI, 'utf8').split(SCHEMA_PREFIX).join('/api/v1/schemas/');
    }
    return this.cached;
  }

  @Public()
  @Get('asyncapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  asyncapi(): string {
    return this.yaml;
  }

  @Public()
  @Get('schemas/:file')
  @Header('Content-Type', 'application/schema+json; charset=utf-8')
  schema(@Param('file') file: string): unknown {
    const schema = SCHEMAS[file];
    if (!schema) throw new NotFoundException(`No schema ${file}`);
    return schema;
  }

  @Public()
  @Get('asyncapi')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    const doc = parse(this.yaml) as Doc;
    const channels = Object.values(doc.channels)
      .filter((channel) => !channel.address.endsWith('.dlq'))
      .map((channel) => {
        const rows = Object.values(channel.messages)
          .map((m) => {
            const ref = m.payload?.schema?.$ref ?? '';
            const retired = m.name && m.name in RETIRED_CONTRACTS;
            return `<tr><td><code>${escape(m.name ?? '')}</code>${retired || m.deprecated ? ' <em>(retired)</em>' : ''}</td><td>${escape(m.summary ?? m.title ?? '')}</td><td>${ref ? `<a href="${escape(ref)}">schema</a>` : ''}</td></tr>`;
          })
          .join('\n');
        return `<h2>Topic <code>${escape(channel.address)}</code></h2><p>${escape(channel.description ?? '')}</p><table><thead><tr><th>type</th><th>what it says</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
      })
      .join('\n');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(doc.info.title)} events ${escape(doc.info.version)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{font-size:.9em}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style></head>
<body><h1>${escape(doc.info.title)}: integration events (AsyncAPI ${escape(doc.info.version)})</h1><p><a href="/api/v1/asyncapi.yaml">asyncapi.yaml</a> · <a href="/api/v1/events">GET /api/v1/events</a> (token needed)</p>
<pre>${escape(doc.info.description)}</pre>${channels}</body></html>`;
  }
}
