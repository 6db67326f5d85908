import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { buildToolServer, type ServerDeps } from '../kit/server.ts';
import { kbCatalog } from './catalog.ts';
import { findRelatedArticles } from './tools/find-related-articles.ts';
import { getArticle } from './tools/get-article.ts';
import { getCommonFixes } from './tools/get-common-fixes.ts';
import { searchSolutions } from './tools/search-solutions.ts';

/** The knowledge-base server's four tools, in the order tools/list reports them. */
export const kbTools = [searchSolutions, getArticle, findRelatedArticles, getCommonFixes];

/** Builds the knowledge-base MCP server; connect it to any transport. */
export function buildServer(deps: ServerDeps): Server {
  return buildToolServer({ name: 'knowledge-base-server', version: '1.0.0', tools: kbTools, catalog: kbCatalog }, deps);
}
