import { BUILT_IN_BLOCKS, type BuiltInBlock } from './handlebars-environment.js';
import type { HandlebarsProgram } from './parse-handlebars.js';
import type { Requirement, VariableRef } from './requirement.js';
import type { TemplateSourceIssue } from './types.js';

export interface HandlebarsAnalysis {
  issues: TemplateSourceIssue[];
  /** Top-level data paths referenced, e.g. `user.name`, `articles`; block-local names excluded. */
  paths: string[][];
  requirements: Requirement[];
  /** Each expression as written with its line, to prove MJML kept them all. */
  expressions: { text: string; line: number }[];
}

interface Scope {
  /** Absolute data path of this context, or null inside `each` (an item, not a top-level path). */
  absolute: string[] | null;
  params: string[];
}

const builtIns: ReadonlySet<string> = new Set(BUILT_IN_BLOCKS);

function lineOf(node: hbs.AST.Node): number {
  return node.loc.start.line;
}

export function analyseHandlebars(
  program: HandlebarsProgram,
  field: TemplateSourceIssue['field'],
): HandlebarsAnalysis {
  const analysis: HandlebarsAnalysis = { issues: [], paths: [], requirements: [], expressions: [] };
  const refuse = (node: hbs.AST.Node, message: string): void => {
    analysis.issues.push({ field, line: lineOf(node), message });
  };

  const refOf = (path: hbs.AST.PathExpression, scopes: Scope[]): VariableRef | null => {
    if (path.data) {
      // @index, @first, @key and friends are always defined; only @root.x names data.
      if (path.parts[0] !== 'root' || path.parts.length < 2) return null;
      analysis.paths.push(path.parts.slice(1));
      return { depth: 0, parts: path.parts.slice(1), fromRoot: true, blockParam: false };
    }
    const scoped = /^(?:\.|this\b)/.test(path.original);
    const head = path.parts[0];
    const blockParam =
      !scoped &&
      path.depth === 0 &&
      head !== undefined &&
      scopes.some((scope) => scope.params.includes(head));
    if (!blockParam) {
      const scope = scopes[scopes.length - 1 - path.depth];
      if (scope === undefined) {
        return null;
      }
      if (scope.absolute !== null) analysis.paths.push([...scope.absolute, ...path.parts]);
    }
    return { depth: path.depth, parts: path.parts, fromRoot: false, blockParam };
  };

  const walk = (statements: hbs.AST.Statement[], scopes: Scope[]): Requirement[] => {
    const requirements: Requirement[] = [];
    for (const statement of statements) {
      if (statement.type === 'ContentStatement' || statement.type === 'CommentStatement') continue;
      if (statement.type === 'MustacheStatement') {
        const mustache = statement as hbs.AST.MustacheStatement;
        analysis.expressions.push({ text: expressionText(mustache), line: lineOf(mustache) });
        if (
          mustache.path.type !== 'PathExpression' ||
          mustache.params.length > 0 ||
          mustache.hash !== undefined
        ) {
          refuse(
            mustache,
            `Only variables can be used here, not helpers or literals: ${expressionText(mustache)}`,
          );
          continue;
        }
        if (!mustache.escaped) {
          refuse(
            mustache,
            `Unescaped output is not allowed (${expressionText(mustache)} with {{{ }}} or {{& }}): data is always HTML-escaped`,
          );
          continue;
        }
        const path = mustache.path as hbs.AST.PathExpression;
        if (path.depth > scopes.length - 1)
          refuse(mustache, `${path.original} climbs above the top-level data`);
        const ref = refOf(path, scopes);
        if (ref !== null) requirements.push({ kind: 'value', ref });
        continue;
      }
      if (statement.type === 'BlockStatement') {
        const requirement = walkBlock(statement as hbs.AST.BlockStatement, scopes);
        if (requirement !== null) requirements.push(requirement);
        continue;
      }
      refuse(
        statement,
        `${statement.type.replace('Statement', '').toLowerCase()} is not supported: partials and decorators are unavailable`,
      );
    }
    return requirements;
  };

  const walkBlock = (block: hbs.AST.BlockStatement, scopes: Scope[]): Requirement | null => {
    analysis.expressions.push({ text: expressionText(block), line: lineOf(block) });
    const helper = block.path.original;
    const [param, ...extra] = block.params;
    if (!builtIns.has(helper)) {
      refuse(
        block,
        `{{#${helper}}} is not available; blocks can be ${BUILT_IN_BLOCKS.map((name) => `#${name}`).join(', ')}`,
      );
      return null;
    }
    if (param?.type !== 'PathExpression' || extra.length > 0 || block.hash !== undefined) {
      refuse(block, `{{#${helper}}} takes exactly one variable, e.g. {{#${helper} items}}`);
      return null;
    }
    const path = param as hbs.AST.PathExpression;
    const ref = refOf(path, scopes);
    if (ref === null) {
      refuse(block, `{{#${helper} ${path.original}}} does not name data`);
      return null;
    }
    if (block.inverse !== undefined) {
      // An {{else}} between MJML tags can vanish while its block survives, merging both branches.
      analysis.expressions.push({
        text: `{{else}} of ${expressionText(block)}`,
        line: lineOf(block.inverse),
      });
    }
    const kind = helper as BuiltInBlock;
    const otherwise = block.inverse === undefined ? [] : walk(block.inverse.body, scopes);
    if (kind === 'if' || kind === 'unless') {
      return {
        kind: 'if',
        ref,
        negate: kind === 'unless',
        then: walk(block.program.body, scopes),
        otherwise,
      };
    }
    const params = block.program.blockParams ?? [];
    const absolute = kind === 'with' && !ref.blockParam ? absolutePathOf(ref, scopes) : null;
    const body = walk(block.program.body, [...scopes, { absolute, params }]);
    return { kind, ref, params, body, otherwise };
  };

  analysis.requirements = walk(program.body, [{ absolute: [], params: [] }]);
  return analysis;
}

function absolutePathOf(ref: VariableRef, scopes: Scope[]): string[] | null {
  if (ref.fromRoot) return ref.parts;
  const base = scopes[scopes.length - 1 - ref.depth]?.absolute;
  return base === null || base === undefined ? null : [...base, ...ref.parts];
}

function expressionText(node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement): string {
  const path =
    node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : node.path.type;
  const params = node.params.map((param) =>
    param.type === 'PathExpression' ? (param as hbs.AST.PathExpression).original : param.type,
  );
  const text = [path, ...params].join(' ');
  return node.type === 'BlockStatement' ? `{{#${text}}}` : `{{${text}}}`;
}
